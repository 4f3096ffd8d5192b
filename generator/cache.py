"""The build's caches, kept beside the site folder in `.<site>.cache/`.

Everything here is a cache: deleting the folder makes the next build a cold one, never a
different one. A cache that cannot be read, or that was written by other code, is ignored.
Only `build` uses this module.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import pickle
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

from .errors import BuildError
from .history import LOCK_FILE, GitHistory
from .pages import Memos
from .versions import VersionReader

ROOT = Path(__file__).resolve().parent.parent
FORMAT = 2  # bump when the layout of a cache file changes
PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2", "babel", "pyyaml")


def tools_digest() -> str:
    """What every page depends on besides the content: templates, generator code and catalogs, packages.

    Read once per build, not once per site.
    """
    digest = hashlib.sha256(f"{FORMAT} {sys.version}".encode())
    for name in PACKAGES:
        digest.update(f"{name}={_version(name)}\0".encode())
    for folder in (ROOT / "templates", ROOT / "generator"):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix not in (".pyc", ".mo"):
                digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def build_date() -> str:
    """The date mkdocs stamps the sitemap with: SOURCE_DATE_EPOCH, else today (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or None
    moment = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    return moment.date().isoformat()


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "-"


class BuildCache:
    """The caches of one site folder: the last build's record, its history walk, its rendered pages."""

    def __init__(self, site_dir: Path, tools: str) -> None:
        self.dir = site_dir.with_name(f".{site_dir.name}.cache")
        self.tools = tools

    def project(self, brand: str, lang: str) -> Path:
        """The mkdocs project (docs, mkdocs.yml, output) kept for one brand and language."""
        return self.dir / "work" / f"{brand}.{lang}"

    def record(self) -> dict[str, Any]:
        """What the last successful build wrote: its inputs digest, site fingerprints, messages."""
        try:
            data = json.loads((self.dir / "build.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) and data.get("tools") == self.tools else {}

    def write_record(self, record: dict[str, Any]) -> None:
        self._write(self.dir / "build.json", (json.dumps({**record, "tools": self.tools}, indent=1, sort_keys=True)
                                              + "\n").encode("utf-8"))

    def inputs(self, root: Path, settings: str, copies: list[str]) -> str | None:
        """A digest of everything a build reads, or None when it cannot be told (no git history yet)."""
        try:
            head = GitHistory(root).head()
        except BuildError:
            return None
        digest = hashlib.sha256(f"{self.tools}\0{settings}\0{build_date()}\0{head}\0".encode())
        paths = [root / "site.yml", root / LOCK_FILE, *sorted((root / "content").rglob("*")),
                 *(root / c for c in copies)]
        for path in paths:
            if path.is_file():
                digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
        return digest.hexdigest()

    def versions(self, history: GitHistory) -> VersionReader:
        """The versions in history: the last build's walk, carried on from where it stopped."""
        head = history.head()
        reader = self._load("history.pickle")
        if not isinstance(reader, VersionReader) or not history.follows(reader.commit, head):
            reader = VersionReader()  # the first build, or the history was rewritten
        return reader.read(history.snapshots(since=reader.commit, until=head))

    def save_versions(self, reader: VersionReader) -> None:
        self._save("history.pickle", reader)

    def pages(self, salt: str) -> Memos:
        """The rendered pages of the last build, valid while `salt` (site.yml's digest) is the same.

        One file per brand: a brand is read when it is planned, and written only if its pages changed.
        """
        def stored(brand: str) -> dict[str, Any]:
            value = self._load(f"pages/{brand}.pickle")
            return value[1] if isinstance(value, tuple) and value[0] == salt else {}

        return Memos(stored, salt)

    def save_pages(self, memos: Memos) -> None:
        for brand, memo in memos.brands.items():
            if memo.changed():
                self._save(f"pages/{brand}.pickle", (memos.salt, memo.used))

    def _load(self, name: str) -> Any:
        try:
            with open(self.dir / name, "rb") as handle:
                stamp, value = pickle.load(handle)
        except Exception:  # a damaged or foreign cache only makes a slower build
            return None
        return value if stamp == self.tools else None

    def _save(self, name: str, value: Any) -> None:
        self._write(self.dir / name, pickle.dumps((self.tools, value), protocol=pickle.HIGHEST_PROTOCOL))

    def _write(self, path: Path, data: bytes) -> None:
        """Write a cache file whole or not at all (a killed build leaves the old one)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_bytes(data)
        os.replace(temporary, path)
