"""The trust boundary of editors' text: what Markdown it may use, and the allowlist every page's HTML passes.

Two halves of one rule. `check_text` reads an editor's Markdown with Python-Markdown itself (the
parser the pages are made with, so "is this HTML?" has the parser's answer, not a regex's) and
reports raw HTML, links and images to refused places, and attribute lists, at their line and
column. `clean_html` is the last step of every page's conversion: an nh3 (Ammonia) allowlist of
the tags and attributes the pages are made of, with links restricted to a few schemes, so that
whatever a check misses still cannot script a reader's browser.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree  # noqa: N813 - the name Python-Markdown uses
from dataclasses import dataclass
from functools import lru_cache

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE

# Our own HTML blocks, already escaped where they hold editors' text, that a page's Markdown carries through
# as they are (site/markdown_ext.py stashes them; nh3 still cleans the page): a changes page's redline
# (diff/changes.redline_html), the consent page's live snippet (site/pages.consent_page).
REDLINE_START = '<div class="policy-changes">'
DEMO_START = '<div class="policy-consent-demo">'
PRERENDERED = (REDLINE_START, DEMO_START)
SCHEMES = frozenset({"https", "http", "mailto", "tel"})
SCHEME_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
# What browsers drop from a URL before they read its scheme: whitespace and controls anywhere.
URL_NOISE_RE = re.compile(r"[\x00-\x20\x7f]+")
# Attribute-list syntax (Python-Markdown's attr_list): `{: …}` anywhere, or `{ … key=value … }`.
ATTR_LIST_RE = re.compile(r"\{:[^{}\n]*\}|\{[ \t]*[^{}\n=]*\b[\w-]+[ \t]*=[^{}\n]*\}")
ENTITY_RE = re.compile(r"^&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);$")
FENCED_RE = re.compile(r'^<pre><code(?: class="language-[\w+#.-]+")?>[^<]*</code></pre>$')
JINJA_TAG_RE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{##.*?##\}")
# Matched from the line's last `{` (found with rfind): a search from every position was quadratic.
HEADING_ATTRS_RE = re.compile(r"\{:?[ \t]*((?:[#.][A-Za-z0-9_-]+[ \t]*)+)\}[ \t]*$")
# A paragraph anchor: `{: #id }` alone on the line right under its paragraph (Python-Markdown's attr_list form).
ANCHOR_LINE_RE = re.compile(r"^[ \t]*\{:?[ \t]*#([A-Za-z][\w-]*)[ \t]*\}[ \t]*$")
ANCHOR_END_RE = re.compile(r"\n[ \t]*\{:?[ \t]*#([A-Za-z][\w-]*)[ \t]*\}[ \t]*$")

# What Markdown makes of the format (and admonitions, the numbers, permalinks): nothing else. No images
# (they could load from another host), no forms. The pages' own HTML (chrome, redline, consent demo) is
# rendered by the theme or inserted after this step (markdown_ext.Prerendered).
TAGS = {"a", "abbr", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5",
        "h6", "hr", "ins", "li", "ol", "p", "pre", "section", "span", "strong", "sub", "sup", "table", "tbody", "td",
        "tfoot", "th", "thead", "tr", "ul"}
ATTRIBUTES = {"*": {"class", "id", "title", "lang"}, "a": {"href"}, "td": {"align"}, "th": {"align"},
              "ol": {"start"}}


# The pages' block and inline syntax (mkdocs adds tables and fenced_code to every site) without md_in_html,
# so that any HTML block, `markdown="1"` or not, is raw HTML here.
EDITOR_EXTENSIONS = ("tables", "fenced_code", "admonition", "pymdownx.magiclink", "footnotes", "def_list", "abbr")
# The one tag an editor may write: a line break inside a table cell, which has no other way (as on GitHub).
CELL_BREAK_RE = re.compile(r"^<br[ \t]*/?>$", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class TextProblem:
    """A problem in an editor's Markdown, at a line and column of that text (1-based)."""

    line: int
    column: int
    message: str
    hint: str


@lru_cache(maxsize=1)
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(tags=TAGS, attributes=ATTRIBUTES, url_schemes=set(SCHEMES), link_rel=None,
                       strip_comments=True, clean_content_tags={"script", "style"})


