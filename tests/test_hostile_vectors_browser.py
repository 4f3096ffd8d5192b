"""Every hostile vector that is allowed to build (because it is only text) stays text, in Chromium and in the files.

The refused vectors are in tests/bad_inputs/ (each with its message); these are the ones the rules
let through: entity-encoded markup, code spans, escaped brackets, quotes inside link targets and
titles, schemes in the path of an https link, and markup in the texts that are not Markdown
(consent and banner wording), which must come out escaped wherever they are shown.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser import chromium, serve_dir
from conftest import FIXTURES, ContentRepo, accept_check_errors
from markupsafe import escape

from generator.pipeline.build import BuildOptions, build

pytestmark = pytest.mark.browser

# Markdown that passes `policygen check` and must show as text (or as a harmless https/mailto link).
TEXT_VECTORS = [
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;img src=x onerror=alert(2)&#62;",
    "`<img src=x onerror=alert(3)>`",
    "javascript:alert(5)",
    "onerror=alert(6) onmouseover=alert(7)",
    '[a](https://example.com/"onmouseover="alert(8))',
    '[b](https://example.com/ "t\\" onfocus=\\"alert(9)")',
    "[c](https://example.com/javascript:alert(10))",
    "[d](javascript%3Aalert(11))",
    "[e](mailto:help@example.com?subject=%3Cscript%3Ealert(12))",
    "<https://example.com/?q=%22onmouseover=alert(13)>",
    "giá < 5 triệu & phí > 0 {{ '{{' }} x }}",
    "*<*script*>*alert(15)",
]
# Consent and banner wording is text, not Markdown: markup there must be escaped, never refused silently.
WORDING = '"><svg onload=alert(16)>\n```\n<img src=x onerror=alert(17)>'
SHOWN = " ".join(WORDING.split())
OLD_HTML = ('<img src=x onerror=alert(19)> <a href="javascript:alert(20)">x</a> '
            '<a href="jav&#x09;ascript:alert(21)">y</a>\n\n<div onmouseover="alert(22)" style="position:fixed;inset:0">'
            'z</div>\n\n<script>alert(23)</script>\n\n'
            '<img src="https://evil.example/a.png"> <img src="/\\evil.example/b.png">'
            '\n\n<form action="https://evil.example/"><input type="password" name="pw"><button>OK</button></form>')
PAGES = ["beta/aup/2026-11-21/", "beta/aup/", "beta/aup/2026-11-22/", "beta/aup/2026-11-22/changes/",
         "beta/aup/history/", "beta/consent/", "beta/en/aup/", "beta/en/consent/", "beta/",
         "beta/notices/aup-2026-11-22.html"]
SCAN = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const value = attr.value.replace(/[\\u0000-\\u0020]/g, '').toLowerCase();
      if (attr.name.startsWith('on')) bad.push(el.tagName + ' ' + attr.name);
      if (['href', 'src', 'action', 'formaction', 'xlink:href', 'data'].includes(attr.name)
          && /^(javascript|vbscript|data):/.test(value)) bad.push(el.tagName + ' ' + attr.name + '=' + value);
    }
  }
  for (const s of document.scripts)
    if (/alert\\(/.test(s.textContent)) bad.push('script: ' + s.textContent.slice(0, 60));
  return bad;
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("vectors") / "repo"
    shutil.copytree(FIXTURES / "mini", root)
    repo = ContentRepo(root)
    repo.edit("site.yml", "    name: Beta\n", "    name: 'Beta & co'\n")
    repo.commit("Fixture")
    # A version from before the rules: raw HTML in history is never checked again, so the pages' allowlist must hold.
    for lang in ("vi", "en"):
        repo.edit(f"content/{lang}/aup.md", "[[security]]", f"[[security]]\n\n{OLD_HTML}\n")
        repo.edit(f"content/{lang}/aup.md", "updated: 2026-11-20", "updated: 2026-11-21")
    repo.commit("A version with raw HTML")
    for lang in ("vi", "en"):
        repo.edit(f"content/{lang}/aup.md", f"\n\n{OLD_HTML}\n", "")
        repo.edit(f"content/{lang}/aup.md", "updated: 2026-11-21", "updated: 2026-11-20")
    body = "\n\n".join(TEXT_VECTORS)
    for lang in ("vi", "en"):
        repo.edit(f"content/{lang}/aup.md", "[[security]]", f"[[security]]\n\n{body}\n")
        repo.edit(f"content/{lang}/aup.md", "updated: 2026-11-20",
                  "updated: 2026-11-22\nmaterial: true\nsummary: 'onerror=alert(18) &lt;b&gt; \"q\" {{ x }}'")
        for name, key in (("consent", "legend"), ("banner", "reopen")):
            text = repo.read(f"content/{lang}/{name}.yml")
            line = next(line for line in text.splitlines() if line.startswith(f"{key}:"))
            repo.edit(f"content/{lang}/{name}.yml", line, f"{key}: {json.dumps(WORDING)}")
    repo.commit("Hostile text")
    accept_check_errors(root, "hostile text on purpose")  # the check refuses it; the pages must hold it anyway
    # Not strict: two vectors are relative links to nothing, which strict mode refuses (for that reason only).
    build(BuildOptions(root=root, site_dir=root / "site", jobs=1, strict=False, as_of=dt.date(2026, 11, 22)))
    return root / "site"


@pytest.fixture(scope="module")
def served(site):
    with serve_dir(site) as url, chromium() as browser:
        yield url, browser


class _Attributes(HTMLParser):
    """Every event-handler attribute and script URL in an HTML file."""

    def __init__(self) -> None:
        super().__init__()
        self.bad: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            target = "".join((value or "").split()).lower()
            if name.startswith("on") or target.startswith(("javascript:", "vbscript:", "data:text")):
                self.bad.append(f"<{tag} {name}={value!r}>")


def test_no_file_of_the_site_has_a_handler_or_a_script_url(site: Path):
    files = [p for p in site.rglob("*") if p.suffix in (".html", ".xml", ".svg")]
    assert len(files) > 20
    for path in files:
        parser = _Attributes()
        parser.feed(path.read_text(encoding="utf-8"))
        assert parser.bad == [], (path, parser.bad)


@pytest.mark.parametrize("path", PAGES)
def test_nothing_runs_on_load_focus_hover_or_click(served, path):
    url, browser = served
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    assert page.goto(f"{url}/{path}").ok
    assert page.evaluate(SCAN) == []
    # What a reader does: tab through the focusable elements; then every element is hovered and focused.
    for _ in range(60):
        page.keyboard.press("Tab")
    page.evaluate("""() => { for (const el of document.querySelectorAll('body *'))
        for (const type of ['mouseover', 'mouseenter', 'focus', 'animationstart', 'toggle'])
            el.dispatchEvent(new Event(type)); }""")
    page.wait_for_timeout(100)
    assert dialogs == []
    page.close()


def test_the_history_pages_comparison_shows_the_vectors_as_text(served):
    """compare.js inserts clause HTML re-serialized from its tokens: the raw HTML of an old version stays cleaned."""
    url, browser = served
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{url}/beta/en/aup/history/")
    page.select_option("select[name=from]", "2026-11-21")
    page.select_option("select[name=to]", "2026-11-22")
    page.get_by_role("button", name="Compare").click()
    page.locator(".policy-compare__result section.policy-change").first.wait_for()
    assert page.evaluate(SCAN) == []
    assert page.locator(".policy-compare__result :is(script, img, form, input, svg)").count() == 0
    text = page.inner_text(".policy-compare__result")
    for shown in ("<script>alert(1)</script>", "<img src=x onerror=alert(3)>", "giá < 5 triệu & phí > 0 {{ x }}"):
        assert shown in text
    page.evaluate("""() => { for (const el of document.querySelectorAll('.policy-compare__result *'))
        for (const type of ['mouseover', 'focus']) el.dispatchEvent(new Event(type)); }""")
    page.wait_for_timeout(100)
    assert dialogs == []
    page.close()


def test_raw_html_from_history_is_cleaned_not_dropped(served):
    url, browser = served
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{url}/beta/en/aup/2026-11-21/")
    assert page.locator("article a", has_text="x").count() == 1 and "z" in page.inner_text("article")
    # No script, no image (it could load from another host), no form (it could ask for a password).
    assert page.locator(".policy-body :is(script, img, form, input)").count() == 0  # (the version bar has a form)
    assert [r for r in requests if not r.startswith(url)] == []
    assert not [r for r in requests if "evil.example" in r]
    page.close()


def test_the_vectors_are_shown_as_text(served):
    url, browser = served
    page = browser.new_page()
    page.goto(f"{url}/beta/en/aup/")
    text = page.inner_text("article")
    for shown in ("<script>alert(1)</script>", "<img src=x onerror=alert(3)>", "javascript:alert(5)",
                  "onerror=alert(6) onmouseover=alert(7)", "giá < 5 triệu & phí > 0 {{ x }}"):
        assert shown in text
    hrefs = page.eval_on_selector_all("article a[href]", "els => els.map(e => e.getAttribute('href'))")
    schemes = {h.split(":")[0].lower() for h in hrefs if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", h)}
    assert schemes <= {"https", "mailto"} and "https" in schemes, hrefs
    page.goto(f"{url}/beta/en/aup/2026-11-22/changes/")  # the summary is shown by the theme's chrome, as text
    assert page.inner_text(".admonition.abstract p:not(.admonition-title)") == 'onerror=alert(18) &lt;b&gt; "q" {{ x }}'
    page.goto(f"{url}/beta/en/consent/")
    # The wording is escaped in the live snippet and in the code to copy; the ``` in it does not end the code block.
    assert SHOWN in " ".join(page.inner_text("fieldset legend").split())
    codes = [" ".join(c.split()) for c in page.locator("pre code").all_inner_texts()]
    source = " ".join(str(escape(WORDING)).split())  # the code to copy is HTML: the wording in it is escaped
    assert sum(source in c and c.endswith(("</fieldset>", "</button>")) for c in codes) == 2, codes  # form, banner
    assert page.locator("article svg").count() == 0 and page.locator("article img[src=x]").count() == 0
    assert " ".join(page.inner_text("footer .policy-banner-reopen").split()) == SHOWN
    page.close()
