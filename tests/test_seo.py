"""What search engines read of every built page: one canonical address per text, dated titles,
descriptions, and a sitemap with each text's own date and hreflang pairs that point back."""

from __future__ import annotations

import datetime as dt
import html.parser
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import translated_version_site

from generator.i18n import long_date

SITE_URL = "https://acme.example/policies/"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
DATED = re.compile(r"/(\d{4}-\d{2}-\d{2})/")


class _Head(html.parser.HTMLParser):
    """The canonical links, description, title and hreflang links of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.canonical: list[str] = []
        self.descriptions: list[str] = []
        self.hreflang: list[str] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "link" and values.get("rel") == "canonical":
            self.canonical.append(values.get("href") or "")
        if tag == "link" and values.get("hreflang"):
            self.hreflang.append(values.get("href") or "")
        if tag == "meta" and values.get("name") == "description":
            self.descriptions.append(values.get("content") or "")
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return translated_version_site(tmp_path_factory.mktemp("seo") / "repo") / "acme"


def head(site: Path, url: str) -> _Head:
    parser = _Head()
    parser.feed(page_file(site, url).read_text(encoding="utf-8"))
    return parser


def page_file(site: Path, url: str) -> Path:
    """The built file of a published address of the brand."""
    assert url.startswith(SITE_URL), url
    return site / url[len(SITE_URL):] / "index.html"


def pages(site: Path) -> dict[str, Path]:
    """Every page of both languages (the consent fragments are parts of forms, the 404 page is apart)."""
    found = {}
    for path in sorted(site.rglob("index.html")):
        folder = path.parent.relative_to(site).as_posix()
        if "consent" not in path.parts:
            found[SITE_URL + ("" if folder == "." else folder + "/")] = path
    return found


def sitemap(site: Path) -> dict[str, tuple[str, dict[str, str]]]:
    """Both languages' sitemaps: each address, its lastmod and its hreflang alternates."""
    entries = {}
    for path in (site / "sitemap.xml", site / "en" / "sitemap.xml"):
        for url in ET.parse(path).getroot().findall("s:url", NS):
            alternates = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)}
            entries[url.findtext("s:loc", namespaces=NS)] = (url.findtext("s:lastmod", namespaces=NS), alternates)
    return entries


def test_the_fixture_has_every_page_type(site):
    found = pages(site)
    for path in ("", "en/", "aup/", "en/aup/", "aup/2026-11-20/", "aup/2026-11-21/", "en/aup/2026-11-22/",
                 "aup/history/", "en/aup/2026-11-22/changes/", "en/privacy/history/"):
        assert SITE_URL + path in found


def test_every_page_has_exactly_one_canonical_address_that_is_its_own_canonical(site):
    for url in pages(site):
        canonical = head(site, url).canonical
        assert len(canonical) == 1, url
        assert page_file(site, canonical[0]).is_file(), url
        assert head(site, canonical[0]).canonical == canonical, url  # no chain: one address per text


def test_the_version_in_force_points_to_the_plain_address_and_archives_to_themselves(site):
    expected = {"aup/": "aup/", "aup/2026-11-21/": "aup/", "en/aup/2026-11-22/": "en/aup/",
                "aup/2026-11-20/": "aup/2026-11-20/", "en/aup/2026-11-21/": "en/aup/2026-11-21/",
                "en/aup/2026-11-22/changes/": "en/aup/2026-11-22/changes/", "aup/history/": "aup/history/"}
    assert {p: head(site, SITE_URL + p).canonical[0][len(SITE_URL):] for p in expected} == expected


def test_archived_titles_carry_their_localized_date_and_no_two_texts_share_a_title(site):
    assert head(site, SITE_URL + "aup/2026-11-20/").title.startswith(
        "Chính sách sử dụng (phiên bản ngày 20 tháng 11 năm 2026) - ")
    titles: dict[str, str] = {}
    for url in pages(site):
        found = head(site, url)
        date = DATED.search(url[len(SITE_URL) - 1:])
        if date:
            lang = "en" if url.startswith(SITE_URL + "en/") else "vi"
            assert long_date(dt.date.fromisoformat(date.group(1)), lang) in found.title, url
        if found.canonical == [url]:
            assert found.title not in titles, (url, titles.get(found.title))
            titles[found.title] = url


def test_every_page_has_a_description(site):
    for path in [*pages(site).values(), site / "404.html", site / "en" / "404.html",
                 site.parent / "beta/consent/index.html", site.parent / "beta/en/consent/index.html"]:
        parser = _Head()
        parser.feed(path.read_text(encoding="utf-8"))
        assert len(parser.descriptions) == 1 and parser.descriptions[0].strip(), path
    assert head(site, SITE_URL + "en/aup/2026-11-21/changes/").descriptions[0].endswith("Strong passwords.")


def test_the_sitemap_lists_each_canonical_page_with_the_date_of_its_text(site):
    entries = sitemap(site)
    canonical = {url for url in pages(site) if head(site, url).canonical == [url]}
    assert set(entries) == canonical
    for url, (lastmod, _alternates) in entries.items():
        date = DATED.search(url[len(SITE_URL) - 1:])
        if date:
            assert lastmod == date.group(1), url
    assert entries[SITE_URL + "aup/"][0] == "2026-11-21" and entries[SITE_URL + "en/aup/"][0] == "2026-11-22"
    assert entries[SITE_URL + "privacy/"][0] == "2026-11-21"


def test_hreflang_pairs_point_back_and_only_to_pages_that_are_their_own_canonical(site):
    entries = sitemap(site)
    paired = 0
    for url, (_lastmod, alternates) in entries.items():
        if not alternates:
            continue
        paired += 1
        assert set(alternates) == {"vi", "en", "x-default"} and url in alternates.values(), url
        assert alternates["x-default"] == alternates["vi"]
        for target in alternates.values():
            assert target in entries and entries[target][1] == alternates, (url, target)
    assert paired >= 10
    # A text that one language has and the other has not (or has only at its plain address): no pair.
    for path in ("en/aup/2026-11-21/", "en/aup/2026-11-22/changes/"):
        assert entries[SITE_URL + path][1] == {}


def test_pages_have_no_hreflang_link_for_materials_script_to_fetch_a_sitemap_beside(site):
    # Material fetches <href>/../sitemap.xml for every <link rel="alternate">: hreflang is in the sitemap.
    assert {url: found for url in pages(site) if (found := head(site, url).hreflang)} == {}
