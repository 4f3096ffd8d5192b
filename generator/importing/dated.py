"""The versions in a `--history` folder: `<date>-<x>/<lang>.md` folders or `<date>-<x>.md` files, by date."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path

from ..errors import Problem
from .model import SourceFile, SourceVersion

DATED_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[-_.].*)?$")
SUFFIXES = (".md", ".markdown", ".html", ".htm")


def versions(folder: Path, langs: Sequence[str]) -> tuple[list[SourceVersion], list[Problem]]:
    """Every dated version in `folder`, oldest first; versions of one day in the order of their names."""
    found, problems = [], []
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        match = DATED_RE.match(entry.stem if entry.is_file() else entry.name)
        if not match or entry.name.startswith("."):
            continue
        try:
            date = dt.date.fromisoformat(match.group(1))
        except ValueError:
            problems.append(Problem(str(entry), 0, f"{match.group(1)!r} is not a date", "Name it YYYY-MM-DD-…"))
            continue
        files = _files(entry, langs)
        if files:
            found.append(SourceVersion(date, entry.name, tuple(files)))
    return sorted(found, key=lambda v: v.date), problems


def _files(entry: Path, langs: Sequence[str]) -> list[SourceFile]:
    """The files of one version: one per language in a folder, or the file itself for the one language."""
    if entry.is_file():
        return [SourceFile(langs[0], entry)] if entry.suffix in SUFFIXES and len(langs) == 1 else []
    files = []
    for lang in langs:
        for suffix in SUFFIXES:
            if (entry / f"{lang}{suffix}").is_file():
                files.append(SourceFile(lang, entry / f"{lang}{suffix}"))
                break
    return files
