"""The legal checks together: gaps to confirm, law that has changed, required topics, the banner's policy."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from ..content.assemble import Publication, assemble
from ..content.config import SiteConfig
from ..content.confirm import RULE, Gap, confirm_findings, fact_problems, gaps, sidecar_problems, todo_report
from ..content.load import load_config, load_content
from ..content.model import Content
from ..content.render import brand_values, content_environment, render_chunks
from ..errors import Collector
from ..history.versions import Key
from .findings import Finding, as_github
from .legal_data import REFERENCES_FILE, TOPICS_FILE, LegalData, load_legal
from .legal_refs import outdated, unknown
from .rules import at_source, source_lines
from .topics import banner_findings, tag_problems, topic_findings


@dataclass(frozen=True)
class LegalReport:
    """What the legal checks found: findings for check and build, gaps for --todo, unlisted law for --references."""

    findings: list[Finding]
    gaps: list[Gap]
    unknown: list[Finding]


def legal_check(root: Path, config: SiteConfig, content: Content, publication: Publication,
                publishing: bool, chunks: dict[Key, tuple[str, ...]] | None = None) -> LegalReport:
    """Every legal finding of the content (ContentError if legal/*.yml is wrong); `chunks`: its texts as rendered."""
    data = load_legal(root)
    found = gaps(config, content, publication.values(), data.lines.get("site.yml")) + list(_data_gaps(data))
    findings = confirm_findings(found, config, publishing)
    findings += [*fact_problems(config, data.lines.get("site.yml")), *sidecar_problems(content)]
    findings += [*tag_problems(content, data.topics), *topic_findings(publication.values(), content, data.topics)]
    if "cookies" in data.topics.topics:  # a repository without the topic has not opted in to the rule
        findings += banner_findings(config, dict(publication), content)
    lines = list(_lines(config, publication, chunks or {}))
    sources = dict(source_lines(publication))
    findings += {at_source(f, sources, text) for path, at, text, lang in lines
                 for f in outdated(path, at, text, lang, data.references)}
    strays = sorted({at_source(f, sources, text) for path, at, text, _lang in lines
                     for f in unknown(path, at, text, data.references)})
    return LegalReport(sorted(set(findings)), found, strays)


def legal_at(root: Path) -> tuple[SiteConfig, LegalReport]:
    """The repository's site.yml and legal findings, for `check --todo` and `--references` (neither list
    depends on the branch: only a gap's severity does, so they are read as off the publishing branch)."""
    config = load_config(root / "site.yml", root)
    content = load_content(config, root / "content", root)
    return config, legal_check(root, config, content, assemble(config, content), False)


def _lines(config: SiteConfig, publication: Publication, rendered: dict[Key, tuple[str, ...]]
           ) -> Iterator[tuple[str, int, str, str]]:
    """(path, line, text, language) of every rendered line of every published text (rendered here if not given)."""
    env = content_environment()
    for key, text in publication.items():
        brand_id, _policy, lang = key
        chunks = rendered.get(key) or render_chunks(text, brand_values(config, brand_id, lang), env, config,
                                                    Collector())
        starts = [(text.path, text.preamble_line)] + [(text.sources[c.id], c.line) for c in text.clauses]
        for (path, start), chunk in zip(starts, chunks, strict=True):
            for index, line in enumerate(chunk.split("\n")):
                yield path, start + index, line, lang


def _data_gaps(data: LegalData) -> Iterator[Gap]:
    """What references.yml and topics.yml themselves still mark as to confirm."""
    doc = data.lines.get(REFERENCES_FILE)
    for entry_id, entry in data.references.instruments.items():
        if entry.source.confirm.strip() and doc is not None:
            line = doc.line_of(("instruments", entry_id, "source", "confirm"))
            yield Gap(REFERENCES_FILE, line, f"{entry_id}: {entry.source.confirm.strip()}", "")
    topics_doc = data.lines.get(TOPICS_FILE)
    for policy, required in data.topics.required.items():
        for index, item in enumerate(required):
            if item.confirm.strip() and topics_doc is not None:
                line = topics_doc.line_of(("required", policy, index, "confirm"))
                yield Gap(TOPICS_FILE, line, f"{policy}/{item.topic}: {item.confirm.strip()}", "")


def legal_lists(config: SiteConfig, report: LegalReport, todo: bool, references: bool, fmt: str) -> str:
    """`check --todo` (gaps, brand by brand) and `check --references` (unlisted law) as text, GitHub or JSON."""
    gaps_found = todo_gaps(config, report.gaps) if todo else []
    unlisted = report.unknown if references else []
    if fmt == "json":
        lists = {"todo": [asdict(gap) for gap in gaps_found]} if todo else {}
        lists |= {"references": [asdict(found) for found in unlisted]} if references else {}
        return json.dumps(lists, ensure_ascii=False, indent=1) + "\n"
    if fmt == "github":  # notices: a list to work through, not a verdict on the change
        notes = [Finding(g.path, g.line, 1, "notice", f"to confirm ({g.brand or 'legal data'}): {g.what}",
                         rule=RULE) for g in gaps_found]
        return as_github(notes + [replace(found, severity="notice") for found in unlisted])
    text = todo_report(gaps_found, config) if todo else ""
    if references:
        text += "".join(f"{found}\n" for found in unlisted) or f"Every cited instrument is in {REFERENCES_FILE}.\n"
    return text


def todo_gaps(config: SiteConfig, found: list[Gap]) -> list[Gap]:
    """The gaps brand by brand, in site.yml's order, legal data (no brand) last."""
    order = {brand: index for index, brand in enumerate(config.brands)}
    return sorted(found, key=lambda gap: (order.get(gap.brand, len(order)), gap))
