"""The build's PDFs: made while the sites build (in the worker processes, if any), kept, then placed.

A version's PDF is made once: the cache keeps it by the key of everything its bytes depend on
(pdf.PdfVersion.key), so a build after one new version makes only that version's PDFs.
"""

from __future__ import annotations

from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from ..engines import site_folder
from ..errors import BuildError, Problem
from ..site.model import Site
from ..site.pdf import PdfVersion, render_pdf
from .cache import BuildCache
from .publish import place


class PdfMaker:
    """Makes the PDFs that the cache does not hold yet, and links every site's PDFs into its folder."""

    def __init__(self, cache: BuildCache, pool: ProcessPoolExecutor | None) -> None:
        self.cache, self.pool = cache, pool
        self.wanted: dict[tuple[str, str], dict[str, PdfVersion]] = {}  # (brand, lang) -> its PDFs by key
        self.pending: dict[str, tuple[PdfVersion, Future[bytes] | bytes | Exception]] = {}

    def want(self, site: Site, versions: dict[str, PdfVersion]) -> list[str]:
        """Take note of a site's PDFs (by key); their keys, for its fingerprint."""
        self.wanted[(site.brand, site.lang)] = versions
        return sorted(versions)

    def make(self, brand: str) -> None:
        """Start making a brand's PDFs that no earlier build made; here and at once without workers."""
        for (owner, _lang), versions in self.wanted.items():
            for key, version in versions.items():
                if owner != brand or key in self.pending or self.cache.pdf(key) is not None:
                    continue
                made = self.pool.submit(render_pdf, version) if self.pool is not None else _render(version)
                self.pending[key] = (version, made)

    def finish(self) -> int:
        """Wait for the PDFs being made and keep them; how many were made."""
        problems = []
        for key, (version, made) in self.pending.items():
            try:
                data = made.result() if isinstance(made, Future) else made
            except Exception as exc:  # WeasyPrint's own errors, raised in a worker: a problem of this PDF
                data = exc
            if isinstance(data, Exception):
                problems.append(_problem(version, data))
            else:
                self.cache.save_pdf(key, data)
        if problems:
            raise BuildError(problems)
        count, self.pending = len(self.pending), {}
        return count

    def place(self, sites: list[Site], stage: Path) -> None:
        """Link the sites' PDFs (made and kept) beside their versions' pages in the stage."""
        for site in sites:
            files = {}
            for key, version in self.wanted.get((site.brand, site.lang), {}).items():
                path = self.cache.pdf(key)
                if path is None:
                    raise BuildError([_problem(version, FileNotFoundError("not made"))])
                files[version.path] = path
            place(site_folder(stage, site), files)

    def keys(self) -> set[str]:
        """The keys of every PDF the sites have."""
        return {key for versions in self.wanted.values() for key in versions}


def _render(version: PdfVersion) -> bytes | Exception:
    try:
        return render_pdf(version)
    except Exception as exc:  # WeasyPrint's own errors: reported with the others in `finish`
        return exc


def _problem(version: PdfVersion, exc: BaseException) -> Problem:
    return Problem(version.path, 0, f"the PDF of this version could not be made ({type(exc).__name__}: {exc})",
                   "Build again with -v for details, or build with --no-pdf.")
