"""The history page's "compare any two versions" (compare.js) marks what the changes pages mark (issue #17)."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import unicodedata
from pathlib import Path

import pytest
from browser import chromium, serve_dir, serve_with_csp
from conftest import FIXTURES, ContentRepo, accept_check_errors
from test_redline import CORPUS, MARKDOWN, _corpus_pairs

from generator.diff.changes import redline_html
from generator.diff.clause_text import clause_html
from generator.diff.redline import diff_html, render
from generator.diff.sections import diff_sections
from generator.i18n import gettext_for, ngettext_for
from generator.pipeline.build import BuildOptions, build, prepare

pytestmark = pytest.mark.browser
SCRIPT = Path(__file__).resolve().parent.parent / "templates/theme/assets/javascripts/redline.js"
SECURITY = ("Khách hàng giữ bí mật mật khẩu. Xem [[prohibited]].\n\nDữ liệu gồm **tên** và __email__, xem "
            "[trang](https://acme.example/a).\n\n* một\n* hai\n\n| Dữ liệu | Mục đích |\n|---|---|\n"
            "| Email | Liên hệ |\n\n* * *\n\nHết.\n")
RETENTION = "\n## Lưu trữ {#retention}\n\nDữ liệu được lưu trong **hai năm**.\n"
REPORTING = "\n## Báo cáo {#reporting}\n\nBáo cáo sự cố qua [biểu mẫu](https://acme.example/bao-cao).\n"

# Each clause of a redline as a reader finds it: status, name, where, marks (ins/del, text), title and text HTML.
MARKS = """root => Array.from(root.querySelectorAll("section.policy-change")).map(section => {
  const text = node => { const copy = node.cloneNode(true);
    copy.querySelectorAll(".visually-hidden").forEach(n => n.remove()); return copy.textContent; };
  const html = selector => { const node = section.querySelector(selector); return node ? node.innerHTML : ""; };
  const where = section.querySelector(".policy-change__where");
  return {status: section.className.replace(/^policy-change /, ""),
          name: section.querySelector("h2, h3").firstChild.textContent.trim(),
          where: where ? where.textContent : "",
          marks: Array.from(section.querySelectorAll("ins, del")).map(m => [m.localName, text(m)]),
          title: html(".policy-change__title"), text: html(".policy-redline")};
})"""


def _site(root: Path) -> Path:
    """The mini fixture with three versions of the Vietnamese AUP: lists, a table, links, bold, rewritten phrases,
    a clause removed, one added, one moved (the English AUP follows its structure)."""
    shutil.copytree(FIXTURES / "mini", root)
    repo, aup, en = ContentRepo(root), "content/vi/aup.md", "content/en/aup.md"
    repo.edit(aup, "vào mục đích trái pháp luật.",
              "vào mục hoạt động kinh doanh của khách hàng.\n\n* thư rác\n* tấn công")
    repo.edit(aup, "Khách hàng giữ bí mật mật khẩu. Xem [[prohibited]].\n", SECURITY + RETENTION)
    repo.edit(en, "See [[prohibited]].\n", "See [[prohibited]].\n\n## Retention {#retention}\n\nTwo years.\n")
    repo.commit("AUP: v1")
    repo.edit(aup, "mục hoạt động kinh doanh", "mục đích sử dụng dịch vụ")
    repo.edit(aup, SECURITY, SECURITY.replace("**tên**", "**họ tên**").replace("* hai\n", "").replace("/a)", "/b)")
              .replace("Liên hệ |", "Liên hệ và hỗ trợ |"))
    repo.edit(aup, RETENTION, REPORTING)
    repo.edit(aup, "## Bảo mật {#security}", "## Bảo mật tài khoản {#security}")
    repo.edit(en, "## Retention {#retention}\n\nTwo years.", "## Reporting {#reporting}\n\nReport incidents.")
    _dated(repo, "2026-11-20", "2026-11-22")
    repo.commit("AUP: v2")
    _last_first(repo, en, "## Security")
    _last_first(repo, aup, "## Bảo mật tài khoản")
    repo.write({aup: repo.read(aup).replace("* thư rác\n", "* thư rác hàng loạt\n* lừa đảo\n")
                .replace("| Email | Liên hệ và hỗ trợ |", "| Email | Liên hệ và hỗ trợ |\n| Điện thoại | Xác minh |")
                .replace("dịch vụ của khách hàng", "nền tảng của doanh nghiệp")})
    _dated(repo, "2026-11-22", "2026-11-24")
    repo.commit("AUP: v3")
    accept_check_errors(root, "a link to acme.example in the shared text, for the redline")
    build(BuildOptions(root=root, site_dir=root / "site", jobs=1, as_of=dt.date(2026, 11, 24)))
    return root


def _dated(repo: ContentRepo, before: str, after: str) -> None:
    for lang in ("vi", "en"):
        repo.edit(f"content/{lang}/aup.md", f"updated: {before}", f"updated: {after}")


def _last_first(repo: ContentRepo, path: str, heading: str) -> None:
    """Move the last clause (termination) before `heading`."""
    text = repo.read(path)
    last = text[text.rindex("\n## ") + 1:]
    repo.write({path: text.replace(last, "").replace(heading, last.rstrip("\n") + "\n\n" + heading)})


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The three-version site, served, with a browser."""
    root = _site(tmp_path_factory.mktemp("compare") / "repo")
    with serve_dir(root / "site") as url, chromium() as browser:
        yield root, url, browser


