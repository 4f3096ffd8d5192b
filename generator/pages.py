"""Pure rendering of a brand's site: every version's page, history, changes, versions.json, feed."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Hashable
from dataclasses import replace
from functools import lru_cache, partial
from typing import Any

import jinja2
from babel.core import Locale
from markupsafe import Markup, escape

from .chrome import changes_chrome, history_chrome, policy_chrome
from .config import BannerDef, SiteConfig
from .consent import Snippet, fragment_html, manifest
from .diff import PolicyDiff, diff_sections
from .i18n import _, _n, clause_label, gettext_for, heading_number, long_date, ngettext_for
from .identity import MONOGRAM, monogram_svg, picture_copies
from .markdown_ext import BODY_CLASS, REDLINE_START
from .memo import Memo
from .model import number_clauses
from .parse import REF_RE
from .render import SitePlan, brand_css, brand_values, language_url, mkdocs_config, readable_colour, subdir
from .versions import Key, Timeline, Version

VIETNAM = dt.timezone(dt.timedelta(hours=7))  # policy dates are Vietnamese calendar dates


def plan_brand(config: SiteConfig, brand_id: str, timelines: dict[Key, Timeline], as_of: dt.date,
               pages: jinja2.Environment, theme_dir: str, strict: bool, drafts: bool,
               consent: dict[str, list[Snippet]], sri: str, banner: dict[str, Any] | None = None,
               memo: Memo | None = None) -> list[SitePlan]:
    """Plans for every language of one brand."""
    plans = []
    consent_manifest = manifest(config, brand_id, consent, timelines, as_of) if consent else ""
    for lang in config.brand_languages(brand_id):
        ui = _Ui(config, brand_id, lang, pages, memo or Memo({}, ""))
        files: dict[str, str] = {}
        shown = {}
        for policy in config.brands[brand_id].policies:
            timeline = timelines[(brand_id, policy, lang)]
            shown[policy] = _shown(timeline, as_of, drafts)
            files.update(policy_files(ui, policy, timeline, as_of, drafts))
            files.update(notice_files(ui, policy, timeline))
        files["index.md"] = ui.render("index.md.j2", policies=[
            {"id": p, "title": config.policies[p].title[lang], "updated": long_date(v.meta.updated, lang)}
            for p, v in shown.items()], has_consent=bool(consent.get(lang)))
        files["feed.xml"] = feed(ui, timelines)
        if consent.get(lang):
            files.update(consent_files(ui, consent[lang], consent_manifest, sri, as_of, banner))
        if banner:
            files["banner/banner.json"], files["banner/banner.css"] = banner["json"], banner["css"]
        files.update(_look(config, brand_id))
        reopen = banner["reopen"][lang] if banner else ""
        plans.append(SitePlan(brand_id, lang, subdir(config, lang), files, picture_copies(config.brands[brand_id]),
                              mkdocs_config(config, brand_id, lang, theme_dir, strict, reopen)))
    return [_with_alternates(plan, plans) for plan in plans]


def _look(config: SiteConfig, brand_id: str) -> dict[str, str]:
    """The files that give a site the brand's look: its colours, and its monogram when it has no logo."""
    brand = config.brands[brand_id]
    files = {"assets/brand.css": brand_css(brand.colour)}
    if not brand.logo:
        files[MONOGRAM] = monogram_svg(brand.name, readable_colour(brand.colour))
    return files


def _with_alternates(plan: SitePlan, plans: list[SitePlan]) -> SitePlan:
    """Give every page the address of its counterpart in each other language (for the switcher)."""
    files = dict(plan.files)
    for path, text in plan.files.items():
        if not path.endswith(".md") or not text.startswith("---\n"):
            continue
        alternates = {other.lang: _counterpart(path, other.files) for other in plans if other is not plan}
        files[path] = "---\nalternates: " + json.dumps(alternates) + "\n" + text[4:]
    return replace(plan, files=files)


