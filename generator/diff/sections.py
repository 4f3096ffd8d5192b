"""Clause-by-clause, word-by-word differences between two versions of a policy (pure functions)."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from ..content.markup import ANCHOR_LINE_RE

TOKEN_RE = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)
WORD_RE, SPACE_RE = re.compile(r"\w", re.UNICODE), re.compile(r"\s", re.UNICODE)  # TOKEN_RE's kinds
Op = tuple[str, str]  # ("=", text) kept, ("-", text) deleted, ("+", text) inserted


@dataclass(frozen=True)
class Section:
    """One comparable part of a version: the preamble (id "") or a clause."""

    id: str
    level: int
    title: str
    text: str


@dataclass(frozen=True)
class Change:
    """What happened to one clause between two versions."""

    id: str
    status: str  # "added", "removed", "changed", "moved", "unchanged"
    title: str  # the new title (the old one when removed)
    old_title: str
    level: int
    words: tuple[Op, ...]  # the word-level redline of its text (title included)


@dataclass(frozen=True)
class PolicyDiff:
    """All clause changes between two versions, in the new version's order (removed ones where they were)."""

    changes: tuple[Change, ...]

    def counts(self) -> Counter[str]:
        """How many clauses were added, removed, changed and moved."""
        return Counter(c.status for c in self.changes if c.status != "unchanged")

    @property
    def changed(self) -> tuple[Change, ...]:
        """Only the clauses that differ."""
        return tuple(c for c in self.changes if c.status != "unchanged")


def sections(chunks: tuple[str, ...], outline: tuple[tuple[str, int, str], ...]) -> list[Section]:
    """Pair rendered chunks (preamble first) with the clause outline."""
    result = [Section("", 0, "", normalize(chunks[0]))] if chunks and chunks[0].strip() else []
    for chunk, (clause_id, level, title) in zip(chunks[1:], outline, strict=True):
        _heading, _, text = chunk.partition("\n")
        result.append(Section(clause_id, level, normalize(title), normalize(text)))
    return result


@lru_cache(maxsize=16384)  # a clause's text recurs in every version until it changes
def normalize(text: str) -> str:
    """Text as compared: NFC, runs of spaces collapsed, lines and paragraphs kept (lists stay lists)."""
    text = unicodedata.normalize("NFC", text)
    # A paragraph anchor `{: #id }` is not text a reader sees: not compared, never shown in a redline.
    paragraphs = ["\n".join(" ".join(line.split()) for line in p.split("\n")
                            if line.strip() and not ("{" in line and ANCHOR_LINE_RE.match(line)))
                  for p in re.split(r"\n[ \t]*\n", text.strip())]
    return "\n\n".join(p for p in paragraphs if p)


def diff_sections(old: list[Section], new: list[Section], words: bool = True) -> PolicyDiff:
    """Align clauses by id: added, removed, moved (out of the common order) or changed in words.

    Without `words`, kept clauses carry no word-level redline (the site's pages render their own,
    redline.py; only `policygen diff` reads these): a build does not compute what it never shows.
    """
    old_by_id = {s.id: s for s in old}
    new_ids = {s.id for s in new}
    in_order = _stable([s.id for s in old if s.id in new_ids], [s.id for s in new if s.id in old_by_id])
    # A removed clause is shown after the clause that preceded it in the old version.
    removed_after: dict[str | None, list[Section]] = {}
    anchor: str | None = None
    for section in old:
        if section.id in new_ids:
            anchor = section.id
        else:
            removed_after.setdefault(anchor, []).append(section)
    changes = [_removed(s) for s in removed_after.get(None, [])]
    for section in new:
        before = old_by_id.get(section.id)
        if before is None:
            changes.append(Change(section.id, "added", section.title, "", section.level, (("+", _full(section)),)))
        else:
            differs = before.text != section.text or before.title != section.title
            status = "moved" if section.id not in in_order else ("changed" if differs else "unchanged")
            redline = _section_diff(before, section) if words else ()
            changes.append(Change(section.id, status, section.title, before.title, section.level, redline))
        changes.extend(_removed(s) for s in removed_after.get(section.id, []))
    return PolicyDiff(tuple(changes))


def _removed(section: Section) -> Change:
    return Change(section.id, "removed", section.title, section.title, section.level, (("-", _full(section)),))


def _section_diff(old: Section, new: Section) -> tuple[Op, ...]:
    """The redline of a kept clause: its text, and its title only when the title changed."""
    body = word_diff(old.text, new.text)
    if old.title == new.title:
        return tuple(body)
    return (*word_diff(old.title, new.title), ("=", "\n\n"), *body)


