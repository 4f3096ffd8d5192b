"""Resolving what each brand publishes in each language, and checking it fits together."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from ..errors import Collector, ContentError, Problem
from ..suggest import did_you_mean
from .config import SiteConfig
from .markdown_checks import check_chunk
from .model import Clause, Content, Document, Resolved

Publication = dict[tuple[str, str, str], Resolved]  # (brand, policy, lang) -> text


def assemble(config: SiteConfig, content: Content, brands: list[str] | None = None) -> Publication:
    """Every (brand, policy, lang) text with overrides applied; ContentError lists all problems."""
    errors = Collector()
    result: Publication = {}
    for brand_id in brands or list(config.brands):
        for policy in config.brands[brand_id].policies:
            texts = {}
            for lang in config.brand_languages(brand_id):
                resolved = resolve(content, brand_id, policy, lang, errors)
                if resolved is not None:
                    texts[lang] = resolved
            if len(texts) == len(config.brand_languages(brand_id)):
                _check_pairing(texts, config.brand_authority(brand_id), errors)
            result.update({(brand_id, policy, lang): text for lang, text in texts.items()})
    _report_references(result, {doc.path: doc for doc in content.documents.values()}, errors)
    errors.raise_if_any(ContentError)
    return result


def _report_references(result: Publication, by_path: dict[str, Document], errors: Collector) -> None:
    """Each broken reference once; in a shared file, naming the brands concerned if not all that use it are."""
    broken: dict[Problem, set[str]] = {}
    for text in result.values():
        for problem in _check_references(text, by_path):
            broken.setdefault(problem, set()).add(text.brand)
    for problem, brands in broken.items():
        users = {t.brand for t in result.values() if problem.path in {t.path, *t.sources.values()}}
        named = by_path[problem.path].brand is None and brands != users
        errors.add(problem.path, problem.line, problem.message + (f" in the text of {', '.join(sorted(brands))}"
                                                                   if named else ""), problem.hint)


def resolve(content: Content, brand: str, policy: str, lang: str, errors: Collector) -> Resolved | None:
    """The brand's own file, or the shared file with the brand's overrides."""
    own = content.get(lang, brand, policy)
    shared = content.get(lang, None, policy)
    base = own or shared
    if base is None or base.meta is None:
        errors.add(f"content/{lang}/{brand}/{policy}.md", 0, f"brand {brand!r} publishes {policy!r} "
                   f"but there is no {lang!r} text for it",
                   f"Write content/{lang}/{policy}.md (shared) or content/{lang}/{brand}/{policy}.md, "
                   "or remove the policy from the brand in site.yml.")
        return None
    override = content.get(lang, brand, policy, override=True) if own is None else None
    clauses, sources = list(base.clauses), {c.id: base.path for c in base.clauses}
    meta = base.meta
    if override is not None:
        clauses = _apply_override(clauses, override, sources, errors)
        _check_notes(clauses, sources, errors)
        if override.meta is not None and override.meta.updated > meta.updated:
            meta = replace(override.meta, title=override.meta.title or meta.title,
                           numbering=meta.numbering)
    return Resolved(brand=brand, policy=policy, lang=lang, meta=meta, preamble=base.preamble,
                    preamble_line=base.preamble_line, clauses=tuple(clauses), sources=sources, path=base.path)


def _apply_override(clauses: list[Clause], override: Document, sources: dict[str, str],
                    errors: Collector) -> list[Clause]:
    """Replace each overridden clause (with its sub-clauses) by the override's version."""
    for new in _top_level_groups(list(override.clauses)):
        head = new[0]
        index = next((i for i, c in enumerate(clauses) if c.id == head.id), None)
        if index is None:
            errors.add(override.path, head.line, f"clause {head.id!r} does not exist in the shared policy",
                       did_you_mean(head.id, (c.id for c in clauses))
                       + "An override replaces a clause of the shared text: use the id of one of its clauses.")
            continue
        if clauses[index].level != head.level:
            errors.add(override.path, head.line, f"clause {head.id!r} is at another level in the shared policy",
                       f"Use {'#' * clauses[index].level} for it, as the shared text does.")
            continue
        end = _subtree_end(clauses, index)
        for old in clauses[index:end]:
            sources.pop(old.id, None)
        clauses[index:end] = new
        sources.update({c.id: override.path for c in new})
    return clauses


