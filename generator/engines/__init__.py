"""The seam between the core and the program that turns site plans into HTML (today mkdocs + Material).

The core hands an engine one `Site` per brand and language (its files, copies and engine
config) and gets back the built folders in a stage, or a `BuildError` listing every problem. The
live preview of `serve` is the engine's too: it serves a folder and reloads the browser after a
build. Everything engine-specific lives in one package (`engines/mkdocs/`): no other module
imports `mkdocs` or `material` (tests/test_engines.py).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from contextlib import AbstractContextManager
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from ..content.config import SiteConfig
from ..site.model import Site

Report = Callable[[str], None]


class LivePreview(Protocol):
    """What `serve` gives the engine's live-reloading server."""

    def rebuild(self) -> None:
        """Build what the last saves touched (called by the server when a watched file changes)."""

    def watched(self) -> list[Path]:
        """The files and folders whose changes call `rebuild`."""

    def own_page(self, path: str) -> str | None:
        """The HTML to show at `path` instead of the built file (the brand list, a problem); None: the file."""


class SiteEngine(Protocol):
    """Builds site plans into folders, and serves them with live reload."""

    def site_config(self, config: SiteConfig, brand: str, lang: str, strict: bool,
                    banner_reopen: str = "") -> dict[str, Any]:
        """The engine config of one brand's site in one language (`Site.engine`)."""

    def workers(self, jobs: int) -> AbstractContextManager[ProcessPoolExecutor | None]:
        """The worker processes of one build (None: build in this process), ended with it."""

    def warm_up(self, pool: ProcessPoolExecutor, engine: dict[str, Any], project: Path) -> None:
        """Let a worker prepare what every site needs (compiled templates) while the core reads the history."""

    def build_sites(self, plans: Iterable[Site], stage: Path, root: Path, projects: Callable[[Site], Path],
                    tools: str, pool: ProcessPoolExecutor | None, report: Report) -> int:
        """Build every plan into its `site_folder` of `stage`; how many were built, or a BuildError."""

    def serve(self, preview: LivePreview, site_dir: Path, port: int, poll: float, started: Callable[[], None]
              ) -> None:
        """Serve `site_dir` on localhost until interrupted, rebuilding and reloading the browser after saves."""


def link(source: str | Path, target: str | Path) -> None:
    """Hard-link a built or kept file into the stage; copy it where the file system has no hard links."""
    try:
        os.link(source, target)
    except OSError:  # a file system without hard links (some network and FAT file systems)
        shutil.copy2(source, target)


def site_folder(root: Path, plan: Site) -> Path:
    """Where a site's output goes in a site folder or a stage: <brand>/, or <brand>/<lang>/."""
    return root / plan.brand / plan.subdir if plan.subdir else root / plan.brand


@cache
def engine() -> SiteEngine:
    """The engine sites are built with: mkdocs + Material."""
    from .mkdocs import MkdocsEngine

    return MkdocsEngine()
