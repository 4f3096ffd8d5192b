"""What a build publishes: the versions merged into the publishing branch; on any other branch, proposed ones.

A version is published when its `updated` date first appears on the first-parent line of the
publishing branch (site.yml `publishing_branch`); its text is that commit's. A build of another
branch (or of a pull request's merge commit) reads the history only up to the newest commit of that
line it contains; a new date in its working text is a *proposed* version, shown as it will be
published and recorded nowhere. Only a build of the publishing branch adds to versions.lock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from ..content.assemble import Publication
from ..errors import BuildError, PolicygenError, Problem
from .git import LOCK_FILE, RESTORE, GitHistory, History, Line, parse_lock, read_lock, tree_at, write_lock
from .version_ids import settle_ids
from .versions import Key, Version, VersionReader, check_record, texts_at

Record = dict[str, dict[str, str]]  # versions.lock: "brand/policy/lang/version" -> {sha256, commit}


@dataclass(frozen=True)
class Release:
    """The versions a build shows, and what it adds to versions.lock."""

    line: Line
    versions: dict[Key, list[Version]]  # published; then, off the publishing branch, the proposed ones
    record: Record  # versions.lock as it stands
    new: Record  # what this build adds to it (only a recording build of the publishing branch adds)
    notes: tuple[str, ...] = ()  # one line per file that proposes a version
    relock: bool = False  # versions.lock is being recorded again from the history, as asked (--relock)

    def save(self, root: Path) -> None:
        """Add the new versions to versions.lock, whole or not at all; a BuildError if it cannot be written."""
        if not self.new:
            return
        try:
            write_lock(root, {**self.record, **self.new})
        except OSError as exc:
            raise BuildError([Problem(LOCK_FILE, 0, f"cannot be written ({exc.strerror})",
                                      "Make it and its folder writable (or free disk space), then build again; "
                                      "the site was left as it was.")]) from None

    def said(self) -> list[str]:
        """What the build says about versions.lock once the site is in place."""
        if self.relock and not self.new:
            return [f"nothing to re-record: {LOCK_FILE} lists every published version"]
        if self.relock:
            listed = [f"  {key}  sha256 {entry['sha256'][:12]}  commit {entry['commit'][:12]}"
                      for key, entry in sorted(self.new.items())]
            return [f"re-recorded {len(self.new)} published version(s) in {LOCK_FILE} from the history "
                    "(check them, then commit it):", *listed]
        return [f"recorded {len(self.new)} newly published version(s) in {LOCK_FILE}: commit it"] if self.new else []


class KeptWalk(Protocol):
    """The last build's history walk, carried on (the build's cache: pipeline/cache.py)."""

    def versions(self, history: History, until: str) -> VersionReader:
        """The versions in `history` up to `until`, read from where the last build stopped."""


def published(root: Path, branch: str, cache: KeptWalk | None, drafts: dict[Key, Version],
              publication: Publication, today: dt.date, record: bool, relock: bool) -> tuple[VersionReader, Release]:
    """The history walk (carried on from the last build's, with a cache) and what it publishes or proposes."""
    history = GitHistory(root)
    line = history.line(branch)  # a build of another branch reads what it has of this line
    reader = cache.versions(history, line.cut) if cache else VersionReader().read(history.snapshots(until=line.cut))
    return reader, release(root, history, line, reader.found, drafts, today, publication, record, relock)


def release(root: Path, history: History, line: Line, found: dict[Key, list[Version]], drafts: dict[Key, Version],
            today: dt.date, publication: Publication, record: bool, relock: bool) -> Release:
    """Check the published versions against versions.lock; off the publishing branch, add the proposed ones.

    `record`: this build adds new versions to the lock (so a lost or cut lock must be noticed first).
    """
    if relock and not line.publishing:
        raise BuildError([Problem(LOCK_FILE, 0, f"--relock records published versions, and this is not the "
                                  f"publishing branch {line.branch!r}", f"Run it on {line.branch}.")])
    lock = _recorded(root, history, line, relock, record and line.publishing)
    versions = settle_ids(found, lock)
    stray = set() if line.publishing else set(lock) - {v.key for found_ in versions.values() for v in found_}
    problems, new = check_record(versions, {k: v for k, v in lock.items() if k not in stray})
    if stray or problems:
        raise BuildError([*_stray(stray, line.branch), *problems])
    if line.publishing:
        return Release(line, versions, lock, new if record else {}, relock=relock)
    shown, proposed = propose(versions, drafts, today)
    notes = sorted({f"{publication[(v.brand, v.policy, v.lang)].path}: proposes version {v.id}, published once "
                    f"merged into {line.branch}" for v in proposed})
    return Release(line, shown, lock, {}, tuple(notes))


def propose(versions: dict[Key, list[Version]], drafts: dict[Key, Version], today: dt.date
            ) -> tuple[dict[Key, list[Version]], list[Version]]:
    """The working texts that merging would publish, added to their timelines: a later `updated` date, or
    today's date (the latest version's) with another text, which would be another version of today."""
    shown = dict(versions)
    proposed = []
    for key, draft in drafts.items():
        line = versions.get(key, [])
        last = line[-1] if line else None
        if last is None or draft.meta.updated > last.meta.updated:
            seq = 1
        elif draft.meta.updated == last.meta.updated == today and draft.body != last.body:
            seq = last.seq + 1
        else:
            continue  # no new date: a draft, as on the publishing branch
        version = replace(draft, draft=False, seq=seq)
        shown[key] = [*line, version]
        proposed.append(version)
    return shown, proposed


def published_texts(root: Path, base: str, branch: str) -> dict[Key, Version]:
    """The texts published as of `base`: its own if it is on the publishing branch's line, else those of the
    newest commit of that line it contains (so a proposed version can be revised under its new date)."""
    cut = GitHistory(root).line(branch, base).cut
    return texts_at(tree_at(root, cut)) if cut else {}


def _recorded(root: Path, history: History, line: Line, relock: bool, guarded: bool) -> Record:
    """versions.lock as it stands; when `guarded`, one that was deleted or cut short is an error (unless relocking)."""
    try:
        lock = read_lock(root)
    except BuildError:
        if relock:
            return {}  # unreadable: every published version is recorded again
        raise
    if relock or not guarded:
        return lock
    problems = _lost(root, lock, history, line.head)
    if problems:
        raise BuildError(problems)
    return lock


def _lost(root: Path, lock: Record, history: History, head: str) -> list[Problem]:
    """A versions.lock that was committed but is gone, or lacks versions its committed form has."""
    committed = history.file_at(head, LOCK_FILE)
    if not (root / LOCK_FILE).exists():
        if committed is None and not history.touched(LOCK_FILE, head):
            return []  # never recorded yet: this build records every published version
        return [Problem(LOCK_FILE, 0, "the file is missing, but it was committed: the published versions it "
                        "recorded would be recorded again, unchecked", RESTORE)]
    try:
        before = parse_lock(committed) if committed is not None else {}
    except BuildError:
        before = {}  # the committed file is damaged: nothing to compare with
    missing = sorted(set(before) - set(lock))
    if missing:
        return [Problem(LOCK_FILE, 0, f"{len(missing)} published version(s) recorded in the committed file are "
                        f"missing from it ({', '.join(missing[:3])}{', …' if len(missing) > 3 else ''})", RESTORE)]
    return []


def _stray(keys: set[str], branch: str) -> list[Problem]:
    """Off the publishing branch: versions.lock records versions it has not published (recorded on a branch)."""
    return [Problem(LOCK_FILE, 0, f"it records {key}, which is not published on {branch}",
                    f"Only a build of {branch} records versions: take the file as it is there "
                    f"(git checkout {branch} -- {LOCK_FILE}).") for key in sorted(keys)]


def on_publishing_branch(root: Path, branch: str) -> bool:
    """Whether the checkout is on `branch`'s first-parent line: its gaps to confirm may then be errors."""
    try:
        return GitHistory(root).line(branch).publishing
    except PolicygenError:
        return False  # no such branch (yet) or no history: `build` says what is wrong; `check` is not publishing
