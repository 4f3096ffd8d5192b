"""The content rules `check` and `build` share, run on the text the build renders anyway.

Each finding is reported once, at the line and column of the file an editor edits: a shared policy's
finding is the same for every brand that publishes it (said once, naming the brands when only some
are concerned), and a column in a line with a filled-in value (`{{ brand.name }}`) is the column in
the source, not in the rendered text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from ..content.assemble import Publication
from ..content.config import SiteConfig
from ..content.model import Resolved
from ..errors import ContentError, Problem
from ..history.version_ids import VIETNAM
from ..history.versions import Key
from ..memo import Memo
from .findings import Finding, labelled
from .frontmatter_rules import front_matter_findings
from .markers import apply_accepts, read_accepts
from .text import BrandFacts, Chunk, check_chunk, defined_terms

# What Jinja replaces in a line of policy text: a value, a tag, a comment (with its whitespace control).
TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{##.*?##\}")
Checker = Callable[[Chunk, BrandFacts], list[Finding]]  # check_chunk, or the same findings kept from the last build
FIELDS = {kind: tuple(field.name for field in fields(kind)) for kind in (Chunk, BrandFacts, Finding)}


def content_findings(config: SiteConfig, publication: Publication, chunks: dict[Key, tuple[str, ...]],
                     as_of: dt.date | None, root: Path | None = None, complete: bool = True,
                     checked: Checker = check_chunk) -> list[Finding]:
    """Every finding of the text and front matter rules, each once, less what markers accept.

    `as_of` is today for the date rules (None: the date in Vietnam; SOURCE_DATE_EPOCH pins a build's output,
    not the calendar). `complete`: every brand's texts are here (else a stale accept cannot be told).
    `checked`: the text rules of one chunk (the build's keep their findings between builds: `remembered`).
    """
    today = as_of or dt.datetime.now(VIETNAM).date()
    sources = dict(source_lines(publication))
    found = _merged(_text_findings(config, publication, chunks, sources, checked), _reach(publication))
    found += front_matter_findings(config, publication, today, root)
    accepts, problems = read_accepts((path, line, text) for (path, line), text in sorted(sources.items()))
    return sorted(set(apply_accepts(found, accepts, complete) + problems))


def refuse_findings(findings: list[Finding], strict: bool) -> tuple[str, ...]:
    """The build's use of the findings: its errors (with `strict`, its warnings too) refuse it before anything
    is written, as a content error does; the warnings, as printed."""
    refused = [f for f in findings if f.severity == "error" or strict]
    if refused:
        raise ContentError([Problem(f.path, f.line, f.message if f.severity == "error" else f"warning: {f.message}",
                                    f"{f.hint} [{f.rule}]".strip(), f.column) for f in refused])
    return tuple(labelled(f) for f in findings)


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


def remembered(memo: Memo) -> Checker:
    """check_chunk, its findings kept in `memo` by everything it reads: the chunk and the brand's facts."""
    facts_parts: dict[int, tuple[BrandFacts, list[Any]]] = {}  # a text's chunks share its facts: made once

    def checked(chunk: Chunk, facts: BrandFacts) -> list[Finding]:
        if facts_parts.get(id(facts), (None,))[0] is not facts:
            facts_parts[id(facts)] = facts, _plain(facts)
        parts = (*_plain(chunk), *facts_parts[id(facts)][1])
        rows = memo.get(parts, lambda: [_plain(f) for f in check_chunk(chunk, facts)])
        return [Finding(*row) for row in rows]

    return checked


def _plain(value: Chunk | BrandFacts | Finding) -> list[Any]:
    """Its fields, as values whose repr is the same in every process (string hashing orders a frozenset's)."""
    values = [getattr(value, name) for name in FIELDS[type(value)]]
    return [tuple(sorted(v)) if isinstance(v, frozenset) else tuple(v.items()) if isinstance(v, dict) else v
            for v in values]


def _text_findings(config: SiteConfig, publication: Publication, chunks: dict[Key, tuple[str, ...]],
                   sources: dict[tuple[str, int], str], checked: Checker) -> Iterator[tuple[Finding, str]]:
    """(finding at the source, brand) for the text rules over every brand's rendered text."""
    for key, text in publication.items():
        rendered = chunks[key]
        facts = replace(brand_facts(config, key[0]), defined=defined_terms(list(rendered)))
        for chunk in located(text, rendered, key[2]):
            lines = chunk.text.split("\n")
            for finding in checked(chunk, facts):
                row = finding.line - chunk.line
                yield (at_source(finding, sources, lines[row]) if 0 <= row < len(lines) else finding), key[0]


def at_source(finding: Finding, sources: dict[tuple[str, int], str], rendered: str) -> Finding:
    """The finding at its column in its source line, given the rendered line it was found in."""
    source = sources.get((finding.path, finding.line))
    column = finding.column if source is None else source_column(source, rendered, finding.column)
    return finding if column == finding.column else replace(finding, column=column)


def located(text: Resolved, chunks: tuple[str, ...], lang: str) -> Iterable[Chunk]:
    """Each rendered chunk with its file and first line."""
    yield Chunk(text.path, text.preamble_line, chunks[0], lang)
    for clause, chunk in zip(text.clauses, chunks[1:], strict=True):
        yield Chunk(text.sources[clause.id], clause.line, chunk, lang)


def source_lines(publication: Publication) -> Iterator[tuple[tuple[str, int], str]]:
    """((path, line), source line) of every chunk of every text (a shared file's lines come once per brand)."""
    for text in publication.values():
        parts = [(text.path, text.preamble_line, text.preamble)]
        parts += [(text.sources[c.id], c.line, f"{c.heading}\n{c.text}") for c in text.clauses]
        for path, start, source in parts:
            for row, line in enumerate(source.split("\n")):
                yield (path, start + row), line


def _reach(publication: Publication) -> dict[str, set[str]]:
    """The brands whose texts use each file."""
    reach: dict[str, set[str]] = {}
    for (brand, _policy, _lang), text in publication.items():
        for path in {text.path, *text.sources.values()}:
            reach.setdefault(path, set()).add(brand)
    return reach


def _merged(found: Iterable[tuple[Finding, str]], reach: dict[str, set[str]]) -> list[Finding]:
    """One finding per place and rule; the brands named when only some of those using the file are concerned."""
    groups: dict[tuple[str, int, int, str, str, str], tuple[Finding, set[str]]] = {}
    for finding, brand in found:
        key = (finding.path, finding.line, finding.column, finding.severity, finding.rule, finding.hint)
        groups.setdefault(key, (finding, set()))[1].add(brand)
    result = []
    for finding, brands in groups.values():
        said = len(brands) == 1 and f"the {next(iter(brands))} text" in finding.message  # a brand rule's own words
        if brands != reach.get(finding.path, brands) and not said:
            finding = replace(finding, message=f"{finding.message} (in the text of {', '.join(sorted(brands))})")
        result.append(finding)
    return result


def source_column(source: str, rendered: str, column: int) -> int:
    """The column in a source line of a column in its rendered line; in a filled-in value, where its `{{` is."""
    if source == rendered:
        return column
    spans = [m.span() for m in TAG.finditer(source)]
    edges = [0, *(e for _s, e in spans)]
    index, at, last = column - 1, 0, 0
    for n, start in enumerate(edges):
        end = spans[n][0] if n < len(spans) else len(source)
        piece = source[start:end]
        core = piece.strip()
        if not core:
            continue
        found = rendered.find(core, at)
        if found < 0:  # a tag changed the line's text itself ({% if %}): the rendered column, within the line
            return min(column, len(source) or 1)
        if index < found:  # inside the value of the tag before this piece
            return (spans[n - 1][0] if n else 0) + 1
        if index < found + len(core):
            return start + len(piece) - len(piece.lstrip()) + index - found + 1
        at, last = found + len(core), end
    return spans[-1][0] + 1 if spans and spans[-1][0] >= last else min(column, len(source) or 1)
