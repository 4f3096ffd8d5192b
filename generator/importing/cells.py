"""Table rows as they come from websites: HTML inside cells made into text a pipe-table cell can hold."""

from __future__ import annotations

import re

BREAKS_RE = re.compile(r"(?:[ \t]*<br\s*/?>[ \t]*)+", re.IGNORECASE)
CELL_BULLET_RE = re.compile(r"(^|\u2002)[*+-][ \t]+")
CELL_HEADING_RE = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*$")


def is_row(line: str) -> bool:
    """A line of a pipe table."""
    return line.lstrip().startswith("|")


def flatten_row(line: str) -> tuple[str, int]:
    """The row with each cell on one line (line breaks inside a cell joined); how many breaks were joined.

    A pipe-table cell cannot hold a line break, a list or a heading in the Markdown we publish, so a
    break becomes an en space, a list item a bullet character and a heading bold text: the words stay.
    """
    count = len(BREAKS_RE.findall(line))
    cells = line.strip().strip("|").split(" | ") if count or "#" in line else None
    if cells is None:
        return line, 0
    return "| " + " | ".join(_cell(cell) for cell in cells) + " |", count


def _cell(cell: str) -> str:
    """One cell's text with its breaks, list markers and heading marks turned into text."""
    parts = [part.strip() for part in BREAKS_RE.split(cell.strip())]
    out = []
    for part in parts:
        heading = CELL_HEADING_RE.match(part)
        part = f"**{heading.group(2)}**" if heading else part
        part = CELL_BULLET_RE.sub(lambda m: m.group(1) + "• ", part)
        if part:
            out.append(part)
    return " ".join(out)
