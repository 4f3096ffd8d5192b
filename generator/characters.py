"""Characters that must not reach legal text: controls, bidirectional overrides, invisible ones; mixed scripts."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

# Invisible or direction-changing characters: they make a text read differently from what it says.
INVISIBLE = {
    0x00AD: "SOFT HYPHEN", 0x061C: "ARABIC LETTER MARK", 0x180E: "MONGOLIAN VOWEL SEPARATOR",
    0x200B: "ZERO WIDTH SPACE", 0x200C: "ZERO WIDTH NON-JOINER", 0x200D: "ZERO WIDTH JOINER",
    0x200E: "LEFT-TO-RIGHT MARK", 0x200F: "RIGHT-TO-LEFT MARK", 0x2060: "WORD JOINER",
    0xFEFF: "ZERO WIDTH NO-BREAK SPACE (BOM)",
    **{cp: unicodedata.name(chr(cp)) for cp in range(0x202A, 0x202F)},  # embeddings and overrides
    **{cp: unicodedata.name(chr(cp)) for cp in range(0x2066, 0x206A)},  # isolates
    **{cp: unicodedata.name(chr(cp)) for cp in range(0x2061, 0x2065)},  # invisible operators
}


def _name(code: int) -> str:
    if code in INVISIBLE:
        return INVISIBLE[code]
    return unicodedata.name(chr(code), "CONTROL CHARACTER")


# Controls (tab and line feed are the only ones allowed), the invisible characters, private use.
FORBIDDEN_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ue000-\uf8ff"
                          + "".join(re.escape(chr(cp)) for cp in sorted(INVISIBLE)) + "]")


def bad_characters(text: str) -> Iterator[tuple[int, int, str]]:
    """(line, column, description) of every refused character, lines and columns 1-based."""
    for match in FORBIDDEN_RE.finditer(text):
        start = match.start()
        line_start = text.rfind("\n", 0, start) + 1
        code = ord(match.group(0))
        yield text.count("\n", 0, start) + 1, start - line_start + 1, f"U+{code:04X} ({_name(code)})"


def describe(text: str) -> str | None:
    """The first refused character of a one-line value, as `U+XXXX (NAME) at column N`, or None."""
    for _line, column, what in bad_characters(text):
        return f"{what} at column {column}"
    return None


def scripts(text: str) -> set[str]:
    """The scripts of a text's letters (LATIN, CYRILLIC, GREEK, …), by their Unicode names."""
    found = set()
    for char in text:
        if char.isalpha():
            found.add(unicodedata.name(char, "UNKNOWN").split(" ")[0])
    return found


def mixed_scripts(text: str) -> str | None:
    """A description of the scripts when a name mixes them (a look-alike letter), else None."""
    found = scripts(text)
    return " and ".join(sorted(found)) if len(found) > 1 else None
