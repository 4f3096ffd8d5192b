"""Pure formatting of the clause-level changes between two revisions: JSON or HTML (Markdown: comment.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..history.versions import Key, Version
from .sections import Change, PolicyDiff, diff_sections


@dataclass(frozen=True)
class PolicyChange:
    """One brand's policy in one language: what it was, what it is, and the clause changes."""

    key: Key
    old: Version | None
    new: Version | None
    diff: PolicyDiff


def compare(old: dict[Key, Version], new: dict[Key, Version]) -> list[PolicyChange]:
    """The changed policies between two sets of texts, in a stable order."""
    result = []
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key), new.get(key)
        result_diff = diff_sections(before.sections if before else [], after.sections if after else [])
        if result_diff.changed or (before and after and before.meta != after.meta):
            result.append(PolicyChange(key, before, after, result_diff))
    return result


def _heading(change: PolicyChange) -> str:
    brand, policy, lang = change.key
    dates = " → ".join(v.id for v in (change.old, change.new) if v is not None)
    return f"{brand} · {policy} · {lang} ({dates})"


def release_note(change: PolicyChange) -> str:
    """Whether the change is released as a new version, and how it is flagged."""
    old, new = change.old, change.new
    if new is None:
        return "removed from the brand"
    if old is None:
        return "new policy"
    if new.meta.updated == old.meta.updated:
        return ("text changed WITHOUT a new `updated` date: not a new version (unless committed on that very "
                "date: then another version of that day)")
    flags = ["material change" if new.meta.material else "not material"]
    if new.meta.effective != new.meta.updated:
        flags.append(f"takes effect {new.meta.effective.isoformat()}")
    return f"new version {new.id} ({', '.join(flags)})"


def to_json(changes: list[PolicyChange]) -> str:
    """The same facts for tools."""
    data = [{"brand": c.key[0], "policy": c.key[1], "lang": c.key[2],
             "old_version": c.old.id if c.old else None, "new_version": c.new.id if c.new else None,
             "new_sha256": c.new.sha256 if c.new else None, "release": release_note(c),
             "material": bool(c.new and c.new.meta.material), "counts": dict(c.diff.counts()),
             "clauses": [{"id": x.id, "status": x.status, "title": x.title, "words": [list(w) for w in x.words]}
                         for x in c.diff.changed]} for c in changes]
    return json.dumps({"changes": data}, ensure_ascii=False, indent=1) + "\n"


def to_html(changes: list[PolicyChange]) -> str:
    """A standalone page (escaped; no script) for reviewers without a PR view."""
    body = Markup("").join(
        Markup("<section><h2>{}</h2><p>{}</p>{}</section>").format(
            _heading(c), release_note(c), Markup("").join(
                Markup("<h3>{} <small>({})</small></h3><p>{}</p>").format(x.title or x.id or "preamble", x.status,
                                                                         _html_redline(x))
                for x in c.diff.changed)) for c in changes) or Markup("<p>No policy text changed.</p>")
    return str(Markup('<!doctype html><html lang="en"><meta charset="utf-8"><title>Policy changes</title>'
                      "<style>ins{{background:#e6ffec}}del{{background:#ffebe9}}</style><body>{}</body></html>\n")
               .format(body))


def _html_redline(change: Change) -> Markup:
    tags = {"=": "{}", "-": "<del>{}</del>", "+": "<ins>{}</ins>"}
    return Markup("").join(Markup(tags[op]).format(escape(text)) for op, text in change.words)
