"""The content model: frozen dataclasses that every later stage works on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class FrontMatter:
    """The metadata block at the top of a policy file."""

    title: str
    updated: dt.date
    effective: dt.date
    summary: str = ""
    material: bool = False
    numbering: str = "articles"


@dataclass(frozen=True)
class Clause:
    """One clause heading and the text up to the next heading."""

    id: str
    level: int  # 2 = clause (Article), 3 = sub-clause, 4 = point
    title: str
    numbered: bool
    heading: str  # the heading line as written
    text: str  # the Markdown between this heading and the next one
    line: int  # 1-based line of the heading in its file
    classes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reference:
    """A `[[id]]` cross-reference in a policy's text."""

    target: str
    line: int
    column: int


@dataclass(frozen=True)
class Sidecar:
    """Notes on a file's clauses kept in its front matter, outside the published text (legal checks)."""

    confirm: dict[str, tuple[str, int]] = field(default_factory=dict)  # clause id or field -> (what, line)
    topics: dict[str, tuple[tuple[str, ...], int]] = field(default_factory=dict)  # clause id -> (topics, line)


@dataclass(frozen=True)
class Document:
    """One policy file in one language, as loaded."""

    path: str  # relative to the repository root, for messages
    lang: str
    policy: str
    brand: str | None  # None: shared by every brand that publishes the policy
    meta: FrontMatter | None  # None only for override files without front matter
    preamble: str
    preamble_line: int
    clauses: tuple[Clause, ...]
    references: tuple[Reference, ...] = ()
    is_override: bool = False
    sidecar: Sidecar = Sidecar()

    def clause_ids(self) -> list[str]:
        """Clause ids in document order."""
        return [c.id for c in self.clauses]


@dataclass(frozen=True)
class Content:
    """Every loaded policy file, by (lang, brand or None, policy, is_override)."""

    documents: dict[tuple[str, str | None, str, bool], Document] = field(default_factory=dict)

    def get(self, lang: str, brand: str | None, policy: str, override: bool = False) -> Document | None:
        """The document at that place, if any."""
        return self.documents.get((lang, brand, policy, override))


@dataclass(frozen=True)
class Number:
    """The generated number of a clause: its position at each level."""

    parts: tuple[int, ...]  # (3,) for Article 3, (3, 2) for 3.2
    style: str  # "articles" or "sections"


@dataclass(frozen=True)
class Resolved:
    """A brand's policy in one language, with overrides applied: what is published."""

    brand: str
    policy: str
    lang: str
    meta: FrontMatter
    preamble: str
    preamble_line: int
    clauses: tuple[Clause, ...]
    sources: dict[str, str]  # clause id -> path of the file it came from
    path: str  # the main file

    def numbers(self) -> dict[str, Number]:
        """Generated numbers of every numbered clause, by id."""
        outline = [(c.id, c.level, c.numbered) for c in self.clauses]
        return number_clauses(outline, self.meta.numbering)


def number_clauses(outline: Iterable[tuple[str, int, bool]], style: str) -> dict[str, Number]:
    """Number (id, level, numbered) headings by order; unnumbered ones and their children get none.

    The one numbering rule: the Markdown extension and every check call this. With `none`, nothing is.
    """
    if style == "none":
        return {}
    counters = [0, 0, 0]
    numbers: dict[str, Number] = {}
    skip_below: int | None = None
    for clause_id, level, numbered in outline:
        if skip_below is not None and level > skip_below:
            continue
        skip_below = None
        if not numbered:
            skip_below = level
            continue
        depth = level - 2
        counters[depth] += 1
        for deeper in range(depth + 1, 3):
            counters[deeper] = 0
        numbers[clause_id] = Number(tuple(counters[: depth + 1]), style)
    return numbers


@dataclass(frozen=True)
class Wording:
    """content/<lang>/consent.yml: the legend and each purpose's label (Jinja templates)."""

    path: str
    legend: str
    labels: dict[str, tuple[str, int]]  # purpose id -> (label template, line)
    legend_line: int = 1
    bases: dict[str, str] = field(default_factory=dict)  # purpose id -> acknowledgement, contract, … (the record's)


@dataclass(frozen=True)
class BannerWording:
    """content/<lang>/banner.yml: texts (Jinja templates) and the purposes' labels."""

    path: str
    texts: dict[str, str]  # title, text, accept, reject, save, reopen
    purposes: dict[str, tuple[str, str]]  # purpose id -> (label, description)
    lines: dict[str, int] = field(default_factory=dict)  # text key -> its line in the file
    bases: dict[str, str] = field(default_factory=dict)  # purpose id -> contract, consent, … (banner.yml `basis:`)
