"""No page asks another host for anything: no fonts, scripts or images before (or without) consent."""

from __future__ import annotations

import urllib.parse

import pytest
from browser import chromium, serve_dir
from conftest import two_version_site

pytestmark = pytest.mark.browser
# One of each kind of page: policy (vi, en), an archived version, changes, history, consent, home, 404.
PAGES = ["acme/privacy/", "acme/en/privacy/", "beta/aup/", "beta/aup/2026-11-20/", "beta/en/aup/2026-11-22/changes/",
         "beta/aup/history/", "beta/en/consent/", "beta/consent/signup.html", "beta/", "acme/en/", "acme/404.html",
         "beta/en/404.html"]
# What Material loads from other hosts when it is let: Google Fonts (its default), and more.
THIRD_PARTY = ("fonts.googleapis.com", "fonts.gstatic.com", "unpkg.com", "cdn.jsdelivr.net", "api.github.com")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The mini site with two versions of a policy (so there are version, changes and history pages)."""
    return two_version_site(tmp_path_factory.mktemp("third-party") / "repo")


@pytest.fixture(scope="module")
def served(site):
    with serve_dir(site) as url, chromium() as browser:
        yield url, browser


def test_no_page_or_stylesheet_names_a_third_party_host(site):
    # Material's default font is a Google Fonts stylesheet: `font: false` in mkdocs.yml turns it off.
    # (Material's script bundle names some of these hosts, for features the sites do not use.)
    for path in site.rglob("*"):
        if path.suffix in (".html", ".css", ".xml", ".json"):
            text = path.read_text(encoding="utf-8")
            assert [host for host in THIRD_PARTY if host in text] == [], path


def _foreign(url: str, origin: str) -> bool:
    """Whether a request leaves the served origin (data: and blob: URLs are made in the page)."""
    parts = urllib.parse.urlsplit(url)
    return parts.scheme not in ("data", "blob", "about") and f"{parts.scheme}://{parts.netloc}" != origin


@pytest.mark.parametrize("path", PAGES)
def test_a_page_requests_nothing_from_another_host(served, path):
    url, browser = served
    context = browser.new_context()
    requested: list[str] = []
    page = context.new_page()
    page.on("request", lambda request: requested.append(request.url))  # the page's, and its workers'
    page.goto(f"{url}/{path}")
    page.wait_for_load_state("networkidle")
    if not path.endswith((".html", "consent/")):
        page.keyboard.press("s")  # the search box: its worker (ours, policy-search.js) loads the index
        page.keyboard.type("mat")
        page.wait_for_load_state("networkidle")
    context.close()
    assert f"{url}/{path}" in requested
    assert [u for u in requested if _foreign(u, url)] == [], "\n".join(requested)


def test_the_check_sees_a_font_request(served):
    # The test itself: a page that does load Google Fonts is caught (the request is made, and fails offline).
    url, browser = served
    page = browser.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.set_content('<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">')
    page.close()
    assert [u for u in requested if _foreign(u, url)] == [
        "https://fonts.googleapis.com/css?family=Roboto"]
