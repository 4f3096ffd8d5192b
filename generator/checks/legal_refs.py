"""References to law in policy text: instruments and bodies that have changed, and ones legal has not listed.

Citations are found in Vietnamese and English, with or without diacritics ("Nghị định số 90/2008/NĐ-CP",
"Nghi dinh 90/2008", "Decree No. 90/2008/ND-CP"); bodies by the names in legal/references.yml.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from .findings import Finding
from .legal_data import REFERENCES_FILE, Instrument, References, number_key

KINDS = {"luat": "law", "bo luat": "law", "nghi dinh": "decree", "thong tu": "circular", "quyet dinh": "decision",
         "nghi quyet": "resolution", "law": "law", "decree": "decree", "circular": "circular",
         "decision": "decision", "resolution": "resolution"}
NAMES = {"law": ("Luật", "Law"), "decree": ("Nghị định", "Decree"), "circular": ("Thông tư", "Circular"),
         "decision": ("Quyết định", "Decision"), "resolution": ("Nghị quyết", "Resolution")}
# The kind word, up to eight words of a name ("Luật Bảo vệ dữ liệu cá nhân số …"), then number/year[/suffix].
CITATION = re.compile(r"\b(" + "|".join(sorted(KINDS, key=len, reverse=True)) + r")\b"
                      r"((?:\s+[a-z]+){0,8}?)\s+(?:(?:so|no\.?|number)\s*)?(\d{1,4})/(\d{4})\b(?:/([a-z0-9-]+))?")


def fold(text: str) -> str:
    """The text without diacritics, lower case, đ as d: one character for each character (columns stay)."""
    if text.isascii():  # most lines of most policies in English: nothing to take off
        return text.lower()
    return "".join(map(_fold_char, text))


@functools.cache
def _fold_char(char: str) -> str:
    """One character folded (each is worked out once per process: every line of every text passes here)."""
    base = "d" if char in "đĐ" else unicodedata.normalize("NFD", char)[0]
    lower = base.lower()
    return lower if len(lower) == 1 else base


@functools.cache
def _body_names(names: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """The patterns of a body's names, folded (once per process, not once per line)."""
    return tuple(re.compile(rf"(?<!\w){re.escape(name)}(?!\w)") for name in dict.fromkeys(map(fold, names)))


@dataclass(frozen=True)
class Citation:
    """One reference to law on a line: what it names, as written, and where."""

    column: int
    written: str
    entry: str | None  # the id in references.yml, None if it is not there
    key: tuple[str, int, int] | None  # (kind, number, year) of a numbered instrument


def citations(line: str, references: References) -> tuple[Citation, ...]:
    """Every instrument and listed body a line cites (each line once: a shared text recurs in every brand)."""
    index = _index(references)
    if line not in index.lines:
        index.lines[line] = tuple(_citations(line, references, index.numbered))
    return index.lines[line]


@dataclass
class _Index:
    """What citations need of one References, worked out once: numbered instruments by key, lines seen."""

    references: References
    numbered: dict[tuple[str, int, int] | None, str]
    lines: dict[str, tuple[Citation, ...]]


_LAST: list[_Index] = []  # the References of the run (a pydantic model with dicts: not hashable for a cache)
LINES_KEPT = 65536  # then the lines seen are forgotten (a long `serve` would keep every line it ever saw)


def _index(references: References) -> _Index:
    if _LAST and _LAST[0].references is references:
        return _LAST[0]
    # The same entries in the same order (a rebuild in this process, serve's, reads the same file again): the same
    # citations, of the lines seen so far.
    same = _LAST and _LAST[0].references == references and list(_LAST[0].references.instruments) == list(
        references.instruments)
    if same and len(_LAST[0].lines) <= LINES_KEPT:
        _LAST[0].references = references
    else:
        numbered = {number_key(e.kind, e.number): i for i, e in references.instruments.items() if e.kind != "body"}
        _LAST[:] = [_Index(references, numbered, {})]
    return _LAST[0]


def _citations(line: str, references: References, numbered: dict[tuple[str, int, int] | None, str]
               ) -> Iterator[Citation]:
    folded = fold(line)
    for match in CITATION.finditer(folded):
        key = (KINDS[match.group(1)], int(match.group(3)), int(match.group(4)))
        yield Citation(match.start() + 1, line[match.start():match.end()], numbered.get(key), key)
    for entry_id, entry in references.instruments.items():
        if entry.kind == "body":
            for pattern in _body_names(tuple(entry.names)):
                for found in pattern.finditer(folded):
                    yield Citation(found.start() + 1, line[found.start():found.end()], entry_id, None)


def outdated(path: str, line_no: int, line: str, lang: str, references: References) -> Iterator[Finding]:
    """A warning for each cited instrument or body that no longer applies: what replaced it, since when."""
    for cite in citations(line, references):  # columns of the rendered line (legal.py maps them to the source)
        if cite.entry is None:
            continue
        entry = references.instruments[cite.entry]
        if entry.status == "in-force":
            continue
        yield Finding(path, line_no, cite.column, "warning", f"{cite.written!r}: {_status(entry, references, lang)}",
                      f"Have legal check the clause and cite what applies now (source: {_source(entry)}; "
                      f"{REFERENCES_FILE}: {cite.entry}).", "outdated-law")


def unknown(path: str, line_no: int, line: str, references: References) -> Iterator[Finding]:
    """A finding for each numbered instrument the line cites that legal/references.yml does not list."""
    for cite in citations(line, references):
        if cite.entry is None and cite.key is not None:
            kind, number, year = cite.key
            yield Finding(path, line_no, cite.column, "warning", f"{cite.written!r} ({kind} {number}/{year}) is not "
                          f"in {REFERENCES_FILE}", "Add it with its status and source (docs/legal-data.md).",
                          "unknown-reference")


def _status(entry: Instrument, references: References, lang: str) -> str:
    verb = {"replaced": "replaced by", "merged": "merged into", "repealed": "repealed"}[entry.status]
    others = " and ".join(_name(references.instruments[i], lang) for i in entry.replaced_by)
    since = f"since {entry.since.isoformat()}" if entry.since else "date to confirm"
    return " ".join(part for part in (_name(entry, lang), "was", verb, others, f"({since})") if part)


def _name(entry: Instrument, lang: str) -> str:
    if entry.kind == "body":
        return entry.title.get(lang) or next(iter(entry.title.values()), entry.names[0])
    word = NAMES[entry.kind][0 if lang == "vi" else 1]
    return f"{word} {entry.number}"


def _source(entry: Instrument) -> str:
    date = entry.source.date.isoformat() if entry.source.date else "date to confirm"
    return f"{entry.source.instrument} of {date}"
