"""The page chrome (stamps, version links, notices, the compare form) as typed values, never as HTML.

Pure. The pages carry these values in their metadata (`policygen:`); the theme's
`partials/policy-chrome.html` renders them with autoescaping around the page's converted text.
So no HTML is written into the Markdown that editors' text shares, and nothing here is read as
Markdown: a title or date is text wherever it is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlsplit

from ..content.config import SiteConfig
from ..content.render import language_url
from ..i18n import _, gettext_for, release_day

Translate = Callable[[str], str]


@dataclass(frozen=True)
class Link:
    """A link of the chrome: its address (relative to the page) and its text."""

    href: str
    text: str


@dataclass(frozen=True)
class Part:
    """One part of a stamp: a text, shown as a <time> when it has a machine-readable date."""

    text: str
    time: str = ""


@dataclass(frozen=True)
class Notice:
    """A boxed notice (draft, archived, upcoming, translation, summary) in Material's admonition style."""

    kind: str  # warning, info, note, abstract
    title: str
    text: str
    links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class Versions:
    """The version bar: what the selector script reads, the current version, the links beside it."""

    label: str
    data: str
    root: str
    version: str
    current: str
    links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class Compare:
    """The history page's form for comparing any two versions (compare.js reads its data attributes).

    `table` names the region in which the page's table of versions scrolls sideways on a phone.
    """

    root: str
    labels: dict[str, str]
    versions: tuple[Link, ...]  # href: the version id; text: its date
    start: str
    end: str
    submit: str
    table: str = ""


@dataclass(frozen=True)
class Printed:
    """What a printed version carries above its text: who publishes it, which version, its permanent address."""

    brand: str
    legal_name: str
    version: str
    url_label: str
    url: str  # "" for a draft: it has no address of its own yet


@dataclass(frozen=True)
class Chrome:
    """Everything a page shows besides its text: before it (after the title) and after it."""

    stamp: tuple[Part, ...] = ()
    stamp_links: tuple[Link, ...] = ()
    versions: Versions | None = None
    notices: tuple[Notice, ...] = ()
    compare: Compare | None = None
    printed: Printed | None = None  # shown on paper only

    def meta(self) -> dict[str, Any]:
        """The page metadata the theme reads."""
        return asdict(self)


def policy_chrome(t: Translate, date: Callable[[Any], str], page: dict[str, Any]) -> Chrome:
    """The chrome of a version's page (`page`: the typed values version_page gathers)."""
    meta, to, vid = page["meta"], page["to_policy"], page["version_id"]
    stamp = [Part(t(_("Last updated: %(date)s")) % {"date": date(meta.updated)}, meta.updated.isoformat())]
    if meta.effective != meta.updated:
        text = t(_("In effect from: %(date)s")) % {"date": date(meta.effective)}
        stamp.append(Part(text, meta.effective.isoformat()))
    links = [Link(f"{to}history/", t(_("History of changes")))]
    if page["has_previous"]:
        links.append(Link(f"{to}{vid}/changes/", t(_("What changed"))))
    versions = Versions(t(_("Versions")), f"{to}versions.json", to, vid,
                        t(_("Version of %(date)s")) % {"date": release_day(t, date(meta.updated), page["seq"])},
                        tuple(links))
    printed = Printed(page["brand"], page["legal_name"], versions.current, t(_("Permanent address")),
                      "" if page["draft"] else page["url"])
    return Chrome(tuple(stamp), versions=versions, notices=tuple(_notices(t, date, page)), printed=printed)


def _notices(t: Translate, date: Callable[[Any], str], page: dict[str, Any]) -> list[Notice]:
    to, vid, current = page["to_policy"], page["version_id"], page["to_policy"] or "./"
    effective = date(page["meta"].effective)
    notices = []
    if page["draft"]:
        notices.append(Notice("warning", t(_("Draft")), t(_("This text is not published: it differs from the "
                                                             "published version and has no new update date yet."))))
    elif page["banner"] == "archived":
        notices.append(Notice("warning", t(_("Not the current version")), t(_("This version is no longer in force.")),
                              (Link(current, t(_("Read the current version"))),)))
    elif page["banner"] == "future":
        text = t(_("This version takes effect on %(date)s. Until then, the current version applies.")) % {
            "date": effective}
        notices.append(Notice("info", t(_("Upcoming version")), text, (
            Link(current, t(_("Read the current version"))), Link(f"{to}{vid}/changes/", t(_("What changes"))))))
    upcoming = page["upcoming"]
    if upcoming:
        text = t(_("This policy changes on %(date)s. Until then, the text below applies.")) % {
            "date": upcoming["effective"]}
        notices.append(Notice("info", t(_("This policy is changing")), text, (
            Link(f"{upcoming['id']}/", t(_("Read the new text"))),
            Link(f"{upcoming['id']}/changes/", t(_("What changes"))))))
    if page["is_translation"]:
        text = t(_("This text is a translation. If it differs from the %(language)s text, the %(language)s text "
                   "prevails.")) % {"language": page["authority_name"]}
        notices.append(Notice("note", t(_("Translation")), text))
    return notices


def changes_chrome(t: Translate, updated: str, previous: str, summary: str) -> Chrome:
    """The chrome of a changes page: which versions it compares, links back, the summary of the change."""
    stamp = (Part(t(_("Version of %(date)s, compared with the version of %(previous)s.")) % {
        "date": updated, "previous": previous}),)
    links = (Link("../", t(_("Full text"))), Link("../../history/", t(_("History of changes"))))
    notices = (Notice("abstract", t(_("Summary")), summary),) if summary else ()
    return Chrome(stamp, links, notices=notices)


def history_chrome(t: Translate, labels: dict[str, str], rows: list[dict[str, Any]]) -> Chrome:
    """The chrome of a history page: the form that compares two versions in the browser."""
    versions = tuple(Link(row["id"], row["updated"]) for row in rows)
    return Chrome(compare=Compare("../", labels, versions, t(_("From")), t(_("To")), t(_("Compare")), t(_("Versions"))))


@dataclass(frozen=True)
class NotFound:
    """The 404 page: what it says, the brand's policies, its home page, each language's home page.

    A 404 page is served at any missing address, at any depth: every link is a path from the root.
    """

    title: str
    text: str
    heading: str
    policies: tuple[Link, ...]
    home: Link
    languages: dict[str, str]  # language code: the path of that language's home page

    def meta(self) -> dict[str, Any]:
        """The values the theme's 404.html reads (from mkdocs.yml's extra)."""
        return asdict(self)


def not_found_chrome(t: Translate, brand: str, home: str, policies: tuple[Link, ...],
                     languages: dict[str, str]) -> NotFound:
    """The 404 page of a brand's site in one language (`home`: the path of its home page)."""
    return NotFound(t(_("Page not found")), t(_("There is no page at this address.")),
                    t(_("Current policies of %(brand)s")) % {"brand": brand}, policies,
                    Link(home, t(_("Go to the home page"))), languages)


def not_found(config: SiteConfig, brand_id: str, lang: str) -> NotFound:
    """The 404 page's content: links to the brand's policies and home pages, by paths from the root."""
    brand = config.brands[brand_id]
    home = urlsplit(language_url(config, brand_id, lang)).path
    policies = tuple(Link(f"{home}{pid}/", config.policies[pid].title[lang]) for pid in brand.policies)
    languages = {code: urlsplit(language_url(config, brand_id, code)).path for code in config.brand_languages(brand_id)}
    return not_found_chrome(gettext_for(lang), brand.name, home, policies, languages)
