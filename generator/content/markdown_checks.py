"""Markdown that Python-Markdown reads otherwise than its editor meant: an error at its line, never a page.

Written for GitHub or CommonMark, a sub-list indented by 2 spaces, a list right under a line of
text and an indented block all render here as something else (one flat list, one paragraph, code).
And a footnote belongs to the clause that refers to it: the changes page shows one clause at a time,
so a note in another clause could not be shown there. Each clause's text is checked on its own,
with the pages' own parser (markup.EDITOR_EXTENSIONS).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree  # noqa: N813 - the name Python-Markdown uses
from dataclasses import dataclass, field
from functools import lru_cache

import markdown
from markdown.extensions.footnotes import FootnoteExtension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from .markup import EDITOR_EXTENSIONS, TextProblem, where

ITEM_RE = re.compile(r"^( *)(?:[-*+]|\d+\.)[ \t]+\S")
ITEM_START_RE = re.compile(r"^ {0,3}(?:[-*+]|\d+\.)[ \t]+\S")
# What GitHub reads as a table's rule, a list numbered `1)`, a line break, a deletion; Python-Markdown, as text.
MISREAD = {"table": re.compile(r"^ {0,3}\|?[ \t]*:?-+:?[ \t]*\|[-:| \t]*$|^ {0,3}\|[ \t]*:?-+:?[ \t]*\|?[ \t]*$"),
           "paren": re.compile(r"^ {0,3}\d+\)[ \t]+\S"), "backslash": re.compile(r"(?<!\\)(?:\\\\)*\\$"),
           "tilde": re.compile(r"~~[^~\s](?:[^~]*[^~\s])?~~")}
CODE_SPAN_RE = re.compile(r"(`+).*?\1")
FENCE_RE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
NOTE_RE = r"\[\^([^\]]*)\]"  # Python-Markdown's footnote reference
# Only text that may hold one of these is converted: a note, a line under text that starts a list, an
# indented line after a blank one.
SUSPECT_RE = re.compile(r"\[\^|\S[^\n]*\n {0,3}(?:[-*+|]|\d+\.)|(?:\A|\n[ \t]*\n)(?: {4}|\t)|\d\)|\\\n|~~")
SUBLIST_HINT = "Indent a sub-list's items by 4 spaces under their item; Python-Markdown reads fewer as the same list."


@dataclass
class Found:
    """What the checking converter saw: footnote labels referred to, and the problems of the tree."""

    used: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    blocks: list[tuple[str, str]] = field(default_factory=list)  # (kind, first line of its text)


def check_chunk(text: str) -> tuple[list[TextProblem], list[tuple[str, int]]]:
    """A clause's (or preamble's) problems, and the footnote labels it defines with their lines."""
    problems, labels = _checked(text)
    return list(problems), list(labels)


@lru_cache(maxsize=16384)  # a rebuild in the same process (serve, the benchmark) checks the same clauses again
def _checked(text: str) -> tuple[tuple[TextProblem, ...], tuple[tuple[str, int], ...]]:
    problems, labels = _check(text)
    return tuple(problems), tuple(labels)


def _check(text: str) -> tuple[list[TextProblem], list[tuple[str, int]]]:
    problems = shallow_sublists(text)
    if not SUSPECT_RE.search(text):
        return problems, []
    found, defined = _converted(text)
    problems += [_block(text, kind, first) for kind, first in found.blocks]
    problems += [_note(text, label, "has no note in this clause",
                       f"Write its note `[^{label}]: …` on a line of its own in the same clause.")
                 for label in dict.fromkeys(found.missing)]
    problems += [_note(text, label, "is a note that nothing in this clause refers to",
                       f"Refer to it with [^{label}] in the clause's text, or delete the note.")
                 for label in defined if label not in found.used]
    return sorted(problems), [(label, where(text, f"[^{label}]:")[0]) for label in defined]


def shallow_sublists(text: str) -> list[TextProblem]:
    """List items indented 1 to 3 spaces under an item: meant as a sub-list, read as the same list."""
    problems: list[TextProblem] = []
    parents: list[int] = []
    fence: str | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        if FENCE_RE.match(line):
            fence = None if fence else line  # a fence's lines are code, not list items
        item = ITEM_RE.match(line) if fence is None else None
        if item is None:
            if line.strip() and not line.startswith((" ", "\t")):
                parents = []  # a line of text at the margin ends the list
            continue
        indent = len(item.group(1))
        while parents and parents[-1] > indent:
            parents.pop()
        if parents and 0 < indent - parents[-1] < 4:
            problems.append(TextProblem(number, indent + 1, f"this list item is indented by {indent - parents[-1]} "
                                        "spaces under the item above, so it is not in a sub-list", SUBLIST_HINT))
        elif not parents or parents[-1] != indent:
            parents.append(indent)
    return problems


@lru_cache(maxsize=4096)
def _converted(text: str) -> tuple[Found, tuple[str, ...]]:
    """What the pages' parser makes of the text: notes referred to and missing, misread blocks, notes defined."""
    found = Found()
    md = markdown.Markdown(extensions=[*EDITOR_EXTENSIONS, _Checks(found)])
    md.convert(text)
    notes = next(e for e in md.registeredExtensions if isinstance(e, FootnoteExtension))
    return found, tuple(notes.footnotes)


