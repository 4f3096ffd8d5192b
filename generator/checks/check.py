"""`policygen check`: everything an editor's change breaks, without building the site."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..content.assemble import Publication, assemble
from ..content.config import SiteConfig
from ..content.load import load_banner_wording, load_config, load_content, load_wording, place_of
from ..content.parse import parse_document
from ..content.render import brand_values, content_environment, render_chunks
from ..content.sandbox import EditorTemplateError, render
from ..errors import Collector, ConfigError, ContentError, PolicygenError
from ..history.git import GitHistory, Snapshot, tree_at
from ..history.release import on_publishing_branch, published_texts
from ..history.version_ids import VIETNAM
from ..history.versions import Key, Version, texts_at
from ..jinja_envs import editor_sandbox
from .findings import Finding, from_problem
from .legal import legal_check
from .markers import digest, reviewed_digests, strip_markers
from .rules import content_findings


@dataclass(frozen=True)
class CheckOptions:
    """What to check."""

    root: Path
    base: str | None = "HEAD"  # the revision versions are compared with; None: skip that check
    history: bool = True  # per-clause translation staleness from git
    # On the publishing branch gaps of brands that require confirmed facts are errors; None: ask git.
    publishing: bool | None = None


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
    env = content_environment()
    chunks = {key: render_chunks(text, brand_values(config, key[0], key[2]), env, config, errors)
              for key, text in publication.items()}
    findings = set(content_findings(config, publication, chunks, None, root))
    findings |= {from_problem(p, "template") for p in errors.problems}
    try:  # gaps to confirm, law that has changed, required topics, the banner's policy (legal.py)
        publishing = (on_publishing_branch(root, config.publishing_branch) if options.publishing is None
                      else options.publishing)
        findings |= set(legal_check(root, config, content, publication, publishing, chunks).findings)
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
        render(editor_sandbox(), text, values)
    except EditorTemplateError as exc:
        errors.add(path, line + exc.line - 1, exc.message, exc.hint)


def stale_clauses(snapshots: Iterable[Snapshot], working: dict[str, bytes], config: SiteConfig
                  ) -> Iterable[Finding]:
    """Clauses of a translation whose authoritative text changed after they last did, and not reviewed since."""
    last: dict[tuple[str, str], tuple[int, str, str, str]] = {}  # (path, id) -> (order, commit, date, text)
    lines: dict[tuple[str, str], tuple[int, set[str]]] = {}  # (path, id) -> (line, translation-reviewed digests)
    for order, (commit, date, files, changed) in enumerate(_states(snapshots, working)):
        for path in changed:
            for clause_id, (line, body, reviewed) in _clause_texts(path, files.get(path), config).items():
                key = (path, clause_id)
                if key not in last or last[key][3] != body:
                    last[key] = (order, commit, date, body)
                lines[key] = (line, reviewed)
    for (path, clause_id), (order, commit, date, _body) in sorted(last.items()):
        for other_path in _counterparts(path, config):  # a translation follows its authoritative text
            other = last.get((other_path, clause_id))
            if other is None or other[0] <= order or (path, clause_id) not in lines:
                continue
            line, reviewed = lines[(path, clause_id)]
            if digest(other[3]) not in reviewed:
                yield Finding(path, line, 1, "warning",
                              f"clause {clause_id!r} may be out of date: its {other_path.split('/')[1]!r} text "
                              f"changed on {other[2]} ({other[1]}), this one last changed on {date} ({commit})",
                              f"Check it against {other_path} and update the translation; if it needs no change, "
                              f"end the clause's heading line with {{##- policygen: translation-reviewed "
                              f"{digest(other[3])} ##}}.", "stale-translation")


def _states(snapshots: Iterable[Snapshot], working: dict[str, bytes]
            ) -> Iterator[tuple[str, str, dict[str, bytes], set[str] | frozenset[str]]]:
    """(commit, date, files, changed paths) for each commit, then the working tree."""
    previous: dict[str, bytes] = {}
    for snap in snapshots:
        previous = snap.files
        yield snap.commit[:12], snap.committed.date().isoformat(), snap.files, snap.changed
    changed = {p for p in set(working) | set(previous) if working.get(p) != previous.get(p)}
    yield "working tree", "(not committed)", working, changed


def _clause_texts(path: str, raw: bytes | None, config: SiteConfig) -> dict[str, tuple[int, str, set[str]]]:
    """Clause id -> (line, normalized text, reviewed digests) of one content file; empty if missing or unusable."""
    place = place_of(path, config) if path.startswith("content/") and raw is not None else None
    if not isinstance(place, tuple) or raw is None:
        return {}
    lang, brand, policy, override = place
    doc = parse_document(raw, path, lang, policy, brand, override, Collector(), markup=False)
    if doc is None:
        return {}
    return {c.id: (c.line, " ".join(strip_markers(f"{c.title} {c.text}").split()),
                   reviewed_digests(f"{c.heading}\n{c.text}")) for c in doc.clauses}


def _counterparts(path: str, config: SiteConfig) -> list[str]:
    """The same file in each authoritative language of the brands that publish it, other than its own."""
    place = place_of(path, config)
    if not isinstance(place, tuple):
        return []
    lang, brand, policy, _override = place
    brands = [brand] if brand else [b for b, d in config.brands.items()
                                    if policy in d.policies and lang in config.brand_languages(b)]
    parts = path.split("/")
    authorities = sorted({config.brand_authority(b) for b in brands} - {lang})
    return ["/".join([parts[0], authority, *parts[2:]]) for authority in authorities]


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
