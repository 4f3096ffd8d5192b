"""The one orchestrator: read and validate everything, render, then write the sites atomically.

`build` reads as the pipeline: the nothing-changed check, `check` (the content), the engine's warm-up,
`read` (the history and the rest), `write` (plan brand by brand while the sites build, then the swap),
the record the next build starts from.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import tee
from pathlib import Path
from typing import Any

import orjson

from ..content.config import SiteConfig
from ..engines import engine, link, site_folder
from ..errors import BuildError, Problem
from ..keys import key
from ..site.model import Site
from ..site.pdf import PdfVersion
from .cache import BuildCache, build_date, tools_digest
from .pdf_build import PdfMaker
from .prepare import (
    TEMPLATES,
    BuildOptions,
    Plan,
    Prepared,
    check,
    plan,
    prepare,
    read,
    subresource_integrity,
    today,
)
from .publish import SWAP_MARK, discard, exclusive, new_stage, recover, swap, trash_emptied

__all__ = ["SWAP_MARK", "TEMPLATES", "BuildOptions", "Plan", "Prepared", "build", "fingerprint", "plan", "prepare",
           "subresource_integrity", "today"]
Report = Callable[[str], None]


@dataclass(frozen=True)
class BrandPlan:
    """One brand's sites as planned: their fingerprints and PDFs, and those that need building."""

    brand: str
    sites: list[Site]
    prints: dict[str, str]  # each site's fingerprint, by brand/lang
    pdfs: dict[str, dict[str, PdfVersion]]  # each site's PDFs by cache key, by lang
    unchanged: frozenset[str]  # the languages whose last output can be reused

    @property
    def changed(self) -> bool:
        """Whether any of its sites is built again (else the brand stays where it is)."""
        return len(self.unchanged) < len(self.sites)


def build(options: BuildOptions, report: Report = lambda _: None) -> list[str]:
    """Build the sites into a staging directory and swap it in; return the brands built.

    Nothing changed since the last build: nothing to do. Otherwise only what changed is rendered
    again (see cache.py and engines/mkdocs/sites.py); the result is the same as a cold build's.
    """
    site_dir = options.site_dir.resolve()
    cache = BuildCache(site_dir, tools_digest(), report)  # it says which cache files it ignores
    last = cache.record()
    inputs = cache.inputs(options.root, settings(options), last.get("copies", []))
    if inputs and last.get("inputs") == inputs and all((site_dir / b).is_dir() for b in last["brands"]):
        return _nothing_changed(last, report)
    with engine().workers(options.jobs) as pool:  # they start now, while this process reads everything
        checked = check(options)
        # Only now: an editor's mistake is reported without waiting for the warm-up.
        warm_up(pool, checked.config, options, cache)
        ready = read(checked, options, cache)
        with _writing(site_dir):
            planned = write(ready, site_dir, cache, pool, last.get("sites", {}), report)
            record = _record(ready, planned, inputs, last.get("sites", {}))
            cache.write_record(record)
    for message in [*record["messages"], *ready.release.said()]:
        report(message)
    return list(record["brands"])


def settings(options: BuildOptions) -> str:
    """The options a build's output depends on, for the nothing-changed check."""
    return repr((options.brands, options.strict, options.drafts, options.record, today(options.as_of), options.pdf,
                 options.relock))


def _nothing_changed(last: dict[str, Any], report: Report) -> list[str]:
    """Repeat the last build's messages; its brands."""
    for message in last["messages"]:
        report(message)
    report("nothing changed since the last build")
    return list(last["brands"])


def warm_up(pool: ProcessPoolExecutor | None, config: SiteConfig, options: BuildOptions, cache: BuildCache) -> None:
    """On a cold build, have a worker compile the theme's templates while this process reads the history."""
    brand = next((b for b in options.brands or config.brands if b in config.brands), None)
    if pool is None or brand is None:
        return
    lang = config.brand_languages(brand)[0]
    builder = engine()
    builder.warm_up(pool, builder.site_config(config, brand, lang, False),
                    cache.project(brand, lang))


@contextmanager
def _writing(site_dir: Path) -> Iterator[None]:
    """The site folder locked and its old trash emptied; a failed write said as such, the site untouched."""
    try:
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        with exclusive(site_dir), trash_emptied(site_dir):
            yield
    except OSError as exc:  # a full disk, a read-only folder: say so; the previous site is untouched
        raise BuildError([Problem(str(exc.filename or site_dir), 0, f"cannot write the site ({exc.strerror})",
                                  f"Free disk space or fix the permissions, then build again; "
                                  f"{site_dir.name}/ was left as it was.")]) from None


def _record(ready: Prepared, planned: list[BrandPlan], inputs: str | None, last: dict[str, str]) -> dict[str, Any]:
    """What the next build starts from: the inputs digest, the brands, messages, copies, site fingerprints."""
    sites = [site for brand in planned for site in brand.sites]
    brands = sorted({p.brand for p in sites})
    messages = [*ready.warnings, *ready.release.notes, *(f"{path}: its changes are not published (no new `updated` "
                "date, or not committed yet)" for path in ready.unpublished)]
    copies = sorted({c for p in sites for c in p.copies.values()})
    kept = {k: v for k, v in last.items() if k.split("/")[0] not in brands}
    prints = {k: v for brand in planned for k, v in brand.prints.items()}
    return {"inputs": inputs, "brands": brands, "messages": messages, "copies": copies, "sites": {**kept, **prints}}


