"""Pure rendering of a brand's site: every version's page, history, changes, versions.json, feed."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Hashable
from dataclasses import KW_ONLY, dataclass, field, replace
from functools import partial
from typing import Any

import jinja2
from babel.core import Locale
from markupsafe import Markup

from ..consent.snippets import Snippet, fragment_html, manifest
from ..content.config import BannerDef, SiteConfig
from ..content.render import brand_css, brand_values, language_url, readable_colour, subdir
from ..diff.changes import STATUS, clause_htmls, clause_name, labels, numbers, redline_html
from ..diff.sections import diff_sections
from ..history.versions import Key, Timeline, Version
from ..i18n import _, gettext_for, long_date, ngettext_for, release_day
from ..memo import Memo
from . import seo
from .chrome import changes_chrome, history_chrome, policy_chrome
from .identity import MONOGRAM, monogram_svg, picture_copies
from .markdown_ext import BODY_CLASS
from .model import Page, Site
from .pdf import pdf_name

EngineConfig = Callable[[SiteConfig, str, str, bool, str], dict[str, Any]]  # config, brand, lang, strict, reopen
VIETNAM = dt.timezone(dt.timedelta(hours=7))  # policy dates are Vietnamese calendar dates


@dataclass(frozen=True)
class BrandSources:
    """What one brand's sites are made from."""

    config: SiteConfig
    brand: str
    timelines: dict[Key, Timeline]
    as_of: dt.date
    pages: jinja2.Environment  # our page templates (jinja_envs.page_templates)
    engine_config: EngineConfig  # the engine's config of one site (engines.SiteEngine.site_config)
    _: KW_ONLY
    strict: bool = False  # the engine's warnings fail the build
    drafts: bool = False  # unreleased text at the plain URLs
    consent: dict[str, list[Snippet]] = field(default_factory=dict)  # by language
    sri: str = ""  # the consent script's integrity value
    banner: dict[str, Any] | None = None
    memo: Memo | None = None
    pdfs: bool = False  # the history pages link each version's PDF


def plan_brand(source: BrandSources) -> list[Site]:
    """Plans for every language of one brand."""
    config, brand_id, timelines, as_of = source.config, source.brand, source.timelines, source.as_of
    pages = source.pages
    consent, banner, drafts, memo, pdfs = source.consent, source.banner, source.drafts, source.memo, source.pdfs
    plans, heads = [], {}
    consent_manifest = manifest(config, brand_id, consent, timelines, as_of) if consent else ""
    for lang in config.brand_languages(brand_id):
        ui = _Ui(config, brand_id, lang, pages, memo or Memo({}, ""), pdfs)
        files: dict[str, str] = {}
        site_pages: dict[str, Page] = {}
        shown = {}
        for policy in config.brands[brand_id].policies:
            timeline = timelines[(brand_id, policy, lang)]
            shown[policy] = _shown(timeline, as_of, drafts)
            more_pages, more_files = policy_files(ui, policy, timeline, as_of, drafts)
            site_pages.update(more_pages)
            files.update(more_files)
            files.update(notice_files(ui, policy, timeline))
        site_pages["index.md"] = home_page(ui, shown, bool(consent.get(lang)))
        files["feed.xml"] = feed(ui, timelines)
        if consent.get(lang):
            fragments = {snippet.form: fragment_html(snippet) for snippet in consent[lang]}
            site_pages["consent/index.md"] = consent_page(ui, fragments, source.sri, as_of, banner)
            files.update(consent_files(fragments, consent_manifest))
        if banner:
            files["banner/banner.json"], files["banner/banner.css"] = banner["json"], banner["css"]
        files.update(_look(config, brand_id))
        reopen = banner["reopen"][lang] if banner else ""
        heads[lang] = _heads(ui, timelines, shown, as_of, bool(consent.get(lang)))
        plans.append(Site(brand_id, lang, subdir(config, lang), site_pages, files,
                          picture_copies(config.brands[brand_id]),
                          source.engine_config(config, brand_id, lang, source.strict, reopen)))
    site_urls = {plan.lang: language_url(config, brand_id, plan.lang) for plan in plans}
    hreflang = seo.alternates(heads, site_urls, config.codes[0])
    return [_with_alternates(plan, plans, heads[plan.lang], hreflang[plan.lang], site_urls[plan.lang], pages)
            for plan in plans]


