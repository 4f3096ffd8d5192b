"""Zensical 0.0.73 against mkdocs on the benchmark's default repository (docs/architecture.md, "A second engine").

    .venv/bin/python scripts/zensical_trial.py --zensical /tmp/zvenv/bin/zensical [--runs 5] [--out DIR]

Zensical goes in a venv of its own (`python -m venv /tmp/zvenv && /tmp/zvenv/bin/pip install zensical==0.0.73
-r requirements.lock`). The script makes the benchmark's repository (bench/synth.make_repo: 3 brands × 5 policies
× 30 versions × 2 languages), builds it once with policygen (no PDFs) for each site's generated mkdocs folder
(mkdocs.yml and docs/), and then, in copies of every folder:

- times `mkdocs build` and `zensical build` on the same docs, the same number of runs, interleaved, each run
  cold (no output folder, no Zensical cache; mkdocs keeps policygen's compiled-template cache, as in a build);
- counts what each engine wrote: pages, search index entries, sitemap addresses, feed;
- opens one page of each type of one site in Chromium under each engine (and under Zensical with our theme
  minus its copy of Material's base.html: "zensical-own-base"), records console errors and failed requests,
  and saves a screenshot of each.

It prints a summary and writes DIR/results.json and DIR/*.png. It is not imported by the package or the tests.
The machine's load makes single figures noisy: compare medians, and repeat.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from browser import chromium, serve_dir  # noqa: E402
from synth import make_repo  # noqa: E402

from generator.pipeline.build import BuildOptions, build  # noqa: E402

SIZE = (3, 5, 30)  # bench/run.py's default: brands, policies, versions
PAGES = {"home": "", "policy": "p0/", "archived": "p0/2021-03-01/", "changes": "p0/2021-03-01/changes/",
         "history": "p0/history/", "404": "404.html"}
SHOT_SITE = "b0.vi"


def work_folders(scratch: Path) -> list[Path]:
    """The benchmark's repository built once by policygen: its generated mkdocs folders, one per site."""
    repo = make_repo(scratch / "repo", *SIZE)
    site = scratch / "site"
    build(BuildOptions(root=repo, site_dir=site, record=False, pdf=False))
    work = scratch / f".{site.name}.cache" / "work"
    return sorted(folder for folder in work.iterdir() if (folder / "mkdocs.yml").exists())


def engine_copies(folder: Path, scratch: Path) -> dict[str, Path]:
    """One copy of a generated folder per engine; "zensical-own-base" uses our theme without base.html."""
    copies = {}
    for engine in ("mkdocs", "zensical", "zensical-own-base"):
        copy = scratch / "engines" / folder.name / engine
        shutil.copytree(folder, copy, ignore=shutil.ignore_patterns("site", ".cache"))
        copies[engine] = copy
    theme = copies["zensical-own-base"] / "theme"
    shutil.copytree(ROOT / "templates" / "theme", theme, ignore=shutil.ignore_patterns("base.html"))
    config = copies["zensical-own-base"] / "mkdocs.yml"
    text = re.sub(r"(?m)^(  custom_dir: ).*$", rf"\g<1>{theme}", config.read_text(encoding="utf-8"))
    config.write_text(text, encoding="utf-8")
    return copies


def command(engine: str, zensical: str) -> list[str]:
    """The build command of an engine, run inside a generated folder."""
    if engine == "mkdocs":
        return [sys.executable, "-m", "mkdocs", "build", "-q"]
    return [zensical, "build"]


