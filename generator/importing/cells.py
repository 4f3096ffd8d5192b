"""Table rows as they come from websites: lists and headings inside cells made into what a cell can hold."""

from __future__ import annotations

import re

BREAKS_RE = re.compile(r"(?:[ \t]*<br\s*/?>[ \t]*)+", re.IGNORECASE)
CELL_BULLET_RE = re.compile(r"^(?:[*+-]|\d+[.)])[ \t]+")
CELL_HEADING_RE = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*$")


def is_row(line: str) -> bool:
    """A line of a pipe table."""
    return line.lstrip().startswith("|")


def flatten_row(line: str) -> tuple[str, int]:
    """The row with each cell's lines joined by `<br>`; how many list items or headings were made plain lines.

    A pipe-table cell holds text and line breaks (`<br>`), not lists or headings: a list item becomes
    a line of its own without its marker, a heading a line in bold, so the words and lines stay.
    """
    if not BREAKS_RE.search(line) and "#" not in line:
        return line, 0
    cells = [_cell(cell) for cell in line.strip().strip("|").split(" | ")]
    return "| " + " | ".join(text for text, _ in cells) + " |", sum(count for _, count in cells)


def _cell(cell: str) -> tuple[str, int]:
    """One cell's lines, each without list marker or heading marks; how many it had."""
    lines, count = [], 0
    for part in (part.strip() for part in BREAKS_RE.split(cell.strip())):
        heading, item = CELL_HEADING_RE.match(part), CELL_BULLET_RE.match(part)
        part = f"**{heading.group(2)}**" if heading else part[item.end():] if item else part
        count += bool(heading or item)
        if part:
            lines.append(part)
    return "<br>".join(lines), count
