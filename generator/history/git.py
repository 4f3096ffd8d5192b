"""Git as the store of published versions: one pass over the log, blobs read in one batch.

Modelled on Open Terms Archive's recorder: a repository interface (`History`) with a git data
mapper (`GitHistory`); callers type against the interface, and only the entry points (the build's
cache, release, check, queries) make the mapper. `MemoryHistory` is a snapshot source for tests.
Nothing else in the generator runs git.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..errors import BuildError, Problem

TRACKED = ("site.yml", "content")
LOCK_FILE = "versions.lock"


@dataclass(frozen=True)
class Snapshot:
    """The tracked files as they stood after one commit."""

    commit: str
    committed: dt.datetime
    changed: frozenset[str]  # paths this commit added, changed or deleted
    files: dict[str, bytes] = field(repr=False)  # every tracked path -> its bytes


@dataclass(frozen=True)
class Line:
    """Where a revision stands on the publishing branch's first-parent line: the only history that publishes."""

    branch: str  # the publishing branch (site.yml `publishing_branch`)
    head: str  # the revision's commit
    cut: str  # the newest commit of that line the revision contains; "": none (nothing is published yet)

    @property
    def publishing(self) -> bool:
        """Whether the revision is on the line itself: its build publishes and records versions."""
        return self.cut == self.head


class History(Protocol):
    """Where published versions come from: the repository interface that callers use (GitHistory maps git)."""

    root: Path

    def tips(self) -> str:
        """What decides which versions are published (HEAD and the branch tips), as one text."""

    def line(self, branch: str, rev: str = "HEAD") -> Line:
        """Where `rev` stands on the first-parent line of the publishing `branch`."""

    def follows(self, commit: str, head: str) -> bool:
        """Whether `commit` is on the first-parent line of `head`."""

    def touched(self, path: str, until: str) -> bool:
        """Whether a commit up to `until` added, changed or deleted `path`."""

    def file_at(self, commit: str, path: str) -> str | None:
        """The text of a file at a commit; None if it has no such file."""

    def tree(self, rev: str) -> dict[str, bytes]:
        """The tracked files at a revision."""

    def snapshots(self, since: str = "", until: str = "HEAD") -> Iterator[Snapshot]:
        """The tracked files after each commit up to `until` that changed them (after `since`), oldest first."""


class MemoryHistory:
    """Snapshots held in memory, for tests: a list of (commit id, time, {path: text or None to delete})."""

    def __init__(self, commits: list[tuple[str, dt.datetime, dict[str, str | None]]]) -> None:
        self.commits = commits

    def snapshots(self) -> Iterator[Snapshot]:
        files: dict[str, bytes] = {}
        for commit, when, changes in self.commits:
            for path, text in changes.items():
                if text is None:
                    files.pop(path, None)
                else:
                    files[path] = text.encode("utf-8")
            yield Snapshot(commit, when, frozenset(changes), dict(files))


