"""Run mkdocs for each site plan, in a project kept between builds so a rebuild renders only what changed.

A kept project holds the last build's docs and output. Pages of published versions never change,
so mkdocs' `dirty` build (which renders only pages whose Markdown is newer than their HTML) is
exact here, on three conditions this module enforces:

- everything else a page is rendered with (mkdocs.yml, with its navigation; the theme; the code)
  is the same as when its HTML was written, else the project is built clean (`shell`);
- no page went away, else the project is built clean (mkdocs would leave its HTML behind);
- every page in the search index is rendered again (the index is made of the pages rendered).

The output is hard-linked into the stage, so the published files are the project's output files.
mkdocs rewrites files in place, so a dirty build first gives every shared file it may write a copy
of its own (`_unshare`): the published site never changes under a later build.
"""

from __future__ import annotations

import ctypes
import json
import logging
import os
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import orjson
import yaml

from ...errors import BuildError, Problem
from ...keys import key
from ...site.model import Page, Site
from .. import link, site_folder
from .docs import indexed, outputs, sync
from .theme_files import untouched

Report = Callable[[str], None]
HOOKS = str(Path(__file__).with_name("hooks.py"))
# mkdocs warns that a dirty build may leave navigation stale; the shell check above rules that out.
DIRTY_WARNING = "A 'dirty' build is being performed"
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