def run_once(engine: str, folder: Path, zensical: str) -> tuple[float, str]:
    """One cold build: its wall time, and the error's last line if it failed (else "")."""
    shutil.rmtree(folder / "site", ignore_errors=True)
    shutil.rmtree(folder / ".cache", ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # both load generator.site.markdown_ext
    start = time.perf_counter()
    done = subprocess.run(command(engine, zensical), cwd=folder, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    lines = (done.stderr or done.stdout).strip().splitlines()
    return elapsed, "" if done.returncode == 0 else (lines[-1] if lines else f"exit {done.returncode}")


def time_engines(copies: dict[str, Path], zensical: str, runs: int) -> dict[str, Any]:
    """Medians of `runs` cold builds of each engine, interleaved so that the machine's load hits both alike."""
    times: dict[str, list[float]] = {engine: [] for engine in copies}
    errors: dict[str, str] = {}
    for _ in range(runs):
        for engine, folder in copies.items():
            elapsed, error = run_once(engine, folder, zensical)
            times[engine].append(elapsed)
            if error:
                errors[engine] = error
    return {engine: {"median": statistics.median(values), "runs": values, "error": errors.get(engine, "")}
            for engine, values in times.items()}


def outputs(site: Path) -> dict[str, Any]:
    """What an engine wrote: HTML pages, search index entries, sitemap addresses, the feed."""
    pages = [path for path in site.rglob("*.html") if "assets" not in path.relative_to(site).parts]
    index = next((path for path in (site / "search" / "search_index.json", site / "search.json") if path.exists()),
                 None)
    entries = len(json.loads(index.read_text(encoding="utf-8")).get("docs", [])) if index else 0
    if index and not entries:  # Zensical's search.json: {"config": ..., "items": [...]}
        entries = len(json.loads(index.read_text(encoding="utf-8")).get("items", []))
    sitemap = site / "sitemap.xml"
    locs = sitemap.read_text(encoding="utf-8").count("<loc>") if sitemap.exists() else 0
    return {"pages": len(pages), "search index": str(index.relative_to(site)) if index else None,
            "search entries": entries, "sitemap addresses": locs, "feed": (site / "feed.xml").exists()}


def browse(copies: dict[str, Path], out: Path) -> dict[str, Any]:
    """Each page type under each engine in Chromium: console errors, failed requests, a screenshot."""
    found: dict[str, Any] = {}
    with chromium() as browser:
        for engine, folder in copies.items():
            with serve_dir(served(folder)) as url:
                base = f"{url}{urllib.parse.urlsplit(site_url(folder)).path}"
                found[engine] = {kind: visit(browser, f"{base}{path}", out / f"{engine}-{kind}.png")
                                 for kind, path in PAGES.items()}
    return found


def site_url(folder: Path) -> str:
    """The site's address from the generated mkdocs.yml (the 404 page's links are paths from its root)."""
    found = re.search(r"(?m)^site_url: (.*)$", (folder / "mkdocs.yml").read_text(encoding="utf-8"))
    return found.group(1).strip() if found else "/"


def served(folder: Path) -> Path:
    """A root to serve in which the built site sits at its address's path (e.g. /policies/)."""
    path = urllib.parse.urlsplit(site_url(folder)).path.strip("/")
    if not path:
        return folder / "site"
    root = folder / "served"
    shutil.rmtree(root, ignore_errors=True)
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.symlink_to(folder / "site", target_is_directory=True)
    return root


def visit(browser: Any, address: str, shot: Path) -> dict[str, list[str]]:
    """Open one page; what went wrong on it."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    console: list[str] = []
    failed: list[str] = []
    page.on("console", lambda message: console.append(message.text) if message.type == "error" else None)
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("response", lambda response: failed.append(f"{response.status} {response.url}")
            if response.status >= 400 and not response.url.endswith("404.html") else None)
    page.goto(address)
    page.wait_for_timeout(500)  # scripts that fetch after load (search index, versions)
    page.screenshot(path=str(shot))
    page.close()
    return {"console errors": console, "failed requests": failed}


def summary(results: dict[str, Any]) -> None:
    """The figures, one line per site and engine."""
    print(f"size: {SIZE[0]} brands × {SIZE[1]} policies × {SIZE[2]} versions × 2 languages; "
          f"median of {results['runs']} cold builds per engine (shared machine: noisy)")
    for site, engines in results["sites"].items():
        for engine, figures in engines.items():
            print(f"  {site:6} {engine:18} {figures['median']:6.2f} s  {figures['outputs']}"
                  + (f"  ERROR: {figures['error']}" if figures["error"] else ""))
    for engine in ("mkdocs", "zensical", "zensical-own-base"):
        total = sum(engines[engine]["median"] for engines in results["sites"].values())
        print(f"  all sites, {engine}: {total:.2f} s")
    for engine, kinds in results["browser"].items():
        for kind, problems in kinds.items():
            if problems["console errors"] or problems["failed requests"]:
                print(f"  {engine} {kind}: {problems}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--zensical", required=True, help="the zensical command (in its own venv)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "policygen-zensical-trial")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="policygen-zensical-"))
    try:
        results: dict[str, Any] = {"runs": args.runs, "sites": {}}
        for folder in work_folders(scratch):
            copies = engine_copies(folder, scratch)
            timed = time_engines(copies, args.zensical, args.runs)
            for engine, copy in copies.items():
                timed[engine]["outputs"] = outputs(copy / "site")
            results["sites"][folder.name] = timed
            if folder.name == SHOT_SITE:
                results["browser"] = browse(copies, args.out)
        (args.out / "results.json").write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
        summary(results)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
