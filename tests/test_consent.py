"""Consent snippets: bound to the exact versions, escaped, verifiable."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
import sys

import pytest
from conftest import material_aup_version

from generator.errors import ConfigError, ContentError
from generator.history.git import read_lock
from generator.pipeline.build import BuildOptions, build
from generator.pipeline.queries import verify_consent


@pytest.fixture
def site(mini):
    build(BuildOptions(root=mini.root, site_dir=mini.root / "site", jobs=1, as_of=dt.date(2026, 11, 22)))
    return mini


def read(repo, rel: str) -> str:
    return (repo.root / "site" / rel).read_text(encoding="utf-8")


def test_fragment_is_bound_to_the_version_in_force(site):
    fragment = read(site, "beta/consent/signup.html")
    record = read_lock(site.root)["beta/aup/vi/2026-11-20"]
    assert '<input type="checkbox" id="pc-beta-signup-vi-aup" name="consent.aup" value="yes" required>' in fragment
    assert '<input type="checkbox" id="pc-beta-signup-vi-news" name="consent.news" value="yes">' in fragment
    assert "checked" not in fragment
    assert '<a href="https://beta.example/policies/aup/2026-11-20/" target="_blank" rel="noopener">' in fragment
    assert f'<input type="hidden" name="policy.aup.sha256" value="{record["sha256"]}">' in fragment
    assert '<input type="hidden" name="policy.aup.version" value="2026-11-20">' in fragment
    assert '<input type="hidden" name="consent.locale" value="vi">' in fragment
    assert '<input type="hidden" name="consent.aup.basis" value="acknowledgement">' in fragment
    assert '<input type="hidden" name="consent.news.basis" value="consent">' in fragment
    assert "<script" not in fragment and "style=" not in fragment


def test_manifest_carries_each_purpose_basis(site):
    manifest = json.loads(read(site, "beta/en/consent/manifest.json"))
    purposes = manifest["forms"]["signup"]["languages"]["en"]["purposes"]
    assert [(p["id"], p["basis"], p["required"]) for p in purposes] == [("aup", "acknowledgement", True),
                                                                         ("news", "consent", False)]


def test_cli_verify_reads_the_recorded_bases(site):
    ref = read_lock(site.root)["beta/aup/en/2026-11-20"]
    args = [sys.executable, "-m", "generator", "consent", "verify", "--brand", "beta", "--policy", "aup",
            "--lang", "en", "--version", "2026-11-20", "--sha256", ref["sha256"], "--basis", "aup=acknowledgement"]
    ok = subprocess.run([*args, "--basis", "news=consent"], cwd=site.root, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert ok.stderr.splitlines()[1:] == [
        "Basis of aup: acknowledgement (the person confirmed reading or accepting a document; no consent to a use "
        "of data).", "Basis of news: consent (given freely: never required, and it can be withdrawn at any time)."]
    changed = subprocess.run([*args, "--basis", "news=contract"], cwd=site.root, capture_output=True, text=True)
    assert changed.returncode == 0 and changed.stderr.splitlines()[-1] == (
        "Basis of news: contract (needed to provide the service; the form may require it); note: "
        "content/en/consent.yml now declares consent.")
    bad = subprocess.run([*args, "--basis", "news=yes"], cwd=site.root, capture_output=True, text=True)
    assert bad.returncode == 1 and bad.stderr == (
        "NO MATCH: 'news=yes' is not PURPOSE=BASIS with a basis among acknowledgement, contract, "
        "legal-obligation, consent.\n")


def test_hash_in_the_snippet_is_the_hash_of_the_archived_text(site):
    manifest = json.loads(read(site, "beta/en/consent/manifest.json"))
    [ref] = manifest["forms"]["signup"]["languages"]["en"]["purposes"][0]["policies"]
    # The archived page of that version shows exactly the text that was hashed.
    archived = read(site, "beta/en/aup/2026-11-20/index.html")
    assert "Customers keep their passwords secret." in archived
    ok, reason, text = verify_consent(site.root, "beta", "aup", "en", ref["version"], ref["sha256"])
    assert ok, reason
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == ref["sha256"]
    assert "Customers keep their passwords secret." in text


def test_verify_rejects_a_changed_text_or_unknown_version(site):
    text = verify_consent(site.root, "beta", "aup", "en", "2026-11-20", "0" * 64)
    assert text[0] is False and text[1].startswith("the hash does not match version 2026-11-20")
    assert verify_consent(site.root, "beta", "aup", "en", "2025-01-01", "0" * 64)[:2] == (
        False, "no published version 2025-01-01 of 'aup' (en)")


def test_cli_verify_prints_the_agreed_text(site):
    ref = read_lock(site.root)["beta/aup/vi/2026-11-20"]
    args = [sys.executable, "-m", "generator", "consent", "verify", "--brand", "beta", "--policy", "aup",
            "--lang", "vi", "--version", "2026-11-20"]
    ok = subprocess.run([*args, "--sha256", ref["sha256"]], cwd=site.root, capture_output=True, text=True)
    assert ok.returncode == 0 and "Khách hàng giữ bí mật mật khẩu." in ok.stdout
    assert ok.stderr.startswith("MATCH: beta/aup/vi/2026-11-20")
    bad = subprocess.run([*args, "--sha256", "f" * 64], cwd=site.root, capture_output=True, text=True)
    assert bad.returncode == 1 and bad.stderr.startswith("NO MATCH: the hash does not match")


def test_manifest_says_when_consent_must_be_asked_again(mini):
    for lang in ("vi", "en"):
        mini.edit(f"content/{lang}/aup.md", "updated: 2026-11-20", "updated: 2026-11-25\nmaterial: true")
    mini.commit("AUP: material change")
    build(BuildOptions(root=mini.root, site_dir=mini.root / "site", jobs=1, as_of=dt.date(2026, 11, 26)))
    policy = json.loads(read(mini, "beta/consent/manifest.json"))["policies"]["aup/vi"]
    assert policy["current"] == "2026-11-25"
    assert [(v["version"], v["reconsent"]) for v in policy["versions"]] == [("2026-11-20", True),
                                                                          ("2026-11-25", False)]
    assert '<input type="hidden" name="policy.aup.version" value="2026-11-25">' in read(mini,
                                                                                      "beta/consent/signup.html")


def test_hostile_wording_and_brand_name_are_escaped(mini):
    mini.edit("site.yml", "    name: Beta\n", "    name: \"Beta 'Q' & co\"\n")  # a \" in a name is refused (site.yml)
    mini.edit("content/en/consent.yml", "I agree to comply", "<script>alert(1)</script> I agree to comply")
    mini.commit("Hostile wording")
    build(BuildOptions(root=mini.root, site_dir=mini.root / "site", jobs=1))
    fragment = read(mini, "beta/en/consent/signup.html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; I agree" in fragment and "Beta &#39;Q&#39; &amp; co" in fragment
    assert "<script>" not in fragment


def test_markup_in_brand_facts_is_refused(mini):
    mini.edit("site.yml", "    name: Beta\n", "    name: Beta <script>alert(1)</script>\n")
    with pytest.raises(ConfigError) as caught:
        build(BuildOptions(root=mini.root, site_dir=mini.root / "site", jobs=1))
    assert [str(p) for p in caught.value.problems] == [
        "site.yml:26: brands.beta.name contains < or >. Brand facts are plain text: remove the angle brackets."]


def test_wording_problems(mini):
    mini.edit("content/en/consent.yml", "  news:\n", "  newsletter:\n")
    with pytest.raises(ContentError) as caught:
        build(BuildOptions(root=mini.root, site_dir=mini.root / "site", jobs=1))
    assert [str(p) for p in caught.value.problems] == [
        "content/en/consent.yml:1: consent purpose 'news' (form 'signup' of 'beta') has no wording. "
        "Add `news:` with a `label:` under `purposes:`."]
    mini.edit("content/en/consent.yml", "  newsletter:\n", "  news:\n")
    mini.edit("content/en/consent.yml", "{{ policy('aup') }}", "{{ policy('privacy') }}")
    with pytest.raises(ContentError) as caught:
        build(BuildOptions(root=mini.root, site_dir=mini.root / "site", jobs=1))
    assert [str(p) for p in caught.value.problems] == [
        "content/en/consent.yml:4: the consent links policy 'privacy', which 'beta' does not publish. "
        "Link one of: aup."]


def test_required_purpose_must_be_a_purpose(mini):
    mini.edit("site.yml", "        required: [aup]", "        required: [aup, terms]")
    with pytest.raises(ConfigError) as caught:
        build(BuildOptions(root=mini.root, site_dir=mini.root / "site", jobs=1))
    assert str(caught.value.problems[0]) == (
        "site.yml:36: form 'signup' requires 'terms', which is not one of its purposes. "
        "List it under `purposes:` too, or remove it from `required:`.")


def test_material_change_writes_the_customer_notice_in_both_languages(mini):
    material_aup_version(mini)
    build(BuildOptions(root=mini.root, site_dir=mini.root / "site", jobs=1, as_of=dt.date(2026, 11, 26)))
    text = read(mini, "beta/notices/aup-2026-11-25.txt")
    assert text.startswith("Tiêu đề: Beta: thay đổi Chính sách sử dụng từ ngày 25 tháng 12 năm 2026\n")
    assert "Công ty Beta xin thông báo Chính sách sử dụng được sửa đổi. Phiên bản mới có hiệu lực từ ngày 25 " \
           "tháng 12 năm 2026." in text
    assert "- Bổ sung: 3. Báo cáo" in text
    assert "https://beta.example/policies/aup/2026-11-25/changes/" in text
    html = read(mini, "beta/en/notices/aup-2026-11-25.html")
    assert "<li>Added: 3. Reporting</li>" in html and "Incidents must be reported." in html
    assert '<a href="https://beta.example/policies/en/aup/2026-11-25/changes/">' in html
    assert not (mini.root / "site/beta/notices/aup-2026-11-20.txt").exists()  # not material: no notice