def _counterpart(path: str, files: dict[str, str]) -> str:
    """The URL of the same page in another language, or of the nearest page that exists there.

    Versions are per language (a translation can be corrected on its own), so the counterpart of
    a version is the other language's version that stood on that date.
    """
    if path in files:
        return _url(path)
    parts = path.split("/")
    versions = sorted(p.split("/")[1] for p in files if p.startswith(f"{parts[0]}/") and p.count("/") == 2
                      and p.endswith("/index.md") and p.split("/")[1][:1].isdigit())
    if len(parts) >= 3 and parts[1][:1].isdigit():
        earlier = [v for v in versions if v <= parts[1]]
        if earlier and len(parts) == 3:
            return f"{parts[0]}/{earlier[-1]}/"
        return f"{parts[0]}/history/"
    return f"{parts[0]}/" if f"{parts[0]}/index.md" in files else ""


def _url(path: str) -> str:
    """The directory URL of a page path (`aup/index.md` -> `aup/`)."""
    return path[: -len("index.md")] if path.endswith("index.md") else path[:-3] + "/"


class _Ui:
    """What every page of one brand and language is rendered with."""

    def __init__(self, config: SiteConfig, brand_id: str, lang: str, pages: jinja2.Environment, memo: Memo) -> None:
        self.config, self.brand_id, self.lang, self.pages, self.memo = config, brand_id, lang, pages, memo
        self.t = gettext_for(lang)
        self.n = ngettext_for(lang)
        authority = config.brand_authority(brand_id)
        self.is_translation = lang != authority
        self.authority_name = Locale.parse(authority).get_display_name(lang)

    def gettext(self, message: str, **values: Any) -> str:
        """A UI string in this language, with its named values filled in (Jinja's `_`)."""
        text = self.t(message)
        return text % values if values else text

    def render(self, name: str, **context: Any) -> str:
        """Render a page template with this language's UI strings."""
        return self.pages.get_template(name).render(
            brand=brand_values(self.config, self.brand_id, self.lang), lang=self.lang, _=self.gettext, **context)

    def cached(self, kind: str, versions: tuple[Version | None, ...], make: Callable[[], Any], *more: Hashable
               ) -> Any:
        """`make()`, or what it made in an earlier build for the same versions and arguments."""
        parts = (kind, self.brand_id, self.lang, *(v.digest if v else None for v in versions), *more)
        return self.memo.get(parts, make)

    def date(self, value: dt.date) -> str:
        return long_date(value, self.lang)

    def title(self, policy: str) -> str:
        return self.config.policies[policy].title[self.lang]


def _shown(timeline: Timeline, as_of: dt.date, drafts: bool) -> Version:
    """What the policy's plain URL shows."""
    return timeline.draft if drafts and timeline.draft else timeline.in_force(as_of)


def policy_files(ui: _Ui, policy: str, timeline: Timeline, as_of: dt.date, drafts: bool) -> dict[str, str]:
    """The pages of one policy: plain URL, every version, their changes, the history, versions.json."""
    current = timeline.in_force(as_of)
    shown = _shown(timeline, as_of, drafts)
    upcoming = None if shown.draft else timeline.upcoming(as_of)
    files = {f"{policy}/index.md": version_page(ui, timeline, shown, "", None, upcoming, True)}
    for version in timeline.versions:
        banner = None if version is current else ("future" if version.meta.effective > as_of else "archived")
        previous = timeline.previous(version)
        files[f"{policy}/{version.id}/index.md"] = ui.cached(
            "page", (version, previous), partial(version_page, ui, timeline, version, "../", banner, None, False),
            banner, policy)
        files[f"{policy}/{version.id}/sections.json"] = ui.cached("sections", (version,),
                                                                  partial(sections_json, ui, version))
        if previous is not None:
            files[f"{policy}/{version.id}/changes/index.md"] = ui.cached(
                "changes", (previous, version), partial(changes_page, ui, policy, previous, version), policy)
    files[f"{policy}/history/index.md"] = history_page(ui, policy, timeline, current)
    files[f"{policy}/versions.json"] = versions_json(ui, timeline, current)
    return files


