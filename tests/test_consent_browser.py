"""Consent snippets in Chromium, on a sample signup page under a strict Content-Security-Policy."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from browser import chromium, serve_with_csp
from conftest import FIXTURES, ContentRepo

from generator.pipeline.build import BuildOptions, build, subresource_integrity

pytestmark = pytest.mark.browser
CSP = "default-src 'self'; script-src 'self'; style-src 'self'; form-action 'self'; base-uri 'none'"
HOSTILE = "<img src=x onerror=window.pwned=1> \"Q\""


def signup_page(site: Path, lang: str, component: bool) -> str:
    """A form embedding the fragment (server side) or the web component (with SRI)."""
    prefix = "" if lang == "vi" else "en/"
    if component:
        script = site / "beta" / prefix / "assets/javascripts/policy-consent.js"
        body = (f'<policy-consent brand="beta" form="signup" lang="{lang}" src="/beta/{prefix}consent/manifest.json">'
                f'</policy-consent><script src="/beta/{prefix}assets/javascripts/policy-consent.js" '
                f'integrity="{subresource_integrity(script.read_bytes())}" crossorigin="anonymous"></script>')
    else:
        body = (site / "beta" / prefix / "consent/signup.html").read_text(encoding="utf-8")
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>Signup</title></head><body>'
            f'<form method="post" action="/submit"><label for="email">Email</label>'
            f'<input id="email" name="email" value="a@b.example">{body}<button id="send">Send</button></form>'
            f"</body></html>")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("consent") / "repo"
    shutil.copytree(FIXTURES / "mini", root)
    # Brand facts with markup are refused by site.yml's schema; the wording is escaped where it is shown.
    for lang in ("vi", "en"):
        wording = root / "content" / lang / "consent.yml"
        text = wording.read_text(encoding="utf-8").replace("{{ brand.name }}.", f"{{{{ brand.name }}}} {HOSTILE}.", 1)
        wording.write_text(text.replace("label: ", "label: >-\n      ", 1), encoding="utf-8")
    ContentRepo(root).commit("Fixture with hostile consent wording")
    build(BuildOptions(root=root, site_dir=root / "site", jobs=1, as_of=dt.date(2026, 11, 22)))
    site = root / "site"

    def page(path: str) -> str | None:
        parts = path.strip("/").split("/")
        return signup_page(site, parts[1], component=parts[2] == "component") if parts[0] == "signup" else None

    with serve_with_csp(site, CSP, page) as (url, posted), chromium() as browser:
        yield url, browser, posted


def open_signup(server, lang: str, kind: str):
    url, browser, posted = server
    page = browser.new_page()
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.goto(f"{url}/signup/{lang}/{kind}")
    page.wait_for_selector("fieldset.policy-consent")
    return page, violations, posted


@pytest.mark.parametrize("kind", ["fragment", "component"])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_unticked_labelled_keyboard_operable_and_posts_the_versions(server, lang, kind):
    page, violations, posted = open_signup(server, lang, kind)
    aup, news = page.locator("input[name='consent.aup']"), page.locator("input[name='consent.news']")
    assert not aup.is_checked() and not news.is_checked()
    legend = {"vi": "Sự đồng ý của bạn", "en": "Your consent"}[lang]
    assert page.locator("fieldset.policy-consent legend").inner_text() == legend
    # The label names the brand as text: the hostile name is shown, never run.
    label = page.locator(f"label[for='{aup.get_attribute('id')}']")
    assert "<img src=x onerror=window.pwned=1>" in label.inner_text()
    assert page.evaluate("window.pwned") is None
    # Sending without the required consent is refused by the browser itself.
    before = len(posted)
    page.click("#send")
    page.wait_for_timeout(300)
    assert len(posted) == before and "/signup/" in page.url
    assert aup.evaluate("e => e.validity.valueMissing") is True
    # Keyboard only: tab from the email field to the first checkbox, tick it with the space bar.
    page.focus("#email")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "consent.aup"
    page.keyboard.press("Space")
    assert aup.is_checked()
    news.evaluate("e => e.closest('div').querySelector('label').click()")  # the label toggles its box
    assert news.is_checked()
    with page.expect_navigation():
        page.click("#send")
    record = posted[-1]
    assert record["consent.aup"] == ["yes"] and record["consent.news"] == ["yes"]
    assert record["policy.aup.version"] == ["2026-11-20"] and len(record["policy.aup.sha256"][0]) == 64
    assert record["consent.locale"] == [lang] and record["consent.form"] == ["signup"]
    assert record["consent.aup.basis"] == ["acknowledgement"] and record["consent.news.basis"] == ["consent"]
    assert violations == []
    page.close()


def test_fragment_and_component_post_the_same_facts(server):
    records = []
    for kind in ("fragment", "component"):
        page, _violations, posted = open_signup(server, "en", kind)
        page.check("input[name='consent.aup']")
        with page.expect_navigation():
            page.click("#send")
        records.append(posted[-1])
        page.close()
    assert records[0] == records[1]
