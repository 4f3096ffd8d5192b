"""What changed between two versions, as a reader sees it: clause names with their numbers, the rendered redline."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache, partial

from markupsafe import Markup, escape

from ..content.markup import REDLINE_START, escape_markdown
from ..content.model import number_clauses
from ..content.parse import REF_RE
from ..history.versions import Version
from ..i18n import _, _n, clause_label, heading_number
from .clause_text import clause_html
from .redline import clause_redline, text_redline
from .sections import Change, PolicyDiff

STATUS = {"added": _("Added"), "removed": _("Removed"), "changed": _("Changed"), "moved": _("Moved")}
COUNTS = {"changed": _n("%(n)s clause changed", "%(n)s clauses changed"),
          "added": _n("%(n)s clause added", "%(n)s clauses added"),
          "removed": _n("%(n)s clause removed", "%(n)s clauses removed"),
          "moved": _n("%(n)s clause moved", "%(n)s clauses moved")}
Gettext = Callable[[str], str]


def numbers(version: Version, lang: str) -> dict[str, str]:
    """Each numbered clause's heading number ("Điều 3."); shared by every version with the same outline."""
    return _outline_names(_outline(version), version.meta.numbering, lang)[0]


def labels(version: Version, lang: str) -> dict[str, str]:
    """How a cross-reference to each numbered clause reads ("khoản 2 Điều 3"); shared like `numbers`."""
    if version.meta.numbering == "none":  # no numbers: by title, as on the page
        return {cid: title for cid, _level, title in version.outline}
    return _outline_names(_outline(version), version.meta.numbering, lang)[1]


def _outline(version: Version) -> tuple[tuple[str, int, bool], ...]:
    return tuple((cid, level, cid not in version.unnumbered) for cid, level, _title in version.outline)


@lru_cache(maxsize=1024)
def _outline_names(outline: tuple[tuple[str, int, bool], ...], numbering: str, lang: str
                   ) -> tuple[dict[str, str], dict[str, str]]:
    found = number_clauses(outline, numbering)
    return ({cid: heading_number(n.parts, numbering, lang) for cid, n in found.items()},
            {cid: clause_label(n.parts, numbering, lang) for cid, n in found.items()})


def clause_name(t: Gettext, clause_id: str, title: str, known: dict[str, str]) -> str:
    """A clause as a list of changes names it: its number and title ("Introduction" for the preamble)."""
    if not clause_id:
        return t(_("Introduction"))
    return f"{known.get(clause_id, '')} {title}".strip()


def sources(version: Version, lang: str) -> dict[str, str]:
    """Each clause's Markdown without its heading ("": the preamble), references as they read on the page."""
    named = partial(_ref_label, {cid: escape_markdown(label) for cid, label in labels(version, lang).items()})
    found = {"": REF_RE.sub(named, version.chunks[0])} if version.chunks else {}
    for chunk, (clause_id, _level, _title) in zip(version.chunks[1:], version.outline, strict=True):
        found[clause_id] = REF_RE.sub(named, chunk.partition("\n")[2])
    return found


def clause_htmls(version: Version, lang: str) -> dict[str, str]:
    """Each clause's text as the redline compares it: `sources` rendered ("" for none)."""
    return {cid: clause_html(text) if text else "" for cid, text in sources(version, lang).items()}


def _ref_label(known: dict[str, str], match: re.Match[str]) -> str:
    """How a [[reference]] reads in a redline: the clause's label, or the text as written when unknown."""
    return known.get(match.group(1).strip(), match.group(0))


def redline_html(t: Gettext, n: Callable[[str, str, int], str], lang: str, result: PolicyDiff,
                 old: Version, new: Version) -> Markup:
    """The changes as HTML: a summary with links, then each changed clause rendered, with <ins>/<del> inside."""
    counts = result.counts()
    if not counts:
        return Markup("<p>") + escape(t(_("No clause changed."))) + Markup("</p>")
    summary = ", ".join(n(*COUNTS[s], counts[s]) % {"n": counts[s]} for s in COUNTS if counts[s])
    before, after = numbers(old, lang), numbers(new, lang)
    texts = (sources(old, lang), sources(new, lang))
    refs = (labels(old, lang), labels(new, lang)) if new.meta.numbering != "none" else ({}, {})
    said = {"-": t(_("deleted:")), "+": t(_("inserted:"))}
    items, blocks = [], []
    for change in result.changed:
        number = before if change.status == "removed" else after
        name = escape(clause_name(t, change.id, change.title, number))
        label = escape(t(STATUS[change.status]))
        anchor = escape(f"change-{change.id or 'preamble'}")
        items.append(f'<li><a href="#{anchor}">{name}</a> ({label})</li>')
        blocks.append(f'<section class="policy-change policy-change--{escape(change.status)}" id="{anchor}"><h2>'
                      f'{name} <span class="policy-change__status">{label}</span></h2>'
                      f'{_where(t, change, refs)}{_body(change, texts, said)}</section>')
    return Markup(f'{REDLINE_START}<p class="policy-changes__summary">{escape(summary)}</p>'
                  f'<ul>{"".join(items)}</ul>{"".join(blocks)}</div>')


def _where(t: Gettext, change: Change, refs: tuple[dict[str, str], dict[str, str]]) -> str:
    """Where a clause was and is, when that is news: removed, moved or renumbered ("mục 3" -> "mục 5")."""
    was, now = refs[0].get(change.id, ""), refs[1].get(change.id, "")
    if change.status == "removed" and was:
        text = t(_("This was %(was)s in the previous version.")) % {"was": was}
    elif change.status in ("moved", "changed") and was and now and was != now:
        text = t(_("Moved from %(was)s to %(now)s.")) % {"was": was, "now": now}
    else:
        return ""
    return f'<p class="policy-change__where">{escape(text)}</p>'


def _body(change: Change, texts: tuple[dict[str, str], dict[str, str]], said: dict[str, str]) -> str:
    """The clause's title (when it changed) and text, rendered, with the changed words marked."""
    old = texts[0].get(change.id, "") if change.status != "added" else ""
    new = texts[1].get(change.id, "") if change.status != "removed" else ""
    title = ""
    if change.status in ("changed", "moved") and change.old_title != change.title:
        title = f'<p class="policy-change__title">{text_redline(change.old_title, change.title, said)}</p>'
    return f'{title}<div class="policy-redline">{clause_redline(old, new, said)}</div>'
