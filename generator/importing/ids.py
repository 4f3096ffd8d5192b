"""Clause ids: the source's anchors where it has them, else made from the heading; one id per clause in every
language, and the same id for the same heading from one version to the next."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..content.headings import slugify
from .model import Heading, Note, Parsed

MAX_ID = 48  # long enough for a few words, short enough for an address
ID_OK_RE = re.compile(r"^[a-z][a-z0-9-]{0,62}$")


@dataclass
class Memory:
    """The ids given to headings in the versions imported so far, by language and title."""

    by_title: dict[tuple[str, str], str] = field(default_factory=dict)

    def recall(self, lang: str, title: str) -> str | None:
        """The id a heading of this title had before in this language."""
        return self.by_title.get((lang, _key(title)))

    def remember(self, lang: str, title: str, ident: str) -> None:
        """Keep the id given to this heading for the next versions."""
        self.by_title[(lang, _key(title))] = ident


def _key(title: str) -> str:
    """A title compared without case or spacing."""
    return " ".join(title.lower().split())


def make_id(title: str) -> str:
    """An id from a heading: Vietnamese letters folded (đ → d), lowercase ASCII words joined by hyphens."""
    slug = re.sub(r"[^a-z0-9]+", "-", slugify(title, "-").lower()).strip("-")
    if len(slug) > MAX_ID:
        slug = slug[:MAX_ID].rsplit("-", 1)[0]
    if not slug or not slug[0].isalpha():
        slug = f"clause-{slug}".strip("-")
    return slug


def fix_anchor(anchor: str) -> str:
    """A source's anchor as a valid id (lowercase letters, digits and hyphens, starting with a letter)."""
    return anchor if ID_OK_RE.match(anchor) else make_id(anchor.replace("_", "-"))


def paired(docs: Sequence[Parsed]) -> bool:
    """The languages have parallel headings (same count, same levels), so position pairs them."""
    shapes = {tuple(h.level for h in doc.headings) for doc in docs}
    return len(shapes) == 1


def assign(docs: Sequence[Parsed], memory: Memory, prefer: str) -> tuple[dict[str, list[str]], list[Note]]:
    """Each language's clause ids in order of its headings, and a note for every id that was invented."""
    if len(docs) > 1 and not paired(docs):
        return _alone(docs, memory)
    ordered = sorted(docs, key=lambda d: d.lang != prefer)  # the preferred language names invented ids
    taken: set[str] = set()
    ids: list[str] = []
    notes: list[Note] = []
    keys = list(zip(*(_keys(d.headings) for d in ordered), strict=True))
    for position, headings in enumerate(zip(*(d.headings for d in ordered), strict=True)):
        ident, invented = _choose(ordered, headings, keys[position], memory, taken)
        taken.add(ident)
        ids.append(ident)
        if invented:
            head = headings[0]
            notes.append(Note(ordered[0].source, head.line, f"invented id {ident!r} for heading {head.title!r}"))
    for doc in docs:
        for key, ident in zip(_keys(doc.headings), ids, strict=True):
            memory.remember(doc.lang, key, ident)
    return {d.lang: list(ids) for d in docs}, notes


def _keys(headings: Sequence[Heading]) -> list[str]:
    """Each heading's title with its rank among headings of the same title (a title can recur)."""
    seen: dict[str, int] = {}
    keys = []
    for heading in headings:
        seen[_key(heading.title)] = seen.get(_key(heading.title), 0) + 1
        keys.append(f"{heading.title}#{seen[_key(heading.title)]}")
    return keys


def _choose(docs: Sequence[Parsed], headings: Sequence[Heading], keys: Sequence[str], memory: Memory,
            taken: set[str]) -> tuple[str, bool]:
    """The id of one clause (its headings in every language): an anchor, a remembered id, or a new one."""
    for heading in headings:
        if heading.anchor:
            return _unique(fix_anchor(heading.anchor), taken), False
    for doc, key in zip(docs, keys, strict=True):
        known = memory.recall(doc.lang, key)
        if known and known not in taken:
            return known, False
    return _unique(make_id(headings[0].title), taken), True


def _unique(ident: str, taken: set[str]) -> str:
    """`ident`, or `ident-2`, `ident-3` … when it is taken."""
    if ident not in taken:
        return ident
    number = 2
    while f"{ident}-{number}" in taken:
        number += 1
    return f"{ident}-{number}"


def _alone(docs: Sequence[Parsed], memory: Memory) -> tuple[dict[str, list[str]], list[Note]]:
    """Languages whose headings do not correspond: each gets its ids on its own, and the editor is told."""
    result: dict[str, list[str]] = {}
    notes = [Note(docs[0].source, 1, "the languages do not have the same headings "
                  f"({', '.join(f'{d.lang}: {len(d.headings)}' for d in docs)}), so ids could only be paired by "
                  "anchor or title", "Make both files have the same clauses with the same ids")]
    for doc in docs:
        got, invented = assign([doc], memory, doc.lang)
        result[doc.lang] = got[doc.lang]
        notes.extend(invented)
    return result, notes