def compared(browser, url: str, older: str, newer: str) -> tuple[list[dict], str]:
    """The history page's comparison of two versions: its clauses, and its text as a reader reads it."""
    page = browser.new_page()
    page.goto(f"{url}/acme/aup/history/")
    page.select_option("select[name=from]", older)
    page.select_option("select[name=to]", newer)
    page.get_by_role("button", name="So sánh").click()
    page.locator(".policy-compare__result section.policy-change").first.wait_for()
    result = page.locator(".policy-compare__result")
    found = result.evaluate(MARKS), result.inner_text()
    page.close()
    return found


def shown(browser, html: str) -> list[dict]:
    """The clauses of a changes redline (page HTML or `redline_html`) as a browser shows them."""
    page = browser.new_page()
    page.set_content(html)
    found = page.locator("body").evaluate(MARKS)
    page.close()
    return found


def test_compare_view_marks_what_the_changes_page_marks(site):
    root, url, browser = site
    page = (root / "site/acme/aup/2026-11-22/changes/index.html").read_text(encoding="utf-8")
    expected = shown(browser, page[page.index('<div class="policy-changes">'):page.index("</article>")])
    found, text = compared(browser, url, "2026-11-20", "2026-11-22")
    assert [c["status"] for c in expected] == ["policy-change--changed", "policy-change--changed",
                                               "policy-change--removed", "policy-change--added"]
    assert found == expected
    marks = [m for c in found for m in c["marks"]]
    assert ["del", "hoạt động kinh doanh"] in marks and ["ins", "đích sử dụng dịch vụ"] in marks  # phrases
    assert ["del", "https://acme.example/a"] in marks and ["del", "hai"] in marks
    assert not MARKDOWN.search(text) and "[[" not in text and "|" not in text


def test_compare_view_of_versions_apart_is_what_python_makes_of_them(site):
    root, url, browser = site
    ready = prepare(BuildOptions(root=root, site_dir=root / "site", as_of=dt.date(2026, 11, 24)))
    first, _, third = ready.lines[("acme", "aup", "vi")].versions
    html = redline_html(gettext_for("vi"), ngettext_for("vi"), "vi", diff_sections(first.sections, third.sections),
                        first, third)
    expected = shown(browser, str(html))
    found, text = compared(browser, url, "2026-11-24", "2026-11-20")  # in either order: older to newer
    assert "policy-change--moved" in [c["status"] for c in expected] and any(c["where"] for c in expected)
    assert found == expected
    assert not MARKDOWN.search(text)


