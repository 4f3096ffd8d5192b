"""End to end: build the mini site from a git repo, and fail without touching the previous site."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.pipeline.build import BuildOptions, build


def tree_hashes(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def policygen(repo, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=repo.root, capture_output=True, text=True)


@pytest.fixture
def built(mini):
    # Strict: any broken link or anchor in the generated pages fails the build.
    build(BuildOptions(root=mini.root, site_dir=mini.root / "site", jobs=1, strict=True))
    return mini


def page(repo, rel: str) -> str:
    return (repo.root / "site" / rel).read_text(encoding="utf-8")


def test_each_brand_gets_a_site_in_each_language(built):
    site = built.root / "site"
    assert sorted(p.name for p in site.iterdir()) == ["acme", "beta"]
    for rel in ("acme/index.html", "acme/privacy/index.html", "acme/aup/index.html", "acme/en/privacy/index.html",
                "beta/aup/index.html", "beta/en/aup/index.html", "acme/sitemap.xml", "acme/en/sitemap.xml",
                "acme/search/search_index.json", "acme/en/search/search_index.json"):
        assert (site / rel).is_file(), rel
    assert not (site / "beta/privacy").exists()


def test_policy_page_html(built):
    vi, en = page(built, "acme/privacy/index.html"), page(built, "acme/en/privacy/index.html")
    assert '<html lang="vi"' in vi and '<html lang="en"' in en
    assert '<span class="clause-no">Điều 2.</span> Sử dụng thông tin' in vi
    assert '<a class="xref" href="#collection-cookies">khoản 2 Điều 1</a>' in vi
    assert '<a class="xref" href="#collection-cookies">clause 1.2</a>' in en
    assert '<time datetime="2026-11-21">Cập nhật lần cuối: ngày 21 tháng 11 năm 2026</time>' in vi
    assert "the Vietnamese text prevails" in en and "prevails" not in vi
    assert '<a href="../aup/">Chính sách sử dụng</a>' in vi


def test_language_switcher_and_hreflang_point_to_the_same_page(built):
    vi, en = page(built, "acme/privacy/index.html"), page(built, "acme/en/privacy/index.html")
    # hreflang is in the sitemaps (tests/test_seo.py checks them whole); the pages have none (generator/site/seo.py).
    for sitemap in ("acme/sitemap.xml", "acme/en/sitemap.xml"):
        assert '<xhtml:link rel="alternate" hreflang="en" href="https://acme.example/policies/en/privacy/"/>' \
            in page(built, sitemap)
    switch_vi = re.findall(r'<a href="([^"]+)" hreflang="(\w+)"', vi)
    switch_en = re.findall(r'<a href="([^"]+)" hreflang="(\w+)"', en)
    assert switch_vi == [("../privacy/", "vi"), ("../en/privacy/", "en")]
    assert switch_en == [("../../privacy/", "vi"), ("../../en/privacy/", "en")]
    for folder, links in (("acme/privacy", switch_vi), ("acme/en/privacy", switch_en)):
        for href, _lang in links:
            assert (built.root / "site" / folder / href / "index.html").resolve().is_file(), (folder, href)


def test_sitemap_uses_the_brand_site_url(built):
    assert "<loc>https://acme.example/policies/privacy/</loc>" in page(built, "acme/sitemap.xml")
    assert "<loc>https://acme.example/policies/en/privacy/</loc>" in page(built, "acme/en/sitemap.xml")


def test_search_index_carries_the_vietnamese_text_and_our_search_worker(built):
    index = json.loads(page(built, "acme/search/search_index.json"))
    assert index["config"]["lang"] == ["vi"]
    assert any("Thu thập thông tin" in doc["title"] for doc in index["docs"])
    assert "function exactKey" in page(built, "acme/assets/javascripts/workers/policy-search.js")
    assert '"search": "assets/javascripts/workers/policy-search.js"' in page(built, "acme/index.html")


def test_brand_colour(built):
    assert "--md-primary-fg-color: #112233;" in page(built, "acme/assets/brand.css")


def test_building_one_brand_keeps_the_others(built):
    before = tree_hashes(built.root / "site/beta")
    built.edit("content/vi/acme/privacy.md", "Chúng tôi thu thập tên và email.", "Chúng tôi thu thập tên.")
    for lang in ("vi", "en"):
        built.edit(f"content/{lang}/acme/privacy.md", "updated: 2026-11-21", "updated: 2026-11-25")
    built.commit("Privacy policy: collect names only")
    build(BuildOptions(root=built.root, site_dir=built.root / "site", brands=("acme",), jobs=1,
                       as_of=dt.date(2026, 11, 25)))
    assert "Chúng tôi thu thập tên.</p>" in page(built, "acme/privacy/index.html")
    assert tree_hashes(built.root / "site/beta") == before


def test_failed_build_leaves_the_previous_site_untouched(built):
    before = tree_hashes(built.root / "site")
    built.edit("content/en/aup.md", "[[security]]", "[[nothing]]")
    result = policygen(built, "build")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "content/en/aup.md:19: cross-reference [[nothing]] points to no clause. "
        "Use the id of an existing clause (ids are in the `{#…}` of each heading).",
        "Failed: 1 problem(s); site/ was left unchanged.",
    ]
    assert "Traceback" not in result.stderr
    assert tree_hashes(built.root / "site") == before
    assert not list(built.root.glob(".site.staging-*")), "no staging folder is left behind"


def test_cli_build_succeeds_and_reports(mini):
    result = policygen(mini, "build", "--jobs", "2")
    assert result.returncode == 0, result.stderr
    assert "Built 2 site(s) into site/" in result.stderr
    assert (mini.root / "site/acme/en/aup/index.html").is_file()


def test_cli_unknown_brand_and_help(mini):
    result = policygen(mini, "build", "--brand", "gamma")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == "site.yml: unknown brand 'gamma'. Use one of: acme, beta."
    help_text = policygen(mini, "build", "--help").stdout
    assert "--brand ID" in help_text and "--strict" in help_text and "--site-dir" in help_text


def test_brand_logo_is_copied_and_shown(built):
    assert (built.root / "site/acme/assets/logo.svg").read_text().startswith("<svg")
    assert 'src="../assets/logo.svg"' in page(built, "acme/privacy/index.html")
    assert not (built.root / "site/beta/assets/logo.svg").exists()


def test_two_builds_of_the_same_commit_are_byte_identical(mini, monkeypatch, tmp_path):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    for name, jobs in (("one", 2), ("two", 1)):  # in workers (one of them warmed up first), and in-process
        build(BuildOptions(root=mini.root, site_dir=tmp_path / name, jobs=jobs, record=False))
    one, two = tree_hashes(tmp_path / "one"), tree_hashes(tmp_path / "two")
    assert len(one) > 50 and one == two
    assert "acme/sitemap.xml" in one and "beta/en/feed.xml" in one


def test_a_rebuild_reuses_unchanged_sites_and_equals_a_cold_build(mini, monkeypatch, tmp_path):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    site, day = mini.root / "site", dt.date(2026, 11, 22)
    build(BuildOptions(root=mini.root, site_dir=site, jobs=1, as_of=day))
    said: list[str] = []
    build(BuildOptions(root=mini.root, site_dir=site, jobs=1, as_of=day), report=said.append)
    assert said == ["reused 4 unchanged site(s) of the last build"]
    for lang in ("vi", "en"):
        mini.edit(f"content/{lang}/acme/privacy.md", "updated: 2026-11-21", "updated: 2026-11-22")
    mini.commit("ACME privacy: new version")
    said.clear()
    build(BuildOptions(root=mini.root, site_dir=site, jobs=1, as_of=dt.date(2026, 11, 22)), report=said.append)
    assert sorted(s.split("] ")[1] for s in said if "built" in s) == ["built acme (en)", "built acme (vi)"]
    assert "reused 2 unchanged site(s) of the last build" in said
    build(BuildOptions(root=mini.root, site_dir=tmp_path / "cold", jobs=1, as_of=dt.date(2026, 11, 22)))
    assert tree_hashes(site) == tree_hashes(tmp_path / "cold")


def test_a_new_theme_or_generator_rebuilds_every_site(mini, monkeypatch):
    from generator.pipeline import build as build_module

    site, day = mini.root / "site", dt.date(2026, 11, 22)
    build(BuildOptions(root=mini.root, site_dir=site, jobs=1, as_of=day))
    monkeypatch.setattr(build_module, "tools_digest", lambda: "another theme")
    said: list[str] = []
    build(BuildOptions(root=mini.root, site_dir=site, jobs=1, as_of=day), report=said.append)
    assert len([s for s in said if "built" in s]) == 4 and not [s for s in said if "reused" in s]


def test_the_sites_of_a_brand_go_to_be_built_largest_first(mini, monkeypatch):
    from generator.engines.mkdocs import sites

    mini.edit("content/en/aup.md", "Customers keep their passwords secret.",
              "Customers keep their passwords secret. " + "Write them down nowhere. " * 400)
    mini.edit("content/en/aup.md", "updated: 2026-11-20", "updated: 2026-11-21")
    mini.commit("AUP: a long English version, so that each brand's English site is the larger")
    order: list[tuple[str, str]] = []
    real = sites.build_site
    monkeypatch.setattr(sites, "build_site", lambda site, *rest: (order.append((site.brand, site.lang)),
                                                                  real(site, *rest))[1])
    build(BuildOptions(root=mini.root, site_dir=mini.root / "site", jobs=1, record=False))
    assert order == [("acme", "en"), ("acme", "vi"), ("beta", "en"), ("beta", "vi")]


def test_a_file_system_without_hard_links_gets_copies(mini, monkeypatch, tmp_path):
    """An unchanged site of a changed brand, the PDFs and mkdocs' output are copied where os.link fails."""
    import errno
    import os

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")

    def no_links(source: object, target: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    site, day = mini.root / "site", dt.date(2026, 11, 22)
    build(BuildOptions(root=mini.root, site_dir=site, jobs=1, as_of=day))
    monkeypatch.setattr(os, "link", no_links)
    mini.edit("content/en/acme/privacy.md", "updated: 2026-11-21", "updated: 2026-11-22")
    mini.commit("ACME privacy: a corrected English text")
    said: list[str] = []
    build(BuildOptions(root=mini.root, site_dir=site, jobs=1, as_of=day), report=said.append)
    assert [s.split("] ")[1] for s in said if "built" in s] == ["built acme (en)"]
    assert "reused 3 unchanged site(s) of the last build" in said  # acme (vi) among them: copied, not linked
    monkeypatch.undo()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    build(BuildOptions(root=mini.root, site_dir=tmp_path / "cold", jobs=1, as_of=day))
    assert tree_hashes(site) == tree_hashes(tmp_path / "cold")