class _Used(InlineProcessor):
    """Records every footnote reference, before the footnotes' own pattern (175) reads it."""

    def __init__(self, found: list[str]) -> None:
        super().__init__(NOTE_RE)
        self.found = found

    def handleMatch(self, m: re.Match[str], data: str  # type: ignore[override]  # noqa: N802
                    ) -> tuple[None, None, None]:
        self.found.append(m.group(1))
        return None, None, None


class _Blocks(Treeprocessor):
    """Before the inline step, while text is still Markdown: indented code, and list lines inside a paragraph."""

    def __init__(self, md: markdown.Markdown, found: Found) -> None:
        super().__init__(md)
        self.found = found

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag == "pre":  # fenced code is stashed as HTML: a <pre> here was indented
                self.found.blocks.append(("code", "".join(element.itertext()).strip().split("\n")[0]))
            elif element.tag in ("p", "li", "td", "th", "dt", "dd") and element.text:
                self.found.blocks += _misread(element.text)


def _misread(text: str) -> list[tuple[str, str]]:
    """The lines of a block's text, still Markdown, that GitHub would read as structure and this reads as text."""
    lines = text.split("\n")
    found = [("list", line) for line in lines[1:] if ITEM_START_RE.match(line)][:1]
    found += [("table", lines[index - 1]) for index, line in enumerate(lines) if index and MISREAD["table"].match(line)]
    # A line break needs a next line, and a paragraph that starts `1)` reads well enough on its own.
    for kind, some in (("paren", lines[1:]), ("backslash", lines[:-1]), ("tilde", lines)):
        found += [(kind, line) for line in some if MISREAD[kind].search(CODE_SPAN_RE.sub("", line))][:1]
    return found


class _Checks(markdown.Extension):
    def __init__(self, found: Found) -> None:
        super().__init__()
        self.found = found

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802
        md.inlinePatterns.register(_Used(self.found.used), "policy_notes_used", 176)
        # What the footnotes' pattern (175) left: a reference without its note.
        md.inlinePatterns.register(_Used(self.found.missing), "policy_notes_missing", 174)
        md.treeprocessors.register(_Blocks(md, self.found), "policy_blocks", 30)


BLOCK_PROBLEMS = {
    "code": ("an indented block is shown as code, as written", "Remove the indentation (a sub-list's item: indent "
             "it 4 spaces under its item); for text shown as written, put it between ``` lines."),
    "list": ("a list right under a line of text is read as part of that paragraph",
             "Leave a blank line above the list."),
    "table": ("a table right under a line of text is read as part of that paragraph",
              "Leave a blank line above the table."),
    "paren": ("a list numbered `1)` is read as one paragraph", "Number the items `1.`, `2.` … after a blank line."),
    "backslash": ("a backslash at the end of a line is shown as written, not as a line break",
                  "End the line with two spaces instead (in a table cell: `<br>`), or write `\\\\` for a backslash."),
    "tilde": ("`~~text~~` is shown as written, with its tildes", "Say in words what is no longer valid, or delete it."),
}


def _block(text: str, kind: str, first: str) -> TextProblem:
    line, column = where(text, first.strip())
    return TextProblem(line, column, *BLOCK_PROBLEMS[kind])


def _note(text: str, label: str, problem: str, hint: str) -> TextProblem:
    line, column = where(text, f"[^{label}]")
    return TextProblem(line, column, f"footnote [^{label}] {problem}", hint)