def _heads(ui: _Ui, timelines: dict[Key, Timeline], shown: dict[str, Version], as_of: dt.date, has_consent: bool
           ) -> dict[str, seo.Seo]:
    """What search engines read of every page of one language's site, by page file."""
    brand = ui.config.brands[ui.brand_id]
    return seo.site_pages(seo.Words(ui.t, ui.date, brand.name, ""), {p: ui.title(p) for p in shown},
                          {p: timelines[(ui.brand_id, p, ui.lang)] for p in shown}, shown, as_of,
                          brand.legal_name[ui.lang], has_consent)


def _look(config: SiteConfig, brand_id: str) -> dict[str, str]:
    """The files that give a site the brand's look: its colours, and its monogram when it has no logo."""
    brand = config.brands[brand_id]
    files = {"assets/brand.css": brand_css(brand.colour)}
    if not brand.logo:
        files[MONOGRAM] = monogram_svg(brand.name, readable_colour(brand.colour))
    return files


def _with_alternates(plan: Site, plans: list[Site], heads: dict[str, seo.Seo],
                     hreflang: dict[str, dict[str, str]], site_url: str, pages: jinja2.Environment) -> Site:
    """Give every page its counterparts for the switcher and its `seo` head; give the site its sitemap."""
    site_pages = {}
    for path, page in plan.pages.items():
        alternates = {other.lang: _counterpart(path, other.pages) for other in plans if other is not plan}
        head = {"seo": heads[path].meta()} if path in heads else {}
        site_pages[path] = replace(page, meta={"alternates": alternates, **head, **page.meta})
    files = {**plan.files, "sitemap.xml": pages.get_template("sitemap.xml.j2").render(
        entries=seo.sitemap_entries(heads, hreflang, site_url))}
    return replace(plan, pages=site_pages, files=files)


def _counterpart(path: str, files: dict[str, Page]) -> str:
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

    def __init__(self, config: SiteConfig, brand_id: str, lang: str, pages: jinja2.Environment, memo: Memo,
                 pdfs: bool = False) -> None:
        self.config, self.brand_id, self.lang, self.pages, self.memo = config, brand_id, lang, pages, memo
        self.pdfs = pdfs  # every published version has a PDF beside its page (pdf.py)
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

    def cached_page(self, kind: str, versions: tuple[Version | None, ...], make: Callable[[], Page], *more: Hashable
                    ) -> Page:
        """`make()`, or the page it made in an earlier build for the same versions and arguments."""
        return Page.from_data(self.cached(kind, versions, lambda: make().data(), *more))

    def date(self, value: dt.date) -> str:
        return long_date(value, self.lang)

    def day(self, version: Version) -> str:
        """The version's date, with which release of the day it is (when not the first)."""
        return release_day(self.t, self.date(version.meta.updated), version.seq)

    def title(self, policy: str) -> str:
        return self.config.policies[policy].title[self.lang]


def _shown(timeline: Timeline, as_of: dt.date, drafts: bool) -> Version:
    """What the policy's plain URL shows."""
    return timeline.draft if drafts and timeline.draft else timeline.in_force(as_of)


