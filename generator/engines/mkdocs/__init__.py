"""The mkdocs + Material engine: everything that knows mkdocs, Material or mkdocs.yml is in this package.

- `mkdocs_yml`: the mkdocs.yml of a site (theme, navigation, Markdown extensions, Material's strings);
- `sites`: the worker processes, kept projects and dirty builds, mkdocs runs, the output linked into the stage;
- `theme_files`: the theme's files a dirty build leaves alone, and a loader that lists the theme fast;
- `hooks`: the mkdocs hooks every site is built with (named in its mkdocs.yml);
- `livereload`: `serve`'s live-reloading server.

The Markdown extension (generator.site.markdown_ext) is Python-Markdown's, not mkdocs': it stays in the core.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from ...content.config import SiteConfig
from ...site.model import Site
from .. import LivePreview, Report
from . import sites
from .mkdocs_yml import mkdocs_config


class MkdocsEngine:
    """`engines.SiteEngine` with mkdocs 1.6 and Material 9 (a class, so that mypy checks it against the protocol)."""

    def site_config(self, config: SiteConfig, brand: str, lang: str, strict: bool,
                    banner_reopen: str = "") -> dict[str, Any]:
        """The site's mkdocs.yml, but its folders and hooks (sites.py adds those)."""
        return mkdocs_config(config, brand, lang, strict, banner_reopen)

    def workers(self, jobs: int) -> AbstractContextManager[ProcessPoolExecutor | None]:
        """Worker processes that import mkdocs while the core reads the history."""
        return sites.workers(jobs)

    def warm_up(self, pool: ProcessPoolExecutor, engine: dict[str, Any], project: Path) -> None:
        """On a cold build, a worker compiles the theme's templates into the cache beside `project`."""
        templates = sites.template_cache(project)
        if not any(templates.glob("*")):
            sites.warm_up(pool, engine, templates)

    def build_sites(self, plans: Iterable[Site], stage: Path, root: Path, projects: Callable[[Site], Path],
                    tools: str, pool: ProcessPoolExecutor | None, report: Report) -> int:
        """mkdocs runs, dirty where exact (sites.py), each output hard-linked into the stage."""
        return sites.build_sites(plans, stage, root, projects, tools, pool, report)

    def serve(self, preview: LivePreview, site_dir: Path, port: int, poll: float, started: Callable[[], None]
              ) -> None:
        """mkdocs' live-reloading server (imported here: a build does not need it)."""
        from .livereload import serve

        serve(preview, site_dir, port, poll, started)
