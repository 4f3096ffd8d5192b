"""Live preview for editors: build into a temporary folder, serve it, rebuild only what a save touches.

A problem shows in the terminal and, in place of every page, in the browser (file, line, fix); the
browser reloads by itself (the engine's live reload) when the file is saved again, fixed.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from markupsafe import Markup

from .content.config import SiteConfig
from .content.load import load_config
from .engines import engine
from .errors import PolicygenError, Problem
from .pipeline.build import TEMPLATES, BuildOptions, build

Stamp = tuple[int, int]  # a file's modification time and size: what a save changes
# How often the watched files are looked at, and how long a save must be left alone before it is built
# (`settled`). mkdocs' defaults, a look every 0.5 s and a wait of 0.1 s, were most of the time from a
# save to the new page.
POLL = 0.05
SETTLE = 0.04
PAGE = Markup('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
              "<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem}}"
              "code{{background:#f3f3f3;padding:0 .2em}}.problem{{border-left:4px solid #c0392b;padding-left:1rem}}"
              "</style></head><body><main>{body}</main></body></html>")


@dataclass
class Preview:
    """What the preview server shows: the built sites, or the problems of the last save."""

    options: BuildOptions
    echo: Callable[[str], None]
    problems: tuple[Problem, ...] = ()
    stamps: dict[str, Stamp] = field(default_factory=dict)
    brands: dict[str, str] = field(default_factory=dict)  # id: name, of the brands shown

    def watched(self) -> list[Path]:
        """What a save in should rebuild: site.yml, content/, the brands' assets and the templates."""
        root = self.options.root
        return [p for p in (root / "site.yml", root / "content", root / "assets", TEMPLATES) if p.exists()]

    def rebuild(self) -> None:
        """Build the brands the saved files touch; on a problem keep it for the browser instead of raising."""
        stamps = settled(self.watched(), self.options.root)
        changed = {rel for rel in set(stamps) | set(self.stamps) if stamps.get(rel) != self.stamps.get(rel)}
        first = not self.stamps
        self.stamps = stamps
        config = self._config()
        brands = self.options.brands or (tuple(config.brands) if config else ())
        if config and not first and not self.problems:  # after a problem, every brand: the site may be stale
            brands = tuple(b for b in brands if b in touched(changed, config))
        if not first and not brands and not self.problems:
            return
        try:
            built = build(replace(self.options, brands=brands))
        except PolicygenError as exc:
            self.problems = exc.problems
            self.echo("\n".join(map(str, exc.problems)) + "\nNot rebuilt; the browser shows the problem. "
                      "Fix it and save again.")
            return
        self.problems = ()
        self.echo(f"Rebuilt {', '.join(built)}.")

    def own_page(self, path: str) -> str | None:
        """`/`: the brand list; while there is a problem, every page: the problem page; None: the built file."""
        if path == "/" or (path.endswith(("/", ".html")) and self.problems):
            return problem_page(self.problems) if self.problems else brand_list(self)
        return None

    def _config(self) -> SiteConfig | None:
        try:
            config = load_config(self.options.root / "site.yml", self.options.root)
        except PolicygenError:
            return None  # the build says what is wrong with it
        wanted = self.options.brands or tuple(config.brands)
        self.brands = {b: config.brands[b].name for b in wanted if b in config.brands}
        return config


def scan(paths: Iterable[Path], root: Path) -> dict[str, Stamp]:
    """Every file under `paths` with its stamp, named relative to `root` (the templates: templates/...)."""
    found: dict[str, Stamp] = {}
    for top in paths:
        base = top.parent if top == TEMPLATES else root
        for path in [top] if top.is_file() else top.rglob("*"):
            if path.is_file():
                info = path.stat()
                found[path.relative_to(base).as_posix()] = (info.st_mtime_ns, info.st_size)
    return found


def settled(paths: list[Path], root: Path) -> dict[str, Stamp]:
    """`scan`, once no file has been written for SETTLE s: a save seen half-written is built whole.

    livereload's own wait (its build_delay) cannot do this: the poller sees a second write only at its next look.
    """
    stamps = scan(paths, root)
    for _ in range(10):  # a file that keeps changing (or dated in the future) is built as it is, at the latest then
        wait = min(SETTLE, max((ns for ns, _size in stamps.values()), default=0) / 1e9 + SETTLE - time.time())
        if wait <= 0:
            break
        time.sleep(wait)
        stamps, before = scan(paths, root), stamps
        if stamps == before:
            break
    return stamps


def touched(changed: Iterable[str], config: SiteConfig) -> set[str]:
    """The brands whose sites a change to these files can alter: a shared policy, every brand publishing it."""
    brands: set[str] = set()
    for rel in changed:
        parts = PurePosixPath(rel).parts
        if parts[0] == "content" and len(parts) == 4 and parts[2] in config.brands:
            brands.add(parts[2])  # content/<lang>/<brand>/<file>: that brand's own
        elif parts[0] == "content" and len(parts) == 3 and parts[2].removesuffix(".md") in config.policies:
            policy = parts[2].removesuffix(".md")
            brands |= {b for b, brand in config.brands.items() if policy in brand.policies}
        else:  # site.yml, the templates, a shared wording file or an asset: any brand may show it
            return set(config.brands)
    return brands


def brand_list(preview: Preview) -> str:
    """The page at /: a link to each brand's site."""
    items = Markup("").join(Markup('<li><a href="/{id}/">{name}</a> <code>{id}</code></li>').format(id=b, name=n)
                            for b, n in preview.brands.items())
    return PAGE.format(title="Policy preview", body=Markup("<h1>Policy preview</h1><p>Choose a brand:</p>"
                                                          "<ul>{}</ul>").format(items))


def problem_page(problems: Iterable[Problem]) -> str:
    """What the browser shows in place of a page while the content has a problem: where, what, how to fix."""
    items = Markup("").join(
        Markup('<li class="problem"><p><code>{where}</code></p><p>{what}</p><p><strong>Fix:</strong> {fix}</p></li>')
        .format(where=_where(p), what=p.message, fix=p.hint or "see the message") for p in problems)
    return PAGE.format(title="Problem in the content", body=Markup(
        "<h1>The preview is not up to date: fix this and save</h1><ul>{}</ul>"
        "<p>This page reloads by itself after the next save.</p>").format(items))


def _where(problem: Problem) -> str:
    where = f"{problem.path}, line {problem.line}" if problem.line else problem.path
    return f"{where}, column {problem.column}" if problem.line and problem.column else where


def preview_options(root: Path, site_dir: Path, brands: tuple[str, ...] = (), as_of: dt.date | None = None
                    ) -> BuildOptions:
    """How serve builds: drafts shown, nothing recorded (only `policygen build` publishes), no PDFs, in this process."""
    return BuildOptions(root=root, site_dir=site_dir, brands=brands, jobs=1, drafts=True, record=False, as_of=as_of)


def serve(root: Path, brands: tuple[str, ...], port: int, echo: Callable[[str], None],
          as_of: dt.date | None = None) -> None:
    """Serve the sites on localhost until interrupted; a broken edit shows its problems, not a crash."""
    site_dir = Path(tempfile.mkdtemp(prefix="policygen-serve-")) / "site"
    preview = Preview(preview_options(root, site_dir, brands, as_of), echo)
    preview.rebuild()
    os.makedirs(site_dir, exist_ok=True)  # a first build with a problem made nothing; the server needs its root
    engine().serve(preview, site_dir, port, POLL, lambda: echo(f"Serving http://127.0.0.1:{port}/ (Ctrl+C to stop)"))
