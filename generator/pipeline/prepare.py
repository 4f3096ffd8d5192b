"""The build's first steps: check the content (`check`), then read the history and everything else (`read`)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from .. import keys
from ..checks.legal import legal_check
from ..checks.rules import content_findings, refuse_findings, remembered
from ..consent.banner import banner_css, banner_json
from ..consent.snippets import Snippet, snippets
from ..content.assemble import Publication, assemble
from ..content.config import SiteConfig
from ..content.load import load_banner_wording, load_config, load_content, load_wording
from ..content.model import BannerWording, Content, Wording
from ..engines import engine
from ..errors import Collector, ConfigError, ContentError, Problem
from ..history.release import Release, published
from ..history.versions import (
    Key,
    Timeline,
    Version,
    VersionReader,
    timelines,
    working_texts,
)
from ..jinja_envs import page_templates
from ..memo import Memo, Memos
from ..site.model import Site
from ..site.pages import VIETNAM, BrandSources, plan_brand
from ..site.pdf import PACKAGES as PDF_PACKAGES
from ..site.pdf import SOURCES as PDF_SOURCES
from ..site.pdf import PdfVersion, pdf_versions
from .cache import BuildCache, pdf_tools_digest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
CONSENT_SCRIPT = "theme/assets/javascripts/policy-consent.js"
BANNER_SCRIPT = "theme/assets/javascripts/policy-banner.js"


@dataclass(frozen=True)
class BuildOptions:
    """What to build and where."""

    root: Path  # the content repository: site.yml and content/
    site_dir: Path
    brands: tuple[str, ...] = ()  # empty: every brand
    strict: bool = False  # mkdocs warnings fail the build
    jobs: int = 0  # mkdocs worker processes; 0: one per core; 1: none, mkdocs runs in this process
    as_of: dt.date | None = None  # "today" for effective dates; default: SOURCE_DATE_EPOCH, else today
    drafts: bool = False  # show unreleased text at the plain URLs (the preview of `serve`)
    record: bool = True  # add newly published versions to versions.lock (on the publishing branch only)
    relock: bool = False  # record versions.lock again from the history (it was deleted or cut short)
    # Each published version also as a PDF. `policygen build` makes them unless --no-pdf; a build called
    # from Python (serve's previews, the tests' fixture sites, the benchmark) asks for them when it wants them.
    pdf: bool = False


@dataclass(frozen=True)
class Plan:
    """Everything validated and rendered, ready to write."""

    sites: list[Site]
    record: dict[str, dict[str, str]]  # versions.lock as it stands
    new_versions: dict[str, dict[str, str]]  # published versions not yet in versions.lock
    unpublished: list[str]  # files whose changes are not (yet) a published version
    reader: VersionReader  # the history walk, for the next build to carry on
    memo: Memos  # the pages rendered from published versions, for the next build


def today(as_of: dt.date | None = None) -> dt.date:
    """The build's notion of today: --as-of, else SOURCE_DATE_EPOCH, else the date in Vietnam."""
    if as_of is not None:
        return as_of
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or None
    moment = dt.datetime.fromtimestamp(int(epoch), VIETNAM) if epoch else dt.datetime.now(VIETNAM)
    return moment.date()


@dataclass(frozen=True)
class Prepared:
    """All input and history read and validated; each brand's plans are made when asked for."""

    config: SiteConfig
    brands: list[str]
    lines: dict[Key, Timeline]
    as_of: dt.date
    pages: jinja2.Environment
    consent: dict[str, dict[str, list[Snippet]]]
    sri: str
    banners: dict[str, dict[str, Any]]
    options: BuildOptions
    release: Release  # versions.lock, and what this build adds to it or proposes
    unpublished: list[str]
    reader: VersionReader
    memo: Memos
    pdf_tools: str = ""  # what every PDF depends on besides its version (cache.pdf_tools_digest); "": no PDFs
    warnings: tuple[str, ...] = ()  # the check rules' warnings, as printed
    findings: Memo = field(default_factory=lambda: Memo({}, ""))  # the text rules' findings, for the next build

    def plan_brand(self, brand: str) -> list[Site]:
        """The plans of one brand's sites (one per language)."""
        return plan_brand(BrandSources(
            self.config, brand, self.lines, self.as_of, self.pages, engine().site_config,
            strict=self.options.strict, drafts=self.options.drafts, consent=self.consent.get(brand, {}), sri=self.sri,
            banner=self.banners.get(brand), memo=self.memo.brand(brand), pdfs=bool(self.pdf_tools)))

    def pdfs(self, brand: str, lang: str) -> dict[str, PdfVersion]:
        """The PDFs of one site, by cache key (none if this build makes no PDFs)."""
        if not self.pdf_tools:
            return {}
        return {v.key(self.pdf_tools): v for v in pdf_versions(self.config, brand, lang, self.lines)}


def plan(options: BuildOptions, cache: BuildCache | None = None) -> Plan:
    """Read and validate all input and history; the plans to build, or an error listing every problem."""
    ready = prepare(options, cache)
    sites = [site for brand in ready.brands for site in ready.plan_brand(brand)]
    return Plan(sites, ready.release.record, ready.release.new, ready.unpublished, ready.reader, ready.memo)


@dataclass(frozen=True)
class Checked:
    """site.yml and the content read and checked; `errors` holds what the history may still add to."""

    config: SiteConfig
    brands: list[str]
    content: Content
    publication: Publication
    chunks: dict[Key, tuple[str, ...]]
    drafts: dict[Key, Version]
    errors: Collector


def prepare(options: BuildOptions, cache: BuildCache | None = None) -> Prepared:
    """Read and validate all input and history, or raise an error listing every problem."""
    return read(check(options), options, cache)


