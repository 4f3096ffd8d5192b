"""The consent banner in Chromium, on a sample page under a strict Content-Security-Policy."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import shutil
from pathlib import Path

import pytest
from browser import chromium, serve_with_csp
from conftest import FIXTURES, ContentRepo

from generator.pipeline.build import BuildOptions, build, subresource_integrity

pytestmark = pytest.mark.browser
CSP = "default-src 'self'; script-src 'self'; style-src 'self'; base-uri 'none'"
AXE = Path(__file__).resolve().parent.parent / "node_modules/axe-core/axe.min.js"


def sample(site: Path, lang: str) -> str:
    """A brand web page that embeds the banner as docs/banner.md says."""
    css = subresource_integrity((site / "beta/banner/banner.css").read_bytes())
    js = subresource_integrity((site / "beta/assets/javascripts/policy-banner.js").read_bytes())
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>Beta</title>'
            f'<link rel="stylesheet" href="/beta/banner/banner.css" integrity="{css}" crossorigin="anonymous">'
            f'<script src="/beta/assets/javascripts/policy-banner.js" data-config="/beta/banner/banner.json" '
            f'integrity="{js}" crossorigin="anonymous" defer></script></head>'
            '<body><main><h1>Beta</h1><p><a href="/beta/">Policies</a></p></main><footer>'
            '<button type="button" id="reopen" data-policy-consent-open>Cookies</button></footer></body></html>')


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("banner") / "repo"
    shutil.copytree(FIXTURES / "mini", root)
    repo = ContentRepo(root)
    repo.commit("Fixture")
    for lang in ("vi", "en"):  # a second, material version of the policy the banner records
        repo.edit(f"content/{lang}/aup.md", "updated: 2026-11-20", "updated: 2026-11-22\nmaterial: true")
    repo.commit("AUP: material change")
    build(BuildOptions(root=root, site_dir=root / "site", jobs=1, as_of=dt.date(2026, 11, 22)))
    site = root / "site"

    def page(path: str) -> str | None:
        return sample(site, path.split("/")[2]) if path.startswith("/sample/") else None

    with serve_with_csp(site, CSP, page) as (url, _posted), chromium() as browser:
        yield url, browser, site


def visit(server, lang: str = "vi", context=None):
    url, browser, _site = server
    context = context or browser.new_context()
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"{url}/sample/{lang}")
    page.evaluate("() => PolicyConsent.ready")
    return context, page, problems


def config(server) -> dict:
    return json.loads((server[2] / "beta/banner/banner.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("lang", "title"), [("vi", "Cookie trên trang web của Beta"),
                                             ("en", "Cookies on the Beta website"),
                                             ("fr", "Cookie trên trang web của Beta")])
def test_first_visit_shows_the_banner_in_the_page_language(server, lang, title):
    context, page, problems = visit(server, lang)
    banner = page.locator("section.policy-banner[role=region]")
    assert banner.locator("h2").inner_text() == title
    assert banner.get_attribute("aria-labelledby") == "policy-banner-title"
    boxes = banner.locator("input[type=checkbox]")
    assert [boxes.nth(i).is_checked() for i in range(boxes.count())] == [True, False, False]
    assert boxes.nth(0).is_disabled()
    assert page.evaluate("PolicyConsent.get()") is None
    assert problems == []
    context.close()


def test_accept_and_reject_are_equal_and_the_choice_is_kept_with_version_and_hash(server):
    context, page, _ = visit(server, "en")
    reject, accept = page.get_by_role("button", name="Reject all"), page.get_by_role("button", name="Accept all")
    assert reject.evaluate("e => getComputedStyle(e).cssText || [getComputedStyle(e).backgroundColor, "
                           "getComputedStyle(e).fontSize, e.offsetHeight].join()") == accept.evaluate(
        "e => getComputedStyle(e).cssText || [getComputedStyle(e).backgroundColor, getComputedStyle(e).fontSize, "
        "e.offsetHeight].join()")
    page.evaluate("() => { window.events = []; document.addEventListener('policyconsent:change', "
                  "e => window.events.push(e.detail)); }")
    accept.click()
    choice = page.evaluate("PolicyConsent.get()")
    english = config(server)["languages"]["en"]
    assert choice["purposes"] == {"necessary": True, "statistics": True, "marketing": True}
    assert (choice["version"], choice["sha256"], choice["lang"]) == ("2026-11-22", english["sha256"], "en")
    assert page.evaluate("window.events.length") == 1
    assert page.locator("section.policy-banner").count() == 0
    page.reload()
    page.evaluate("() => PolicyConsent.ready")
    assert page.locator("section.policy-banner").count() == 0  # remembered
    context.close()


def test_per_purpose_choice_and_reject(server):
    context, page, _ = visit(server, "vi")
    page.check("#policy-banner-statistics")
    page.get_by_role("button", name="Lưu lựa chọn").click()
    assert page.evaluate("PolicyConsent.get().purposes") == {"necessary": True, "statistics": True,
                                                            "marketing": False}
    page.click("#reopen")
    assert page.is_checked("#policy-banner-statistics")  # the banner shows the current choice
    page.get_by_role("button", name="Từ chối tất cả").click()
    assert page.evaluate("PolicyConsent.get().purposes") == {"necessary": True, "statistics": False,
                                                            "marketing": False}
    context.close()


def test_a_material_change_asks_again(server):
    browser = server[1]
    context = browser.new_context()
    older = {"brand": "beta", "policy": "aup", "version": "2026-11-20", "sha256": "x", "lang": "vi",
             "purposes": {"necessary": True, "statistics": True, "marketing": True}, "date": "2026-11-20T00:00:00Z"}
    assert "2026-11-20" in config(server)["reask"]
    context.add_init_script(f"localStorage.setItem('policy-consent:beta', JSON.stringify({json.dumps(older)}))")
    context, page, _ = visit(server, "vi", context)
    assert page.locator("section.policy-banner").count() == 1
    assert page.evaluate("PolicyConsent.get()") is None
    context.close()


def test_keyboard_only(server):
    context, page, _ = visit(server, "en")
    assert page.evaluate("document.activeElement.className") == "policy-banner"
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Reject all":
            break
    page.keyboard.press("Enter")
    assert page.evaluate("PolicyConsent.get().purposes.statistics") is False
    page.focus("#reopen")
    page.keyboard.press("Enter")
    assert page.locator("section.policy-banner").count() == 1
    context.close()


def test_no_serious_accessibility_violation_and_small(server, capsys):
    # axe-core is injected as an inline script: this one context ignores the page's CSP.
    context, page, _ = visit(server, "vi", server[1].new_context(bypass_csp=True))
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async () => (await axe.run()).violations.map(v => [v.id, v.impact])")
    assert [v for v in violations if v[1] in ("serious", "critical")] == []
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.locator("section.policy-banner").bounding_box()["width"] <= 390
    context.close()
    site = server[2]
    size = sum(len(gzip.compress((site / p).read_bytes())) for p in
               ("beta/assets/javascripts/policy-banner.js", "beta/banner/banner.css", "beta/banner/banner.json"))
    with capsys.disabled():
        print(f"\nbanner script + stylesheet + configuration: {size} bytes gzipped")
    assert size < 10_000
