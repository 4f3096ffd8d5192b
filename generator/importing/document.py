"""A converted language of a version written out as a policy file: front matter, preamble, clause headings."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import yaml

from .model import Block, Note, Numbering, Parsed

TITLE_FIXES = str.maketrans({"<": "‹", ">": "›"})
TEMPLATE_START_RE = re.compile(r"\{\{|\{%|\{##")  # what Jinja (with our {## ##} comments) would read


@dataclass(frozen=True)
class Dates:
    """The version's dates: `updated` is the version's own, `effective` the one the source states, if later."""

    updated: dt.date
    stated: dt.date | None


def numbering(doc: Parsed) -> Numbering:
    """`sections` when the source numbers its top clauses itself, `none` when its headings carry no numbers."""
    return "sections" if any(h.numbered for h in doc.headings if h.level == 2) else "none"


def compose(doc: Parsed, ids: list[str], title: str, dates: Dates) -> tuple[str, list[Note]]:
    """The whole policy file, and what the editor should know about its front matter."""
    scheme = numbering(doc)
    matter: dict[str, object] = {"title": _plain(title), "updated": dates.updated}
    notes = []
    if dates.stated and dates.stated > dates.updated:
        matter["effective"] = dates.stated
    elif dates.stated and dates.stated < dates.updated:
        notes.append(Note(doc.source, 1, f"the source states {dates.stated}, before this version's date "
                          f"{dates.updated}: `effective` left to default to `updated`",
                          "Set `effective:` if the text took effect later"))
    matter["numbering"] = scheme
    head = yaml.safe_dump(matter, allow_unicode=True, sort_keys=False, width=10**6)
    return f"---\n{head}---\n\n{_body(doc.blocks, ids, scheme)}", notes


def _plain(title: str) -> str:
    """A title as front matter takes it: quotes made typographic, angle brackets made text."""
    parts = title.translate(TITLE_FIXES).split('"')
    return "".join(part + ("“" if i % 2 == 0 else "”") for i, part in enumerate(parts[:-1])) + parts[-1]


def _body(blocks: tuple[Block, ...], ids: list[str], scheme: Numbering) -> str:
    """Preamble and clauses, separated by blank lines."""
    pieces, remaining = [], iter(ids)
    for block in blocks:
        if block.heading is None:
            text = literal(block.text.strip("\n"))
            if text.strip():
                pieces.append(text)
            continue
        heading = block.heading
        unnumbered = " .unnumbered" if scheme != "none" and heading.level == 2 and not heading.numbered else ""
        pieces.append(f"{'#' * heading.level} {literal(heading.title)} {{#{next(remaining)}{unnumbered}}}")
    return "\n\n".join(pieces) + "\n"


def literal(text: str) -> str:
    """A source's text with what would start a template (`{{`, `{%`, `{##`) kept as text: policies are templates."""
    return TEMPLATE_START_RE.sub(lambda match: "{{ '" + match.group(0) + "' }}", text)
