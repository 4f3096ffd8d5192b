"""Markdown as sources write it (Python-Markdown with attribute lists, CommonMark, GFM) read into blocks."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from . import cells
from .html_in import inline_to_markdown
from .model import Block, Heading, Note, Parsed

ATX_RE = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$")
SETEXT_RE = re.compile(r"^[ \t]{0,3}(=+|-+)[ \t]*$")
TRAILING_ATTRS_RE = re.compile(r"[ \t]*\{:?[ \t]*#([^\s{}]+)[^{}]*\}[ \t]*$")
ATTR_LINE_RE = re.compile(r"^[ \t]*\{:[^{}]*\}[ \t]*$")
ANCHOR_LINE_RE = re.compile(r"^[ \t]*\{:[ \t]*#([A-Za-z][\w-]*)[ \t]*\}[ \t]*$")
DATETIME_RE = re.compile(r'datetime="(\d{4}-\d{2}-\d{2})"')
NUMBER_RE = re.compile(r"^(?:(?:Điều|Article|Section|Mục)\s+)?\d+(?:\.\d+)*\\?[.):]?\s+", re.IGNORECASE)
RULE_RE = re.compile(r"^[ \t]{0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
FENCE_RE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
ITEM_RE = re.compile(r"^[ \t]{0,3}(?:[*+-]|\d+[.)])[ \t]+")
PAREN_ITEM_RE = re.compile(r"^([ \t]*\d+)\)([ \t]+)")
STRIKE_RE = re.compile(r"~~[^~]+~~")
PAGE_LINK_RE = re.compile(r"\]\(#([^)\s]+)\)")
ANCHOR_OK_RE = re.compile(r"^[a-z][a-z0-9-]{0,62}$")


@dataclass
class _State:
    """What the line reader has collected so far."""

    source: str
    out: list[Block] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    stated: dt.date | None = None
    breaks: int = 0

    def note(self, line: int, message: str, fix: str = "") -> None:
        """Record something the editor should know."""
        self.notes.append(Note(self.source, line, message, fix))

    def flush(self) -> None:
        """Close the running text block."""
        if self.text:
            self.out.append(Block(text="\n".join(self.text)))
            self.text = []


def read_markdown(lang: str, source: str, text: str) -> Parsed:
    """The blocks of a Markdown source: headings with their anchors, text converted where it must be."""
    state = _State(source)
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    index, fence = 0, None
    while index < len(lines):
        line = lines[index]
        opener = FENCE_RE.match(line)
        if opener and (fence is None or opener.group(1)[0] == fence[0]):
            fence = None if fence else opener.group(1)
        if fence or opener:
            state.text.append(line)
            index += 1
            continue
        index = _line(lines, index, state)
    state.flush()
    if state.breaks:
        state.note(1, f"{state.breaks} list item(s) or heading(s) inside table cells made into lines of the cell "
                      "(a cell holds text and <br> line breaks)", "Check that those cells still read well")
    return _finish(lang, state)


def _line(lines: list[str], index: int, state: _State) -> int:
    """Read the line at `index` (and the one after it for a setext heading or a heading's anchor)."""
    line, following = lines[index], lines[index + 1] if index + 1 < len(lines) else ""
    previous_blank = index == 0 or not lines[index - 1].strip()
    if line.strip() and previous_blank and SETEXT_RE.match(following) and not _starts_block(line):
        level = 1 if following.strip()[0] == "=" else 2
        return _heading(lines, index, state, level, line.strip(), skip=2)
    if previous_blank and RULE_RE.match(line):
        state.text.append("* * *")  # one spelling for a rule, which the checks read as no sentence
        return index + 1
    match = ATX_RE.match(line)
    if match:
        return _heading(lines, index, state, len(match.group(1)), match.group(2), skip=1)
    if ATTR_LINE_RE.match(line):
        _attr_line(line, index + 1, state)
        return index + 1
    line = _commonmark(line, index + 1, state)
    if (ITEM_RE.match(line) or cells.is_row(line)) and state.text and _is_text(state.text[-1]):
        state.text.append("")  # CommonMark starts a list or table under a line of text; Python-Markdown does not
    state.text.append(_converted(line, index + 1, state))
    return index + 1


def _is_text(line: str) -> bool:
    """A line of a paragraph (not blank, not a list item, row or anchor, not indented into a list)."""
    return bool(line.strip()) and not (ITEM_RE.match(line) or cells.is_row(line) or line[:1] in " \t{")


def _commonmark(line: str, number: int, state: _State) -> str:
    """What CommonMark and GitHub write otherwise: `1)` items, a backslash line break; `~~` reported."""
    line = PAREN_ITEM_RE.sub(r"\1.\2", line)
    if line.endswith("\\") and not line.endswith("\\\\"):
        line = line[:-1].rstrip() + "  "
    if STRIKE_RE.search(line):
        state.note(number, "struck-through text (~~…~~) has no equivalent here",
                   "Say in words what no longer applies, or delete it")
    return line


def _starts_block(line: str) -> bool:
    """A line a setext underline cannot turn into a heading (a list item, quote, table row or rule)."""
    stripped = line.lstrip()
    return stripped[:1] in "|>" or bool(re.match(r"([*+-]|\d+[.)])[ \t]", stripped)) or bool(SETEXT_RE.match(line))


def _heading(lines: list[str], index: int, state: _State, level: int, title: str, skip: int) -> int:
    """A heading with the anchor written after it (`{#id}`), or on the next line (`{: #id }`)."""
    anchor = None
    attrs = TRAILING_ATTRS_RE.search(title)
    if attrs:
        anchor, title = attrs.group(1), title[:attrs.start()]
    after = index + skip
    if anchor is None and after < len(lines) and ANCHOR_LINE_RE.match(lines[after]):
        anchor = ANCHOR_LINE_RE.match(lines[after]).group(1)  # type: ignore[union-attr]
        after += 1
    title, _ = inline_to_markdown(title.strip())
    number = NUMBER_RE.match(title)
    state.flush()
    state.out.append(Block(heading=Heading(level, title[number.end():] if number else title, anchor,
                                           index + 1, numbered=number is not None)))
    return after


def _attr_line(line: str, number: int, state: _State) -> None:
    """An attribute list on its own line: a paragraph anchor is kept, a stated date read, the rest dropped."""
    date = DATETIME_RE.search(line)
    anchor = ANCHOR_LINE_RE.match(line)
    if date:
        state.stated = dt.date.fromisoformat(date.group(1))
        shown = state.text.pop() if state.text and state.text[-1].strip() else ""
        state.note(number, f"the date line {shown.strip()!r} was taken out: the page shows the version's dates")
    elif anchor and state.text and state.text[-1].strip():
        ident = anchor.group(1)
        fixed = _fix_id(ident)
        if fixed != ident:
            state.note(number, f"paragraph anchor {ident!r} became {fixed!r}", "Ids are lowercase ASCII with hyphens")
        state.text.append(f"{{: #{fixed} }}")
    else:
        state.note(number, f"attribute list {line.strip()!r} dropped (it has no equivalent here)")


def _converted(line: str, number: int, state: _State) -> str:
    """A line of text with its raw HTML made Markdown (table rows made one line per cell)."""
    if cells.is_row(line):
        line, joined = cells.flatten_row(line)
        state.breaks += joined
    line, left = inline_to_markdown(line, keep_breaks=cells.is_row(line))
    for link in PAGE_LINK_RE.finditer(line):
        state.note(number, f"a link to #{link.group(1)}, an address on the source's page",
                   "Point it to the clause it means, as [[id]], or remove the link")
    if left:
        state.note(number, f"HTML with no Markdown equivalent left as it is: {', '.join(f'<{t}>' for t in left)}",
                   "Rewrite it as text, or delete it")
    return line


def _fix_id(ident: str) -> str:
    """A source's anchor made a valid id (lowercase, hyphens); unchanged when it already is one."""
    fixed = re.sub(r"[^a-z0-9-]+", "-", ident.lower()).strip("-")
    return fixed if ANCHOR_OK_RE.match(fixed) else f"p-{fixed}"[:63]


def _finish(lang: str, state: _State) -> Parsed:
    """Title from a heading that opens the document; the other headings shifted so the top ones are `##`."""
    blocks, title = list(state.out), None
    if blocks and _is_title(blocks):
        heading = blocks.pop(0).heading
        assert heading is not None
        title = heading.title
        if heading.level > 1:
            state.note(heading.line, f"the opening heading {title!r} was taken as the title",
                       "If it is a clause, move it back into the text as `## Title {#id}`")
    return Parsed(lang, state.source, title, state.stated, tuple(_levels(blocks, state)), tuple(state.notes))


def _is_title(blocks: list[Block]) -> bool:
    """The document opens with an unnumbered heading no other heading outranks: its title."""
    first = blocks[0].heading
    if first is None or first.numbered:
        return False
    others = [b.heading.level for b in blocks[1:] if b.heading is not None]
    return first.level == 1 or all(level > first.level for level in others) or (others[:1] > [first.level])


def _levels(blocks: list[Block], state: _State) -> list[Block]:
    """Headings re-levelled: the highest becomes `##`, none skips a level, deeper than `####` becomes bold text."""
    levels = [b.heading.level for b in blocks if b.heading is not None]
    shift = (min(levels) - 2) if levels else 0
    out, previous = [], 1
    for block in blocks:
        heading = block.heading
        if heading is None:
            out.append(block)
            continue
        level = min(heading.level - shift, previous + 1)
        if level > 4:
            state.note(heading.line, f"heading {heading.title!r} is deeper than a point (####): kept as bold text")
            out.append(Block(text=f"**{heading.title}**"))
            continue
        previous = level
        out.append(Block(heading=Heading(level, heading.title, heading.anchor, heading.line, heading.numbered)))
    return out
