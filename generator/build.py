"""The one orchestrator: read and validate everything, render, then write the sites atomically."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import jinja2
import yaml

from .assemble import assemble
from .errors import BuildError, Collector, ConfigError, ContentError, Problem
from .load import load_config, load_content
from .render import SitePlan, plan_brand

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
Report = Callable[[str], None]


@dataclass(frozen=True)
class BuildOptions:
    """What to build and where."""

    root: Path  # the content repository: site.yml and content/
    site_dir: Path
    brands: tuple[str, ...] = ()  # empty: every brand
    strict: bool = False  # mkdocs warnings fail the build
    jobs: int = 0  # worker processes; 0: one per core, at most one per site


def plan(options: BuildOptions) -> list[SitePlan]:
    """Read and validate all input; the plans to build, or an error listing every problem."""
    config = load_config(options.root / "site.yml", options.root)
    unknown = [b for b in options.brands if b not in config.brands]
    if unknown:
        raise ConfigError([Problem("site.yml", 0, f"unknown brand {b!r}",
                                   f"Use one of: {', '.join(config.brands)}.") for b in unknown])
    brands = list(options.brands) or list(config.brands)
    content = load_content(config, options.root / "content", options.root)
    publication = assemble(config, content, brands)
    pages = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES / "page"),
                               undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True)
    errors = Collector()
    plans = [p for b in brands
             for p in plan_brand(config, b, publication, pages, str(TEMPLATES / "theme"), options.strict, errors)]
    errors.raise_if_any(ContentError)
    return plans


def build(options: BuildOptions, report: Report = lambda _: None) -> list[str]:
    """Build the sites into a staging directory and swap it in; return the brands built."""
    plans = plan(options)
    site_dir = options.site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.staging-", dir=site_dir.parent))
    try:
        _build_all(plans, stage, options.root, options.jobs, report)
        brands = sorted({p.brand for p in plans})
        _swap(stage, site_dir, brands)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return brands


def _build_all(plans: list[SitePlan], stage: Path, root: Path, jobs: int, report: Report) -> None:
    """Run mkdocs for every plan (in parallel when there are several), then assemble the sites."""
    parts = stage / ".parts"
    workers = min(jobs or os.cpu_count() or 1, len(plans))
    tasks = [(plan_, str(parts / f"{plan_.brand}.{plan_.lang}"), root) for plan_ in plans]
    if workers <= 1:
        results = [_build_one(*task) for task in tasks]
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(_build_one, *zip(*tasks, strict=False)))
    problems = [problem for messages in results for problem in messages]
    if problems:
        raise BuildError(problems)
    for plan_, out, _root in tasks:
        report(f"built {plan_.brand} ({plan_.lang})")
        target = stage / plan_.brand / plan_.subdir if plan_.subdir else stage / plan_.brand
        if plan_.subdir:
            target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(out + "/site", target)
    shutil.rmtree(parts)


def _build_one(site: SitePlan, out: str, root: Path) -> list[Problem]:
    """Write one plan's docs and mkdocs.yml, run mkdocs; problems instead of exceptions (for pools)."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config as mkdocs_load
    from mkdocs.exceptions import MkDocsException

    project = Path(out)
    for rel, source in site.copies.items():
        (project / "docs" / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / source, project / "docs" / rel)
    for rel, text in site.files.items():
        path = project / "docs" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    config = {**site.mkdocs, "docs_dir": "docs", "site_dir": "site"}
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                                        encoding="utf-8")
    warnings = _WarningLog()
    logging.getLogger("mkdocs").addHandler(warnings)
    try:
        mkdocs_build(mkdocs_load(config_file=str(project / "mkdocs.yml")))
    except (MkDocsException, OSError) as exc:
        where = f"site/{site.brand}/{site.subdir}".rstrip("/")
        return [Problem(where, 0, f"mkdocs failed: {exc}", "; ".join(warnings.messages)
                        or "Run with -v for details.")]
    finally:
        logging.getLogger("mkdocs").removeHandler(warnings)
    return []


class _WarningLog(logging.Handler):
    """Collects mkdocs warnings, so a failed strict build says why."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _swap(stage: Path, site_dir: Path, brands: list[str]) -> None:
    """Replace site_dir by the staged tree in two renames, keeping brands that were not rebuilt."""
    if site_dir.exists():
        for child in site_dir.iterdir():
            if child.name not in brands and not (stage / child.name).exists():
                os.replace(child, stage / child.name) if child.is_dir() else shutil.copy2(child, stage)
    old = site_dir.with_name(f".{site_dir.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if site_dir.exists():
        os.replace(site_dir, old)
    os.replace(stage, site_dir)
    shutil.rmtree(old, ignore_errors=True)
