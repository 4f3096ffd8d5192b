"""Every page type, opened in Chromium at its published address: no failed request, no console error."""

from __future__ import annotations

import mimetypes
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser import chromium
from conftest import translated_version_site

pytestmark = pytest.mark.browser
ORIGINS = {"https://acme.example": "acme", "https://beta.example": "beta"}  # the brands' site_url hosts
PREFIX = "/policies/"  # the path of their site_url
# One page of each type: policy (vi, en), archived, the version in force at its dated address, history,
# changes, consent, home; the feed's pages and the 404 page are added by the tests below.
PAGES = ["acme/policies/privacy/", "acme/policies/en/aup/", "acme/policies/aup/2026-11-20/",
         "acme/policies/aup/2026-11-21/", "acme/policies/en/aup/2026-11-21/", "acme/policies/aup/history/",
         "acme/policies/en/aup/2026-11-22/changes/", "beta/policies/consent/", "beta/policies/en/consent/",
         "beta/policies/", "acme/policies/en/"]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return translated_version_site(tmp_path_factory.mktemp("clean") / "repo")


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


def _serve(site: Path, route) -> None:
    """Answer a request to a brand's published address from its built site, as a static host does."""
    parts = urlsplit(route.request.url)
    brand = ORIGINS.get(f"{parts.scheme}://{parts.netloc}")
    if brand is None or not parts.path.startswith(PREFIX):
        route.abort()  # no other host: the request fails, and the test reports it
        return
    path = site / brand / parts.path[len(PREFIX):]
    if path.is_dir():
        path = path / "index.html"
    if path.is_file():
        route.fulfill(status=200, path=str(path), content_type=mimetypes.guess_type(path.name)[0] or "text/plain")
        return
    language = parts.path[len(PREFIX):].split("/")[0]
    missing = site / brand / (language if (site / brand / language / "404.html").is_file() else "") / "404.html"
    route.fulfill(status=404, path=str(missing), content_type="text/html")


def problems(browser, site: Path, url: str, search: str = "") -> list[str]:
    """What went wrong while `url` loaded (and, with `search`, while Material's search ran it)."""
    context = browser.new_context()
    context.route("**/*", lambda route: _serve(site, route))
    page = context.new_page()
    found: list[str] = []
    page.on("requestfailed", lambda request: found.append(f"failed: {request.url} ({request.failure})"))
    page.on("response", lambda response: response.status >= 400 and response.url != url and found.append(
        f"{response.status}: {response.url}"))
    page.on("console", lambda message: message.type == "error" and not _is_the_404(message, url) and found.append(
        f"console: {message.text} ({message.location.get('url')})"))
    page.on("pageerror", lambda error: found.append(f"error: {error}"))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    if search:
        page.keyboard.press("s")  # Material's search: its worker loads the index and the languages
        box = page.locator("input.md-search__input")
        box.fill(search)
        box.press("End")  # a key: Material runs the query on keyboard input
        page.wait_for_selector(".md-search-result__item")
        page.wait_for_load_state("networkidle")
    context.close()
    return found


def _is_the_404(message, url: str) -> bool:
    """Chromium's console line for the page's own 404 status (the 404 page's, which is meant)."""
    return message.text.startswith("Failed to load resource") and message.location.get("url") == url


@pytest.mark.parametrize("path", PAGES)
def test_a_page_loads_without_a_failed_request_or_a_console_error(browser, site, path):
    brand, rest = path.split("/", 1)
    assert problems(browser, site, f"https://{brand}.example/{rest}") == []


@pytest.mark.parametrize(("path", "query"), [("acme/policies/privacy/", "thu thập"),
                                             ("acme/policies/en/aup/", "passwords")])
def test_search_runs_without_a_failed_request_or_a_console_error(browser, site, path, query):
    brand, rest = path.split("/", 1)
    assert problems(browser, site, f"https://{brand}.example/{rest}", query) == []


@pytest.mark.parametrize("language", ["", "en/"])
def test_the_404_page_loads_without_a_failed_request_or_a_console_error(browser, site, language):
    assert problems(browser, site, f"https://acme.example/policies/{language}no-such-page/") == []


def test_the_feeds_pages_load_without_a_failed_request_or_a_console_error(browser, site):
    atom = "{http://www.w3.org/2005/Atom}"
    urls = [link.get("href") for feed in ("acme/feed.xml", "acme/en/feed.xml")
            for link in ET.parse(site / feed).getroot().iter(f"{atom}link") if link.get("rel") == "alternate"]
    assert len(urls) >= 6
    assert {url: found for url in urls if (found := problems(browser, site, url))} == {}


def test_the_check_sees_a_failed_request_and_a_console_error(browser, site, tmp_path):
    # The test itself: a page that loads a missing file and logs an error is caught.
    page = site / "acme" / "broken-check.html"
    page.write_text('<!doctype html><title>x</title><img src="missing.png" alt="">'
                    '<script>console.error("broken")</script>', encoding="utf-8")
    try:
        found = problems(browser, site, "https://acme.example/policies/broken-check.html")
    finally:
        page.unlink()
    assert any(f.startswith("404: https://acme.example/policies/missing.png") for f in found)
    assert any(f.startswith("console: broken") for f in found)
