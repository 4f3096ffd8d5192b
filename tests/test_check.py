"""`policygen check`: each rule fails and passes in both languages, with its exact message."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, ContentRepo

from generator.checks.check import CheckOptions, run_check
from generator.checks.text import BrandFacts, Chunk, check_chunk

ROOT = Path(__file__).resolve().parent.parent
FACTS = BrandFacts("acme", ("ACME", "Công ty TNHH ACME", "ACME Co., Ltd"), {"Beta": "beta", "Beta Company": "beta"},
                   ("ePacific",), frozenset({"TTSD"}))


def found(text: str, lang: str = "en") -> list[str]:
    """Findings in one chunk, as `line:col: severity: message. hint` without the path."""
    return [str(f).split(":", 1)[1] for f in check_chunk(Chunk("x.md", 1, text, lang), FACTS)]


@pytest.mark.parametrize(("lang", "bad", "good", "message"), [
    ("en", "As set out in Article 3.6 above.", "As set out in [[customer-content]] above.",
     "1:15: warning: clause number typed by hand: 'Article 3.6'. Write a cross-reference [[id]] with the clause's "
     "id; typed numbers go stale when clauses move."),
    ("vi", "Theo khoản 2 Điều 8 dưới đây.", "Theo [[termination]] dưới đây.",
     "1:6: warning: clause number typed by hand: 'khoản 2'. Write a cross-reference [[id]] with the clause's id; "
     "typed numbers go stale when clauses move."),
    ("en", "Contact us by email: ACME today.", "Contact us by email: help@acme.example today.",
     "1:15: error: nothing usable after 'email:'. Give the address, or a brand value such as {{ brand.website }} "
     "or {{ brand.hotline }}."),
    ("vi", "Xem phiên bản mới nhất tại:", "Xem phiên bản mới nhất tại: https://acme.example.",
     "1:24: error: nothing usable after 'tại:'. Give the address, or a brand value such as {{ brand.website }} "
     "or {{ brand.hotline }}."),
    ("en", "Write to [email\u00a0protected] now.", "Write to help@acme.example now.",
     "1:10: error: '[email\\xa0protected]': an email address replaced by a web page's e-mail protection. Remove it, "
     "or write what was meant."),
    ("vi", "Liên hệ TODO.", "Liên hệ tổng đài.",
     "1:9: error: 'TODO': a placeholder. Remove it, or write what was meant."),
    ("en", "Programs designed designed to harm.", "Programs designed to harm.",
     "1:10: warning: doubled word 'designed designed'. Remove the repeated word."),
    ("vi", "Dịch vụ dịch vụ được cung cấp.", "Dịch vụ được cung cấp.",
     "1:1: warning: doubled word 'Dịch vụ dịch vụ'. Remove the repeated word."),
    ("en", "You agree to the TTSD. . You may leave.", "You agree to the TTSD. You may leave.",
     "1:22: warning: doubled punctuation '. .'. Keep one mark."),
    ("vi", "Khách hàng đồng ý,, và tiếp tục.", "Khách hàng đồng ý và tiếp tục.",
     "1:18: warning: doubled punctuation ',,'. Keep one mark."),
    ("en", "We protect data. illegal access is stopped.", "We protect data. Illegal access is stopped.",
     "1:16: warning: 'data. illegal': a full stop followed by a lower-case word. A sentence may be cut off here: "
     "complete it, or remove the stray full stop."),
    ("vi", "Chúng tôi bảo vệ dữ liệu. trái phép.", "Chúng tôi bảo vệ dữ liệu. Trái phép là vi phạm.",
     "1:25: warning: 'liệu. trái': a full stop followed by a lower-case word. A sentence may be cut off here: "
     "complete it, or remove the stray full stop."),
    ("en", "Customers may send spam (", "Customers may not send spam.",
     "1:25: error: the text stops at 'mers may send spam ('. A sentence is cut off: complete it."),
    ("vi", "Vụ việc được chuyển đến", "Vụ việc được chuyển đến cơ quan có thẩm quyền.",
     "1:23: error: the text stops at 'việc được chuyển đến'. A sentence is cut off: complete it."),
    ("en", "The fee (excluding tax is due.", "The fee (excluding tax) is due.",
     "1:1: warning: unbalanced (): 1 '(' but 0 ')'. Close or remove the bracket or quote."),
    ("vi", "Gọi là “Chính sách.", "Gọi là “Chính sách”.",
     "1:1: warning: unbalanced “”: 1 '“' but 0 '”'. Close or remove the bracket or quote."),
    ("en", "Rights and duties of ePacific.", "Rights and duties of ACME.",
     "1:22: error: names another company, 'ePacific'. This text was probably copied from that company's policy: "
     "use {{ brand.name }}."),
    ("vi", "Dịch vụ của Beta Company.", "Dịch vụ của ACME.",
     "1:13: error: the acme text names another brand, beta ('Beta Company'). Use {{ brand.name }} / "
     "{{ brand.legal_name }}, or move the text to that brand's policy."),
    ("en", "Owned by ACME Corp Co., Ltd.", "Owned by ACME Co., Ltd.",
     "1:10: warning: company name 'ACME Corp Co., Ltd.' differs from the legal name in site.yml "
     "('Công ty TNHH ACME'). Write {{ brand.legal_name }}."),
    ("vi", "Thuộc Công ty TNHH Acne.", "Thuộc Công ty TNHH ACME.",
     "1:7: warning: company name 'Công ty TNHH Acne' differs from the legal name in site.yml "
     "('Công ty TNHH ACME'). Write {{ brand.legal_name }}."),
    ("en", "Read this CAUP carefully.", "Read this TTSD carefully.",
     "1:11: warning: 'CAUP' is not defined in this document. Name the document in words, or define the "
     "abbreviation where it is first used."),
    ("en", "Bằng cách bấm gửi yêu cầu, bạn đồng ý.", "By clicking submit you agree.",
     "1:1: warning: Vietnamese text in a text of another language. Translate it, or move it to the Vietnamese "
     "file."),
])
def test_rule(lang, bad, good, message):
    assert message in found(bad, lang)
    assert found(good, lang) == []


def test_a_colon_before_a_list_is_fine_but_not_before_a_paragraph():
    assert found("You must not:\n\n- steal.\n") == []
    assert found("You must not:\n\nAnything else.") == [
        "1:13: error: the text ends with a colon and nothing after it ('You must not:'). Add what the colon "
        "announces (an address, a list), or end the sentence."]


@pytest.mark.parametrize("after", [
    "| Data | Why |\n|---|---|\n| Name | Billing |\n",  # a table
    "> ACME Co., Ltd\n> 1 Main Street, Hanoi\n",  # a blockquote address (no full stop of its own)
    "1. steal\n2. lie\n", "3) steal\n", "+ steal\n", "* steal\n",  # lists with any marker
])
def test_a_colon_may_announce_a_table_a_blockquote_or_any_list(after):
    assert found(f"You must not:\n\n{after}") == []
    assert found(f"You must not:\n{after}") == []  # no blank line between


def test_a_brand_name_inside_an_address_is_not_the_brand_written_wrongly():
    assert found("Read https://example.com/guide?ref=acme or www.example.com/acme-faq, or write to "
                 "acme@example.com.") == []
    assert found("See [the guide](https://example.com/acme/terms) from acme.") == [
        "1:54: warning: the brand is written 'acme'. Write {{ brand.name }} (ACME)."]


def test_vietnamese_repeated_syllables_are_not_doubled_words():
    assert found("Khách hàng giữ bí mật mật khẩu; việc sao lưu, lưu trữ là cần thiết.", "vi") == []


def test_lower_case_brand_outside_addresses():
    assert found("Sign up at acme.example or email acme@acme.example to reach ACME.") == []
    assert found("Chính sách của acme.", "vi") == [
        "1:16: warning: the brand is written 'acme'. Write {{ brand.name }} (ACME)."]


DEFECT_ROW = re.compile(r"\| `([^`]+)` \| (\d+) \| `(.*?)` \| ([\w-]+) \|")


def seed_findings(tmp_path: Path) -> dict[tuple[str, int], list[str]]:
    """Findings of the seed fixtures (the earlier AUP checked in a copy, as the shared AUP)."""
    seeds = FIXTURES / "seeds"
    by_line: dict[tuple[str, int], list[str]] = {}
    for f in run_check(CheckOptions(root=seeds, base=None, history=False)):
        by_line.setdefault((f.path, f.line), []).append(f.rule)
    shutil.copytree(seeds, tmp_path / "earlier")
    shutil.copy(seeds / "aup-002.md", tmp_path / "earlier/content/en/aup.md")
    for f in run_check(CheckOptions(root=tmp_path / "earlier", base=None, history=False)):
        if f.path == "content/en/aup.md":
            by_line.setdefault(("aup-002.md", f.line), []).append(f.rule)
    return by_line


def test_every_defect_of_the_seeds_is_found(tmp_path):
    rows = DEFECT_ROW.findall((FIXTURES / "seeds" / "DEFECTS.md").read_text(encoding="utf-8"))
    assert len(rows) == 77
    by_line = seed_findings(tmp_path)
    missed = [(path, line, text) for path, line, text, _kind in rows if (path, int(line)) not in by_line]
    assert missed == []
    # The later, clean seed is the negative case.
    assert not [key for key in by_line if key[0] == "content/en/aup.md"]


def test_the_published_content_has_no_finding(tmp_path):
    repo = ContentRepo(tmp_path)
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copy(ROOT / "site.yml", tmp_path / "site.yml")
    repo.commit("Content as it stands")
    # Only the gaps marked for a person to confirm: test_legal.py checks that they are exactly the review's.
    assert [str(f) for f in run_check(CheckOptions(root=tmp_path)) if f.rule != "confirm"] == []


def test_translation_staleness_per_clause(mini):
    mini.edit("content/vi/aup.md", "Khách hàng giữ bí mật mật khẩu.", "Khách hàng giữ bí mật mật khẩu mạnh.")
    mini.edit("content/vi/aup.md", "updated: 2026-11-20", "updated: 2026-11-22")
    mini.edit("content/en/aup.md", "updated: 2026-11-20", "updated: 2026-11-22")
    commit = mini.commit("AUP vi: strong passwords")[:12]
    findings = [str(f) for f in run_check(CheckOptions(root=mini.root))]
    assert findings == [
        f"content/en/aup.md:13:1: warning: clause 'security' may be out of date: its 'vi' text changed on "
        f"2026-11-21 ({commit}), this one last changed on 2026-11-21 ({findings[0].split('(')[2][:12]}). "
        "Check it against content/vi/aup.md and update the translation; if it needs no change, end the clause's "
        "heading line with {##- policygen: translation-reviewed 6de6b19f ##}."]
    mini.edit("content/en/aup.md", "Customers keep their passwords secret.", "Customers keep strong passwords secret.")
    assert [str(f) for f in run_check(CheckOptions(root=mini.root, base=None))] == []


def test_versions_against_the_base(mini):
    mini.edit("content/vi/aup.md", "Khách hàng giữ bí mật mật khẩu.", "Khách hàng đổi mật khẩu.")
    assert [str(f) for f in run_check(CheckOptions(root=mini.root, history=False))] == [
        "content/vi/aup.md:3:1: error: the text changed but `updated` did not. Set `updated:` to today's date to "
        "release the change as a new version (and write a `summary:`)."]
    mini.edit("content/vi/aup.md", "updated: 2026-11-20", "updated: 2026-11-01")
    assert [str(f) for f in run_check(CheckOptions(root=mini.root, history=False))] == [
        "content/vi/aup.md:3:1: error: `updated` (2026-11-01) is earlier than the previous version's (2026-11-20). "
        "A new version needs a later date."]


def test_material_change_needs_the_configured_notice(mini):
    mini.write({"site.yml": mini.read("site.yml").replace("material_notice_days: 0", "material_notice_days: 30")})
    mini.commit("Notice")
    for lang in ("vi", "en"):
        mini.edit(f"content/{lang}/aup.md", "updated: 2026-11-20",
                  "updated: 2026-11-22\neffective: 2026-12-01\nmaterial: true")
    findings = [str(f) for f in run_check(CheckOptions(root=mini.root, history=False))]
    assert findings == [
        f"content/{lang}/aup.md:4:1: error: a material change with 9 days' notice; site.yml asks for 30. "
        "Set `effective:` at least 30 days after `updated`." for lang in ("en", "vi")]


def test_structure_problems_are_findings(mini):
    mini.edit("content/en/aup.md", "## Security {#security}", "## Security {#safety}")
    findings = [str(f) for f in run_check(CheckOptions(root=mini.root))]
    assert "content/en/aup.md:13:1: error: clause 'safety' is not in the 'vi' text (content/vi/aup.md). " \
           "Add it there too, or correct the id to one of the 'vi' text." in findings


def cli(repo, *args):
    return subprocess.run([sys.executable, "-m", "generator", "check", *args], cwd=repo.root,
                          capture_output=True, text=True)


def test_cli_formats_and_exit_codes(mini):
    assert cli(mini).returncode == 0
    mini.edit("content/en/aup.md", "Do not use our", "Do not use our our")
    text = cli(mini, "--base", "")
    assert text.returncode == 0 and text.stderr == "0 error(s), 1 warning(s).\n"
    assert text.stdout == ("content/en/aup.md:11:12: warning: doubled word 'our our'. Remove the repeated word. "
                           "[doubled-word]\n")
    assert cli(mini, "--base", "", "--strict").returncode == 1
    github = cli(mini, "--base", "", "--format", "github").stdout
    assert github == ("::warning file=content/en/aup.md,line=11,col=12,title=doubled-word::doubled word 'our our'. "
                      "Remove the repeated word.\n")
    data = json.loads(cli(mini, "--base", "", "--format", "json").stdout)
    assert data["findings"][0]["rule"] == "doubled-word"
    mini.edit("content/en/aup.md", "[[security]]", "[[nothing]]")
    assert cli(mini, "--base", "").returncode == 1


def test_consent_and_banner_wording_are_checked_as_the_build_reads_them(mini):
    """A pull request check that runs only `check` sees the wording's template and YAML problems too."""
    mini.edit("content/en/consent.yml", "legend: Your consent", "legend: \"{{ lipsum.__globals__ }} Your consent\"")
    mini.edit("content/vi/banner.yml", "reopen: Cài đặt cookie", "reopen: '{% for x in brand.name %}x{% endfor %}'")
    assert [str(f) for f in run_check(CheckOptions(root=mini.root, history=False))] == [
        "content/en/consent.yml:1:1: error: unknown value: 'lipsum' is undefined. "
        "Use a variable listed in docs/content-format.md (for example {{ brand.name }}).",
        "content/vi/banner.yml:10:1: error: {% for %} is not allowed in policy text. Use only {{ brand.… }} "
        "values, {% if %}…{% endif %} and the functions listed in docs/content-format.md."]
    mini.edit("content/en/consent.yml", "legend: \"{{ lipsum.__globals__ }} Your consent\"", "legend: [unclosed")
    first = str(run_check(CheckOptions(root=mini.root, history=False))[0])
    assert first.startswith("content/en/consent.yml:2:1: error: malformed YAML")


def test_a_paragraph_anchor_is_not_a_sentence():
    assert found("We collect telemetry data.\n{: #telemetry }\n\nMore text here.") == []
