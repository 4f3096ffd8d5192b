"""Python-Markdown extension: a clause that recurs is converted once per process, not on every page.

Every version of a policy is a page of its own, and consecutive versions share most clauses. A
preprocessor replaces each clause of the policy body (its heading line and the lines up to the next
heading) with a placeholder line; a block processor turns that line into a placeholder element;
right after the inline step, a tree processor puts in its place a copy of the elements that a second
converter, configured like the page's, made from that text the first time it was seen (kept as they
were right after its own inline step). Every later tree processor of the page (attribute lists,
clause numbers and cross-references, toc, unescaping, mkdocs' links) runs on the copies as on any
other element, so the HTML is the same as without reuse (tests/test_markdown_reuse.py).

Only what comes before the inline step is reused, and a clause is reused only when that is
self-contained: no `<` (raw HTML) or `&` before a letter or `#` (entities), which Python-Markdown
reads with an HTML parser across the whole body, in the body; no link reference definition in the
page (nor a footnote's or abbreviation's, `[^1]:` and `*[GDPR]:`, which apply across clauses too);
and no stashed HTML in its elements. Any other clause stays in the page and is converted there.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree  # noqa: N813 - the name Python-Markdown uses
from collections.abc import Callable
from copy import deepcopy

from markdown import Markdown, util
from markdown.blockparser import BlockParser
from markdown.blockprocessors import BlockProcessor, HashHeaderProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

TAG = "policygen-reuse"
HTML_RE = re.compile(r"<|&[#\w]")  # raw HTML and entities
LIMIT = 20_000  # distinct clauses kept per converter (`policygen serve` runs for hours)
OWN_PLACEHOLDER_RE = re.compile(f"{util.STX}(?:[0-9]+|amp){util.ETX}")
Elements = tuple[etree.Element, ...]


class ClauseCache:
    """The elements of each clause text converted so far by one converter configuration."""

    def __init__(self, make: Callable[[], Markdown]) -> None:
        self.md = make()
        self.md.treeprocessors.register(_Capture(self.md), "policygen_capture", 19)  # right after inline (20)
        self.texts: dict[str, Elements | None] = {}

    def get(self, text: str) -> Elements | None:
        """The elements of `text` after the inline step, or None when they depend on the rest of the page."""
        if text not in self.texts:
            if len(self.texts) >= LIMIT:
                self.texts.clear()
            self.texts[text] = self._convert(text)
        return self.texts[text]

    def _convert(self, text: str) -> Elements | None:
        self.md.reset()
        try:
            self.md.convert(text)
        except _Captured as captured:  # what would follow (toc, serializing, …) is the page's to do
            elements = captured.elements
        else:
            raise RuntimeError("the clause converter ended without its capture step")
        if self.md.htmlStash.html_counter or self.md.references or not all(map(_plain, elements)):
            return None
        return elements


_caches: dict[str, ClauseCache] = {}


def clause_cache(key: str, make: Callable[[], Markdown]) -> ClauseCache:
    """This process's cache for the converter configuration `key` (made by `make` when first needed)."""
    if key not in _caches:
        _caches[key] = ClauseCache(make)
    return _caches[key]


def _plain(top: etree.Element) -> bool:
    """Whether converted elements can stand in any page: no placeholder of this converter's own stash.

    Escaped characters and the "&" of entities are placeholders of Python-Markdown's own, which the
    page's later steps turn back into text.
    """
    for element in top.iter():
        parts = [element.text or "", element.tail or "", *element.attrib.values()]
        if element.tag == TAG or any(util.STX in part or util.ETX in part
                                     for part in (OWN_PLACEHOLDER_RE.sub("", p) for p in parts)):
            return False
    return True


class _Captured(Exception):  # noqa: N818 - not an error: how the capture ends a conversion early
    """Ends a clause's conversion right after the inline step, carrying the elements made so far."""

    def __init__(self, elements: Elements) -> None:
        super().__init__()
        self.elements = elements


class _Capture(Treeprocessor):
    """Ends the conversion right after the inline step: that tree is what the pages' copies are made from."""

    def run(self, root: etree.Element) -> None:
        raise _Captured(tuple(root))  # nothing else holds the tree: no copy needed


class ClauseMarker(Preprocessor):
    """Replaces each reusable clause of the policy body with a placeholder line."""

    def __init__(self, md: Markdown, cache: ClauseCache, start: re.Pattern[str]) -> None:
        super().__init__(md)
        self.cache = cache
        self.start = start
        self.found: dict[str, Elements] = {}

    def run(self, lines: list[str]) -> list[str]:
        self.found = {}
        start = next((i for i, line in enumerate(lines) if self.start.match(line)), None)
        end = None if start is None else next((i for i in range(start + 1, len(lines)) if lines[i] == "</div>"), None)
        if start is None or end is None:
            return lines
        # Raw HTML in the body, or a link reference definition anywhere, can change how the rest is read; a
        # placeholder that an earlier step (fenced_code) put in the page's stash would be read as another page's.
        body = lines[start + 1:end]
        if any(HTML_RE.search(line) or util.STX in line for line in body) or any("]:" in line for line in lines):
            return lines
        return lines[:start + 1] + self._split(lines[start + 1:end]) + lines[end:]

    def _split(self, lines: list[str]) -> list[str]:
        """The body's lines, each clause (a heading and the lines up to the next one) replaced if reusable.

        A clause starts at a heading after a blank line: the text before it cannot run on into it (a
        heading right under an indented line would belong to the list item above).
        """
        out: list[str] = []
        clause: list[str] = []
        for line in lines:
            if HashHeaderProcessor.RE.match(line) and not (clause and clause[-1].strip()):
                out += self._replace(clause)
                clause = []
            clause.append(line)
        return out + self._replace(clause)

    def _replace(self, clause: list[str]) -> list[str]:
        text = "\n".join(clause).strip("\n")
        elements = self.cache.get(text) if text.strip() else None
        if elements is None:
            return clause
        mark = f"{util.STX}policygen-clause:{len(self.found)}{util.ETX}"
        self.found[mark] = elements
        return ["", mark, ""]


class ClausePlaceholder(BlockProcessor):
    """A placeholder line becomes a placeholder element (the inline step leaves it alone)."""

    def __init__(self, parser: BlockParser, marker: ClauseMarker) -> None:
        super().__init__(parser)
        self.marker = marker

    def test(self, parent: etree.Element, block: str) -> bool:
        return block.strip() in self.marker.found

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        etree.SubElement(parent, TAG, {"mark": blocks.pop(0).strip()})


class ClauseInserter(Treeprocessor):
    """Puts a copy of the converted elements where each placeholder element is."""

    def __init__(self, md: Markdown, marker: ClauseMarker) -> None:
        super().__init__(md)
        self.marker = marker

    def run(self, root: etree.Element) -> None:
        found = [(parent, child) for parent in root.iter() for child in parent if child.tag == TAG]
        for parent, placeholder in found:
            index = list(parent).index(placeholder)
            parent.remove(placeholder)
            parent[index:index] = [deepcopy(element) for element in self.marker.found[placeholder.get("mark", "")]]


def register(md: Markdown, cache: ClauseCache, start: re.Pattern[str]) -> None:
    """Add reuse to a page's converter: before raw HTML is read, first among blocks, right after inline."""
    marker = ClauseMarker(md, cache, start)
    md.preprocessors.register(marker, "policygen_clauses", 25)
    md.parser.blockprocessors.register(ClausePlaceholder(md.parser, marker), "policygen_clauses", 200)
    md.treeprocessors.register(ClauseInserter(md, marker), "policygen_clauses", 19)
