"""Every interface string of a page in the page's language; 404 pages that lead somewhere; heading ids with đ.

A fixture site is built and every page read: its visible text and its title, aria-label, placeholder
and alt attributes, and the strings Material's script shows (the page's `__config`), leaving out the
policy's own text, code samples and anything marked as another language (the language switcher).
"""

from __future__ import annotations

import html.parser
import json
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from conftest import two_version_site

ROOT = Path(__file__).resolve().parent.parent
MATERIAL_EN = Path(__import__("material").__file__).parent / "templates/partials/languages/en.html"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SKIPPED = {"script", "style", "svg", "pre", "code", "template"}
POLICY_TEXT = {"policy-body", "policy-changes"}  # the policy's text and its redline: not interface
ATTRIBUTES = {"title", "aria-label", "placeholder", "alt"}
# Letters only Vietnamese uses (ă â đ ê ô ơ ư and the Latin Extended Additional block of its tones).
VIETNAMESE = re.compile("[ăâđêôơưĂÂĐÊÔƠƯ\u1ea0-\u1ef9]")
# What was found on Vietnamese pages before (issue #18), besides the English catalogs.
SEEN_IN_ENGLISH = ["Permanent link", "Initializing search", "404 - Not found", "Not found", "Back to top"]


class _Interface(html.parser.HTMLParser):
    """The interface strings of a page: text and attributes outside the policy text and other languages."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang = ""
        self.stack: list[tuple[str, bool]] = []  # open elements, and whether each is left out
        self.strings: list[str] = []
        self.config = ""
        self.in_config = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.lang = values.get("lang", "")
        self.in_config = tag == "script" and values.get("id") == "__config"
        skipped = (bool(self.stack) and self.stack[-1][1]) or tag in SKIPPED \
            or bool(POLICY_TEXT & set(values.get("class", "").split())) \
            or values.get("lang", self.lang) not in ("", self.lang)
        if not skipped:
            self.strings += [v for k, v in values.items() if k in ATTRIBUTES or k.startswith("data-label-")]
        if tag not in VOID:
            self.stack.append((tag, skipped))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break
        self.in_config = False

    def handle_data(self, data: str) -> None:
        if self.in_config:
            self.config += data
        elif data.strip() and not (self.stack and self.stack[-1][1]):
            self.strings.append(" ".join(data.split()))


def interface(page: Path) -> tuple[str, list[str]]:
    """A page's language and its interface strings (with those of Material's script)."""
    parser = _Interface()
    parser.feed(page.read_text(encoding="utf-8"))
    strings = parser.strings
    if parser.config:
        strings += json.loads(parser.config)["translations"].values()
    return parser.lang, strings


def english_interface() -> set[str]:
    """Every English interface string: our English catalog's and Material's, cut at their placeholders."""
    with (ROOT / "generator/locales/en/LC_MESSAGES/messages.po").open("rb") as handle:
        ours = [m.string for m in read_po(handle) if m.id]
    texts = [s for m in ours for s in ([m] if isinstance(m, str) else m)]
    material = MATERIAL_EN.read_text(encoding="utf-8")
    texts += [json.loads(f'"{value}"') for key, value in re.findall(r'^\s*"([\w.]+)": "(.*)",?$', material, re.M)
              if not key.startswith(("search.config", "language", "direction"))]
    pieces = {p.strip(" .:,") for t in [*texts, *SEEN_IN_ENGLISH] for p in re.split(r"%\(\w+\)s|#|\n", t)}
    return {p for p in pieces if len(p) >= 4 and not VIETNAMESE.search(p)}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The mini site with two versions of the AUP (archived, changes and history pages), built once."""
    return two_version_site(tmp_path_factory.mktemp("ui-language") / "repo")


def pages(site: Path, lang: str) -> list[Path]:
    """Every page of the site in `lang` (the default language's are those outside <brand>/en/)."""
    found = [p for p in sorted(site.rglob("*.html")) if interface(p)[0] == lang]
    assert len(found) > 10
    return found


def test_vietnamese_pages_show_no_english_interface(site):
    english = english_interface()
    assert {"Back to top", "Permanent link", "Skip to content", "Initializing search"} <= english
    found = {}
    for page in pages(site, "vi"):
        for text in interface(page)[1]:
            hits = [e for e in english if re.search(rf"(?<!\w){re.escape(e)}(?!\w)", text)]
            if hits:
                found.setdefault(str(page.relative_to(site)), set()).update(hits)
    assert found == {}


def test_english_pages_show_no_vietnamese_interface(site):
    found = {}
    for page in pages(site, "en"):
        texts = [t for t in interface(page)[1] if VIETNAMESE.search(t)]
        if texts:
            found[str(page.relative_to(site))] = texts
    assert found == {}


def test_back_to_top_and_permalinks_read_as_vietnamese(site):
    page = (site / "acme/privacy/index.html").read_text(encoding="utf-8")
    assert "Lên đầu trang" in page and "Trở lại mục lục" not in page
    assert 'title="Liên kết cố định"' in page and "Permanent link" not in page


def test_a_generated_heading_id_keeps_d_and_its_former_id(site):
    page = (site / "beta/consent/index.html").read_text(encoding="utf-8")
    assert 'id="doan-ma-dong-y"' in page and '<span id="oan-ma-ong-y"></span>' in page
