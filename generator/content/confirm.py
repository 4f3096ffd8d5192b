"""Visible gaps: facts and sentences a person must still confirm, wherever an editor marked them.

Three places hold markers: `{{ confirm("…") }}` in a text (it prints its argument, nothing else), the
`confirm:` map of a file's front matter (for published texts: it is not part of the published words),
and `unconfirmed:` under a brand in site.yml. Each marker is a warning; an error on the publishing
branch for a brand whose site.yml entry says `require_confirmed: true`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import jinja2
from jinja2 import nodes

from ..checks.findings import Finding
from ..jinja_envs import editor_sandbox
from .config import SiteConfig
from .model import Content, Document, FrontMatter, Resolved
from .yamlsrc import YamlDoc

FIELDS = frozenset(FrontMatter.__dataclass_fields__)  # front matter fields a `confirm:` key may name
FACTS = ("name", "legal_name", "services", "website", "site_url", "email", "hotline", "address")
RULE = "confirm"


def confirm(what: object) -> str:
    """`{{ confirm("…") }}` in policy text: the text itself, exactly; check reports it as a gap."""
    if not isinstance(what, str):
        raise TypeError("confirm() takes the words to confirm, in quotes")
    return what


@dataclass(frozen=True, order=True)
class Gap:
    """One marked gap: where, what a person must confirm, and the brand it is published for."""

    path: str
    line: int
    what: str
    brand: str  # "" for legal data files, which belong to no brand


def gaps(config: SiteConfig, content: Content, publication: Iterable[Resolved], site: YamlDoc | None
         ) -> list[Gap]:
    """Every marker of every published text and of site.yml, once per brand."""
    by_path = {doc.path: doc for doc in content.documents.values()}
    found = {gap for text in publication for gap in _text_gaps(text, by_path)}
    found |= set(_fact_gaps(config, site))
    return sorted(found)


def _text_gaps(text: Resolved, by_path: dict[str, Document]) -> Iterator[Gap]:
    """Inline markers and front matter markers of the clauses (and preamble) a brand publishes."""
    chunks = [(text.path, text.preamble_line, text.preamble)]
    chunks += [(text.sources[c.id], c.line, f"{c.heading}\n{c.text}") for c in text.clauses]
    for path, line, source in chunks:
        for at, what in inline_markers(source):
            yield Gap(path, line + at - 1, what, text.brand)
    wanted = {"preamble": text.path, **dict.fromkeys(FIELDS, text.path), **text.sources}
    for path in {text.path, *text.sources.values()}:
        doc = by_path.get(path)
        for key, (what, line) in (doc.sidecar.confirm.items() if doc else ()):
            if wanted.get(key) == path:
                yield Gap(path, line, f"{key}: {what}", text.brand)


def inline_markers(source: str) -> list[tuple[int, str]]:
    """(line in the chunk, what) of each `confirm(…)` call in a chunk's template source."""
    if "confirm" not in source:
        return []
    try:
        tree = editor_sandbox(comments=True).parse(source)
    except jinja2.TemplateSyntaxError:
        return []  # the render reports it
    return [(call.lineno, _argument(call)) for call in tree.find_all(nodes.Call)
            if isinstance(call.node, nodes.Name) and call.node.name == "confirm"]


def _argument(call: nodes.Call) -> str:
    first = call.args[0] if call.args else None
    return str(first.value) if isinstance(first, nodes.Const) else "(the marked value)"


def _fact_gaps(config: SiteConfig, site: YamlDoc | None) -> Iterator[Gap]:
    """site.yml facts listed under a brand's `unconfirmed:`."""
    for brand_id, brand in config.brands.items():
        for index, fact in enumerate(brand.unconfirmed):
            line = site.line_of(("brands", brand_id, "unconfirmed", index)) if site else 1
            yield Gap("site.yml", line, f"brands.{brand_id}.{fact}", brand_id)


def fact_problems(config: SiteConfig, site: YamlDoc | None) -> Iterator[Finding]:
    """`unconfirmed:` entries that name no fact of the brand (a typo would hide a gap)."""
    for brand_id, brand in config.brands.items():
        for index, fact in enumerate(brand.unconfirmed):
            name, _, lang = fact.partition(".")
            value = getattr(brand, name, None) if name in FACTS else None
            if value is None or (lang and not (isinstance(value, dict) and lang in value)):
                line = site.line_of(("brands", brand_id, "unconfirmed", index)) if site else 1
                yield Finding("site.yml", line, 1, "error", f"`unconfirmed:` names {fact!r}, which brand "
                              f"{brand_id!r} does not set", f"Use a fact it sets ({', '.join(FACTS)}), with "
                              ".<language> for a text per language (legal_name.vi).", RULE)


def sidecar_problems(content: Content) -> Iterator[Finding]:
    """`confirm:` keys that name no clause, preamble or front matter field of their file."""
    for doc in content.documents.values():
        ids = set(doc.clause_ids()) | {"preamble"} | FIELDS
        for key, (_what, line) in doc.sidecar.confirm.items():
            if key not in ids:
                yield Finding(doc.path, line, 1, "error", f"`confirm:` names {key!r}, which is no clause of this file",
                              "Use a clause id, `preamble`, or a front matter field such as `material`.", RULE)


def confirm_findings(found: list[Gap], config: SiteConfig, publishing: bool) -> list[Finding]:
    """Each gap once: a warning, or an error on the publishing branch for a brand that requires confirmed facts."""
    brands: dict[tuple[str, int, str], set[str]] = {}
    for gap in found:
        brands.setdefault((gap.path, gap.line, gap.what), set()).add(gap.brand)
    result = []
    for (path, line, what), owners in sorted(brands.items()):
        strict = publishing and any(b in config.brands and config.brands[b].require_confirmed for b in owners)
        result.append(Finding(path, line, 1, "error" if strict else "warning", f"to confirm: {what}",
                              "A person must confirm this (then remove the marker); see docs/checks.md.", RULE))
    return result


def todo_report(found: list[Gap], config: SiteConfig) -> str:
    """`policygen check --todo`: every gap, grouped by brand, for whoever confirms them."""
    lines: list[str] = []
    for brand in [*config.brands, ""]:
        mine = [g for g in found if g.brand == brand]
        if mine:
            lines += [f"{brand or 'legal data (all brands)'}: {len(mine)} to confirm"]
            lines += [f"  {g.path}:{g.line}: {g.what}" for g in mine] + [""]
    return "\n".join(lines) if lines else "Nothing to confirm.\n"
