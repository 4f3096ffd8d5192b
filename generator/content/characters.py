"""Characters that must not reach legal text: controls, bidirectional overrides, invisible ones; mixed scripts."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
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
    return CONTROL_NAMES[code] if code in CONTROL_NAMES else unicodedata.name(chr(code), "CONTROL CHARACTER")


CONTROL_NAMES = {0x09: "CHARACTER TABULATION", 0x0A: "LINE FEED"}


def at(text: str, index: int) -> str:
    """The character at `index` of a one-line value, as `U+XXXX (NAME) at column N`."""
    code = ord(text[index])
    return f"U+{code:04X} ({_name(code)}) at column {index + 1}"


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
    match = FORBIDDEN_RE.search(text)
    return at(text, match.start()) if match else None


def letter_scripts(text: str) -> list[tuple[int, str]]:
    """(index, script) of each letter of a text: LATIN, CYRILLIC, GREEK, …, by its Unicode name."""
    return [(i, unicodedata.name(char, "UNKNOWN").split(" ")[0]) for i, char in enumerate(text) if char.isalpha()]


def odd_letter(text: str) -> int | None:
    """The index of the first letter outside the text's main script (a look-alike letter), or None."""
    letters = letter_scripts(text)
    if len({script for _, script in letters}) < 2:
        return None
    main = Counter(script for _, script in letters).most_common(1)[0][0]
    return next(i for i, script in letters if script != main)


def mixed_scripts(text: str) -> str | None:
    """A description of the scripts when a name mixes them (a look-alike letter), else None."""
    found = {script for _, script in letter_scripts(text)}
    return " and ".join(sorted(found)) if len(found) > 1 else None
