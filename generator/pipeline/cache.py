"""The build's caches, kept beside the site folder in `.<site>.cache/`.

Everything here is a cache: deleting the folder makes the next build a cold one, never a
different one. A cache that cannot be read, or that was written by other code, is ignored.
Only `build` uses this module.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

import orjson

from ..errors import BuildError
from ..history.git import LOCK_FILE, GitHistory, History
from ..history.versions import VersionReader, found_from_json, found_to_json
from ..keys import key
from ..memo import Memo, Memos
from ..site.model import Page

ROOT = Path(__file__).resolve().parents[2]  # the project: generator/ and templates/
FORMAT = 3  # bump when the layout of a cache file changes
T = TypeVar("T")
# The last history walk this process saved, by (cache folder, tools, repository, commit it was read up to):
# a walk depends on nothing else than the history up to that commit (a commit id, not a branch name).
_WALK: dict[tuple[Path, str, Path, str], VersionReader] = {}
PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2", "babel", "pyyaml", "nh3",
            "orjson")


def tools_digest() -> str:
    """What every page depends on besides the content: templates, generator code and catalogs, packages.

    Read once per build, not once per site.
    """
    paths = [path for folder in (ROOT / "templates", ROOT / "generator") for path in sorted(folder.rglob("*"))
             if path.is_file() and path.suffix not in (".pyc", ".mo")]
    return _tools_key(paths, PACKAGES)


def pdf_tools_digest(sources: tuple[Path, ...], packages: tuple[str, ...]) -> str:
    """What every PDF depends on besides its version's values: its template, stylesheet, code and packages."""
    return _tools_key(sources, packages)


def _tools_key(paths: Iterable[Path], packages: Iterable[str]) -> str:
    """The key of code and templates: this cache format, Python's and the packages' versions, the files."""
    return key(f"{FORMAT} {sys.version}", *(f"{name}={_version(name)}" for name in packages), *_files(ROOT, paths))


def _files(root: Path, paths: Iterable[Path]) -> list[str | bytes]:
    """Each file's path (from `root`) and bytes, as parts of a key."""
    return [part for path in paths for part in (str(path.relative_to(root)), path.read_bytes())]


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
    """The caches of one site folder: the last build's record, its history walk, its rendered pages.

    They are JSON, checked field by field when read back: a crafted cache file cannot run code
    (a pickle could). One that is damaged, or that other code wrote, is ignored, and `report`
    says so in one line; one that does not exist is not worth a word.
    """

    def __init__(self, site_dir: Path, tools: str, report: Callable[[str], None] = lambda _: None) -> None:
        self.dir = site_dir.with_name(f".{site_dir.name}.cache")
        self.tools = tools
        self.report = report
        self.walk: tuple[Path, str, Path, str] | None = None  # whose history `versions` read, up to which commit

    def project(self, brand: str, lang: str) -> Path:
        """The mkdocs project (docs, mkdocs.yml, output) kept for one brand and language."""
        return self.dir / "work" / f"{brand}.{lang}"

    def record(self) -> dict[str, Any]:
        """What the last successful build wrote: its inputs digest, site fingerprints, messages."""
        return self._load("build.json", _record_from_json, "this build makes every site again") or {}

    def write_record(self, record: dict[str, Any]) -> None:
        self._save("build.json", record)

    def inputs(self, root: Path, settings: str, copies: list[str]) -> str | None:
        """A digest of everything a build reads, or None when it cannot be told (no git history yet)."""
        try:
            # Not HEAD alone: moving the publishing branch can make the same HEAD a publishing build.
            head = GitHistory(root).tips()
        except BuildError:
            return None
        paths = [root / "site.yml", root / LOCK_FILE, *sorted((root / "content").rglob("*")),
                 *sorted((root / "legal").glob("*.yml")),
                 *(root / c for c in copies)]
        return key(self.tools, settings, build_date(), head, *_files(root, [p for p in paths if p.is_file()]))

    def versions(self, history: History, until: str) -> VersionReader:
        """The versions in the history up to `until` ("": none): the last build's walk, carried on from there."""
        self.walk = (self.dir, self.tools, history.root, until)
        if until and self.walk in _WALK:  # this process' last build (serve's previews) read up to there:
            return _WALK[self.walk]  # the walk it kept, without reading its file or git
        reader = self._load("history.json", _reader_from_json, "this build reads the history again")
        if reader is None or not until or not history.follows(reader.commit, until):
            reader = VersionReader()  # the first build, the history was rewritten, or an older commit is built
        return reader.read(history.snapshots(since=reader.commit, until=until))

    def save_versions(self, reader: VersionReader) -> None:
        self._save("history.json", {"commit": reader.commit, **found_to_json(reader.found)})
        _WALK.clear()  # one walk kept in memory: serve's, which builds into one site folder
        if self.walk is not None:
            _WALK[self.walk] = reader
        self._forget_pickles()

    def pages(self, salt: str) -> Memos:
        """The rendered pages of the last build, valid while `salt` (site.yml's digest) is the same.

        One file per brand: a brand is read when it is planned, and written only if its pages changed.
        """
        def stored(brand: str) -> dict[str, Any]:
            value = self._load(f"pages/{brand}.json", _pages_from_json, f"this build renders {brand}'s pages again")
            return value[1] if value is not None and value[0] == salt else {}

        return Memos(stored, salt)

    def save_pages(self, memos: Memos) -> None:
        for brand, memo in memos.brands.items():
            if memo.changed():
                self._save(f"pages/{brand}.json", {"salt": memos.salt, "pages": memo.used})

    def findings(self) -> Memo:
        """The text rules' findings of the last build, by chunk and brand facts (see rules.remembered)."""
        stored = self._load("findings.json", _findings_from_json, "this build checks every text again")
        return Memo(stored or {}, "")

    def save_findings(self, memo: Memo) -> None:
        if memo.changed():  # only what this build checked: a text gone is not kept
            self._save("findings.json", {"findings": memo.used})

    def pdf(self, key: str) -> Path | None:
        """The PDF kept under `key` (cache key of everything its bytes depend on), if there is one."""
        path = self.dir / "pdf" / f"{key}.pdf"
        return path if path.is_file() else None

    def save_pdf(self, key: str, data: bytes) -> Path:
        """Keep a PDF under its key; where it is (the site hard-links it: it is never written again)."""
        path = self.dir / "pdf" / f"{key}.pdf"
        self._write(path, data)
        return path

    def keep_pdfs(self, keys: set[str]) -> None:
        """Delete the kept PDFs that no site has any more (of versions' values or tools now gone)."""
        for path in self.dir.glob("pdf/*.pdf"):
            if path.stem not in keys:
                path.unlink(missing_ok=True)

    def _load(self, name: str, decode: Callable[[dict[str, Any]], T], redo: str) -> T | None:
        """A cache file's content, decoded and checked; None if it is absent or unusable (saying so)."""
        path = self.dir / name
        try:
            data = orjson.loads(path.read_bytes())  # orjson: these files hold megabytes of page text
            if type(data) is not dict or data.pop("tools", None) != self.tools:
                raise ValueError("written by other code")
            return decode(data)
        except FileNotFoundError:
            if path.with_suffix(".pickle").exists():  # left by an older policygen; never opened
                self._ignored(path.with_suffix(".pickle"), redo)
            return None
        except (OSError, ValueError, RecursionError):  # damaged, foreign or of another layout
            self._ignored(path, redo)
            return None

    def _ignored(self, path: Path, redo: str) -> None:
        where = path.relative_to(self.dir.parent).as_posix()
        self.report(f"ignored {where} (unreadable or from another version); {redo}")

    def _save(self, name: str, value: dict[str, Any]) -> None:
        self._write(self.dir / name, orjson.dumps({**value, "tools": self.tools}))

    def _forget_pickles(self) -> None:
        """Delete the pickled caches of older versions of policygen: nothing reads them any more."""
        for path in (self.dir / "history.pickle", *self.dir.glob("pages/*.pickle"),
                     *self.dir.glob("work/*.plan.pickle")):
            path.unlink(missing_ok=True)

    def _write(self, path: Path, data: bytes) -> None:
        """Write a cache file whole or not at all (a killed build leaves the old one)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_bytes(data)
        os.replace(temporary, path)


def _record_from_json(data: dict[str, Any]) -> dict[str, Any]:
    """The last build's record, if every field is there with its type."""
    kinds = {"inputs": (str, type(None)), "brands": (list,), "messages": (list,), "copies": (list,), "sites": (dict,)}
    if data.keys() != kinds.keys() or any(type(data[k]) not in kind for k, kind in kinds.items()):
        raise ValueError("not a build record")
    texts = [*data["brands"], *data["messages"], *data["copies"], *data["sites"].values()]
    if not all(type(text) is str for text in texts):
        raise ValueError("not a build record")
    if any(PurePosixPath(path).is_absolute() or ".." in PurePosixPath(path).parts for path in data["copies"]):
        raise ValueError("a copied file outside the repository")  # the next build reads them
    return data