def version_page(ui: _Ui, timeline: Timeline, version: Version, to_policy: str, banner: str | None,
                 upcoming: Version | None, is_current: bool) -> str:
    """The page of one version (the plain URL is the page of the version in force)."""
    brand = ui.config.brands[ui.brand_id]
    values = {"meta": version.meta, "to_policy": to_policy, "version_id": version.id, "banner": banner,
              "draft": version.draft, "has_previous": not version.draft and timeline.previous(version) is not None,
              "upcoming": {"id": upcoming.id, "effective": ui.date(upcoming.meta.effective)} if upcoming else None,
              "is_translation": ui.is_translation, "authority_name": ui.authority_name,
              "brand": brand.name, "legal_name": brand.legal_name[ui.lang],
              "url": f"{language_url(ui.config, ui.brand_id, ui.lang)}{version.policy}/{version.id}/"}
    return ui.render(
        # The body is Markdown (checked when loaded, cleaned after conversion): not escaped as text.
        "policy.md.j2", meta=version.meta, body=Markup(version.body), body_class=BODY_CLASS, is_current=is_current,
        chrome=policy_chrome(ui.t, ui.date, values).meta())


def history_page(ui: _Ui, policy: str, timeline: Timeline, current: Version) -> str:
    """Every version of a policy, newest first, with links to its text and its changes."""
    rows = [{"id": v.id, "updated": ui.date(v.meta.updated), "effective": ui.date(v.meta.effective),
             "summary": v.meta.summary, "material": v.meta.material, "current": v is current,
             "has_previous": timeline.previous(v) is not None} for v in reversed(timeline.versions)]
    labels = {"added": ui.t(STATUS["added"]), "removed": ui.t(STATUS["removed"]), "changed": ui.t(STATUS["changed"]),
              "moved": ui.t(STATUS["moved"]), "none": ui.t(_("No clause changed.")),
              "deleted": ui.t(_("deleted:")), "inserted": ui.t(_("inserted:"))}
    return ui.render("history.md.j2", title=ui.title(policy), rows=rows,
                     chrome=history_chrome(ui.t, labels, rows).meta())


def sections_json(ui: _Ui, version: Version) -> str:
    """A version's clauses as compared (for comparing any two versions in the browser)."""
    numbers = _numbers(version, ui.lang)
    # `labels`: how each cross-reference reads, for compare.js to show [[id]] as the page does.
    entries = [{"id": s.id, "level": s.level, "name": _clause_name(ui, s.id, s.title, numbers), "title": s.title,
                "text": s.text} for s in version.sections]
    # Compact: read by a script, and json's C encoder only runs without indentation.
    return json.dumps({"version": version.id, "labels": _labels(version, ui.lang), "sections": entries},
                      ensure_ascii=False, separators=(",", ":")) + "\n"


def versions_json(ui: _Ui, timeline: Timeline, current: Version) -> str:
    """The version list that the selector on every page reads (archived pages never change)."""
    label, show = ui.t(_("Choose a version")), ui.t(_("Show this version"))
    entries = [{"id": v.id, "label": ui.t(_("Version of %(date)s")) % {"date": ui.date(v.meta.updated)}
                + (f" ({ui.t(_('current'))})" if v is current else ""), "effective": v.meta.effective.isoformat(),
                "material": v.meta.material} for v in reversed(timeline.versions)]
    return json.dumps({"label": label, "show": show, "versions": entries}, ensure_ascii=False, indent=1) + "\n"


def changes_page(ui: _Ui, policy: str, old: Version, new: Version) -> str:
    """The clause-by-clause, word-by-word changes from `old` to `new`."""
    result = diff_sections(old.sections, new.sections)
    chrome = changes_chrome(ui.t, ui.date(new.meta.updated), ui.date(old.meta.updated), new.meta.summary)
    return ui.render("changes.md.j2", title=ui.title(policy), redline=redline_html(ui, result, old, new),
                     chrome=chrome.meta())


STATUS = {"added": _("Added"), "removed": _("Removed"), "changed": _("Changed"), "moved": _("Moved")}
COUNTS = {"changed": _n("%(n)s clause changed", "%(n)s clauses changed"),
          "added": _n("%(n)s clause added", "%(n)s clauses added"),
          "removed": _n("%(n)s clause removed", "%(n)s clauses removed"),
          "moved": _n("%(n)s clause moved", "%(n)s clauses moved")}


