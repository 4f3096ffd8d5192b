"""What search engines read of each page, as typed values: canonical address, date, description, hreflang.

Pure. pages.py gathers a `Seo` for every page of a brand's site in each language; the theme's
main.html prints it in the page's head, and `sitemap()` lists the pages that are their own canonical
address with the date of their own text and their counterparts in the other languages (hreflang).
The pages carry no `<link rel="alternate" hreflang>`: Material's script fetches `sitemap.xml`
beside every such link, which for a page's address does not exist (issue #18), and search engines
read hreflang from a sitemap as they read it from a page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from typing import Any

from ..history.versions import Timeline, Version
from ..i18n import _, release_day

Translate = Callable[[str], str]
DateText = Callable[[dt.date], str]


@dataclass(frozen=True)
class Seo:
    """A page's head for search engines (URLs relative to its language's site root)."""

    url: str  # the page's own address ("aup/2026-11-20/")
    canonical: str  # the address of the page that search engines should index for this text
    lastmod: str  # ISO date of the text the page shows ("" when it has none)
    description: str
    title: str = ""  # the <title> before the site name, when it is not the page's title

    def meta(self) -> dict[str, Any]:
        """The page metadata the theme reads (hreflang is in the sitemap only)."""
        return asdict(self)


@dataclass(frozen=True)
class Words:
    """What the descriptions of one policy's pages are made of, in one language."""

    t: Translate
    date: DateText
    brand: str
    policy: str  # the policy's title in this language


def site_pages(words: Words, titles: dict[str, str], timelines: dict[str, Timeline], shown: dict[str, Version],
               as_of: dt.date, legal_name: str, has_consent: bool) -> dict[str, Seo]:
    """Every page of one language's site, by page file (`shown`: what each policy's plain address shows)."""
    pages: dict[str, Seo] = {}
    for policy, version in shown.items():
        timeline = timelines[policy]
        pages.update(policy_pages(replace(words, policy=titles[policy]), timeline, version, timeline.in_force(as_of)))
    newest = max(v.meta.updated for v in shown.values())
    pages["index.md"] = Seo("", "", newest.isoformat(), words.t(_(
        "The policies that apply to the services of %(company)s.")) % {"company": legal_name})
    if has_consent:  # the page names the versions in force on the day of the build
        pages["consent/index.md"] = Seo("consent/", "consent/", as_of.isoformat(), words.t(_(
            "Consent snippets of %(brand)s for web developers: the consent checkboxes of its forms, linked to "
            "the policy versions in force.")) % {"brand": words.brand})
    return pages


def policy_pages(words: Words, timeline: Timeline, shown: Version, current: Version) -> dict[str, Seo]:
    """The pages of one policy (keyed by their file, as pages.policy_files names them)."""
    policy = timeline.versions[0].policy
    plain = f"{policy}/"
    pages = {f"{policy}/index.md": Seo(plain, plain, shown.meta.updated.isoformat(),
                                       _version_description(words, shown, current))}
    for version in timeline.versions:
        url = f"{policy}/{version.id}/"
        # The version the plain address shows has one address for search engines: the plain one.
        pages[f"{url}index.md"] = Seo(url, plain if version is shown else url, version.meta.updated.isoformat(),
                                      _version_description(words, version, current), _dated(words, version))
        if timeline.previous(version) is not None:
            lead = words.t(_("%(policy)s of %(brand)s: what changed in the version of %(date)s.")) % {
                **_names(words), "date": words.date(version.meta.updated)}
            changes = f"{url}changes/"
            title = words.t(_("What changed")) + ": " + words.policy
            pages[f"{changes}index.md"] = Seo(changes, changes, version.meta.updated.isoformat(),
                                              f"{lead} {version.meta.summary}".strip(), _dated(words, version, title))
    history = f"{policy}/history/"
    newest = max(v.meta.updated for v in timeline.versions)
    pages[f"{history}index.md"] = Seo(history, history, newest.isoformat(), words.t(_(
        "History of the %(policy)s of %(brand)s: every published version, when each took effect and what changed."))
        % _names(words))
    return pages


def _names(words: Words) -> dict[str, str]:
    return {"policy": words.policy, "brand": words.brand}


def _dated(words: Words, version: Version, title: str = "") -> str:
    """A title with the date of its version, so that no two versions share a title."""
    day = release_day(words.t, words.date(version.meta.updated), version.seq)
    return words.t(_("%(title)s (version of %(date)s)")) % {"title": title or version.meta.title, "date": day}


def _version_description(words: Words, version: Version, current: Version) -> str:
    """What a version's page is: the text in force, a draft, an archived or an upcoming version."""
    values = {**_names(words), "date": words.date(version.meta.updated),
              "effective": words.date(version.meta.effective)}
    if version.draft:
        return words.t(_("%(policy)s of %(brand)s: a draft, not yet published.")) % values
    if version is current:
        return words.t(_("%(policy)s of %(brand)s, in force since %(effective)s.")) % values
    if version.meta.effective > current.meta.effective:
        return words.t(_("%(policy)s of %(brand)s: the version of %(date)s, in force from %(effective)s.")) % values
    return words.t(_("%(policy)s of %(brand)s: the version of %(date)s, no longer in force.")) % values


def alternates(pages: dict[str, dict[str, Seo]], site_urls: dict[str, str], first: str
               ) -> dict[str, dict[str, dict[str, str]]]:
    """Each page's hreflang counterparts (language: absolute URL), by language and file: only pages that point back."""
    # A pair is the same address in each language, each its own canonical address: a text that is the
    # version in force in one language only has none. The default language's page is the x-default.
    found: dict[str, dict[str, dict[str, str]]] = {}
    for lang, own in pages.items():
        found[lang] = {}
        for path, seo in own.items():
            same = {other: site_urls[other] + there[path].url for other, there in pages.items()
                    if path in there and there[path].canonical == there[path].url}
            if seo.canonical != seo.url or len(same) < 2:
                found[lang][path] = {}
            else:
                found[lang][path] = {**same, **({"x-default": same[first]} if first in same else {})}
    return found


def sitemap_entries(own: dict[str, Seo], hreflang: dict[str, dict[str, str]], site_url: str) -> list[dict[str, Any]]:
    """The sitemap's entries of one language's site: each canonical page, its date and its counterparts."""
    return [{"loc": site_url + seo.url, "lastmod": seo.lastmod, "alternates": hreflang[path]}
            for path, seo in sorted(own.items(), key=lambda item: item[1].url) if seo.canonical == seo.url]
