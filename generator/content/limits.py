"""Bounded work and refused characters: what makes a policy file unusable before it is parsed (pure)."""

from __future__ import annotations

import itertools
import re

from ..errors import Collector, Problem
from .characters import bad_characters


def characters_ok(text: str, path: str, errors: Collector) -> bool:
    """Controls, bidirectional overrides and invisible characters change what a legal text says: refused."""
    found = list(itertools.islice(bad_characters(text), 20))
    for line, column, what in found:
        errors.add(path, line, f"the character {what} is not allowed", "Delete it: it is invisible, a control "
                   "character, or changes the direction of the text (retype the words around it).", column)
    return not found


MARKUP_RUN = 64  # no policy writes 64 of these in a row; Python-Markdown's patterns slow down on long runs
SPACE_RUN = 256
MAX_TAGS = 1000  # real pages carry a few hundred <br> and <a>; 1,000 unclosed ones take Python-Markdown 0.25 s
TAG_START_RE = re.compile(r"<(?!https?://|[^<>\s@]+@)[A-Za-z/!?]")  # not an autolink
RUN_CHARS = "#*_[]{}<>`~()\\!|"
MAX_NESTING = 16  # list and blockquote levels, and brackets open at once on a line
INDENT_RE = re.compile(rf"^(?:[ \t]*>){{{MAX_NESTING + 1},}}|^(?: {{4}}|\t){{{MAX_NESTING + 1},}}", re.MULTILINE)


def within_limits(text: str, path: str, errors: Collector) -> bool:
    """Bounded work: refuse what would make Python-Markdown (or YAML) slow or recurse without end."""
    problems = Collector()
    for char in RUN_CHARS:
        if char * MARKUP_RUN in text:
            start = text.index(char * MARKUP_RUN)
            line, column = _line_column(text, start)
            problems.add(path, line, f"{MARKUP_RUN} or more `{char}` in a row", "Write fewer: no Markdown "
                         "needs them (a separator line is `---`).", column)
    for blank in (" " * SPACE_RUN, "\t" * MARKUP_RUN):
        if blank in text:
            line, column = _line_column(text, text.index(blank))
            problems.add(path, line, f"{len(blank)} or more blanks in a row", "Remove them.", column)
    for match in itertools.islice(INDENT_RE.finditer(text), 1):
        problems.add(path, _line_column(text, match.start())[0], f"lists or quotes are nested more than "
                     f"{MAX_NESTING} levels deep", "Use fewer levels (sub-clauses are ### headings).")
    tags = itertools.islice(TAG_START_RE.finditer(text), MAX_TAGS, MAX_TAGS + 1) if "<" in text else ()
    for match in tags:  # Python-Markdown's HTML parser reads again after each unclosed one: quadratic
        line, column = _line_column(text, match.start())
        problems.add(path, line, f"more than {MAX_TAGS} `<` followed by a letter", "HTML is not allowed; write "
                     "`&lt;` for a < that starts a word.", column)
    if text.count("[") + text.count("(") > 2 * MAX_NESTING:
        problems.extend(_bracket_depth(text, path))
    errors.extend(problems.problems)
    return not problems.problems


def _bracket_depth(text: str, path: str) -> list[Problem]:
    for number, line in enumerate(text.split("\n"), start=1):
        depth = 0
        for column, char in enumerate(line, start=1):
            depth += (char in "[(") - (char in "])")
            if depth > MAX_NESTING:
                return [Problem(path, number, f"more than {MAX_NESTING} brackets are open at once",
                                "Close the [ and ( you open; a link is [text](https://…).", column)]
    return []


def _line_column(text: str, index: int) -> tuple[int, int]:
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1
