"""The rendered redline (generator/diff/redline.py): structure kept, changes marked inside, nothing lost (#17)."""

from __future__ import annotations

import datetime as dt
import html.parser
import itertools
import re
import shutil
import unicodedata
from pathlib import Path

import pytest
from conftest import FIXTURES, ContentRepo, accept_check_errors

from generator.diff.clause_text import VOID, WORD_RE, Token, clause_html, escape, tokenize
from generator.diff.redline import clause_redline
from generator.pipeline.build import BuildOptions, build

SAID = {"-": "deleted:", "+": "inserted:"}
CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


class _Text(html.parser.HTMLParser):
    """The text of a redline as one side reads it: without the other side's marks and the hidden labels."""

    def __init__(self, drop: str) -> None:
        super().__init__()
        self.drop, self.skipping, self.parts = drop, 0, []

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if self.skipping or tag == self.drop or "visually-hidden" in classes or "policy-href" in classes:
            self.skipping += tag not in ("br", "hr")

    def handle_endtag(self, tag):
        if self.skipping and tag not in ("br", "hr"):
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def text_of(html: str, drop: str = "") -> str:
    """The text, without whitespace: where HTML puts a space between blocks is not the redline's to keep."""
    parser = _Text(drop)
    parser.feed(html)
    return "".join("".join(parser.parts).split())


def reconstructs(old: str, new: str) -> None:
    """Unchanged + deleted parts give the old text; unchanged + inserted ones the new text."""
    redline = clause_redline(old, new, SAID)
    assert text_of(redline, drop="ins") == text_of(clause_html(old)), redline
    assert text_of(redline, drop="del") == text_of(clause_html(new)), redline


def test_a_removed_list_item_stays_an_item_of_its_own():
    redline = clause_redline("- một\n- hai\n- ba\n", "- một\n- ba\n", SAID)
    assert '<li class="policy-removed"><del><span class="visually-hidden">deleted: </span>hai</del></li>' in redline
    assert redline.count("<li") == 3


def test_a_changed_table_cell_is_marked_inside_its_cell():
    table = "| Dữ liệu | Mục đích |\n|---|---|\n| Email | {} |\n"
    redline = clause_redline(table.format("Liên hệ"), table.format("Liên hệ và hỗ trợ"), SAID)
    assert re.search(r"<td>Liên hệ ?<ins>.*?và hỗ trợ</ins></td>", redline), redline
    assert "|" not in text_of(redline)


def test_a_changed_link_target_is_shown():
    redline = clause_redline("Xem [trang](https://a.example/).", "Xem [trang](https://b.example/).", SAID)
    assert '<a href="https://b.example/">trang</a>' in redline
    assert re.search(r'<del class="policy-href">.*https://a\.example/</del>', redline)
    assert re.search(r'<ins class="policy-href">.*https://b\.example/</ins>', redline)


def test_a_rewritten_vietnamese_phrase_reads_as_one_deletion_and_one_insertion():
    redline = clause_redline("vào mục hoạt động kinh doanh của khách hàng",
                             "vào mục đích sử dụng dịch vụ của khách hàng", SAID)
    assert redline.count("<del>") == 1 and redline.count("<ins>") == 1, redline
    assert "hoạt động kinh doanh</del>" in redline and "đích sử dụng dịch vụ</ins>" in redline


def test_emphasis_and_lists_render_as_html_not_markdown():
    redline = clause_redline("Gồm **tên** và __email__:\n\n* một\n* hai", "Gồm **họ tên** và __email__:\n\n* một", SAID)
    assert "<strong>" in redline and "**" not in redline and "__" not in redline and "* " not in redline


@pytest.mark.parametrize(("old", "new"), [
    ("A **b** c.", "A b **c**."), ("Một.\n\nHai.", "Một. Hai."), ("Một. Hai.", "Một.\n\nHai."),
    ("- a\n- b", "1. a\n2. b"), ("| a | b |\n|---|---|\n| 1 | 2 |", "| a | b |\n|---|---|\n| 1 | 3 |\n| 4 | 5 |"),
    ("Đoạn văn.", ""), ("", "- mới\n- mới nữa"), ("x <y> & z", "x & <y> z"),
])
def test_nothing_is_lost_either_way(old, new):
    reconstructs(old, new)


def _corpus_sections(path: Path) -> dict[str, str]:
    """A corpus document's sections, by heading (the text under each `#` heading)."""
    found: dict[str, str] = {}
    heading = ""
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.startswith("#"):
            heading = line
            found.setdefault(heading, "")
        else:
            found[heading] = found.get(heading, "") + line + "\n"
    return found