def policy_files(ui: _Ui, policy: str, timeline: Timeline, as_of: dt.date, drafts: bool
                 ) -> tuple[dict[str, Page], dict[str, str]]:
    """The pages of one policy (plain URL, every version, their changes, the history); its JSON files."""
    current = timeline.in_force(as_of)
    shown = _shown(timeline, as_of, drafts)
    upcoming = None if shown.draft else timeline.upcoming(as_of)
    pages = {f"{policy}/index.md": version_page(ui, timeline, shown, "", None, upcoming, True)}
    files = {}
    for version in timeline.versions:
        banner = None if version is current else ("future" if version.meta.effective > as_of else "archived")
        previous = timeline.previous(version)
        pages[f"{policy}/{version.id}/index.md"] = ui.cached_page(
            "page", (version, previous), partial(version_page, ui, timeline, version, "../", banner, None, False),
            banner, policy)
        files[f"{policy}/{version.id}/sections.json"] = ui.cached("sections", (version,),
                                                                  partial(sections_json, ui, version))
        if previous is not None:
            pages[f"{policy}/{version.id}/changes/index.md"] = ui.cached_page(
                "changes", (previous, version), partial(changes_page, ui, policy, previous, version), policy)
    pages[f"{policy}/history/index.md"] = history_page(ui, policy, timeline, current)
    files[f"{policy}/versions.json"] = versions_json(ui, timeline, current)
    return pages, files


def version_page(ui: _Ui, timeline: Timeline, version: Version, to_policy: str, banner: str | None,
                 upcoming: Version | None, is_current: bool) -> Page:
    """The page of one version (the plain URL is the page of the version in force)."""
    brand = ui.config.brands[ui.brand_id]
    values = {"meta": version.meta, "to_policy": to_policy, "version_id": version.id, "seq": version.seq,
              "banner": banner,
              "draft": version.draft, "has_previous": not version.draft and timeline.previous(version) is not None,
              "upcoming": {"id": upcoming.id, "effective": ui.date(upcoming.meta.effective)} if upcoming else None,
              "is_translation": ui.is_translation, "authority_name": ui.authority_name,
              "brand": brand.name, "legal_name": brand.legal_name[ui.lang],
              "url": f"{language_url(ui.config, ui.brand_id, ui.lang)}{version.policy}/{version.id}/"}
    # The body is Markdown (checked when loaded, cleaned after conversion): not escaped as text.
    markdown = ui.render("policy.md.j2", meta=version.meta, body=Markup(version.body), body_class=BODY_CLASS)
    return Page(version.meta.title, markdown, {"policygen": policy_chrome(ui.t, ui.date, values).meta()},
                search=is_current)


def history_page(ui: _Ui, policy: str, timeline: Timeline, current: Version) -> Page:
    """Every version of a policy, newest first, with links to its text and its changes."""
    rows = [{"id": v.id, "updated": ui.day(v), "effective": ui.date(v.meta.effective),
             "summary": v.meta.summary, "material": v.meta.material, "current": v is current,
             "has_previous": timeline.previous(v) is not None,
             "pdf": pdf_name(policy, v.id) if ui.pdfs and not v.draft else ""} for v in reversed(timeline.versions)]
    labels = {"added": ui.t(STATUS["added"]), "removed": ui.t(STATUS["removed"]), "changed": ui.t(STATUS["changed"]),
              "moved": ui.t(STATUS["moved"]), "none": ui.t(_("No clause changed.")),
              "deleted": ui.t(_("deleted:")), "inserted": ui.t(_("inserted:")),
              "was": ui.t(_("This was %(was)s in the previous version.")),
              "moved-from": ui.t(_("Moved from %(was)s to %(now)s."))}
    title = f"{ui.t(_('History of changes'))}: {ui.title(policy)}"
    return Page(title, ui.render("history.md.j2", title=title, rows=rows),
                {"policygen": history_chrome(ui.t, labels, rows).meta()}, search=False)


def sections_json(ui: _Ui, version: Version) -> str:
    """A version's clauses as compare.js needs them to redline any two versions as the changes pages do."""
    known, html = numbers(version, ui.lang), clause_htmls(version, ui.lang)
    # `digest`: of the text diff/sections.py compares (whether a clause changed); `html`: what redline.py diffs.
    entries = [{"id": s.id, "name": clause_name(ui.t, s.id, s.title, known), "title": s.title,
                "digest": hashlib.blake2b(s.text.encode(), digest_size=8).hexdigest(), "html": html.get(s.id, "")}
               for s in version.sections]
    # `labels`: how each clause is referred to, for "moved from … to …" (changes._where).
    # Compact: read by a script, and json's C encoder only runs without indentation.
    return json.dumps({"version": version.id, "numbering": version.meta.numbering, "labels": labels(version, ui.lang),
                       "sections": entries}, ensure_ascii=False, separators=(",", ":")) + "\n"


