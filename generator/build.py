"""The one orchestrator: read and validate everything, render, then write the sites atomically."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from .assemble import Publication, assemble
from .banner import banner_css, banner_json
from .cache import BuildCache, build_date, pdf_tools_digest, tools_digest
from .config import SiteConfig
from .consent import Snippet, snippets
from .engines import engine, site_folder
from .errors import BuildError, Collector, ConfigError, ContentError, Problem
from .legal import legal_check
from .load import load_banner_wording, load_config, load_content, load_wording
from .memo import Memos
from .model import BannerWording, Content, Wording
from .pages import VIETNAM, plan_brand
from .pdf import PACKAGES as PDF_PACKAGES
from .pdf import SOURCES as PDF_SOURCES
from .pdf import PdfVersion, pdf_versions
from .pdf_build import PdfMaker
from .publish import SWAP_MARK, discard, exclusive, new_stage, recover, swap, trash_emptied
from .release import Release, published
from .render import SitePlan, page_environment
from .rules import content_findings, refuse_findings
from .versions import (
    Key,
    Timeline,
    Version,
    VersionReader,
    timelines,
    working_texts,
)

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
CONSENT_SCRIPT = "theme/assets/javascripts/policy-consent.js"
BANNER_SCRIPT = "theme/assets/javascripts/policy-banner.js"
Report = Callable[[str], None]


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

    sites: list[SitePlan]
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

    def plan_brand(self, brand: str) -> list[SitePlan]:
        """The plans of one brand's sites (one per language)."""
        return plan_brand(self.config, brand, self.lines, self.as_of, self.pages, str(TEMPLATES / "theme"),
                          self.options.strict, self.options.drafts, self.consent.get(brand, {}), self.sri,
                          self.banners.get(brand), self.memo.brand(brand), bool(self.pdf_tools))

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


def prepare(options: BuildOptions, cache: BuildCache | None = None,
            content_valid: Callable[[SiteConfig], None] = lambda _config: None) -> Prepared:
    """Read and validate all input and history, or raise an error listing every problem.

    With a cache, the history is read from where the last build stopped and the pages of
    published versions come from the last build. `content_valid` is called once the content
    checks have passed, before the history is read.
    """
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
    content_valid(config)
    as_of = today(options.as_of)
    reader, shown = published(options.root, config.publishing_branch, cache, drafts, publication, as_of,
                              options.record, options.relock)
    lines = _timelines(shown.versions, drafts, publication, options.drafts, errors)
    errors.raise_if_any(ContentError)
    warnings = _rules(options, config, (content, publication, chunks), shown.line.publishing)
    consent = _consent(config, brands, load_wording(config, options.root / "content", options.root, errors),
                       lines, as_of, errors)
    errors.raise_if_any(ContentError)
    sri = subresource_integrity((TEMPLATES / CONSENT_SCRIPT).read_bytes())
    banners = _banners(config, brands, load_banner_wording(config, options.root / "content", options.root), lines,
                       as_of, errors)
    errors.raise_if_any(ContentError)
    pages = page_environment(TEMPLATES / "page")
    salt = hashlib.sha256((options.root / "site.yml").read_bytes()).hexdigest()
    memo = cache.pages(salt) if cache else Memos(lambda _brand: {}, salt)
    unpublished = sorted({publication[k].path for k, line in lines.items() if line.draft is not None})
    pdf_tools = pdf_tools_digest(PDF_SOURCES, PDF_PACKAGES) if options.pdf else ""
    return Prepared(config, brands, lines, as_of, pages, consent, sri, banners, options, shown, unpublished,
                    reader, memo, pdf_tools, warnings)


def _rules(options: BuildOptions, config: SiteConfig, texts: tuple[Content, Publication, dict[Key, tuple[str, ...]]],
           publishing: bool) -> tuple[str, ...]:
    """check's rules on what was just rendered: errors (with --strict, warnings) refuse the build; the warnings."""
    content, publication, chunks = texts
    every = set(options.brands or config.brands) == set(config.brands)  # else a stale accept may be another's
    findings = content_findings(config, publication, chunks, options.as_of, options.root, every)
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


