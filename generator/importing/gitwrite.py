"""Writing imported versions: the files, and one git commit per version dated as the version."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

from ..errors import ContentError, Problem
from .model import Output

TRAILER = "Imported-from"
ZONE = dt.timezone(dt.timedelta(hours=7))  # Vietnam: where the sites are published
NOON = dt.time(12, 0, tzinfo=ZONE)


def _git(root: Path, *args: str, env: dict[str, str] | None = None) -> str:
    """Run git in `root`; its output, or an error naming the command."""
    result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True,
                            env={**os.environ, **(env or {})})
    if result.returncode:
        raise ContentError([Problem(str(root), 0, f"git {args[0]} failed: {result.stderr.strip()}",
                                    "Run the import inside the content repository's git checkout")])
    return result.stdout


def imported(root: Path) -> set[str]:
    """The names of the versions already imported (from the commits' `Imported-from:` trailers)."""
    if not _has_head(root):
        return set()
    log = _git(root, "log", f"--format=%(trailers:key={TRAILER},valueonly)")
    return {line.strip() for line in log.splitlines() if line.strip()}


def _has_head(root: Path) -> bool:
    """The repository has a commit."""
    return subprocess.run(["git", "rev-parse", "--verify", "-q", "HEAD"], cwd=root, capture_output=True).returncode == 0


def write(root: Path, outputs: Sequence[Output]) -> None:
    """Write the converted files (only the publisher-side of an import touches files)."""
    for output in outputs:
        path = root / output.rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(output.text, encoding="utf-8")


def moment(date: dt.date, rank: int) -> dt.datetime:
    """When a version is committed: its day at noon in Vietnam, a minute later for each earlier one that day."""
    return dt.datetime.combine(date, NOON) + dt.timedelta(minutes=rank)


def commit(root: Path, outputs: Sequence[Output], message: str, name: str, when: dt.datetime) -> bool:
    """Commit the files as one version dated `when`; False when they are exactly as already committed."""
    write(root, outputs)
    _git(root, "add", "--", *(o.rel for o in outputs))
    staged = subprocess.run(["git", "diff", "--cached", "--quiet"], cwd=root, capture_output=True)
    if staged.returncode == 0 and _has_head(root):
        return False
    stamp = when.isoformat()
    _git(root, "commit", "-q", "-m", message, "--trailer", f"{TRAILER}: {name}", "--", *(o.rel for o in outputs),
         env={"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp})
    return True
