"""Typed results of an import: the converted document, the ids it invented and what the editor must decide."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Numbering = Literal["articles", "sections", "none"]


@dataclass(frozen=True)
class Note:
    """Something the importer did or could not do, at a place in the source."""

    source: str
    line: int
    message: str
    fix: str = ""

    def __str__(self) -> str:
        tail = f" {self.fix.rstrip('.')}." if self.fix else ""
        return f"{self.source}:{self.line}: {self.message.rstrip('.')}.{tail}"


@dataclass(frozen=True)
class Heading:
    """A heading of the source: its level after normalising, title, the anchor it had, where it was."""

    level: int
    title: str
    anchor: str | None
    line: int
    numbered: bool = False  # the source typed a number in front of the title


@dataclass(frozen=True)
class Block:
    """A stretch of the converted body: Markdown text, or a heading (whose id is chosen later)."""

    text: str = ""
    heading: Heading | None = None


@dataclass(frozen=True)
class Parsed:
    """One language of one version, converted to our Markdown but before ids are chosen."""

    lang: str
    source: str
    title: str | None
    stated: dt.date | None  # a date the source states machine-readably (Mozilla's `datetime`)
    blocks: tuple[Block, ...]
    notes: tuple[Note, ...] = ()

    @property
    def headings(self) -> list[Heading]:
        """Its headings, in order."""
        return [b.heading for b in self.blocks if b.heading is not None]


@dataclass(frozen=True)
class SourceFile:
    """One file to import, in one language."""

    lang: str
    path: Path


@dataclass(frozen=True)
class SourceVersion:
    """One dated version of the policy: its files by language, and a name that identifies it for ever."""

    date: dt.date
    name: str
    files: tuple[SourceFile, ...]


@dataclass(frozen=True)
class Output:
    """A converted file ready to write: where, and its whole text."""

    rel: str
    text: str


@dataclass
class Outcome:
    """What an import did: versions committed or skipped, ids invented, and decisions left to the editor."""

    committed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    invented: list[Note] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    uncommitted: list[str] = field(default_factory=list)  # files written for the editor to review and commit