def build(options: BuildOptions, report: Report = lambda _: None) -> list[str]:
    """Build the sites into a staging directory and swap it in; return the brands built.

    Nothing changed since the last build: nothing to do. Otherwise only what changed is rendered
    again (see cache.py and engines/mkdocs/sites.py); the result is the same as a cold build's.
    """
    site_dir = options.site_dir.resolve()
    cache = BuildCache(site_dir, tools_digest(), report)  # it says which cache files it ignores
    last = cache.record()
    settings = repr((options.brands, options.strict, options.drafts, options.record, today(options.as_of), options.pdf,
                     options.relock))
    inputs = cache.inputs(options.root, settings, last.get("copies", []))
    if inputs and last.get("inputs") == inputs and all((site_dir / b).is_dir() for b in last["brands"]):
        for message in last["messages"]:
            report(message)
        report("nothing changed since the last build")
        return list(last["brands"])
    with engine().workers(options.jobs) as pool:  # they start now, while this process reads everything
        # Not before the content is known to be valid: an editor's mistake is reported without waiting for it.
        ready = prepare(options, cache, lambda config: _warm_up(pool, config, options, cache))
        try:
            site_dir.parent.mkdir(parents=True, exist_ok=True)
            with exclusive(site_dir), trash_emptied(site_dir):
                prints: dict[str, str] = {}
                sites = _write(ready, site_dir, cache, pool, last.get("sites", {}), prints, report)
                brands = sorted({p.brand for p in sites})
                messages = [*ready.warnings, *ready.release.notes, *(f"{path}: its changes are not published (no "
                            "new `updated` date, or not committed yet)" for path in ready.unpublished)]
                copies = sorted({c for p in sites for c in p.copies.values()})
                kept = {k: v for k, v in last.get("sites", {}).items() if k.split("/")[0] not in brands}
                cache.write_record({"inputs": inputs, "brands": brands, "messages": messages, "copies": copies,
                                    "sites": {**kept, **prints}})
        except OSError as exc:  # a full disk, a read-only folder: say so; the previous site is untouched
            raise BuildError([Problem(str(exc.filename or site_dir), 0, f"cannot write the site ({exc.strerror})",
                                      f"Free disk space or fix the permissions, then build again; "
                                      f"{site_dir.name}/ was left as it was.")]) from None
    for message in [*messages, *ready.release.said()]:
        report(message)
    return brands


def _warm_up(pool: ProcessPoolExecutor | None, config: SiteConfig, options: BuildOptions, cache: BuildCache) -> None:
    """On a cold build, have a worker compile the theme's templates while this process reads the history."""
    brand = next((b for b in options.brands or config.brands if b in config.brands), None)
    if pool is None or brand is None:
        return
    lang = config.brand_languages(brand)[0]
    builder = engine()
    builder.warm_up(pool, builder.site_config(config, brand, lang, str(TEMPLATES / "theme"), False),
                    cache.project(brand, lang))