def check(options: BuildOptions) -> Checked:
    """Read site.yml and the content and check them, before any history is read."""
    config = load_config(options.root / "site.yml", options.root)
    unknown = [b for b in options.brands if b not in config.brands]
    if unknown:
        raise ConfigError([Problem("site.yml", 0, f"unknown brand {b!r}",
                                   f"Use one of: {', '.join(config.brands)}.") for b in unknown])
    brands = list(options.brands) or list(config.brands)
    content = load_content(config, options.root / "content", options.root)
    publication = assemble(config, content, brands)
    errors = Collector()
    chunks, drafts = working_texts(config, publication, errors)
    return Checked(config, brands, content, publication, chunks, drafts, errors)


def read(checked: Checked, options: BuildOptions, cache: BuildCache | None = None) -> Prepared:
    """Read the history and everything else the sites need, or raise an error listing every problem.

    With a cache, the history is read from where the last build stopped and the pages of
    published versions come from the last build.
    """
    config, brands, publication, errors = checked.config, checked.brands, checked.publication, checked.errors
    as_of = today(options.as_of)
    reader, shown = published(options.root, config.publishing_branch, cache, checked.drafts, publication, as_of,
                              options.record, options.relock)
    lines = _timelines(shown.versions, checked.drafts, publication, options.drafts, errors)
    errors.raise_if_any(ContentError)
    findings = cache.findings() if cache else Memo({}, "")
    warnings = _rules(options, config, (checked.content, publication, checked.chunks), shown.line.publishing,
                      findings)
    consent = _consent(config, brands, load_wording(config, options.root / "content", options.root, errors),
                       lines, as_of, errors)
    errors.raise_if_any(ContentError)
    sri = subresource_integrity((TEMPLATES / CONSENT_SCRIPT).read_bytes())
    banners = _banners(config, brands, load_banner_wording(config, options.root / "content", options.root), lines,
                       as_of, errors)
    errors.raise_if_any(ContentError)
    pages = page_templates(TEMPLATES / "page")
    salt = keys.key((options.root / "site.yml").read_bytes())
    memo = cache.pages(salt) if cache else Memos(lambda _brand: {}, salt)
    unpublished = sorted({publication[k].path for k, line in lines.items() if line.draft is not None})
    pdf_tools = pdf_tools_digest(PDF_SOURCES, PDF_PACKAGES) if options.pdf else ""
    return Prepared(config, brands, lines, as_of, pages, consent, sri, banners, options, shown, unpublished,
                    reader, memo, pdf_tools, warnings, findings)


def _rules(options: BuildOptions, config: SiteConfig, texts: tuple[Content, Publication, dict[Key, tuple[str, ...]]],
           publishing: bool, kept: Memo) -> tuple[str, ...]:
    """check's rules on what was just rendered: errors (with --strict, warnings) refuse the build; the warnings.

    The text rules' findings of a chunk come from `kept` (the last build's) when the chunk and its facts are the
    same; every other rule reads more than one chunk and runs again.
    """
    content, publication, chunks = texts
    every = set(options.brands or config.brands) == set(config.brands)  # else a stale accept may be another's
    findings = content_findings(config, publication, chunks, options.as_of, options.root, every, remembered(kept))
    findings += legal_check(options.root, config, content, publication, publishing, chunks).findings
    return refuse_findings(findings, options.strict)


def _consent(config: SiteConfig, brands: list[str], wording: dict[str, Wording], lines: dict[Key, Timeline],
             as_of: dt.date, errors: Collector) -> dict[str, dict[str, list[Snippet]]]:
    """Every brand's consent snippets, by language."""
    result: dict[str, dict[str, list[Snippet]]] = {}
    for brand in brands:
        if not config.brands[brand].forms:
            continue
        for lang in config.brand_languages(brand):
            if lang not in wording:
                errors.add(f"content/{lang}/consent.yml", 0, f"brand {brand!r} has forms but there is no "
                           f"{lang!r} consent wording", "Write content/<lang>/consent.yml (see docs/consent.md).")
                continue
            result.setdefault(brand, {})[lang] = snippets(config, brand, lang, wording[lang], lines, as_of, errors)
    return result


def _banners(config: SiteConfig, brands: list[str], wording: dict[str, BannerWording], lines: dict[Key, Timeline],
             as_of: dt.date, errors: Collector) -> dict[str, dict[str, Any]]:
    """Each brand's banner: its JSON, its stylesheet, the SRI hashes, the reopen link's text."""
    result = {}
    script = subresource_integrity((TEMPLATES / BANNER_SCRIPT).read_bytes())
    for brand in brands:
        if config.brands[brand].banner is None:
            continue
        data = banner_json(config, brand, wording, lines, as_of, errors)
        css = banner_css(config.brands[brand].colour)
        result[brand] = {"json": data, "css": css, "css_sri": subresource_integrity(css.encode("utf-8")),
                         "js_sri": script, "reopen": {lang: w.texts["reopen"] for lang, w in wording.items()}}
    return result


def subresource_integrity(data: bytes) -> str:
    """The `integrity` value of a file (SHA-384, base64)."""
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode("ascii")


def _timelines(versions: dict[Key, list[Version]], drafts: dict[Key, Version], publication: Publication,
               show_drafts: bool, errors: Collector) -> dict[Key, Timeline]:
    """Each published text's timeline; a text never committed is an error, except in a preview."""
    lines = timelines({k: v for k, v in versions.items() if k in drafts}, drafts)
    for key, draft in drafts.items():
        if key in lines:
            continue
        if show_drafts:
            lines[key] = Timeline((draft,), draft)
        else:
            errors.add(publication[key].path, 0, f"{key[1]!r} of {key[0]!r} ({key[2]}) has no published version yet",
                       "Commit the file (git add, git commit), then build again.")
    return lines