class GitHistory:
    """The first-parent history of a git repository's tracked files."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        try:
            return subprocess.run(["git", *args], cwd=self.root, capture_output=True, text=True, check=False,
                                  encoding="utf-8")
        except FileNotFoundError:
            raise BuildError([Problem(".", 0, "git is not installed", "Install git.")]) from None

    def _git(self, *args: str, hint: str = "The content must be a git repository with at least one commit.") -> str:
        result = self._run(*args)
        if result.returncode != 0:
            raise BuildError([Problem(".", 0, f"git {args[0]} failed: {result.stderr.strip()}", hint)])
        return result.stdout

    def check(self) -> None:
        """Refuse a shallow clone: versions would be missing from the site."""
        if self._git("rev-parse", "--is-shallow-repository").strip() == "true":
            raise BuildError([Problem(".", 0, "this is a shallow clone, so older published versions are missing",
                                      "Fetch the full history: git fetch --unshallow (in CI: actions/checkout "
                                      "with fetch-depth: 0).")])

    def head(self) -> str:
        """The commit id of HEAD."""
        return self._git("rev-parse", "--verify", "HEAD").strip()

    def tips(self) -> str:
        """HEAD and the tips of the branches (local and origin's): what decides which versions are published."""
        return self._git("rev-parse", "HEAD", "--branches", "--remotes=origin")

    def line(self, branch: str, rev: str = "HEAD") -> Line:
        """Where `rev` stands on the first-parent line of `branch` (the local branch, else origin's)."""
        hint = {} if rev == "HEAD" else {"hint": "Check the revision names: `git log --oneline` lists them."}
        head = self._git("rev-parse", "--verify", f"{rev}^{{commit}}", **hint).strip()
        listing = self._git("for-each-ref", "--format=%(refname) %(objectname)", f"refs/heads/{branch}",
                            f"refs/remotes/origin/{branch}")
        refs = dict(entry.split(" ", 1) for entry in listing.splitlines())
        ref = self._publishing_ref(branch, refs)
        if ref is None:
            raise BuildError([Problem("site.yml", 0, f"the publishing branch {branch!r} is not in this repository",
                                      f"Fetch it (git fetch origin {branch}; in CI: actions/checkout with "
                                      "fetch-depth: 0), or name the branch that publishes in `publishing_branch:`.")])
        # The line's commits that `head` does not contain, newest first, each with its parents: the first
        # parent of the last one is the newest commit of the line that `head` contains.
        listed = self._git("rev-list", "--first-parent", "--parents", ref, f"^{head}").splitlines()
        if not listed:  # `head` contains the whole line
            return Line(branch, head, refs[ref])
        return Line(branch, head, (listed[-1].split()[1:2] or [""])[0])

    def _publishing_ref(self, branch: str, refs: dict[str, str]) -> str | None:
        """The local branch, else origin's; origin's when the local one is only behind it (not pulled since)."""
        local, remote = f"refs/heads/{branch}", f"refs/remotes/origin/{branch}"
        if local in refs and remote in refs and refs[local] != refs[remote] and \
                self._run("merge-base", "--is-ancestor", refs[local], refs[remote]).returncode == 0:
            return remote  # what was fetched is what is published; the local branch is an older view of it
        return next((ref for ref in (local, remote) if ref in refs), None)

    def file_at(self, commit: str, path: str) -> str | None:
        """The text of a file at a commit; None if the commit has no such file."""
        result = self._run("cat-file", "blob", f"{commit}:{path}")
        return result.stdout if result.returncode == 0 else None

    def touched(self, path: str, until: str) -> bool:
        """Whether a commit up to `until` added, changed or deleted `path`."""
        return bool(self._git("log", "-1", "--format=%H", until, "--", path).strip())

    def follows(self, commit: str, head: str) -> bool:
        """Whether `commit` is on the first-parent line of `head` (the history a build reads)."""
        return bool(commit) and commit in self._git("rev-list", "--first-parent", head).split()

    def snapshots(self, since: str = "", until: str = "HEAD") -> Iterator[Snapshot]:
        """Snapshots of the commits up to `until` ("": none), after `since` (a commit on its first-parent line)."""
        self.check()
        if not until:
            return
        log = self._git("log", "--first-parent", "--diff-merges=first-parent", "--reverse", "--raw",
                        "--no-abbrev", "--no-renames", "-z", "--format=%x1e%H %cI",
                        f"{since}..{until}" if since else until, "--", *TRACKED)
        blobs = self._blob_ids(since) if since else {}
        with _BlobReader(self.root) as reader:
            for commit, when, changes in _parse_log(log):
                for path, sha in changes.items():
                    if sha is None:
                        blobs.pop(path, None)
                    else:
                        blobs[path] = sha
                files = {path: reader.read(sha) for path, sha in blobs.items()}
                yield Snapshot(commit, when, frozenset(changes), files)


    def tree(self, rev: str) -> dict[str, bytes]:
        """The tracked files at a revision."""
        blobs = self._blob_ids(rev)
        with _BlobReader(self.root) as reader:
            return {path: reader.read(sha) for path, sha in blobs.items()}

    def _blob_ids(self, rev: str) -> dict[str, str]:
        """The tracked paths at a revision and their blob ids."""
        listing = self._git("ls-tree", "-r", "-z", "--full-tree", rev, "--", *TRACKED,
                            hint="Check the revision names: `git log --oneline` lists them.")
        entries = [line.split("\t", 1) for line in listing.split("\x00") if line]
        return {path: meta.split()[2] for meta, path in entries if meta.split()[1] == "blob"}


def tree_at(root: Path, rev: str | None) -> dict[str, bytes]:
    """The tracked files at a revision, or in the working tree when `rev` is None."""
    if rev is None:
        files = [p for name in TRACKED for p in ([root / name] if (root / name).is_file()
                                                 else sorted((root / name).rglob("*.md")))]
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in files if p.is_file()}
    return GitHistory(root).tree(rev)


