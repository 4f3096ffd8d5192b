"""A `--history` read from a git repository: each commit that changed the policy's file is a dated version.

The loader of `--history REPO --history-path PATTERN`: it writes each such commit's files into a folder
laid out as a `--history` folder (`<date>-<time>-<commit>/<lang>.md`), which the import then reads as
any other. The folder name carries the commit, so a second run recognizes what it imported.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Sequence
from pathlib import Path

from ..errors import Problem
from .dated import SUFFIXES


def export(repo: Path, pattern: str, langs: Sequence[str], into: Path) -> list[Problem]:
    """Write every commit's version of the policy's files into `into`, oldest first; problems if there are none."""
    paths = {lang: pattern.replace("{lang}", lang) for lang in langs}  # not str.format: any other {…} is literal
    try:
        commits = _commits(repo, list(paths.values()))
    except (OSError, subprocess.CalledProcessError) as exc:
        return [Problem(str(repo), 0, f"cannot read its history with git ({exc})",
                        "Give --history the folder of a git repository, and --history-path the file in it.")]
    if not commits:
        return [Problem(str(repo), 0, f"no commit changed {' or '.join(paths.values())}",
                        "Check --history-path: a path inside the repository, `{lang}` for the language.")]
    for commit, when in commits:
        folder = into / f"{when:%Y-%m-%d-%H%M%S}-{commit[:12]}"
        for lang, path in paths.items():
            blob = _show(repo, commit, path)
            if blob is not None:
                folder.mkdir(parents=True, exist_ok=True)
                suffix = Path(path).suffix if Path(path).suffix in SUFFIXES else ".md"
                (folder / f"{lang}{suffix}").write_bytes(blob)
    return []


def _commits(repo: Path, paths: list[str]) -> list[tuple[str, dt.datetime]]:
    """The commits that changed any of `paths`, oldest first, with their dates (the committer's own clock)."""
    out = subprocess.run(["git", "-C", str(repo), "log", "--reverse", "--format=%H %cI", "--", *paths],
                         check=True, capture_output=True, text=True).stdout
    return [(line.split()[0], dt.datetime.fromisoformat(line.split()[1])) for line in out.splitlines() if line]


def _show(repo: Path, commit: str, path: str) -> bytes | None:
    """A file as it was at `commit`, or None where it did not exist."""
    result = subprocess.run(["git", "-C", str(repo), "show", f"{commit}:{path}"], capture_output=True)
    return result.stdout if result.returncode == 0 else None
