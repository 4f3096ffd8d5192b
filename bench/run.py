"""Build-speed benchmark: policygen against baselines measured in the same run.

    .venv/bin/python bench/run.py            # 3 brands × 5 policies × 30 versions × 2 languages
    .venv/bin/python bench/run.py --small    # a quick run
    .venv/bin/python bench/run.py --stock    # also the stock mkdocs-material build (slow: minutes)
    .venv/bin/python bench/run.py --no-pdf   # without the separate figures of the versions' PDFs
    .venv/bin/python bench/editor_loop.py    # only the editor's loop (run.py ends with it; --no-editor skips)

The build figures are without PDFs (as before they existed); the PDFs' cost is measured apart: a cold
build with PDFs, per version, and what a rebuild after one new version pays for its PDFs.

Every figure is the median of --runs runs; ratios compare figures from this same run.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

import markdown  # noqa: E402
from synth import make_repo, policy_text  # noqa: E402

from generator.checks.check import CheckOptions, run_check  # noqa: E402
from generator.content.render import MARKDOWN_EXTENSIONS  # noqa: E402
from generator.history.git import GitHistory  # noqa: E402
from generator.history.versions import read_versions  # noqa: E402
from generator.pipeline.build import BuildOptions, build, plan  # noqa: E402
from generator.site.markdown_ext import PolicyExtension, converter  # noqa: E402


def timed(action, runs: int, setup=None) -> float:
    """Median wall time of `action` over `runs` runs, in seconds (`setup`, untimed, before each)."""
    times = []
    for _ in range(runs):
        if setup is not None:
            setup()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def markdown_floor(pages: list[tuple[str, str]]) -> float:
    """Python-Markdown alone on every output page, one process, configured as the sites are: the floor."""
    start = time.perf_counter()
    for path, text in pages:
        converter(path.split("/")[1], MARKDOWN_EXTENSIONS).convert(text)
    return time.perf_counter() - start


def earlier_floor(pages: list[tuple[str, str]]) -> float:
    """The floor as the first two sessions measured it: without pymdownx.magiclink, redlines read as HTML."""
    start = time.perf_counter()
    for _path, text in pages:
        md = markdown.Markdown(extensions=["attr_list", "md_in_html", "admonition", "toc",
                                           PolicyExtension(lang="vi")])
        md.preprocessors.deregister("policy_redline")
        md.convert(text)
    return time.perf_counter() - start


def stock_mkdocs(pages: list[tuple[str, str]], work: Path) -> float:
    """A stock mkdocs-material build of the same pages as one site (default nav and search)."""
    docs = work / "stock" / "docs"
    for path, text in pages:
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    (work / "stock" / "mkdocs.yml").write_text("site_name: stock\ntheme: {name: material}\n"
                                               "markdown_extensions: [attr_list, md_in_html, admonition, toc]\n")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(work / "stock" / "mkdocs.yml")],
                   check=True, capture_output=True)
    return time.perf_counter() - start


def add_version(repo: Path, version: int, args: argparse.Namespace) -> None:
    """Commit one new version of one policy of one brand (both languages)."""
    import random

    for lang in ("vi", "en"):
        (repo / "content" / lang / "b0" / "p0.md").write_text(
            policy_text(random.Random(version), lang, version, 12, 160, "b0-p0"), encoding="utf-8")
    git = ["git", "-c", "user.name=bench", "-c", "user.email=b@example.invalid"]
    subprocess.run([*git, "commit", "-q", "-am", f"p0: version {version}"], cwd=repo, check=True)


def measure(args: argparse.Namespace, versions: int, work: Path) -> dict[str, float]:
    """Every figure for one repository size."""
    repo = make_repo(work / f"repo-{versions}", args.brands, args.policies, versions)
    options = BuildOptions(root=repo, site_dir=work / f"site-{versions}", record=False)
    result = plan(options)
    pages = [(f"{site.brand}/{site.lang}/{path}", page.markdown) for site in result.sites
             for path, page in site.pages.items()]
    def fresh_clone() -> None:  # no site and no cache; deleting them is not part of the build
        shutil.rmtree(options.site_dir, ignore_errors=True)
        shutil.rmtree(options.site_dir.with_name(f".{options.site_dir.name}.cache"), ignore_errors=True)
        os.sync()  # the deletions' disk work (a `discard` mount trims freed blocks) is done before the clock starts

    figures = {"pages": len(pages),
               "history": timed(lambda: read_versions(GitHistory(repo).snapshots()), args.runs),
               "check": timed(lambda: run_check(CheckOptions(root=repo)), args.runs),
               "build": timed(lambda: build(options), args.runs, setup=fresh_clone),
               # The builds' writes reach the disk before the floor is timed, not during it.
               "floor": timed(lambda: markdown_floor(pages), args.runs, setup=os.sync),
               "old floor": timed(lambda: earlier_floor(pages), args.runs, setup=os.sync)}
    figures["unchanged"] = timed(lambda: build(options), args.runs)
    added = iter(range(versions, versions + 2 * args.runs))
    figures["one new"] = timed(lambda: (add_version(repo, next(added), args), build(options)), args.runs)
    if args.pdf:
        figures.update(measure_pdfs(options, repo, added, fresh_clone, args))
    if args.stock:
        figures["stock"] = stock_mkdocs(pages, work / f"stock-{versions}")
    return figures


def measure_pdfs(options: BuildOptions, repo: Path, added, fresh_clone, args: argparse.Namespace
                 ) -> dict[str, float]:
    """The PDFs' cost: a cold build with them, and a rebuild with them after one new version (two PDFs)."""
    with_pdfs = replace(options, pdf=True)
    cold = timed(lambda: build(with_pdfs), args.runs, setup=fresh_clone)
    count = len(list(options.site_dir.rglob("*.pdf")))
    one_new = timed(lambda: (add_version(repo, next(added), args), build(with_pdfs)), args.runs)
    return {"pdf build": cold, "pdfs": count, "pdf one new": one_new}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", action="store_true", help="2 brands × 2 policies × 6 versions")
    parser.add_argument("--stock", action="store_true", help="also time a stock mkdocs-material build")
    parser.add_argument("--no-pdf", dest="pdf", action="store_false", help="skip the figures of the PDFs")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-editor", dest="editor", action="store_false",
                        help="skip the editor's loop (bench/editor_loop.py: check, serve's save-to-page time)")
    args = parser.parse_args()
    args.brands, args.policies, args.versions = (2, 2, 6) if args.small else (3, 5, 30)
    work = Path(tempfile.mkdtemp(prefix="policygen-bench-"))
    try:
        half = measure(args, args.versions // 2, work)
        full = measure(args, args.versions, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest mkdocs worker
    print(f"size: {args.brands} brands × {args.policies} policies × {args.versions} versions × 2 languages "
          f"({full['pages']} pages); median of {args.runs} runs")
    for name in ("history", "check", "build", "unchanged", "one new", "floor", "old floor", "stock"):
        if name in full:
            print(f"  {name:9} {full[name]:8.2f} s   (at {args.versions // 2} versions: {half[name]:.2f} s)")
    print(f"  cold build / Markdown-only floor:       {full['build'] / full['floor']:.2f}")
    print(f"  (against the earlier floor definition:  {full['build'] / full['old floor']:.2f})")
    if "stock" in full:
        print(f"  cold build / stock mkdocs-material:     {full['build'] / full['stock']:.2f}")
    print(f"  rebuild, nothing changed / cold build:  {full['unchanged'] / full['build']:.3f}")
    print(f"  rebuild after one new version / cold:   {full['one new'] / full['build']:.3f}")
    if "pdf build" in full:
        print(f"  PDFs ({full['pdfs']:.0f}, one per version and language), cold build with them: "
              f"{full['pdf build']:.2f} s")
        print(f"  PDFs' cost per version (cold):          {(full['pdf build'] - full['build']) / full['pdfs']:.3f} s")
        print(f"  PDFs' cost in a rebuild after one new version (its 2 PDFs): "
              f"{full['pdf one new'] - full['one new']:.2f} s")
    print(f"  build time when versions double:        × {full['build'] / half['build']:.2f}")
    print(f"  history read when versions double:      × {full['history'] / half['history']:.2f}")
    print(f"  peak memory: this process {peak:.0f} MB, largest worker process {children:.0f} MB")
    if args.editor:
        import editor_loop

        editor_loop.main()


if __name__ == "__main__":
    main()
