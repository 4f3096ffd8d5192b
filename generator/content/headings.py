"""Ids of the headings that have none, made from their text with Vietnamese letters folded to ASCII.

Python-Markdown's toc slug folds accented letters through Unicode decomposition (NFKD), which has
none for đ and Đ: "Đoạn mã đồng ý" became `oan-ma-ong-y`. `slugify` reads them as d and D. A
heading whose id was made the old way keeps that id as an empty anchor inside it, so a link to a
published page's old address of a heading still leads there. Ids that editors give are never touched.
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as etree  # noqa: N813 - the name Python-Markdown uses

from markdown.extensions.toc import remove_fnrefs, render_inner_html, strip_tags, unique
from markdown.extensions.toc import slugify as ascii_slugify
from markdown.treeprocessors import Treeprocessor

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
SEPARATOR = "-"  # the toc extension's default, which the pages use
FOLD = str.maketrans({"đ": "d", "Đ": "D"})


def slugify(value: str, separator: str = SEPARATOR) -> str:
    """The toc extension's ASCII slug, with đ and Đ read as d instead of dropped ("Đồng ý" → `dong-y`)."""
    return ascii_slugify(value.translate(FOLD), separator)


class HeadingSlugs(Treeprocessor):
    """Give each heading without an id the one toc would, with `slugify`; keep toc's own as an anchor.

    Runs right before toc, on the tree toc would read, and numbers duplicates as toc does (`_1`, `_2`);
    toc then finds every heading with an id and makes none. The old ids are worked out as toc made
    them, over the same headings in the same order, so they are the ids published pages had.
    """

    def run(self, root: etree.Element) -> None:
        taken = {el.get("id", "") for el in root.iter() if "id" in el.attrib}
        ids, old_ids = set(taken), set(taken)
        counters: dict[str, int] = {}
        old_counters: dict[str, int] = {}
        kept = []
        for heading in [el for el in root.iter() if el.tag in HEADINGS and "id" not in el.attrib]:
            name = html.unescape(strip_tags(render_inner_html(remove_fnrefs(heading), self.md)))
            ident = unique(slugify(name), ids, counters)
            old = unique(ascii_slugify(name, SEPARATOR), old_ids, old_counters)
            heading.set("id", ident)
            if old != ident:
                kept.append((heading, old))
        for heading, old in kept:
            if old not in ids:  # never a second element with one id
                ids.add(old)
                _anchor(heading, old)


def _anchor(heading: etree.Element, ident: str) -> None:
    """An empty element with `ident` at the start of the heading: the heading's former address."""
    anchor = etree.Element("span", {"id": ident})
    anchor.tail, heading.text = heading.text, None
    heading.insert(0, anchor)