@contextmanager
def workers(jobs: int) -> Iterator[ProcessPoolExecutor | None]:
    """The processes that run mkdocs (None: run it here), started at once, ended with the build.

    Started before the history is read, they import mkdocs meanwhile, and they are forked from a
    small process: one that holds the whole history would share it with them page by page. A build
    that fails, is interrupted (Ctrl+C) or terminated (SIGTERM) ends them at once: none is left
    running, nor waited for.
    """
    count = jobs or os.cpu_count() or 1
    if count <= 1:
        yield None
        return
    pool = ProcessPoolExecutor(max_workers=count, initializer=_worker_signals, initargs=(os.getpid(),))
    try:
        for _ in range(count):
            pool.submit(_preload)
        with _sigterm_unwinds():
            yield pool
    except BaseException:
        stop(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def stop(pool: ProcessPoolExecutor) -> None:
    """End the worker processes now, whatever they are doing (the build they work for is over)."""
    processes = list((pool._processes or {}).values())  # Python < 3.14 has no public way to end them
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(5)
        if process.is_alive():
            process.kill()
            process.join()
    pool.shutdown(wait=True, cancel_futures=True)


def _worker_signals(parent: int) -> None:
    """In a worker: Ctrl+C is for the main process (it ends the workers); SIGTERM or its death end this one."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # which also spares the terminal a traceback from each worker
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the main process' handler, inherited by fork
    if sys.platform == "linux":  # a main process killed outright (SIGKILL) cannot end its workers itself
        with suppress(OSError, AttributeError):  # a C library without prctl: only that case is left uncovered
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # it died before prctl took effect
        os._exit(1)


@contextmanager
def _sigterm_unwinds() -> Iterator[None]:
    """SIGTERM ends the build through its `finally` blocks, as Ctrl+C does, instead of at once."""
    # Ended at once, the build would leave its workers running (and its stage behind).
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set a handler (serve runs no workers anyway)
        return
    previous = signal.signal(signal.SIGTERM, _exit_on_signal)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)


def _exit_on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)  # the status a shell gives a process ended by that signal


def build_sites(plans: Iterable[Site], stage: Path, root: Path, projects: Callable[[Site], Path],
                tools: str, pool: ProcessPoolExecutor | None, report: Report) -> int:
    """Build every plan (in `pool`, else here) and link each output into the stage; how many were built.

    `plans` may be made as they are asked for (pipeline/build.py plans brand by brand): each is handed to
    a worker process at once, so later brands are planned while the first ones build.
    """
    problems: list[Problem] = []
    done = 0

    def finished(site: Site, messages: list[Problem]) -> None:
        nonlocal done
        done += 1
        problems.extend(messages)
        report(f"[{done}] {'failed' if messages else 'built'} {site.brand} ({site.lang})")

    if pool is None:
        for site in plans:
            finished(site, build_site(*_task(site, stage, root, projects, tools)))
        return _done(done, problems)
    handovers: list[Path] = []
    try:
        futures = {}
        for site in plans:  # a later brand may fail to plan, or the build be interrupted, while these build
            task = _handed_over(*_task(site, stage, root, projects, tools))
            handovers.append(task[0])
            futures[pool.submit(_build_site_from_file, *task)] = site
        for future in as_completed(futures):
            finished(futures[future], future.result())
    except BaseException:
        stop(pool)  # before the stage is thrown away: no worker goes on writing into it
        for handover in handovers:  # the plans no worker took
            handover.unlink(missing_ok=True)
        raise
    return _done(done, problems)


def _done(done: int, problems: list[Problem]) -> int:
    """How many sites were built, or the problems of those that failed."""
    if problems:
        raise BuildError(problems)
    return done


Task = tuple[Site, Path, Path, Path, str]  # a site, its kept project, its folder in the stage, root, tools


def _task(site: Site, stage: Path, root: Path, projects: Callable[[Site], Path], tools: str) -> Task:
    return site, projects(site), site_folder(stage, site), root, tools


def _handed_over(site: Site, project: Path, target: Path, root: Path, tools: str
                 ) -> tuple[Path, Path, Path, Path, str]:
    """The task with its plan in a file beside the project, for the worker to read.

    A plan holds megabytes of pages. Sent through the pool's pipe, it goes in pipe-sized pieces,
    each of which waits for this process, busy planning the next brand, to let go of the GIL:
    that delayed the start of each site by a tenth of a second or more.
    """
    handover = project.with_name(f"{project.name}.plan.json")
    handover.parent.mkdir(parents=True, exist_ok=True)
    plan = {"brand": site.brand, "lang": site.lang, "subdir": site.subdir, "files": site.files, "copies": site.copies,
            "engine": site.engine, "pages": {rel: page.data() for rel, page in site.pages.items()}}
    # JSON, not a pickle: reading it back runs no code
    handover.write_bytes(orjson.dumps({"tools": tools, "plan": plan}))
    return handover, project, target, root, tools


def _build_site_from_file(handover: Path, project: Path, target: Path, root: Path, tools: str) -> list[Problem]:
    try:
        site = _plan_from_json(orjson.loads(handover.read_bytes()), tools)
    except (OSError, ValueError, RecursionError) as exc:  # not what _handed_over wrote: build nothing from it
        return [Problem(handover.name, 0, f"the plan handed to a worker cannot be read ({exc})", "Build again.")]
    finally:
        handover.unlink(missing_ok=True)
    return build_site(site, project, target, root, tools)


def _plan_from_json(data: object, tools: str) -> Site:
    """The plan `_handed_over` wrote, checked field by field; ValueError on anything else."""
    if type(data) is not dict or data.keys() != {"tools", "plan"} or data["tools"] != tools:
        raise ValueError("not a plan of this build")
    plan = data["plan"]
    texts = {"brand", "lang", "subdir"}
    if type(plan) is not dict or plan.keys() != {*texts, "files", "copies", "engine", "pages"} or \
            any(type(plan[name]) is not str for name in texts) or type(plan["engine"]) is not dict:
        raise ValueError("not a site plan")
    for name in ("files", "copies"):  # keys of JSON objects are always strings
        if type(plan[name]) is not dict or any(type(v) is not str for v in plan[name].values()):
            raise ValueError(f"the plan's {name} are not texts")
    if type(plan["pages"]) is not dict:
        raise ValueError("the plan's pages are not pages")
    return Site(**{**plan, "pages": {rel: Page.from_data(page) for rel, page in plan["pages"].items()}})


def _preload() -> None:
    """Import mkdocs, Material and the Markdown extensions (in a worker, before its first site)."""
    import material.plugins.search.plugin  # type: ignore[import-untyped]  # noqa: F401
    import mkdocs.commands.build  # noqa: F401
    import pymdownx.magiclink  # type: ignore[import-untyped]  # noqa: F401


def build_site(site: Site, project: Path, target: Path, root: Path, tools: str) -> list[Problem]:
    """Bring one kept project up to date with its plan, run mkdocs, hard-link the output into `target`.

    Returns problems instead of raising (it runs in worker processes).
    """
    from mkdocs.exceptions import MkDocsException

    shell = key(tools, json.dumps(site.engine, sort_keys=True, default=str))
    stamp = project / "shell.txt"
    dirty = stamp.is_file() and stamp.read_text(encoding="utf-8") == shell and (project / "site").is_dir()
    stamp.unlink(missing_ok=True)  # until mkdocs succeeds, the project is not to be trusted: built clean next
    if not dirty:
        shutil.rmtree(project, ignore_errors=True)
    changed, removed = sync(site, project / "docs", root)
    if removed:
        dirty = False
        shutil.rmtree(project / "site", ignore_errors=True)
    if dirty:
        written = outputs(site, project)
        rendered = changed | indexed(site)
        for rel in rendered:  # mkdocs writes them again
            written[rel].unlink(missing_ok=True)
        _unshare(project / "site", untouched(project / "site", site.engine, written, rendered))
    _write_config(site, project)
    warnings = _WarningLog()
    try:
        with _logged(warnings):
            _mkdocs(project, dirty)
    except (MkDocsException, OSError) as exc:
        where = f"site/{site.brand}/{site.subdir}".rstrip("/")
        return [Problem(where, 0, f"mkdocs failed: {exc}", "; ".join(warnings.messages)
                        or "Run with -v for details.")]
    stamp.write_text(shell, encoding="utf-8")
    shutil.copytree(project / "site", target, copy_function=link, dirs_exist_ok=True)
    return []


def _unshare(output: Path, untouched: set[Path]) -> None:
    """Give each output file that is also published (hard-linked) a copy of its own, but the untouched.

    mkdocs writes files in place: a dirty build must not change the published site through a shared
    file. It writes the output of a docs file only if that file is newer than it; `untouched` are
    the outputs of docs files that are not (the others were deleted). Every other file (404.html,
    the sitemap, the search index, the theme's files) may be written: it gets its copy.
    """
    for path in output.rglob("*"):
        if path not in untouched and path.is_file() and path.stat().st_nlink > 1:
            copy = path.with_name(f".{path.name}.unshared")
            shutil.copy2(path, copy)  # keeps the mtime, which mkdocs' dirty build compares
            os.replace(copy, path)


def template_cache(project: Path) -> Path:
    """Where the theme's compiled templates are kept, shared by the projects beside `project` (hooks.py)."""
    return project.parent / "_jinja"


def _write_config(site: Site, project: Path) -> None:
    """The project's mkdocs.yml: the plan's, with its folders, our hooks and the compiled-template cache."""
    _write_mkdocs_yml(project, site.engine, template_cache(project))


def _write_mkdocs_yml(project: Path, mkdocs: dict[str, Any], templates: Path) -> None:
    extra = {**mkdocs.get("extra", {})}
    extra["policygen"] = {**extra.get("policygen", {}), "template_cache": str(templates)}
    config = {**mkdocs, "docs_dir": "docs", "site_dir": "site", "hooks": [HOOKS], "extra": extra}
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


def warm_up(pool: ProcessPoolExecutor, mkdocs: dict[str, Any], templates: Path) -> None:
    """Have one worker build a one-page site like `mkdocs`, to fill the compiled-template cache.

    On a cold build each worker would otherwise compile the theme's templates in its first site,
    both at once; the workers are idle while the history is read, so one does it then.
    """
    pool.submit(_warm_up, mkdocs, templates)


WARM_UP_PAGE = "# —\n\n<div class=\"policy-body\" markdown=\"1\">\n\n## — {#a}\n\n[[a]]\n\n</div>\n"


def _warm_up(mkdocs: dict[str, Any], templates: Path) -> None:
    project = Path(tempfile.mkdtemp(prefix="policygen-warm-up-"))
    try:
        (project / "docs").mkdir()
        (project / "docs" / "index.md").write_text(WARM_UP_PAGE, encoding="utf-8")
        _write_mkdocs_yml(project, {**mkdocs, "nav": ["index.md"], "strict": False}, templates)
        with _logged(_WarningLog()):  # what it logs is of no interest: its output is thrown away
            _mkdocs(project, dirty=False)
    finally:
        shutil.rmtree(project, ignore_errors=True)


def _mkdocs(project: Path, dirty: bool) -> None:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config as mkdocs_load

    mkdocs_build(mkdocs_load(config_file=str(project / "mkdocs.yml")), dirty=dirty)


class _WarningLog(logging.Handler):
    """Collects mkdocs warnings, so a failed strict build says why."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


class _NotDirtyWarning(logging.Filter):
    """Drops mkdocs' warning about dirty builds (see the module docstring), so strict builds pass."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(DIRTY_WARNING)


@contextmanager
def _logged(warnings: _WarningLog) -> Iterator[None]:
    """Collect mkdocs' warnings, without the dirty-build one, while mkdocs runs."""
    quiet = _NotDirtyWarning()
    logging.getLogger("mkdocs").addHandler(warnings)
    logging.getLogger("mkdocs.commands.build").addFilter(quiet)
    try:
        yield
    finally:
        logging.getLogger("mkdocs").removeHandler(warnings)
        logging.getLogger("mkdocs.commands.build").removeFilter(quiet)
