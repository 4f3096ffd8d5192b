"""The reader's site in Chromium: 404 pages at any depth, and a phone (375 × 667) on the history and policy pages."""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import chromium, serve_dir

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 667}


class _Production(http.server.SimpleHTTPRequestHandler):
    """One brand's site at /policies/, as its host serves it: a missing address gets that language's 404.html."""

    def __init__(self, *args, brand: Path, **kwargs) -> None:
        self.brand = brand
        super().__init__(*args, directory=str(brand), **kwargs)

    def translate_path(self, path: str) -> str:
        inside = path.split("?", 1)[0].split("#", 1)[0]
        if not inside.startswith("/policies/"):
            return str(self.brand / "nowhere")
        return super().translate_path("/" + inside.removeprefix("/policies/"))

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != 404:
            super().send_error(code, message, explain)
            return
        english = self.path.startswith("/policies/en/")
        body = (self.brand / ("en/404.html" if english else "404.html")).read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:
        pass


@contextlib.contextmanager
def serve_as_production(brand: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Production, brand=brand))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The mini site with two versions of the AUP, built once; a browser."""
    from conftest import two_version_site

    with chromium() as browser:
        yield two_version_site(tmp_path_factory.mktemp("reader") / "repo"), browser


@pytest.mark.parametrize(("prefix", "lang", "title", "policies", "other"), [
    ("/policies/", "vi", "Không tìm thấy trang", ["Chính sách bảo mật", "Chính sách sử dụng", "Về trang chủ"], "en"),
    ("/policies/en/", "en", "Page not found", ["Privacy Policy", "Acceptable Use Policy", "Go to the home page"], "vi"),
])
def test_a_404_page_at_any_depth_leads_to_the_policies_home_and_other_language(site, prefix, lang, title, policies,
                                                                               other):
    folder, browser = site
    with serve_as_production(folder / "acme") as url:
        page = browser.new_page()
        for missing in ("nothing", "a/b/c/d/e/", "privacy/1999-01-01/changes/"):
            assert page.goto(f"{url}{prefix}{missing}").status == 404
            assert page.locator("html").get_attribute("lang") == lang
            assert page.locator("article h1").inner_text() == title
            links = page.locator("article a")
            assert links.all_inner_texts() == policies
            targets = [*links.evaluate_all("links => links.map(a => a.href)"),
                       page.locator(f".md-select__link[hreflang={other}]").evaluate("a => a.href")]
            for target in targets:  # each leads to a page of the site, from whatever depth
                assert page.request.get(target).status == 200, (missing, target)
        page.goto(targets[0])
        assert page.locator("h1").inner_text().rstrip("¶") == policies[0]
        page.goto(targets[-1])  # the other language's home page: a 404 has no counterpart
        assert page.locator("html").get_attribute("lang") == other
        assert page.url == f"{url}/policies/" + ("en/" if other == "en" else "")
        page.close()


def overflow(page) -> int:
    """How far the document is wider than the screen (0: no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_the_history_page_is_readable_on_a_phone_and_compares(site):
    folder, browser = site
    with serve_dir(folder) as url:
        page = browser.new_page(viewport=PHONE)
        scripts = []
        page.on("request", lambda request: scripts.append(request.url.rsplit("/", 1)[-1]))
        page.goto(f"{url}/acme/aup/history/", wait_until="networkidle")
        assert overflow(page) == 0
        region = page.locator(".policy-table")
        assert region.count() == 1
        assert region.get_attribute("role") == "region" and region.get_attribute("aria-label") == "Các phiên bản"
        assert region.evaluate("e => e.scrollWidth > e.clientWidth")  # the table scrolls inside it, not the page
        region.focus()  # a keyboard reaches it and scrolls it
        page.keyboard.press("ArrowRight")
        page.wait_for_function("document.querySelector('.policy-table').scrollLeft > 0")
        assert "compare.js" in scripts
        page.select_option("select[name=from]", "2026-11-20")
        page.select_option("select[name=to]", "2026-11-22")
        page.get_by_role("button", name="So sánh").click()
        page.locator(".policy-compare__result section.policy-change--changed").wait_for()
        assert overflow(page) == 0
        page.close()


@pytest.mark.parametrize("path", ["acme/aup/", "acme/en/aup/2026-11-20/", "acme/privacy/"])
def test_policy_pages_fit_a_phone_and_do_not_load_the_compare_script(site, path):
    folder, browser = site
    with serve_dir(folder) as url:
        page = browser.new_page(viewport=PHONE)
        scripts = []
        page.on("request", lambda request: scripts.append(request.url.rsplit("/", 1)[-1]))
        page.goto(f"{url}/{path}", wait_until="networkidle")
        assert "versions.js" in scripts and "compare.js" not in scripts
        assert overflow(page) == 0
        page.close()
