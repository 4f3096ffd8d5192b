"""Versions from history: a new `updated` date releases a version; nothing published may change."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

from .. import keys
from ..content.assemble import Publication, resolve
from ..content.config import SiteConfig, parse_config
from ..content.load import place_of
from ..content.model import Content, Document, FrontMatter, Resolved
from ..content.parse import parse_document
from ..content.render import brand_values, content_environment, join_chunks, render_chunks
from ..content.yamlsrc import YamlProblem, parse_yaml
from ..diff.sections import Section, sections
from ..errors import Collector, ConfigError, ContentError, Problem
from .git import LOCK_FILE, Snapshot
from .version_ids import released_same_day, version_id

Key = tuple[str, str, str]  # (brand, policy, lang)


@dataclass(frozen=True)
class Version:
    """One published version of a brand's policy in one language."""

    brand: str
    policy: str
    lang: str
    meta: FrontMatter
    chunks: tuple[str, ...]  # preamble and clauses, brand values filled in
    outline: tuple[tuple[str, int, str], ...]  # (clause id, level, title) in order
    commit: str  # the commit that set its `updated` date
    committed: dt.datetime
    draft: bool = False  # text changed after the date was set, not released
    unnumbered: frozenset[str] = frozenset()  # ids of clauses marked `.unnumbered` (the digest has them: the text)
    seq: int = 1  # its place among the versions of its `updated` day (version_ids.py keeps it stable)

    @property
    def id(self) -> str:
        """The version's permanent id: its update date, and `.2`, `.3`… for a later version of the same day."""
        return version_id(self.meta.updated, self.seq)

    @property
    def key(self) -> str:
        """Its name in versions.lock."""
        return f"{self.brand}/{self.policy}/{self.lang}/{self.id}"

    @cached_property
    def sections(self) -> list[Section]:
        """Its preamble and clauses as the diff compares them (computed once per version)."""
        return sections(self.chunks, self.outline)

    @property
    def body(self) -> str:
        """The exact published Markdown of this version."""
        return join_chunks(self.chunks)

    @cached_property
    def sha256(self) -> str:
        """SHA-256 of the published text: what consent records and versions.lock refer to."""
        return hashlib.sha256(self.body.encode("utf-8")).hexdigest()

    @cached_property
    def digest(self) -> str:
        """A hash of everything its pages are made of: text, front matter, outline (keys the page cache)."""
        return keys.key(repr((self.key, self.meta, self.outline, self.draft, self.sha256)))


@dataclass(frozen=True)
class Timeline:
    """Every version of one brand's policy in one language, oldest first, and the pending draft."""

    versions: tuple[Version, ...]
    draft: Version | None = None

    def in_force(self, as_of: dt.date) -> Version:
        """The version that applies on `as_of` (the first one, if none has taken effect yet)."""
        applying = [v for v in self.versions if v.meta.effective <= as_of]
        return applying[-1] if applying else self.versions[0]

    def upcoming(self, as_of: dt.date) -> Version | None:
        """The newest version that is published but not yet in effect, if any."""
        # By position, not by date: a later version of the same day is later too.
        current = self.versions.index(self.in_force(as_of))
        later = [v for v in self.versions[current + 1:] if v.meta.effective > as_of]
        return later[-1] if later else None

    def reask(self, as_of: dt.date) -> list[Version]:
        """Versions whose consent must be asked again: a material change came after them (up to the one in force)."""
        versions = list(self.versions)
        current = versions.index(self.in_force(as_of))
        return [v for i, v in enumerate(versions) if any(later.meta.material for later in versions[i + 1: current + 1])]

    def previous(self, version: Version) -> Version | None:
        """The version before `version`."""
        index = self._positions.get(id(version))
        if index is None:
            index = self.versions.index(version)
        return self.versions[index - 1] if index else None

    @cached_property
    def _positions(self) -> dict[int, int]:
        # By identity: comparing versions field by field made this quadratic in the number of versions.
        return {id(v): i for i, v in enumerate(self.versions)}


def read_versions(snapshots: Iterable[Snapshot]) -> dict[Key, list[Version]]:
    """Walk the history once; each new `updated` date of a resolved text is a version."""
    return VersionReader().read(snapshots).found


class VersionReader:
    """A walk of the history that can stop and go on later (a build keeps it between builds).

    `commit` is the last commit read: the next walk starts after it, with the parsed documents
    and the versions found so far.
    """

    def __init__(self) -> None:
        self.commit = ""
        self.found: dict[Key, list[Version]] = {}
        self.state = _State()

    def read(self, snapshots: Iterable[Snapshot]) -> VersionReader:
        """Take in more snapshots, oldest first."""
        for snapshot in snapshots:
            self.commit = snapshot.commit
            if not self.state.advance(snapshot):
                continue
            for key, version in self.state.texts(snapshot):
                versions = self.found.setdefault(key, [])
                if not versions or version.meta.updated > versions[-1].meta.updated:
                    versions.append(version)
                elif released_same_day(versions[-1], version, snapshot.committed):
                    versions.append(replace(version, seq=versions[-1].seq + 1))
        return self