def _corpus_pairs() -> list[tuple[str, str, str]]:
    """Every changed section between consecutive versions of the corpus documents (Vietnamese and English)."""
    pairs = []
    for folder, pattern in (("mozilla/websites_privacy_notice", "*/vi.md"),
                            ("mozilla/subscription_services_tos", "*/vi.md"),
                            ("opentermsarchive/bumble-privacy-policy", "*.md")):
        for before, after in itertools.pairwise(sorted((CORPUS / folder).glob(pattern))):
            old, new = _corpus_sections(before), _corpus_sections(after)
            pairs += [(f"{after.relative_to(CORPUS)} {h[:40]}", old[h], new[h])
                      for h in new if h in old and old[h] != new[h]]
    return pairs


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside the project")
def test_the_corpus_redlines_lose_nothing():
    pairs = _corpus_pairs()
    assert len(pairs) > 20  # the corpus has this many changed sections: the test ran on them
    for name, old, new in pairs:
        redline = clause_redline(old, new, SAID)
        assert text_of(redline, drop="ins") == text_of(clause_html(old)), name
        assert text_of(redline, drop="del") == text_of(clause_html(new)), name


MARKDOWN = re.compile(r"\]\(|__|\{:|\* \* \*|^\s*[*-] ", re.MULTILINE)


def test_no_changes_page_shows_markdown_syntax(tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(FIXTURES / "mini", root)
    repo = ContentRepo(root)
    rich = ("\n\nDữ liệu gồm **tên** và __email__, xem [trang](https://acme.example/a).\n\n* một\n* hai\n\n"
            "| Dữ liệu | Mục đích |\n|---|---|\n| Email | Liên hệ |\n\n* * *\n\nHết.\n")
    repo.edit("content/vi/aup.md", "Khách hàng giữ bí mật mật khẩu. Xem [[prohibited]].",
              "Khách hàng giữ bí mật mật khẩu. Xem [[prohibited]]." + rich)
    repo.commit("AUP: a clause with Markdown")
    repo.edit("content/vi/aup.md", rich, rich.replace("**tên**", "**họ tên**").replace("* hai\n", "")
              .replace("/a)", "/b)").replace("Liên hệ |", "Liên hệ và hỗ trợ |"))
    repo.edit("content/vi/aup.md", "updated: 2026-11-20", "updated: 2026-11-22")
    repo.commit("AUP: the clause changed")
    accept_check_errors(root, "a link to acme.example in the shared text, for the redline")
    build(BuildOptions(root=root, site_dir=root / "site", jobs=1, as_of=dt.date(2026, 11, 22)))
    pages = sorted((root / "site").glob("**/changes/index.html"))
    assert pages
    for page in pages:
        body = page.read_text(encoding="utf-8")
        redline = body[body.index('<div class="policy-changes">'):body.index("</article>")]
        assert not MARKDOWN.search(text_of(redline.replace("</p>", "\n").replace("</li>", "\n"))), page
    vi = (root / "site/acme/aup/2026-11-22/changes/index.html").read_text(encoding="utf-8")
    assert "<table>" in vi and "<strong>" in vi and 'class="policy-removed"' in vi and "policy-href" in vi


class _Reference(html.parser.HTMLParser):
    """html.parser's reading of a clause's HTML, as redline.py tokenized it before its regular expression."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens, self.links = [], []

    def handle_starttag(self, tag, attrs):
        text = "<" + tag + "".join(f' {n}="{escape(v or "", True)}"' for n, v in attrs) + ">"
        self.tokens.append(Token(">" if tag in VOID else "<", text, tag))
        if tag == "a":
            self.links.append(dict(attrs).get("href"))

    def handle_endtag(self, tag):
        if tag not in VOID:
            self.tokens.append(Token("/", f"</{tag}>", tag))
            if tag == "a" and self.links and (href := self.links.pop()):
                self.tokens.append(Token("h", href))

    def handle_data(self, data):
        self.tokens.extend(Token("w", w) for w in WORD_RE.findall(unicodedata.normalize("NFC", data)))


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside the project")
def test_the_tokenizer_reads_clean_html_as_html_parser_does():
    htmls = [clause_html(text) for _name, old, new in _corpus_pairs() for text in (old, new)]
    htmls.append(clause_html('Xem [a & "b"](https://x.example/?a=1&b=2 "t") và `<c>` &amp; **đậm**.\n\n---\n\n'
                             '| a |\n|---|\n| b<br>c |'))
    for html_text in htmls:
        reference = _Reference()
        reference.feed(html_text)
        reference.close()
        assert tokenize(html_text) == reference.tokens, html_text[:200]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside the project")
def test_a_plain_paragraph_skips_markdown_with_the_same_html():
    from generator.diff import clause_text as redline

    paragraphs = {p for _name, old, new in _corpus_pairs() for text in (old, new) for p in text.split("\n\n")
                  if "{" not in p}  # paragraph anchors are taken out before either path
    paragraphs |= {"Xem https://a.example/x.", "- một", "1. một", "# Tiêu đề", "Một  ", "A www.b.example c"}
    plain = [p for p in paragraphs if redline.PLAIN_RE.fullmatch(p.strip("\n"))]
    assert len(plain) > 100  # the shortcut is taken, and checked, on real text
    for paragraph in paragraphs:
        through_markdown = redline.clean_html(redline._converter().reset().convert(paragraph))
        assert clause_html(paragraph) == through_markdown, paragraph