def _full(section: Section) -> str:
    """A section's title and text, as one comparable string."""
    return f"{section.title}\n\n{section.text}" if section.title else section.text


def _stable(old_ids: list[str], new_ids: list[str]) -> set[str]:
    """Ids that kept their relative order (the longest common subsequence); the others moved."""
    matcher = SequenceMatcher(a=old_ids, b=new_ids, autojunk=False)
    return {new_ids[block.b + i] for block in matcher.get_matching_blocks() for i in range(block.size)}


def tokens(text: str) -> list[str]:
    """Words, runs of space and single punctuation marks; Vietnamese syllables stay whole."""
    return TOKEN_RE.findall(text)


def word_diff(old: str, new: str) -> list[Op]:
    """The word-level redline turning `old` into `new`; joining "=" and "+" parts gives `new`."""
    if old == new:  # most clauses of a new version are unchanged: no need to diff them
        return [("=", old)] if old else []
    # Edits are local: the common head and tail (whole tokens) are found on the characters, so
    # only the changed middle is split into tokens and given to SequenceMatcher (quadratic on the
    # many repeated space tokens).
    head, tail = _common_ends(old, new)
    middle_a, middle_b = tokens(old[head: len(old) - tail]), tokens(new[head: len(new) - tail])
    ops: list[Op] = [("=", old[:head])] if head else []
    for tag, i1, i2, j1, j2 in SequenceMatcher(a=middle_a, b=middle_b, autojunk=False).get_opcodes():
        if tag == "equal":
            ops.append(("=", "".join(middle_a[i1:i2])))
            continue
        if i2 > i1:
            ops.append(("-", "".join(middle_a[i1:i2])))
        if j2 > j1:
            ops.append(("+", "".join(middle_b[j1:j2])))
    if tail:
        ops.append(("=", old[len(old) - tail:]))
    return _merge_across_spaces(_join_equal(ops))


def _common_ends(old: str, new: str) -> tuple[int, int]:
    """Lengths of the longest common head and tail made of whole tokens, not overlapping."""
    head = _common_length(old, new, lambda text, n: text[:n])
    while head and not (_boundary(old, head) and _boundary(new, head)):
        head -= 1
    tail = _common_length(old[head:], new[head:], lambda text, n: text[len(text) - n:])
    while tail and not (_boundary(old, len(old) - tail) and _boundary(new, len(new) - tail)):
        tail -= 1
    return head, tail


def _common_length(a: str, b: str, end: Callable[[str, int], str]) -> int:
    """The length of the longest common prefix (or suffix), by bisection on slices (compared in C)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if end(a, middle) == end(b, middle):
            low = middle
        else:
            high = middle - 1
    return low


def _boundary(text: str, index: int) -> bool:
    """Whether a token of TOKEN_RE starts or ends at `index` (runs of word or space, single marks)."""
    if index in (0, len(text)):
        return True
    before, after = _kind(text[index - 1]), _kind(text[index])
    return before != after or after == 2


def _kind(char: str) -> int:
    return 0 if WORD_RE.match(char) else 1 if SPACE_RE.match(char) else 2


def _join_equal(ops: list[Op]) -> list[Op]:
    """Adjacent runs of the same kind as one."""
    joined: list[Op] = []
    for op, text in ops:
        if joined and joined[-1][0] == op:
            joined[-1] = (op, joined[-1][1] + text)
        else:
            joined.append((op, text))
    return joined


def _merge_across_spaces(ops: list[Op]) -> list[Op]:
    """Join changes separated only by a space into one deletion and one insertion.

    Word by word, "cho bất kỳ hoạt động" -> "vào bất kỳ mục đích" is otherwise an unreadable
    alternation of one-syllable changes; a reader wants the changed phrase.
    """
    merged: list[Op] = []
    index = 0
    while index < len(ops):
        if ops[index][0] == "=":
            merged.append(ops[index])
            index += 1
            continue
        old, new, end = [], [], index
        while end < len(ops):
            op, text = ops[end]
            bridge = op == "=" and not text.strip() and "\n" not in text and end + 1 < len(ops) \
                and ops[end + 1][0] != "="
            if op == "=" and not bridge:
                break
            if op != "+":
                old.append(text)
            if op != "-":
                new.append(text)
            end += 1
        merged.extend((op, "".join(parts)) for op, parts in (("-", old), ("+", new)) if "".join(parts))
        index = end
    return merged


def apply(ops: list[Op] | tuple[Op, ...]) -> tuple[str, str]:
    """The (old, new) texts a redline was made from."""
    old = "".join(text for op, text in ops if op != "+")
    new = "".join(text for op, text in ops if op != "-")
    return old, new
