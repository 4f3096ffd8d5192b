"""`policygen check`: everything an editor's change breaks, without building the site."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .assemble import Publication, assemble
from .checks import BrandFacts, Chunk, check_chunk, defined_terms
from .config import SiteConfig
from .errors import Collector, ConfigError, ContentError, PolicygenError
from .findings import Finding, from_problem
from .history import GitHistory, Snapshot, tree_at
from .legal import legal_check
from .load import load_banner_wording, load_config, load_content, load_wording, place_of
from .model import Resolved
from .parse import parse_document
from .release import published_texts
from .render import brand_values, content_environment, render_chunks
from .sandbox import EditorTemplateError, render, sandbox
from .version_ids import VIETNAM
from .versions import Key, Version, texts_at


@dataclass(frozen=True)
class CheckOptions:
    """What to check."""

    root: Path
    base: str | None = "HEAD"  # the revision versions are compared with; None: skip that check
    history: bool = True  # per-clause translation staleness from git
    publishing: bool = False  # on the publishing branch: gaps of brands that require confirmed facts are errors


def run_check(options: CheckOptions) -> list[Finding]:
    """All findings, sorted; structural problems stop the later checks of what they break."""
    root = options.root
    try:
        config = load_config(root / "site.yml", root)
        content = load_content(config, root / "content", root)
        publication = assemble(config, content)
    except (ConfigError, ContentError) as exc:
        return sorted({from_problem(p) for p in exc.problems})
    errors = Collector()
    wording_problems(config, root, errors)
    findings = set(text_findings(config, publication, errors))
    findings |= {from_problem(p, "template") for p in errors.problems}
    try:  # gaps to confirm, law that has changed, required topics, the banner's policy (legal.py)
        findings |= set(legal_check(root, config, content, publication, options.publishing).findings)
    except ContentError as exc:
        findings |= {from_problem(p, "legal-data") for p in exc.problems}
    if options.history and not errors.problems:
        findings |= set(stale_clauses(GitHistory(root).snapshots(), tree_at(root, None), config))
    if options.base and not errors.problems:
        try:
            # Against what is published as of the base: a proposed version may be revised under its new date.
            findings |= set(version_findings(config, published_texts(root, options.base, config.publishing_branch),
                                             texts_at(tree_at(root, None)), publication, root))
        except PolicygenError as exc:
            findings |= {from_problem(p, "versions") for p in exc.problems}
    return sorted(findings)


def wording_problems(config: SiteConfig, root: Path, errors: Collector) -> None:
    """consent.yml and banner.yml as the build reads them: their YAML, and their templates in the sandbox."""
    try:
        wording = load_wording(config, root / "content", root, errors).values()
        banners = load_banner_wording(config, root / "content", root).values()
    except ContentError as exc:
        errors.extend(exc.problems)
        return
    consent = [(w.path, w.legend_line, w.legend) for w in wording]
    consent += [(w.path, line, text) for w in wording for text, line in w.labels.values()]
    banner = [(w.path, w.lines.get(key, 1), text) for w in banners for key, text in w.texts.items()]
    for brand_id, brand in config.brands.items():  # as the build renders them: for brands with forms, a banner
        texts = (consent if brand.forms else []) + (banner if brand.banner else [])
        for lang in config.brand_languages(brand_id):
            values = {"brand": brand_values(config, brand_id, lang), "policy": _any_policy}
            for path, line, text in texts:
                if path.split("/")[1] == lang:
                    _render_wording(path, line, text, values, errors)


def _any_policy(policy_id: str = "") -> str:
    """`policy('id')` in consent wording and `{{ policy }}` in banner wording, as text for the check."""
    return policy_id


def _render_wording(path: str, line: int, text: str, values: dict[str, Any], errors: Collector) -> None:
    try:
        render(sandbox(), text, values)
    except EditorTemplateError as exc:
        errors.add(path, line + exc.line - 1, exc.message, exc.hint)


def brand_facts(config: SiteConfig, brand_id: str) -> BrandFacts:
    """A brand's own names, the other brands' names, and the configured foreign names."""
    brand = config.brands[brand_id]
    own = (brand.name, *dict.fromkeys(brand.legal_name.values()))
    others = {}
    for other_id, other in config.brands.items():
        if other_id != brand_id:
            for name in (other.name, *other.legal_name.values()):
                if name.lower() not in {n.lower() for n in own}:
                    others[name] = other_id
    return BrandFacts(brand_id, own, others, tuple(config.checks.foreign_names))


def text_findings(config: SiteConfig, publication: Publication, errors: Collector) -> Iterable[Finding]:
    """The text rules over every brand's rendered text, reported at the source lines."""
    env = content_environment()
    for (brand_id, _policy, lang), text in publication.items():
        chunks = render_chunks(text, brand_values(config, brand_id, lang), env, config, errors)
        facts = replace(brand_facts(config, brand_id), defined=defined_terms(list(chunks)))
        for chunk in _located(text, chunks, lang):
            yield from check_chunk(chunk, facts)


