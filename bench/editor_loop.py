"""The editor's loop: `policygen check` on the company content, and serve's save-to-reloaded-page time.

    .venv/bin/python bench/editor_loop.py            # also run by bench/run.py, after the build figures

Both on a clone of this repository's own content (site.yml, content/, its history). The save is a
change to one brand's own file (voip24h's terms): from writing the file to the browser (Debian's
Chromium) showing the new text, reloaded by mkdocs' livereload. Target: 0.5 s each.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import chromium  # noqa: E402

PAGE = "/voip24h/terms/"
FILE = "content/vi/voip24h/terms.md"
ANCHOR = "Cảm ơn Quý khách đã tin tưởng"


def median_check(repo: Path, runs: int) -> float:
    """`policygen check` as an editor runs it (a new process each time), median wall time.

    As on an editor's machine, Python keeps the package's bytecode: a first run writes it (not counted),
    even where PYTHONDONTWRITEBYTECODE is set for this machine's other work.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    command = [sys.executable, "-m", "generator", "check"]
    subprocess.run(command, cwd=repo, capture_output=True, check=False, env=env)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=repo, capture_output=True, check=False, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


@contextlib.contextmanager
def serving(repo: Path) -> Iterator[str]:
    """`policygen serve` on a free port, until the block ends."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--port", str(port)], cwd=repo,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


def save_to_page(repo: Path, runs: int) -> list[float]:
    """Seconds from saving a one-brand change to the browser showing it, for each run."""
    path = repo / FILE
    original = path.read_text(encoding="utf-8")
    times = []
    with serving(repo) as base, chromium() as browser:
        page = browser.new_page()
        page.goto(base + PAGE)
        for run in range(runs):
            word = f"EDIT{run}"
            time.sleep(0.5)  # the server is idle, as between an editor's saves
            start = time.perf_counter()
            path.write_text(original.replace(ANCHOR, f"{ANCHOR} {word}", 1), encoding="utf-8")
            page.wait_for_function(f"document.body && document.body.innerText.includes({word!r})",
                                   polling=10, timeout=60000)
            times.append(time.perf_counter() - start)
    return times


def main(runs: int = 5) -> None:
    work = Path(tempfile.mkdtemp(prefix="policygen-editor-"))
    repo = work / "repo"
    try:
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(repo)], check=True)
        check = median_check(repo, runs)
        saves = save_to_page(repo, runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"editor's loop (this repository's content; median of {runs}):")
    print(f"  policygen check                    {check:6.2f} s   (target 0.5 s)")
    print(f"  serve: save to reloaded page       {statistics.median(saves):6.2f} s   (target 0.5 s; "
          f"runs: {', '.join(f'{t:.2f}' for t in saves)})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    main(parser.parse_args().runs)