class _State:
    """The config and parsed documents as of the snapshot being read (re-parsing only what changed)."""

    def __init__(self) -> None:
        self.config: SiteConfig | None = None
        self.documents: dict[str, Document] = {}
        self.dirty: set[Key] = set()
        self.rendered: dict[tuple[str, str, str], str] = {}  # chunks rendered with this config

    def advance(self, snapshot: Snapshot) -> bool:
        """Take in one snapshot; False if the tree is unusable at that commit."""
        if "site.yml" in snapshot.changed or self.config is None:
            self.config = _config_at(snapshot)
            self.documents, self.rendered = {}, {}
        if self.config is None:
            return False
        changed = snapshot.changed if self.documents else set(snapshot.files)
        for path in changed:
            self.documents.pop(path, None)
            place = place_of(path, self.config) if path.startswith("content/") else None
            if isinstance(place, tuple) and path in snapshot.files:
                lang, brand, policy, override = place
                doc = parse_document(snapshot.files[path], path, lang, policy, brand, override, Collector(),
                                     markup=False)
                if doc is not None:
                    self.documents[path] = doc
        return True

    def texts(self, snapshot: Snapshot) -> Iterable[tuple[Key, Version]]:
        """The resolved, rendered text of every brand's policy at this snapshot."""
        config = self.config
        if config is None:  # advance() said this snapshot is unusable
            return
        content = Content({(d.lang, d.brand, d.policy, d.is_override): d for d in self.documents.values()})
        env = content_environment()
        for brand_id, brand in config.brands.items():
            for policy in brand.policies:
                for lang in config.brand_languages(brand_id):
                    errors = Collector()
                    text = resolve(content, brand_id, policy, lang, errors)
                    if text is None or errors.problems:
                        continue
                    chunks = render_chunks(text, brand_values(config, brand_id, lang), env, config, errors,
                                           self.rendered, check_output=False)
                    if not errors.problems:
                        yield (brand_id, policy, lang), make_version(text, chunks, snapshot)


def working_texts(config: SiteConfig, publication: Publication, errors: Collector
                  ) -> tuple[dict[Key, tuple[str, ...]], dict[Key, Version]]:
    """The working tree's text of every brand's policy, rendered: its chunks (what the check rules read), and as
    drafts (a ContentError if one cannot be rendered)."""
    env = content_environment()
    chunks = {key: render_chunks(text, brand_values(config, key[0], key[2]), env, config, errors)
              for key, text in publication.items()}
    errors.raise_if_any(ContentError)
    return chunks, {key: make_version(text, chunks[key], None, draft=True) for key, text in publication.items()}


def texts_at(files: dict[str, bytes]) -> dict[Key, Version]:
    """Every brand's rendered policy texts in a tree of files (a revision or the working tree)."""
    snapshot = Snapshot("", dt.datetime.min, frozenset(files), files)
    state = _State()
    return dict(state.texts(snapshot)) if state.advance(snapshot) else {}


def make_version(text: Resolved, chunks: tuple[str, ...], snapshot: Snapshot | None, draft: bool = False) -> Version:
    """A Version of a resolved text."""
    outline = tuple((c.id, c.level, c.title) for c in text.clauses)
    unnumbered = frozenset(c.id for c in text.clauses if not c.numbered)
    return Version(brand=text.brand, policy=text.policy, lang=text.lang, meta=text.meta, chunks=chunks,
                   outline=outline, commit=snapshot.commit if snapshot else "",
                   committed=snapshot.committed if snapshot else dt.datetime.min, draft=draft,
                   unnumbered=unnumbered)


def _config_at(snapshot: Snapshot) -> SiteConfig | None:
    """site.yml as of a snapshot, or None if it was missing or invalid then."""
    raw = snapshot.files.get("site.yml")
    if raw is None:
        return None
    try:
        return parse_config(parse_yaml(raw.decode("utf-8"), "site.yml"), "site.yml")
    except (ConfigError, YamlProblem, UnicodeDecodeError):
        return None


# The JSON form of versions, for the build's history cache. Reading it back is strict: every field,
# of exactly its type, and nothing else (a cache file is not trusted to be what this code wrote).
META_FIELDS = ("title", "updated", "effective", "summary", "material", "numbering")
VERSION_FIELDS = ("brand", "policy", "lang", "meta", "chunks", "outline", "commit", "committed", "draft",
                  "unnumbered", "seq")


def version_to_json(version: Version, texts: dict[str, int]) -> dict[str, Any]:
    """A version as JSON values; its chunks as positions in `texts` (versions share most chunks; added here)."""
    meta = version.meta
    return {"brand": version.brand, "policy": version.policy, "lang": version.lang,
            "meta": {"title": meta.title, "updated": meta.updated.isoformat(), "effective": meta.effective.isoformat(),
                     "summary": meta.summary, "material": meta.material, "numbering": meta.numbering},
            "chunks": [texts.setdefault(chunk, len(texts)) for chunk in version.chunks],
            "outline": [list(entry) for entry in version.outline], "commit": version.commit,
            "committed": version.committed.isoformat(), "draft": version.draft,
            "unnumbered": sorted(version.unnumbered), "seq": version.seq}