def versions_json(ui: _Ui, timeline: Timeline, current: Version) -> str:
    """The version list that the selector on every page reads (archived pages never change)."""
    label, show = ui.t(_("Choose a version")), ui.t(_("Show this version"))
    entries = [{"id": v.id, "label": ui.t(_("Version of %(date)s")) % {"date": ui.day(v)}
                + (f" ({ui.t(_('current'))})" if v is current else ""), "effective": v.meta.effective.isoformat(),
                "material": v.meta.material} for v in reversed(timeline.versions)]
    return json.dumps({"label": label, "show": show, "versions": entries}, ensure_ascii=False, indent=1) + "\n"


def changes_page(ui: _Ui, policy: str, old: Version, new: Version) -> Page:
    """The clause-by-clause, word-by-word changes from `old` to `new`."""
    result = diff_sections(old.sections, new.sections, words=False)
    chrome = changes_chrome(ui.t, ui.day(new), ui.day(old), new.meta.summary)
    redline = redline_html(ui.t, ui.n, ui.lang, result, old, new)
    title = f"{ui.t(_('What changed'))}: {ui.title(policy)}"
    return Page(title, ui.render("changes.md.j2", title=title, redline=redline), {"policygen": chrome.meta()},
                search=False)


def home_page(ui: _Ui, shown: dict[str, Version], has_consent: bool) -> Page:
    """A brand's home page in one language: its policies, when each was last updated, the feed."""
    title = ui.t(_("Policies of %(brand)s")) % {"brand": ui.config.brands[ui.brand_id].name}
    return Page(title, ui.render("index.md.j2", title=title, has_consent=has_consent, policies=[
        {"id": p, "title": ui.title(p), "updated": ui.date(v.meta.updated)} for p, v in shown.items()]))


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
                "date": ui.day(version)}, "url": site_url + path, "sort": (version.meta.updated, version.seq),
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


def consent_files(fragments: dict[str, str], manifest_json: str) -> dict[str, str]:
    """The fragments (by form) and the manifest that the web team embeds and reads."""
    files = {f"consent/{form}.html": html for form, html in fragments.items()}
    files["consent/manifest.json"] = manifest_json
    return files


def consent_page(ui: _Ui, fragments: dict[str, str], sri: str, as_of: dt.date, banner: dict[str, Any] | None
                 ) -> Page:
    """The page that shows the web team every snippet (`fragments`, by form), live, with the code to copy."""
    markdown = ui.render(
        # The live demo on one line: Markdown reads no fence or list into a line that starts a raw HTML block.
        "consent.md.j2", forms=[{"form": f, "fragment": Markup(h.rstrip()), "demo": Markup(" ".join(h.split()))}
                                for f, h in fragments.items()], sri=sri,
        as_of=ui.date(as_of), site_url=language_url(ui.config, ui.brand_id, ui.lang), banner=banner,
        optional=_optional_purposes(ui.config.brands[ui.brand_id].banner),
        fence=_fence([*fragments.values(), *(banner["reopen"].values() if banner else ())]))
    return Page(ui.t(_("Consent snippets")), markdown, search=False)


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



def _notice(ui: _Ui, policy: str, previous: Version, version: Version) -> tuple[str, str]:
    """The text and HTML notice of one material version."""
    site_url = language_url(ui.config, ui.brand_id, ui.lang)
    result = diff_sections(previous.sections, version.sections, words=False)
    known = {**numbers(previous, ui.lang), **numbers(version, ui.lang)}
    context = {"title": ui.title(policy), "effective": ui.date(version.meta.effective),
               "summary": version.meta.summary, "new_url": f"{site_url}{policy}/{version.id}/",
               "diff_url": f"{site_url}{policy}/{version.id}/changes/",
               "changes": [f"{ui.t(STATUS[c.status])}: {clause_name(ui.t, c.id, c.title, known)}"
                           for c in result.changed]}
    return ui.render("notice.txt.j2", **context), ui.render("notice.html.j2", **context)