def _located(text: Resolved, chunks: tuple[str, ...], lang: str) -> Iterable[Chunk]:
    """Each rendered chunk with its file and first line."""
    yield Chunk(text.path, text.preamble_line, chunks[0], lang)
    for clause, chunk in zip(text.clauses, chunks[1:], strict=True):
        yield Chunk(text.sources[clause.id], clause.line, chunk, lang)


def stale_clauses(snapshots: Iterable[Snapshot], working: dict[str, bytes], config: SiteConfig
                  ) -> Iterable[Finding]:
    """Clauses whose text changed in one language after the other language's clause last changed."""
    last: dict[tuple[str, str], tuple[int, str, str, str]] = {}  # (path, id) -> (order, commit, date, text)
    lines: dict[tuple[str, str], int] = {}
    for order, (commit, date, files, changed) in enumerate(_states(snapshots, working)):
        for path in changed:
            for clause_id, (line, body) in _clause_texts(path, files.get(path), config).items():
                key = (path, clause_id)
                if key not in last or last[key][3] != body:
                    last[key] = (order, commit, date, body)
                lines[key] = line
    authority = config.authoritative_language
    for (path, clause_id), (order, commit, date, _body) in sorted(last.items()):
        if path.split("/")[1] == authority:
            continue  # a translation follows the authoritative text, never the other way round
        for other_path in _counterparts(path, authority):
            other = last.get((other_path, clause_id))
            if other is not None and other[0] > order and (path, clause_id) in lines:
                yield Finding(path, lines[(path, clause_id)], 1, "warning",
                              f"clause {clause_id!r} may be out of date: its {other_path.split('/')[1]!r} text "
                              f"changed on {other[2]} ({other[1]}), this one last changed on {date} ({commit})",
                              f"Check it against {other_path} and update the translation.", "stale-translation")


def _states(snapshots: Iterable[Snapshot], working: dict[str, bytes]
            ) -> Iterator[tuple[str, str, dict[str, bytes], set[str] | frozenset[str]]]:
    """(commit, date, files, changed paths) for each commit, then the working tree."""
    previous: dict[str, bytes] = {}
    for snap in snapshots:
        previous = snap.files
        yield snap.commit[:12], snap.committed.date().isoformat(), snap.files, snap.changed
    changed = {p for p in set(working) | set(previous) if working.get(p) != previous.get(p)}
    yield "working tree", "(not committed)", working, changed


def _clause_texts(path: str, raw: bytes | None, config: SiteConfig) -> dict[str, tuple[int, str]]:
    """Clause id -> (line, normalized text) of one content file; empty if it is missing or unusable."""
    place = place_of(path, config) if path.startswith("content/") and raw is not None else None
    if not isinstance(place, tuple) or raw is None:
        return {}
    lang, brand, policy, override = place
    doc = parse_document(raw, path, lang, policy, brand, override, Collector(), markup=False)
    if doc is None:
        return {}
    return {c.id: (c.line, " ".join(f"{c.title} {c.text}".split())) for c in doc.clauses}


def _counterparts(path: str, authority: str) -> list[str]:
    """The same file in the authoritative language."""
    parts = path.split("/")
    return ["/".join([parts[0], authority, *parts[2:]])]


def version_findings(config: SiteConfig, old: dict[Key, Version], new: dict[Key, Version],
                     publication: Publication, root: Path) -> Iterable[Finding]:
    """Text changed without a new date, dates going back, material changes without enough notice."""
    for key, after in new.items():
        before = old.get(key)
        path = publication[key].path if key in publication else ""
        line = _field_line(root / path, "updated")
        if before is None:
            continue
        if after.meta.updated < before.meta.updated:
            yield Finding(path, line, 1, "error", f"`updated` ({after.id}) is earlier than the previous version's "
                          f"({before.id})", "A new version needs a later date.", "versions")
        elif after.meta.updated == before.meta.updated and after.body != before.body:
            yield _same_date(path, line, after.meta.updated)
        notice = (after.meta.effective - after.meta.updated).days
        wanted = config.checks.material_notice_days
        if after.meta.material and after.meta.updated != before.meta.updated and notice < wanted:
            yield Finding(path, _field_line(root / path, "effective") or line, 1, "error",
                          f"a material change with {notice} days' notice; site.yml asks for {wanted}",
                          f"Set `effective:` at least {wanted} days after `updated`.", "versions")


def _same_date(path: str, line: int, updated: dt.date) -> Finding:
    """Text changed under the date of the version before: a second version of today, or a draft."""
    if updated == dt.datetime.now(VIETNAM).date():
        return Finding(path, line, 1, "warning", "the text changed but `updated` did not: committed today, it is "
                       f"released as another version of {updated.isoformat()}; committed later, it stays a draft",
                       "Commit it today to release it; to release it on a later day, set `updated:` to that day.",
                       "versions")
    return Finding(path, line, 1, "error", "the text changed but `updated` did not",
                   "Set `updated:` to today's date to release the change as a new version "
                   "(and write a `summary:`).", "versions")


def _field_line(path: Path, field: str) -> int:
    """The line of a front matter field in a file (1 if absent)."""
    try:
        for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
            if re.match(rf"{field}\s*:", line):
                return number
    except OSError:
        pass
    return 1