def clean_html(fragment: str) -> str:
    """The HTML with only the allowed tags, attributes and link schemes left."""
    return _cleaner().clean(fragment)


MARKDOWN_SPECIALS_RE = re.compile(r"([\\`*_{}\[\]()#+\-.!|>])")


def escape_markdown(text: str) -> str:
    """Text that Markdown shows as it is (a title in a heading, a summary in a table cell): specials escaped."""
    return MARKDOWN_SPECIALS_RE.sub(r"\\\1", " ".join(text.split()))


def url_scheme(url: str) -> str | None:
    """The scheme a browser would read from a link target (entities decoded, noise dropped); None if relative."""
    match = SCHEME_RE.match(URL_NOISE_RE.sub("", html.unescape(url)))
    return match.group(1).lower() if match else None


def url_allowed(url: str) -> bool:
    """Links: https, http, mailto, tel or relative."""
    scheme = url_scheme(url)
    return scheme is None or scheme in SCHEMES


class _Targets(Treeprocessor):
    """Collects link and image targets after the inline step (reference links resolved), and raw HTML in cells."""

    def __init__(self, md: markdown.Markdown, found: list[tuple[str, str]]) -> None:
        super().__init__(md)
        self.found = found

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag == "a" and element.get("href") is not None:
                self.found.append(("a", element.get("href", "")))
            elif element.tag == "img":
                self.found.append(("img", element.get("src", "")))
            elif element.tag in ("td", "th"):  # raw HTML is still a placeholder of the stash here
                text = "".join(element.itertext())
                self.found += [("cell", index) for index in HTML_PLACEHOLDER_RE.findall(text)]


class _Collect(markdown.Extension):
    def __init__(self, found: list[tuple[str, str]]) -> None:
        super().__init__()
        self.found = found

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802
        md.treeprocessors.register(_Targets(md, self.found), "policy_targets", 1)


class _Unlinked(Treeprocessor):
    """Notes without ids and links: each clause of a changes page numbers its notes from 1, so ids would repeat."""

    def run(self, root: etree.Element) -> None:
        for parent in root.iter():
            for child in list(parent):
                if "footnote-backref" in (child.get("class") or "").split():
                    parent.remove(child)
                elif child.get("id", "").startswith(("fn:", "fnref:")):
                    del child.attrib["id"]
                if child.tag == "a" and child.get("href", "").startswith("#fn:"):
                    del child.attrib["href"]