def redline_html(ui: _Ui, result: PolicyDiff, old: Version, new: Version) -> Markup:
    """The changes as escaped HTML: a summary with links, then each changed clause with <ins>/<del>."""
    numbers = {**_numbers(old, ui.lang), **_numbers(new, ui.lang)}
    labels = {"-": _labels(old, ui.lang), "+": _labels(new, ui.lang), "=": _labels(new, ui.lang)}
    counts = result.counts()
    if not counts:
        return Markup("<p>") + escape(ui.t(_("No clause changed."))) + Markup("</p>")
    summary = ", ".join(ui.n(*COUNTS[s], counts[s]) % {"n": counts[s]} for s in COUNTS if counts[s])
    items, blocks = [], []
    # f-strings around escape(), not Markup.format: the same HTML, several times faster on 900 pages.
    for change in result.changed:
        name = escape(_clause_name(ui, change.id, change.title, numbers))
        label = escape(ui.t(STATUS[change.status]))
        anchor = escape(f"change-{change.id or 'preamble'}")
        items.append(f'<li><a href="#{anchor}">{name}</a> ({label})</li>')
        paragraphs = "".join(f"<p>{p}</p>" for p in _paragraphs(ui, change.words, labels))
        blocks.append(f'<section class="policy-change policy-change--{escape(change.status)}" id="{anchor}"><h2>'
                      f'{name} <span class="policy-change__status">{label}</span></h2>{paragraphs}</section>')
    return Markup(f'{REDLINE_START}<p class="policy-changes__summary">{escape(summary)}</p>'
                  f'<ul>{"".join(items)}</ul>{"".join(blocks)}</div>')


def _numbers(version: Version, lang: str) -> dict[str, str]:
    """Each numbered clause's heading number ("Điều 3."); shared by every version with the same outline."""
    return _outline_names(_outline(version), version.meta.numbering, lang)[0]


def _labels(version: Version, lang: str) -> dict[str, str]:
    """How a cross-reference to each numbered clause reads ("khoản 2 Điều 3"); shared like `_numbers`."""
    if version.meta.numbering == "none":  # no numbers: by title, as on the page
        return {cid: title for cid, _level, title in version.outline}
    return _outline_names(_outline(version), version.meta.numbering, lang)[1]


def _outline(version: Version) -> tuple[tuple[str, int, bool], ...]:
    return tuple((cid, level, cid not in version.unnumbered) for cid, level, _title in version.outline)


@lru_cache(maxsize=1024)
def _outline_names(outline: tuple[tuple[str, int, bool], ...], numbering: str, lang: str
                   ) -> tuple[dict[str, str], dict[str, str]]:
    numbers = number_clauses(outline, numbering)
    return ({cid: heading_number(n.parts, numbering, lang) for cid, n in numbers.items()},
            {cid: clause_label(n.parts, numbering, lang) for cid, n in numbers.items()})


def _clause_name(ui: _Ui, clause_id: str, title: str, numbers: dict[str, str]) -> str:
    if not clause_id:
        return ui.t(_("Introduction"))
    return f"{numbers.get(clause_id, '')} {title}".strip()


def _paragraphs(ui: _Ui, words: tuple[tuple[str, str], ...], labels: dict[str, dict[str, str]]) -> list[str]:
    """Redline ops as paragraphs of escaped HTML (lines kept); insertions and deletions are announced.

    A cross-reference reads as on the page (`labels`: the old version's for deletions, the new
    one's otherwise); one whose id itself was edited is split across ops and stays as written.
    """
    said = {"-": escape(ui.t(_("deleted:"))), "+": escape(ui.t(_("inserted:")))}
    paragraphs: list[str] = [""]
    for op, text in words:
        named = REF_RE.sub(partial(_ref_label, labels[op]), text)
        for index, part in enumerate(named.split("\n\n")):
            if index:
                paragraphs.append("")
            if not part:
                continue
            html = "<br>".join(escape(line) for line in part.split("\n"))
            if op != "=":
                tag = "del" if op == "-" else "ins"
                html = f'<{tag}><span class="visually-hidden">{said[op]} </span>{html}</{tag}>'
            paragraphs[-1] += html
    return [p for p in paragraphs if p]