def _parse_log(log: str) -> Iterator[tuple[str, dt.datetime, dict[str, str | None]]]:
    """Parse `git log --raw -z` records into (commit, time, {path: new blob or None})."""
    for record in log.split("\x1e")[1:]:
        header, _, raw = record.partition("\n")
        commit, when = header.strip("\x00").split(" ", 1)
        fields = raw.strip("\n\x00").split("\x00") if raw.strip("\n\x00") else []
        changes: dict[str, str | None] = {}
        for meta, path in zip(fields[0::2], fields[1::2], strict=False):
            parts = meta.lstrip(":").split()
            changes[path] = None if parts[4].startswith("D") else parts[3]
        yield commit, dt.datetime.fromisoformat(when), changes


class _BlobReader:
    """One `git cat-file --batch` process for every blob, with a cache (blobs recur across commits)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.cache: dict[str, bytes] = {}

    def __enter__(self) -> _BlobReader:
        self.proc = subprocess.Popen(["git", "cat-file", "--batch"], cwd=self.root,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert self.proc.stdin is not None and self.proc.stdout is not None  # both are pipes (PIPE above)
        self.stdin, self.stdout = self.proc.stdin, self.proc.stdout
        return self

    def __exit__(self, *exc: object) -> None:
        self.stdin.close()
        self.proc.wait()

    def read(self, sha: str) -> bytes:
        if sha not in self.cache:
            self.stdin.write(sha.encode() + b"\n")
            self.stdin.flush()
            header = self.stdout.readline().split()
            if len(header) < 3 or header[1] != b"blob":
                raise BuildError([Problem(".", 0, f"git object {sha} is missing",
                                          "The repository is damaged or incomplete: clone it again in full.")])
            data = self.stdout.read(int(header[2]))
            self.stdout.read(1)  # the newline after each object
            self.cache[sha] = data
        return self.cache[sha]


RESTORE = ("Restore it from git: git checkout -- versions.lock (or build with --relock to record the published "
           "versions again from the history).")


def read_lock(root: Path) -> dict[str, dict[str, str]]:
    """The recorded published versions: "brand/policy/lang/version" -> {sha256, commit}."""
    path = root / LOCK_FILE
    if not path.exists():
        return {}
    try:
        return parse_lock(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise BuildError([Problem(LOCK_FILE, 0, f"the file is not valid JSON ({exc})", RESTORE)]) from None


def parse_lock(text: str) -> dict[str, dict[str, str]]:
    """The versions in the text of a versions.lock; a BuildError if it is not what `write_lock` writes."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise BuildError([Problem(LOCK_FILE, 0, f"the file is not valid JSON ({exc})", RESTORE)]) from None
    versions = data.get("versions", {}) if isinstance(data, dict) else None
    if not isinstance(versions, dict) or not all(
            isinstance(entry, dict) and all(isinstance(v, str) for v in entry.values()) for entry in versions.values()):
        raise BuildError([Problem(LOCK_FILE, 0, "the file is not a list of published versions as policygen writes it",
                                  RESTORE)])
    return versions


def write_lock(root: Path, versions: dict[str, dict[str, str]]) -> None:
    """Write the record of published versions (sorted, so that its diffs are readable), whole or not at all."""
    text = json.dumps({"about": "Published policy versions and the SHA-256 of their text. Written by "
                                "policygen build; commit it; never edit it by hand.",
                       "versions": dict(sorted(versions.items()))}, ensure_ascii=False, indent=1)
    # Beside it, then renamed over it: a build killed meanwhile leaves the old file, never half of one.
    temporary = root / f".{LOCK_FILE}.{os.getpid()}.tmp"
    try:
        with temporary.open("w", encoding="utf-8", newline="\n") as out:  # "\n" on Windows too: one file everywhere
            out.write(text + "\n")
        os.replace(temporary, root / LOCK_FILE)
    finally:
        temporary.unlink(missing_ok=True)