def _write(ready: Prepared, site_dir: Path, cache: BuildCache, pool: ProcessPoolExecutor | None,
           last: dict[str, str], prints: dict[str, str], report: Report) -> list[SitePlan]:
    """Plan brand by brand while the sites planned so far build; swap the stage in; every site's plan.

    An unchanged site (same fingerprint as in `last`) is not built again: a brand whose sites are all
    unchanged stays where it is (moved, not copied, by the swap); the others are hard-linked.
    """
    recover(site_dir)
    stage = new_stage(site_dir)
    sites: list[SitePlan] = []
    changed: set[str] = set()
    maker = PdfMaker(cache, pool)

    def to_build() -> Iterator[SitePlan]:
        for brand in ready.brands:
            plans = ready.plan_brand(brand)
            sites.extend(plans)
            prints.update(_fingerprints(ready, plans, cache.tools, maker))
            same = {site.lang for site in plans if last.get(f"{brand}/{site.lang}") == prints[f"{brand}/{site.lang}"]
                    and site_folder(site_dir, site).is_dir()}
            if len(same) < len(plans):
                changed.add(brand)
                # Largest first: a worker that is done sooner takes the larger of the next brand's sites.
                yield from sorted((s for s in plans if s.lang not in same or not _reuse(s, site_dir, stage, plans)),
                                  key=_size, reverse=True)
                maker.make(brand)  # queued behind its sites, made while the next brands are planned
        # Pure results, right whatever becomes of this build: saved while the last sites build.
        cache.save_versions(ready.reader)
        cache.save_pages(ready.memo)

    try:
        built = engine().build_sites(to_build(), stage, ready.options.root, lambda p: cache.project(p.brand, p.lang),
                            cache.tools, pool, report)
        _sites_done(ready, sites, built, [s for s in sites if s.brand in changed], stage, cache, maker, report)
        swap(stage, site_dir, sorted(changed))
    finally:
        if not (stage / SWAP_MARK).exists():  # a swap that began holds moved brands: recover() finishes it
            discard(stage, site_dir)
    return sites


def fingerprint(site: SitePlan, root: Path, tools: str, pdfs: list[str] | None = None) -> str:
    """Everything a site's output depends on: its pages, its config, `tools`, the build date (sitemap), its PDFs."""
    digest = hashlib.sha256(f"{tools}\0{build_date()}\0".encode())
    if pdfs:  # their keys (pdf.PdfVersion.key); a site without PDFs keeps the fingerprint it had
        digest.update("\0".join(pdfs).encode())
    for rel, text in sorted(site.files.items()):
        digest.update(f"{rel}\0{text}\0".encode())
    for rel, source in sorted(site.copies.items()):
        digest.update(rel.encode() + (root / source).read_bytes())
    digest.update(json.dumps(site.engine, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def _fingerprints(ready: Prepared, plans: list[SitePlan], tools: str, maker: PdfMaker) -> dict[str, str]:
    """Each site's fingerprint (`fingerprint`), by brand/lang; `maker` takes note of its PDFs."""
    return {f"{site.brand}/{site.lang}": fingerprint(site, ready.options.root, tools,
                                                     maker.want(site, ready.pdfs(site.brand, site.lang)))
            for site in plans}


def _sites_done(ready: Prepared, sites: list[SitePlan], built: int, staged: list[SitePlan], stage: Path,
                cache: BuildCache, maker: PdfMaker, report: Report) -> None:
    """Once the sites are built: say how many were reused; keep the PDFs made meanwhile and place the staged ones.

    Then record the new versions in versions.lock: before the swap, so one that cannot be written keeps the old site.
    """
    if built < len(sites):
        report(f"reused {len(sites) - built} unchanged site(s) of the last build")
    made = maker.finish()
    if made:
        report(f"made {made} PDF(s)")
    maker.place(staged, stage)
    if ready.pdf_tools and not ready.options.brands:  # every site's PDFs are known: forget the others
        cache.keep_pdfs(maker.keys())
    ready.release.save(ready.options.root)


def _size(site: SitePlan) -> int:
    """How much a site's mkdocs run has to convert: the length of its pages' Markdown."""
    return sum(len(text) for rel, text in site.files.items() if rel.endswith(".md"))


def _reuse(site: SitePlan, site_dir: Path, stage: Path, sites: list[SitePlan]) -> bool:
    """Hard-link an unchanged site's last output into the stage; False if it is not there."""
    source = site_folder(site_dir, site)
    if not source.is_dir():
        return False
    others = {p.subdir for p in sites if p.brand == site.brand and p.subdir and p is not site}
    target = site_folder(stage, site)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source, target, copy_function=os.link, dirs_exist_ok=True,
                    ignore=lambda folder, names: [n for n in names if Path(folder) == source and n in others])
    return True