def feed(ui: _Ui, timelines: dict[Key, Timeline]) -> str:
    """The Atom feed of a brand's policy changes in one language."""
    brand = ui.config.brands[ui.brand_id]
    site_url = language_url(ui.config, ui.brand_id, ui.lang)
    entries = []
    for policy in brand.policies:
        timeline = timelines[(ui.brand_id, policy, ui.lang)]
        for version in timeline.versions:
            path = f"{policy}/{version.id}/" + ("changes/" if timeline.previous(version) else "")
            entries.append({"title": f"{ui.title(policy)}: " + ui.t(_("Version of %(date)s")) % {
                "date": ui.date(version.meta.updated)}, "url": site_url + path, "sort": version.meta.updated,
                "updated": _timestamp(version.meta.updated), "summary": version.meta.summary or version.meta.title,
                "material": version.meta.material})
    entries.sort(key=lambda e: (e["sort"], e["url"]), reverse=True)
    return ui.pages.get_template("feed.xml.j2").render(
        lang=ui.lang, title=ui.t(_("Policy changes of %(brand)s")) % {"brand": brand.name}, site_url=site_url,
        updated=entries[0]["updated"] if entries else _timestamp(dt.date(2000, 1, 1)), author=brand.legal_name[ui.lang],
        entries=entries, material_label=ui.t(_("Material change")))


def _fence(texts: list[str]) -> str:
    """A code fence longer than any run of backticks in the texts it holds (so none of them can close it)."""
    longest = max((len(run) for text in texts for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _optional_purposes(banner: BannerDef | None) -> list[str]:
    """The banner's purposes that need consent (for the consent page's example of reading the choice)."""
    return [p for p in banner.purposes if p != "necessary"] if banner else []


def consent_files(ui: _Ui, items: list[Snippet], manifest_json: str, sri: str, as_of: dt.date,
                  banner: dict[str, Any] | None) -> dict[str, str]:
    """The fragments, the manifest and the page that shows them to the web team."""
    fragments = {s.form: fragment_html(s) for s in items}
    files = {f"consent/{form}.html": html for form, html in fragments.items()}
    files["consent/manifest.json"] = manifest_json
    files["consent/index.md"] = ui.render(
        # The live demo on one line: Markdown reads no fence or list into a line that starts a raw HTML block.
        "consent.md.j2", forms=[{"form": f, "fragment": Markup(h.rstrip()), "demo": Markup(" ".join(h.split()))}
                                for f, h in fragments.items()], sri=sri,
        as_of=ui.date(as_of), site_url=language_url(ui.config, ui.brand_id, ui.lang), banner=banner,
        optional=_optional_purposes(ui.config.brands[ui.brand_id].banner),
        fence=_fence([*fragments.values(), *(banner["reopen"].values() if banner else ())]))
    return files


def _timestamp(day: dt.date) -> str:
    """An Atom date-time for a policy date (midnight in Vietnam)."""
    return dt.datetime.combine(day, dt.time(), VIETNAM).isoformat()


def notice_files(ui: _Ui, policy: str, timeline: Timeline) -> dict[str, str]:
    """For each material version: notices/<policy>-<version>.txt and .html, ready for the mailing tool."""
    files = {}
    for version in timeline.versions:
        previous = timeline.previous(version)
        if not version.meta.material or previous is None:
            continue
        name = f"notices/{policy}-{version.id}"
        files[f"{name}.txt"], files[f"{name}.html"] = ui.cached(
            "notice", (previous, version), partial(_notice, ui, policy, previous, version), policy)
    return files



def _ref_label(known: dict[str, str], match: re.Match[str]) -> str:
    """How a [[reference]] reads in a redline: the clause's label, or the text as written when unknown."""
    return known.get(match.group(1).strip(), match.group(0))


def _notice(ui: _Ui, policy: str, previous: Version, version: Version) -> tuple[str, str]:
    """The text and HTML notice of one material version."""
    site_url = language_url(ui.config, ui.brand_id, ui.lang)
    result = diff_sections(previous.sections, version.sections)
    numbers = {**_numbers(previous, ui.lang), **_numbers(version, ui.lang)}
    context = {"title": ui.title(policy), "effective": ui.date(version.meta.effective),
               "summary": version.meta.summary, "new_url": f"{site_url}{policy}/{version.id}/",
               "diff_url": f"{site_url}{policy}/{version.id}/changes/",
               "changes": [f"{ui.t(STATUS[c.status])}: {_clause_name(ui, c.id, c.title, numbers)}"
                           for c in result.changed]}
    return ui.render("notice.txt.j2", **context), ui.render("notice.html.j2", **context)
