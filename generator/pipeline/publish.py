"""The site folder's staging tree, its atomic (resumable) swap, and the deferred deletion of what it replaced.

A build assembles the sites in `.site.staging-*/` beside `site/`, then swaps it in with renames.
What the swap replaced (and a failed build's stage) is not deleted at once: it is renamed into a
`.site.trash-*/` folder, which the next build deletes in the background while it plans and builds.
Deleting a site's thousands of files and folders took a rebuild's swap 0.1–1.5 s on a disk
mounted with `discard`, and nobody needs to wait for it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from ..engines import link
from ..errors import BuildError, Problem

SWAP_MARK = ".policygen-swap"  # in a stage: it is complete, and the swap into the site folder has begun


@contextmanager
def exclusive(site_dir: Path) -> Iterator[None]:
    """One build at a time writes a site folder; a second one stops with a clear message.

    filelock, not fcntl: the same lock on Windows, where most editors work.
    """
    lock = FileLock(site_dir.parent / f".{site_dir.name}.lock", timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise BuildError([Problem(site_dir.name, 0, "another policygen build is writing this folder",
                                  "Wait for it to finish, then build again.")]) from None
    try:
        yield
    finally:
        lock.release()


def new_stage(site_dir: Path) -> Path:
    """An empty staging folder beside the site folder (same file system: the swap renames)."""
    return Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.staging-", dir=site_dir.parent))


def place(folder: Path, files: dict[str, Path]) -> None:
    """Hard-link kept files (the PDFs) into a site's folder in the stage; one already there is the same file."""
    for rel, source in files.items():
        target = folder / rel
        if target.exists():  # the site was reused: its output, with this file, is linked in already
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        link(source, target)


def _remove_all(paths: list[Path]) -> None:
    for path in paths:
        shutil.rmtree(path, ignore_errors=True)


@contextmanager
def trash_emptied(site_dir: Path) -> Iterator[None]:
    """Delete what earlier builds discarded, in a thread, while the block runs (it waits for it at the end)."""
    old = sorted(site_dir.parent.glob(f".{site_dir.name}.trash-*"))
    worker = threading.Thread(target=lambda: _remove_all(old))
    worker.start()
    try:
        yield
    finally:
        worker.join()


def discard(path: Path, site_dir: Path) -> None:
    """Move `path` (if there) out of the way, into a trash folder that the next build deletes."""
    if path.exists():
        os.replace(path, Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.trash-", dir=site_dir.parent)) / "x")


def recover(site_dir: Path) -> None:
    """Clean up after a build that was killed: finish a swap it began, discard stages it left."""
    for stale in sorted(site_dir.parent.glob(f".{site_dir.name}.staging-*")):
        if (stale / SWAP_MARK).exists():
            _finish_swap(stale, site_dir, (stale / SWAP_MARK).read_text(encoding="utf-8").split())
        else:
            discard(stale, site_dir)  # we hold the lock: no other build owns them
    old = site_dir.with_name(f".{site_dir.name}.old")
    if old.exists() and not site_dir.exists():
        os.replace(old, site_dir)
    discard(old, site_dir)
    (site_dir / SWAP_MARK).unlink(missing_ok=True)


def swap(stage: Path, site_dir: Path, brands: list[str]) -> None:
    """Replace site_dir by the staged tree, keeping (moving) the brands that were not rebuilt.

    The mark makes it resumable: a build killed halfway is finished by the next one (`recover`).
    """
    (stage / SWAP_MARK).write_text(" ".join(brands), encoding="utf-8")
    _finish_swap(stage, site_dir, brands)


def _finish_swap(stage: Path, site_dir: Path, brands: list[str]) -> None:
    if site_dir.exists():
        for child in site_dir.iterdir():
            if child.name not in brands and child.name != SWAP_MARK and not (stage / child.name).exists():
                os.replace(child, stage / child.name) if child.is_dir() else shutil.copy2(child, stage)
    old = site_dir.with_name(f".{site_dir.name}.old")
    discard(old, site_dir)
    if site_dir.exists():
        os.replace(site_dir, old)
    os.replace(stage, site_dir)
    (site_dir / SWAP_MARK).unlink()
    discard(old, site_dir)