def test_compare_view_works_under_a_strict_content_security_policy(site):
    root, _url, browser = site
    csp = "default-src 'self'; script-src 'self'; style-src 'self'; base-uri 'none'"
    with serve_with_csp(root / "site", csp, lambda _path: None) as (url, _posted):
        page = browser.new_page()
        page.add_init_script("window.refused = []; document.addEventListener('securitypolicyviolation', "
                             "e => window.refused.push(e.sourceFile + ' ' + e.violatedDirective));")
        page.goto(f"{url}/acme/aup/history/")
        page.get_by_role("button", name="So sánh").click()
        page.locator(".policy-compare__result section.policy-change ins").first.wait_for()
        refused = page.evaluate("window.refused")
        page.close()
    assert not [r for r in refused if "compare.js" in r or "redline.js" in r], refused


def test_compare_view_tokenizes_words_as_python_does(site):
    """redline.js's word pattern and Python's \\w+|\\s+|[^\\w\\s] agree on every character both know (Vietnamese,
    punctuation, all spaces), after NFC in both."""
    _, url, browser = site
    pattern = re.search(r"var WORD = (/.*/gu);", SCRIPT.read_text(encoding="utf-8"))
    assert pattern
    known = "".join(chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) not in ("Cn", "Cs"))
    sample = "Điều 3. Khách hàng — “bí mật”, mật khẩu (mạnh)!\u00a0\u2003x_y\u200b\ufeff\x1c\x85 " + known
    page = browser.new_page()
    page.goto(f"{url}/acme/aup/history/")
    words = page.evaluate(f"text => text.normalize('NFC').match({pattern.group(1)})", sample)
    page.close()
    assert words == re.findall(r"\w+|\s+|[^\w\s]", unicodedata.normalize("NFC", sample))


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside the project")
def test_compare_view_redlines_the_corpus_as_python_does(site):
    """Every changed corpus section, given to compare.js as two versions' sections.json: the same HTML as redline.py."""
    _, url, browser = site
    pairs = [(clause_html(old), clause_html(new)) for _name, old, new in _corpus_pairs()]
    said = {"-": "đã xóa:", "+": "đã thêm:"}
    versions = {side: json.dumps({"version": side, "numbering": "sections", "labels": {}, "sections": [
        {"id": f"c{i}", "name": f"c{i}", "title": "", "digest": side, "html": pair[side == "new"]}
        for i, pair in enumerate(pairs)]}) for side in ("old", "new")}
    page = browser.new_page()
    page.route("**/2026-11-20/sections.json", lambda route: route.fulfill(body=versions["old"]))
    page.route("**/2026-11-24/sections.json", lambda route: route.fulfill(body=versions["new"]))
    page.goto(f"{url}/acme/aup/history/")
    labels = "document.querySelector('form.policy-compare').getAttribute('data-label-deleted')"
    assert page.evaluate(labels) == said["-"]
    page.select_option("select[name=from]", "2026-11-20")
    page.select_option("select[name=to]", "2026-11-24")
    page.get_by_role("button", name="So sánh").click()
    page.locator(".policy-compare__result section.policy-change").first.wait_for(timeout=60000)
    found = page.locator(".policy-redline").evaluate_all("nodes => nodes.map(n => n.innerHTML)")
    expected = page.evaluate("htmls => htmls.map(h => { const t = document.createElement('template'); "
                             "t.innerHTML = h; const d = document.createElement('div'); d.append(t.content); "
                             "return d.innerHTML; })", [render(diff_html(old, new), said) for old, new in pairs])
    page.close()
    assert len(found) == len(pairs) > 20
    for index, (got, want) in enumerate(zip(found, expected, strict=True)):
        assert got == want, _corpus_pairs()[index][0]