def write(ready: Prepared, site_dir: Path, cache: BuildCache, pool: ProcessPoolExecutor | None,
          last: dict[str, str], report: Report) -> list[BrandPlan]:
    """Plan brand by brand while the sites planned so far build; swap the stage in; every brand's plan.

    An unchanged site (same fingerprint as in `last`) is not built again: a brand whose sites are all
    unchanged stays where it is (moved, not copied, by the swap); the others are hard-linked.
    """
    recover(site_dir)
    stage = new_stage(site_dir)
    maker = PdfMaker(cache, pool)
    # `tee`: the engine takes the sites as each brand is planned; the plans are read again once it is done.
    to_queue, to_keep = tee(plan_brands(ready, site_dir, last, cache.tools))
    try:
        built = engine().build_sites(_queue(to_queue, site_dir, stage, maker), stage, ready.options.root,
                                     lambda p: cache.project(p.brand, p.lang), cache.tools, pool, report)
        planned = list(to_keep)
        # Pure results, valid whatever becomes of this build; not before the plans, which read the pages' cache.
        cache.save_versions(ready.reader)
        cache.save_pages(ready.memo)
        cache.save_findings(ready.findings)
        _sites_done(ready, planned, built, stage, cache, maker, report)
        swap(stage, site_dir, sorted(b.brand for b in planned if b.changed))
    finally:
        if not (stage / SWAP_MARK).exists():  # a swap that began holds moved brands: recover() finishes it
            discard(stage, site_dir)
    return planned


def plan_brands(ready: Prepared, site_dir: Path, last: dict[str, str], tools: str) -> Iterator[BrandPlan]:
    """Each brand's plan, as it is made; a site is unchanged if its fingerprint is `last`'s and its folder is there."""
    for brand in ready.brands:
        sites = ready.plan_brand(brand)
        pdfs = {site.lang: ready.pdfs(brand, site.lang) for site in sites}
        prints = {f"{brand}/{site.lang}": fingerprint(site, ready.options.root, tools, sorted(pdfs[site.lang]))
                  for site in sites}
        unchanged = frozenset(site.lang for site in sites if last.get(f"{brand}/{site.lang}") ==
                              prints[f"{brand}/{site.lang}"] and site_folder(site_dir, site).is_dir())
        yield BrandPlan(brand, sites, prints, pdfs, unchanged)


def _queue(planned: Iterator[BrandPlan], site_dir: Path, stage: Path, maker: PdfMaker) -> Iterator[Site]:
    """What the engine builds, brand by brand: the changed sites, largest first, each brand's PDFs queued behind.

    An unchanged site of a changed brand is hard-linked into the stage instead (built if its output is gone).
    """
    for brand in planned:
        for site in brand.sites:
            maker.want(site, brand.pdfs[site.lang])
        if brand.changed:
            # Largest first: a worker that is done sooner takes the larger of the next brand's sites.
            yield from sorted((s for s in brand.sites if s.lang not in brand.unchanged
                               or not _reuse(s, site_dir, stage, brand.sites)), key=_size, reverse=True)
            maker.make(brand.brand)  # queued behind its sites, made while the next brands are planned


def fingerprint(site: Site, root: Path, tools: str, pdfs: list[str] | None = None) -> str:
    """Everything a site's output depends on: its pages, its config, `tools`, the build date (sitemap), its PDFs."""
    pages = [part for rel, page in sorted(site.pages.items())
             for part in (rel, orjson.dumps(page.data(), option=orjson.OPT_SORT_KEYS))]
    files = [part for rel, text in sorted(site.files.items()) for part in (rel, text)]
    copies = [part for rel, source in sorted(site.copies.items()) for part in (rel, (root / source).read_bytes())]
    return key(tools, build_date(), str(len(pdfs or ())), *(pdfs or ()), str(len(site.pages)), *pages,
               str(len(site.files)), *files, str(len(site.copies)), *copies,
               json.dumps(site.engine, sort_keys=True, default=str))


def _sites_done(ready: Prepared, planned: list[BrandPlan], built: int, stage: Path, cache: BuildCache,
                maker: PdfMaker, report: Report) -> None:
    """Once the sites are built: say how many were reused; keep the PDFs made meanwhile and place the staged ones.

    Then record the new versions in versions.lock: before the swap, so one that cannot be written keeps the old site.
    """
    sites = [site for brand in planned for site in brand.sites]
    if built < len(sites):
        report(f"reused {len(sites) - built} unchanged site(s) of the last build")
    made = maker.finish()
    if made:
        report(f"made {made} PDF(s)")
    maker.place([site for brand in planned if brand.changed for site in brand.sites], stage)
    if ready.pdf_tools and not ready.options.brands:  # every site's PDFs are known: forget the others
        cache.keep_pdfs(maker.keys())
    ready.release.save(ready.options.root)


def _size(site: Site) -> int:
    """How much a site's mkdocs run has to convert: the length of its pages' Markdown."""
    return sum(len(page.markdown) for page in site.pages.values())


def _reuse(site: Site, site_dir: Path, stage: Path, sites: list[Site]) -> bool:
    """Hard-link an unchanged site's last output into the stage; False if it is not there."""
    source = site_folder(site_dir, site)
    if not source.is_dir():
        return False
    others = {p.subdir for p in sites if p.brand == site.brand and p.subdir and p is not site}
    target = site_folder(stage, site)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source, target, copy_function=link, dirs_exist_ok=True,
                    ignore=lambda folder, names: [n for n in names if Path(folder) == source and n in others])
    return True