class _ClauseAlone(markdown.Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802
        md.treeprocessors.register(_Unlinked(md), "policy_unlinked_notes", 14)  # after the notes' last step (15)


def clause_markdown() -> markdown.Markdown:
    """A converter of the editors' syntax for a clause shown on its own (a changes page's redline)."""
    return markdown.Markdown(extensions=[*EDITOR_EXTENSIONS, _ClauseAlone()])


def check_text(text: str, inline: bool = False) -> list[TextProblem]:
    """Every raw HTML, refused link or image target, and attribute list in an editor's Markdown."""
    problems = _attr_lists(text, inline) if "{" in text else []
    # Only these can make raw HTML, a link or an image: most clauses are never converted here.
    if "<" in text or "](" in text or "]:" in text or "![" in text:
        problems += _parsed(text)
    return sorted(problems)


@lru_cache(maxsize=8192)
def _parsed(text: str) -> tuple[TextProblem, ...]:
    """What Python-Markdown itself reads as raw HTML, links and images in the text."""
    found: list[tuple[str, str]] = []
    md = markdown.Markdown(extensions=[*EDITOR_EXTENSIONS, _Collect(found)])
    md.convert(text)
    # &lt; is stashed, and is text; so is a fenced code block (escaped, with at most a language class).
    cells = {int(index) for kind, index in found if kind == "cell"}
    raw_html = sorted(_raw_html(text, raw) for index, raw in enumerate(md.htmlStash.rawHtmlBlocks)
                      if isinstance(raw, str) and not ENTITY_RE.match(raw) and not FENCED_RE.match(raw)
                      and not (index in cells and CELL_BREAK_RE.match(raw)))
    # One per line: a closing tag, or the second tag of `<svg><script>`, would only repeat the message.
    problems = [p for i, p in enumerate(raw_html) if i == 0 or p.line != raw_html[i - 1].line]
    # Reference definitions too, used or not: `[r]: javascript:…` is refused wherever it is.
    found += [("a", url) for url, _title in md.references.values()]
    problems += [_target(text, kind, url) for kind, url in dict.fromkeys(found)
                 if kind == "img" or (kind == "a" and not url_allowed(url))]
    return tuple(problems)


def where(text: str, fragment: str) -> tuple[int, int]:
    """Line and column of a fragment's first occurrence in the text (1, 1 if not found as written)."""
    start = text.find(fragment) if fragment else -1
    if start < 0:
        return 1, 1
    return text.count("\n", 0, start) + 1, start - (text.rfind("\n", 0, start) + 1) + 1


def _raw_html(text: str, raw: str) -> TextProblem:
    shown = raw.strip().split("\n")[0]
    line, column = where(text, shown[:60])
    hint = ("A line break is two spaces at the end of the line; `<br>` only breaks a line inside a table cell."
            if CELL_BREAK_RE.match(shown) else
            "Write Markdown instead (**bold**, [link](https://…), lists); see docs/content-format.md.")
    shown = shown if len(shown) <= 40 else shown[:40] + "…"
    return TextProblem(line, column, f"raw HTML {shown!r} is not allowed", hint)


def _target(text: str, kind: str, url: str) -> TextProblem:
    line, column = where(text, url[:60])
    if kind == "img":
        return TextProblem(line, column, f"an image ({url[:60]!r}) is not allowed",
                           "Policy pages have no images (they load nothing, from this site or another); describe "
                           "it in words.")
    scheme = url_scheme(url) or "?"
    return TextProblem(line, column, f"a {scheme}: link is not allowed ({url[:60]!r})",
                       "Link to an https:// address, a mailto: or tel: address, or a clause ([[id]]).")


ATTR_HINT = ("Only a clause heading ends with `{#id}` (or `{#id .unnumbered}`), and a paragraph anchor `{: #id }` "
             "stands alone on the line right under its paragraph; remove it.")


def _attr_lists(text: str, inline: bool) -> list[TextProblem]:
    """Attribute lists: only a clause heading's `{#id}` (and `.unnumbered`) is part of the format."""
    problems = []
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        if "{" not in line:
            continue
        line = JINJA_TAG_RE.sub(lambda m: " " * len(m.group(0)), line)  # brand values are not attributes
        if line.lstrip().startswith("#") and not inline:
            line = heading_attributes(line)[0]
        elif ANCHOR_LINE_RE.match(line) and not inline and _under_a_paragraph(lines, number - 1):
            continue
        for match in ATTR_LIST_RE.finditer(line):
            problems.append(TextProblem(number, match.start() + 1, f"the attribute list {match.group(0)[:40]!r} "
                                        "is not allowed", ATTR_HINT))
    return problems


def heading_attributes(text: str) -> tuple[str, str | None, list[str]]:
    """A heading's text without its trailing `{#id .class}`, the id and the classes (the one attribute form)."""
    brace = text.rfind("{")
    match = HEADING_ATTRS_RE.match(text, brace) if brace >= 0 else None
    if match is None:
        return text, None, []
    tokens = match.group(1).split()
    ids = [t[1:] for t in tokens if t.startswith("#")]
    return text[:brace].rstrip(" \t"), (ids[0] if ids else None), [t[1:] for t in tokens if t.startswith(".")]


def _under_a_paragraph(lines: list[str], index: int) -> bool:
    """Whether line `index` directly follows a line of text (so that an anchor there names that paragraph)."""
    above = lines[index - 1].strip() if index else ""
    return bool(above) and not above.startswith(("#", "{", "|", "```", "~~~"))


def paragraph_anchor(text: str) -> tuple[str, str | None]:
    """A paragraph's text without its anchor line, and the anchor's id (None when it has none)."""
    match = ANCHOR_END_RE.search(text) if "{" in text else None
    return (text[: match.start()], match.group(1)) if match else (text, None)