def _reader_from_json(data: dict[str, Any]) -> VersionReader:
    """A history walk that goes on after the commit it stopped at, with the versions found so far."""
    # Its parsed documents are not kept: at the first new snapshot, `_State.advance` parses every
    # file again (it does when it has none), so the walk goes on as if it had never stopped.
    commit = data.pop("commit", None)
    if type(commit) is not str:
        raise ValueError("no commit")
    reader = VersionReader()
    reader.commit, reader.found = commit, found_from_json(data)
    return reader


def _pages_from_json(data: dict[str, Any]) -> tuple[str, dict[str, str | tuple[str, str] | dict[str, Any]]]:
    """(salt, pages): each a text (a JSON file), a pair of texts (a notice's text and HTML), or a page's data."""
    if data.keys() != {"salt", "pages"} or type(data["salt"]) is not str or type(data["pages"]) is not dict:
        raise ValueError("not a pages cache")
    return data["salt"], {key: _page(value) for key, value in data["pages"].items()}


def _findings_from_json(data: dict[str, Any]) -> dict[str, list[list[Any]]]:
    """Each chunk's findings, if each is a row of rules.Finding's fields with their types."""
    if data.keys() != {"findings"} or type(data["findings"]) is not dict:
        raise ValueError("not a findings cache")
    kinds = (str, int, int, str, str, str, str)
    for rows in data["findings"].values():
        if type(rows) is not list or not all(type(row) is list and list(map(type, row)) == list(kinds)
                                             for row in rows):
            raise ValueError("a chunk's findings are rows of a finding's fields")
    return dict(data["findings"])


def _page(value: object) -> str | tuple[str, str] | dict[str, Any]:
    if type(value) is str:
        return value
    if type(value) is list and len(value) == 2 and all(type(v) is str for v in value):
        return value[0], value[1]
    if type(value) is dict:
        return Page.from_data(value).data()  # checked here: a cache that fails to load is rebuilt, not trusted
    raise ValueError("a page is a text, a pair of texts or a page's data")