def _check_notes(clauses: list[Clause], sources: dict[str, str], errors: Collector) -> None:
    """A footnote label once per page: an override's note must not take the label of a shared clause's."""
    seen: dict[str, str] = {}
    for clause in clauses:
        for label, line in check_chunk(clause.text)[1]:
            path = sources[clause.id]
            if seen.setdefault(label, path) != path:
                errors.add(path, clause.line + line, f"footnote [^{label}] is also a note in {seen[label]}",
                           "Give the override's note a label that the shared policy does not use.")


def _top_level_groups(clauses: list[Clause]) -> list[list[Clause]]:
    """Split an override's clauses into replaced subtrees (a heading and its deeper children)."""
    groups: list[list[Clause]] = []
    for clause in clauses:
        if groups and clause.level > groups[-1][0].level:
            groups[-1].append(clause)
        else:
            groups.append([clause])
    return groups


def _subtree_end(clauses: list[Clause], index: int) -> int:
    """Index just past the clause at `index` and its sub-clauses."""
    end = index + 1
    while end < len(clauses) and clauses[end].level > clauses[index].level:
        end += 1
    return end


def _check_pairing(texts: dict[str, Resolved], authority: str, errors: Collector) -> None:
    """Every language has the same clauses, at the same levels, in the same order."""
    reference = texts.get(authority) or next(iter(texts.values()))
    want = [(c.id, c.level) for c in reference.clauses]
    for _lang, text in texts.items():
        if text is reference:
            continue
        have = [(c.id, c.level) for c in text.clauses]
        if have == want:
            continue
        _report_mismatch(reference, text, errors)


def _report_mismatch(reference: Resolved, text: Resolved, errors: Collector) -> None:
    """Say precisely which clause is missing, extra, moved or at another level."""
    ref_ids = {c.id: c for c in reference.clauses}
    ids = {c.id: c for c in text.clauses}
    for clause in reference.clauses:
        if clause.id not in ids:
            errors.add(text.sources.get(clause.id, text.path), _line_near(text, reference, clause.id),
                       f"clause {clause.id!r} is missing in the {text.lang!r} text "
                       f"(it is at {reference.sources[clause.id]}:{clause.line})",
                       f"Add its translation, with the heading `{'#' * clause.level} … {{#{clause.id}}}`.")
    for clause in text.clauses:
        if clause.id not in ref_ids:
            errors.add(text.sources[clause.id], clause.line,
                       f"clause {clause.id!r} is not in the {reference.lang!r} text ({reference.path})",
                       f"Add it there too, or correct the id to one of the {reference.lang!r} text.")
        elif ref_ids[clause.id].level != clause.level:
            errors.add(text.sources[clause.id], clause.line,
                       f"clause {clause.id!r} is a level-{clause.level} heading here but level "
                       f"{ref_ids[clause.id].level} in the {reference.lang!r} text",
                       f"Use {'#' * ref_ids[clause.id].level} as in {reference.path}.")
    common_ref = [c.id for c in reference.clauses if c.id in ids]
    common = [c.id for c in text.clauses if c.id in ref_ids]
    if common != common_ref:
        first = next(i for i, (a, b) in enumerate(zip(common, common_ref, strict=False)) if a != b)
        clause = ids[common[first]]
        errors.add(text.sources[clause.id], clause.line,
                   f"clause {clause.id!r} is out of order: the {reference.lang!r} text has "
                   f"{common_ref[first]!r} here", f"Put the clauses in the order of {reference.path}.")


def _line_near(text: Resolved, reference: Resolved, clause_id: str) -> int:
    """Where a missing clause belongs in `text`: the line of the clause before it."""
    order = [c.id for c in reference.clauses]
    by_id = {c.id: c for c in text.clauses}
    for previous in reversed(order[: order.index(clause_id)]):
        if previous in by_id:
            return by_id[previous].line
    return text.preamble_line


def _check_references(text: Resolved, by_path: dict[str, Document]) -> Iterator[Problem]:
    """Every [[id]] names a clause of the text it appears in."""
    ids = {c.id for c in text.clauses}
    numbered = set(text.numbers())
    for path in sorted(set(text.sources.values()) | {text.path}):
        for ref in by_path[path].references:
            if ref.target not in ids:
                yield Problem(path, ref.line, f"cross-reference [[{ref.target}]] points to no clause",
                              did_you_mean(ref.target, ids)
                              + "Use the id of an existing clause (ids are in the `{#…}` of each heading).")
            elif ref.target not in numbered and text.meta.numbering != "none":  # `none`: named by title
                yield Problem(path, ref.line, f"cross-reference [[{ref.target}]] points to an unnumbered clause",
                              "Refer to a numbered clause, or name the clause in words.")
