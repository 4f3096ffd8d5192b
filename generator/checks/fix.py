"""`policygen fix`: the mechanical defects of pasted text, rewritten in place (pure; the CLI reads and writes).

Only what a paste from a word processor or a web page leaves behind, never a word: no-break and other
odd spaces between words, tabs inside a line, a paragraph that starts with a tab or four spaces (the
site would show it as code), runs of spaces inside a line, a punctuation mark typed twice (not "..."),
and quotation marks that do not pair (“…“ or ”…”). Front matter, fenced code, inline code, links'
targets, list indentation and the two spaces that end a line (a line break) are left as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ODD_SPACES = "\u00a0\u2007\u202f\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a\u3000"
ODD_SPACE_RE = re.compile(f"[{ODD_SPACES}]")
INSIDE_TAB_RE = re.compile(r"(?<=\S)[ \t]*\t[ \t]*(?=\S)")
RUN_OF_SPACES_RE = re.compile(r"(?<=\S) {2,}(?=\S)")
DOUBLED_RE = re.compile(r"([,;:!?])\1+|(?<!\.)\.\.(?!\.)")
# What a fix must not touch inside a line: code spans, link targets and autolinks, Jinja, {#id} attributes.
PROTECTED_RE = re.compile(r"`+[^`]*`+|\]\([^)]*\)|<[^<>\s]+>|\{\{.*?\}\}|\{%.*?%\}|\{[:#][^{}]*\}|https?://\S+")
LIST_OR_QUOTE_RE = re.compile(r"^[ \t]*(?:[-*+]|\d+[.)]|>)[ \t]+")


@dataclass(frozen=True)
class Fixed:
    """One change: where, and what it was."""

    line: int
    what: str


def fix_text(text: str) -> tuple[str, list[Fixed]]:
    """The text with its pasted-text defects fixed, and what was changed, line by line."""
    lines = text.split("\n")
    fixed: list[Fixed] = []
    body_from = _after_front_matter(lines)
    fenced = False
    previous_blank = True
    for index in range(body_from, len(lines)):
        line = lines[index]
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced:
            lines[index], said = _fix_line(line, previous_blank)
            fixed.extend(Fixed(index + 1, what) for what in said)
        previous_blank = not lines[index].strip()
    return "\n".join(lines), fixed


def _after_front_matter(lines: list[str]) -> int:
    """The index of the first body line (front matter is YAML: not ours to rewrite)."""
    if lines and lines[0].strip() == "---":
        for index in range(1, len(lines)):
            if lines[index].strip() == "---":
                return index + 1
    return 0


def _fix_line(line: str, starts_paragraph: bool) -> tuple[str, list[str]]:
    """One body line, fixed outside its protected parts."""
    said: list[str] = []
    if starts_paragraph and line.strip() and not LIST_OR_QUOTE_RE.match(line) and \
            (line.startswith("\t") or line.startswith("    ")):
        line = line.lstrip(" \t")
        said.append("removed the indentation that made a paragraph show as code")
    if line.lstrip().startswith("|"):  # a table row: its spaces align columns
        return line, said
    ending = line[len(line.rstrip(" ")):] if line.endswith("  ") else ""  # two spaces: a line break
    marker = LIST_OR_QUOTE_RE.match(line)  # a list marker and the spaces after it are the editor's layout
    indent = marker.group(0) if marker else line[:len(line) - len(line.lstrip(" \t"))]
    parts = _split_protected(line[len(indent):len(line) - len(ending)])
    for index in range(0, len(parts), 2):
        parts[index] = _fix_prose(parts[index], said)
    return indent + "".join(parts) + ending, said


def _split_protected(text: str) -> list[str]:
    """Prose and protected pieces, alternating, prose first (possibly empty)."""
    parts: list[str] = []
    at = 0
    for match in PROTECTED_RE.finditer(text):
        parts += [text[at:match.start()], match.group(0)]
        at = match.end()
    return [*parts, text[at:]]


def _fix_prose(text: str, said: list[str]) -> str:
    """The fixes of one piece of prose, each said once per line."""
    for pattern, replacement, what in (
            (ODD_SPACE_RE, " ", "replaced a no-break or other special space by a space"),
            (INSIDE_TAB_RE, " ", "replaced a tab inside a sentence by a space"),
            (RUN_OF_SPACES_RE, " ", "replaced several spaces in a row by one"),
            (DOUBLED_RE, _single, "removed a punctuation mark typed twice")):
        new = pattern.sub(replacement, text)
        if new != text and what not in said:
            said.append(what)
        text = new
    paired = _pair_quotes(text)
    if paired != text:
        said.append("paired the quotation marks “ ”")
    return paired


def _single(match: re.Match[str]) -> str:
    return match.group(0)[0]


def _pair_quotes(text: str) -> str:
    """Curly double quotes alternate opening and closing; an odd one out is left as it is."""
    quotes = [i for i, c in enumerate(text) if c in "“”"]
    if len(quotes) % 2:
        return text
    chars = list(text)
    for n, i in enumerate(quotes):
        chars[i] = "“" if n % 2 == 0 else "”"
    return "".join(chars)
