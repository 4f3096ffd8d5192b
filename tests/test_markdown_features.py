"""The Markdown a policy needs (issue #17): footnotes, definition lists, abbreviations, line breaks in cells, addresses.

Each is rendered by a converter made as the sites make theirs (render._page_extensions and
generator.site.markdown_ext, with clause reuse), then checked where editors' Markdown is checked, and on a
changes page.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections import Counter
from html.parser import HTMLParser

import pytest
from conftest import FIXTURES, ContentRepo

from generator.content.markdown_checks import check_chunk
from generator.content.markup import check_text, clean_html
from generator.diff.clause_text import clause_html
from generator.diff.redline import clause_redline
from generator.engines.mkdocs.mkdocs_yml import _page_extensions
from generator.i18n import gettext_for
from generator.pipeline.build import BuildOptions, build
from generator.site import markdown_reuse
from generator.site.markdown_ext import converter

SAID = {"-": "deleted:", "+": "inserted:"}


@pytest.fixture(autouse=True)
def fresh_caches(monkeypatch):
    monkeypatch.setattr(markdown_reuse, "_caches", {})


def page(body: str, lang: str = "vi", reuse: bool = True) -> str:
    """A policy body as a site renders it (the same extensions, their configuration, clause reuse)."""
    source = f'<div class="policy-body" data-numbering="articles" markdown="1">\n\n{body}\n\n</div>\n'
    return converter(lang, _page_extensions(gettext_for(lang)), reuse).convert(source)


def assert_renders(body: str, *expected: str, lang: str = "vi") -> str:
    html = page(body, lang)
    for part in expected:
        assert part in html, html
    assert html == page(body, lang, reuse=False)  # reused clauses give the same page
    return html


NOTES = "## Dữ liệu {#data}\n\nChúng tôi lưu nhật ký[^log].\n\n[^log]: Trong 30 ngày.\n\n## Khác {#other}\n\nHết."


def test_a_footnote_links_both_ways_and_collects_at_the_end_of_the_page():
    html = assert_renders(NOTES, '<sup id="fnref:log"><a class="footnote-ref" href="#fn:log">1</a></sup>',
                          '<li id="fn:log">', 'href="#fnref:log"',
                          'title="Quay về chỗ dẫn chú thích 1 trong văn bản"')
    assert html.index('<div class="footnote">') > html.index('id="other"')  # after the last clause


def test_a_footnotes_back_link_is_titled_in_the_pages_language():
    assert 'title="Back to the text of note 1"' in page(NOTES, "en")


def test_a_definition_list():
    assert_renders("## Từ ngữ {#terms}\n\nDữ liệu cá nhân\n:   Thông tin gắn với một người.",
                   "<dl>\n<dt>Dữ liệu cá nhân</dt>\n<dd>Thông tin gắn với một người.</dd>\n</dl>")


def test_an_abbreviation():
    assert_renders("## Từ ngữ {#terms}\n\nTheo GDPR.\n\n*[GDPR]: General Data Protection Regulation",
                   '<abbr title="General Data Protection Regulation">GDPR</abbr>')


def test_a_line_break_in_a_table_cell():
    html = assert_renders("## Bảng {#table}\n\n| Dữ liệu | Mục đích |\n|---|---|\n| Email<br>Điện thoại | Liên hệ |",
                          "<td>Email<br>Điện thoại</td>")
    assert "&lt;br" not in html


def test_an_address_in_a_blockquote_keeps_its_lines():
    assert_renders("## Liên hệ {#contact}\n\n> Công ty ABC  \n> 1 Đường Láng  \n> Hà Nội",
                   "<blockquote>\n<p>Công ty ABC<br>\n1 Đường Láng<br>\nHà Nội</p>\n</blockquote>")


def test_the_allowlist_keeps_what_the_features_make_and_nothing_more():
    assert clean_html('<abbr title="t" onclick="x()" style="color:red">A</abbr>') == '<abbr title="t">A</abbr>'
    assert clean_html('<sup id="fnref:1"><a class="footnote-ref" href="#fn:1" onmouseover="x()">1</a></sup>') \
        == '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>'


def test_the_trust_boundary_allows_a_bare_br_only_inside_a_table_cell():
    table = "| a | b |\n|---|---|\n| x{} y | z |"
    assert check_text(table.format("<br>")) == check_text(table.format("<br />")) == []
    for refused in ("<br onclick=x>", "<b>"):
        assert [p.message for p in check_text(table.format(refused))] == [f"raw HTML {refused!r} is not allowed"]
    outside = check_text("Một<br>hai")
    assert [(p.line, p.column) for p in outside] == [(1, 4)] and "inside a table cell" in outside[0].hint


@pytest.mark.parametrize(("text", "where", "message"), [
    ("Văn bản[^1].", (1, 8), "footnote [^1] has no note in this clause"),
    ("Văn bản.\n\n[^1]: Ghi chú.", (3, 1), "footnote [^1] is a note that nothing in this clause refers to"),
    ("- một\n  - hai\n- ba", (2, 3), "this list item is indented by 2 spaces"),
    ("1. một\n   - hai", (2, 4), "this list item is indented by 3 spaces"),
    ("Gồm:\n- một\n- hai", (2, 1), "a list right under a line of text"),
    ("Đoạn.\n\n    Thụt vào.", (3, 5), "an indented block is shown as code"),
    ("Gồm:\n| a | b |\n|---|---|\n| 1 | 2 |", (2, 1), "a table right under a line of text"),
    ("> Công ty\\\n> Hà Nội", (1, 3), "a backslash at the end of a line is shown as written"),
    ("1) một\n2) hai", (2, 1), "a list numbered `1)` is read as one paragraph"),
    ("Giá ~~cũ~~ mới.", (1, 1), "`~~text~~` is shown as written"),
])
def test_markdown_read_otherwise_than_meant_is_an_error_at_its_place(text, where, message):
    problems, _notes = check_chunk(text)
    assert [(p.line, p.column) for p in problems] == [where] and problems[0].message.startswith(message), problems


@pytest.mark.parametrize("text", [
    "Văn bản[^1].\n\n[^1]: Ghi chú.", "- một\n    - hai\n- ba", "- một\n\n    tiếp theo của một", "Gồm:\n\n- một",
    "```\n- một\n  - hai\n\n    mã\n```", "Thuật ngữ\n:   Định nghĩa.", "Gồm:\n\n| a |\n|---|\n| 1 |",
    "1) một", "Đường dẫn C:\\", "`~~x~~` là mã.", "Công ty  \nHà Nội",
])
def test_markdown_as_meant_is_fine(text):
    assert check_chunk(text)[0] == []


def test_a_redline_shows_notes_definitions_and_breaks_with_ids_that_cannot_repeat():
    old = "Nhật ký[^1].\n\n[^1]: Trong 30 ngày.\n\nEmail\n:   Liên hệ.\n\n| a | b |\n|---|---|\n| x<br>y | z |"
    new = old.replace("30 ngày", "60 ngày").replace("Liên hệ.", "Liên hệ, hỗ trợ.").replace("x<br>y", "x<br>w")
    redline = clause_redline(old, new, SAID)
    assert '<sup><a class="footnote-ref">1</a></sup>' in redline
    assert re.search(r"<li>\s*<p>Trong <del>.*30</del><ins>.*60</ins> ngày\.", redline), redline
    assert "<dl>" in redline and "<dd>" in redline and "<td>x<br>" in redline
    assert ' id="' not in redline and "footnote-backref" not in redline and "[^" not in redline
    assert "Trong 60 ngày" in clause_html(new)


def test_a_page_and_its_changes_page_show_the_features(tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(FIXTURES / "mini", root)
    repo = ContentRepo(root)
    rich = ("\n\nMật khẩu dài[^len] theo NIST.\n\n[^len]: Ít nhất 12 ký tự.\n\n*[NIST]: Viện Tiêu chuẩn\n\n"
            "Mật khẩu mạnh\n:   Khó đoán.\n\n| Dữ liệu | Mục đích |\n|---|---|\n| Email<br>Điện thoại | Liên hệ |\n\n"
            "> Công ty  \n> Hà Nội\n")
    repo.edit("content/vi/aup.md", "Khách hàng giữ bí mật mật khẩu. Xem [[prohibited]].",
              "Khách hàng giữ bí mật mật khẩu. Xem [[prohibited]]." + rich)
    repo.commit("AUP: notes, terms, a table")
    repo.edit("content/vi/aup.md", rich, rich.replace("12 ký tự", "14 ký tự").replace("Khó đoán", "Rất khó đoán")
              .replace("Điện thoại |", "Zalo |"))
    repo.edit("content/vi/aup.md", "updated: 2026-11-20", "updated: 2026-11-22")
    repo.commit("AUP: longer passwords")
    build(BuildOptions(root=root, site_dir=root / "site", jobs=1, as_of=dt.date(2026, 11, 22)))
    aup = (root / "site/acme/aup/index.html").read_text(encoding="utf-8")
    for part in ('href="#fn:len"', '<li id="fn:len">', "14 ký tự", '<abbr title="Viện Tiêu chuẩn">NIST</abbr>',
                 "<dt>Mật khẩu mạnh</dt>", "<td>Email<br>Zalo</td>", "<blockquote>\n<p>Công ty<br>"):
        assert part in aup, part
    changes = (root / "site/acme/aup/2026-11-22/changes/index.html").read_text(encoding="utf-8")
    redline = changes[changes.index('<div class="policy-changes">'):changes.index("</article>")]
    for part in ('<a class="footnote-ref">1</a>', "<del>", "<dt>Mật khẩu mạnh</dt>", "<td>Email<br>", "<abbr"):
        assert part in redline, part
    assert "[^" not in redline and "*[" not in redline
    for html in (aup, changes):
        ids = Counter(re.findall(r' id="([^"]+)"', html))
        assert not [i for i, n in ids.items() if n > 1], ids


HOSTILE_NOTES_AND_TERMS = '''Văn bản[^x"onmouseover=alert(1)] có HTML và JS.

[^x"onmouseover=alert(1)]: Ghi chú "onclick="alert(2)".

*[HTML]: "><img src=x onerror=alert(4)>
*[JS]: javascript:alert(5)" onmouseover="alert(6)

Thuật ngữ <>
:   Định nghĩa "onfocus="alert(7)
'''


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.found += [(tag, name, value) for name, value in attrs]


def test_hostile_footnote_labels_abbreviations_and_terms_stay_text():
    # Attacked as an editor would: quotes to break out of the footnote id, the abbreviation's title, the term.
    rendered = page(HOSTILE_NOTES_AND_TERMS)
    parser = _Attributes()
    parser.feed(rendered)
    assert [a for a in parser.found if a[1].startswith("on") or a[0] in ("img", "script")] == []
    assert all(not (value or "").lower().startswith("javascript:") for tag, name, value in parser.found
               if name == "href")
    assert "<abbr" in rendered and "<dt>" in rendered and "footnote" in rendered  # the features ran on it
