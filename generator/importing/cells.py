"""Table rows as they come from websites: HTML inside cells made into text a pipe-table cell can hold."""

from __future__ import annotations

import re

BREAKS_RE = re.compile(r"(?:[ \t]*<br\s*/?>[ \t]*)+", re.IGNORECASE)
CELL_BULLET_RE = re.compile(r"^(?:[*+-]|\d+[.)])[ \t]+")
CELL_HEADING_RE = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*$")


def is_row(line: str) -> bool:
    """A line of a pipe table."""
    return line.lstrip().startswith("|")


def flatten_row(line: str) -> tuple[str, int]:
    """The row with each cell on one line (line breaks inside a cell joined); how many breaks were joined.

    A pipe-table cell cannot hold a line break, a list or a heading in the Markdown we publish, so a
    break becomes a space, list items a run separated by semicolons and a heading bold text: the words stay.
    """
    count = len(BREAKS_RE.findall(line))
    cells = line.strip().strip("|").split(" | ") if count or "#" in line else None
    if cells is None:
        return line, 0
    return "| " + " | ".join(_cell(cell) for cell in cells) + " |", count


def _cell(cell: str) -> str:
    """One cell's text with its breaks, list markers and heading marks turned into text."""
    out = ""
    for part in (part.strip() for part in BREAKS_RE.split(cell.strip())):
        heading = CELL_HEADING_RE.match(part)
        item = CELL_BULLET_RE.match(part)
        part = f"**{heading.group(2)}**" if heading else part[item.end():] if item else part
        if part:
            joint = "; " if item and out and not out.endswith((":", ";")) else " "
            out = f"{out}{joint}{part}" if out else part
    return out