def found_to_json(found: dict[Key, list[Version]]) -> dict[str, Any]:
    """The versions a history walk found, as JSON values: each distinct chunk once, then the versions in order."""
    texts: dict[str, int] = {}
    versions = [version_to_json(version, texts) for line in found.values() for version in line]
    return {"texts": list(texts), "versions": versions}


def found_from_json(data: object) -> dict[Key, list[Version]]:
    """The versions `found_to_json` wrote, by key, in their order; ValueError on anything else."""
    fields = _fields(data, ("texts", "versions"))
    texts = [_typed(text, str) for text in _typed(fields["texts"], list)]
    found: dict[Key, list[Version]] = {}
    for item in _typed(fields["versions"], list):
        version = version_from_json(item, texts)
        found.setdefault((version.brand, version.policy, version.lang), []).append(version)
    return found


def version_from_json(data: object, texts: list[str]) -> Version:
    """The version `version_to_json` made (chunks from `texts`); ValueError on anything else."""
    fields = _fields(data, VERSION_FIELDS)
    return Version(brand=_typed(fields["brand"], str), policy=_typed(fields["policy"], str),
                   lang=_typed(fields["lang"], str), meta=_meta_from_json(fields["meta"]),
                   chunks=tuple(_chunk(index, texts) for index in _typed(fields["chunks"], list)),
                   outline=tuple(_outline_entry(entry) for entry in _typed(fields["outline"], list)),
                   commit=_typed(fields["commit"], str), committed=_iso(fields["committed"], dt.datetime),
                   draft=_typed(fields["draft"], bool),
                   unnumbered=frozenset(_typed(i, str) for i in _typed(fields["unnumbered"], list)),
                   seq=_seq(fields["seq"]))


def _meta_from_json(data: object) -> FrontMatter:
    fields = _fields(data, META_FIELDS)
    return FrontMatter(title=_typed(fields["title"], str), updated=_iso(fields["updated"], dt.date),
                       effective=_iso(fields["effective"], dt.date), summary=_typed(fields["summary"], str),
                       material=_typed(fields["material"], bool), numbering=_typed(fields["numbering"], str))


def _fields(data: object, names: tuple[str, ...]) -> dict[str, object]:
    """`data` if it is an object with exactly these fields."""
    if type(data) is not dict or data.keys() != set(names):
        raise ValueError(f"expected an object with the fields {', '.join(names)}")
    return data


def _typed(value: object, kind: type) -> Any:
    """`value` if it is exactly of type `kind` (so no bool passes for an int)."""
    if type(value) is not kind:
        raise ValueError(f"expected {kind.__name__}, found {type(value).__name__}")
    return value


def _iso(value: object, kind: type[dt.date]) -> Any:
    """A date or date-time from its ISO form, only as `isoformat` writes it."""
    parsed = kind.fromisoformat(_typed(value, str))
    if type(parsed) is not kind or parsed.isoformat() != value:
        raise ValueError(f"not an ISO {kind.__name__}: {value!r}")
    return parsed


def _chunk(index: object, texts: list[str]) -> str:
    number: int = _typed(index, int)
    if not 0 <= number < len(texts):
        raise ValueError(f"no text number {index}")
    return texts[number]


def _seq(value: object) -> int:
    number: int = _typed(value, int)
    if number < 1:
        raise ValueError(f"not a version's place in its day: {value!r}")
    return number


def _outline_entry(entry: object) -> tuple[str, int, str]:
    items: list[object] = _typed(entry, list)
    if len(items) != 3:
        raise ValueError("an outline entry is [id, level, title]")
    return _typed(items[0], str), _typed(items[1], int), _typed(items[2], str)


def check_record(versions: dict[Key, list[Version]], record: dict[str, dict[str, str]]
                 ) -> tuple[list[Problem], dict[str, dict[str, str]]]:
    """Problems with recorded versions that history no longer produces; entries for new ones."""
    produced = {v.key: v for timeline in versions.values() for v in timeline}
    problems = []
    for key, entry in sorted(record.items()):
        version = produced.get(key)
        if version is None:
            problems.append(Problem(LOCK_FILE, 0, f"published version {key} is no longer in the history",
                                    "Restore the commit that released it; a published version is never removed."))
        elif version.sha256 != entry.get("sha256"):
            problems.append(Problem(LOCK_FILE, 0, f"published version {key} has changed since it was published "
                                    f"(recorded from commit {entry.get('commit', '?')[:12]})",
                                    "Restore its text, or publish the change as a new version with a new "
                                    "`updated` date."))
    new = {key: {"sha256": v.sha256, "commit": v.commit} for key, v in produced.items() if key not in record}
    return problems, new


def timelines(versions: dict[Key, list[Version]], drafts: dict[Key, Version] | None = None) -> dict[Key, Timeline]:
    """Timelines per key; a draft is kept only where its text differs from the latest version."""
    result = {}
    for key, found in versions.items():
        draft = (drafts or {}).get(key)
        if draft is not None and draft.body == found[-1].body and draft.meta == found[-1].meta:
            draft = None
        result[key] = Timeline(tuple(found), draft)
    return result
