"""Refresh docs/screenshots/corpus-changes-*.png: a changes page of a real policy nobody here wrote.

Mozilla's Websites Privacy Notice (../shared/corpus, CC BY-SA 3.0, Mozilla) is imported with its
history into a scratch repository with `policygen import`, built, and the changes page of its
shown version photographed in Vietnamese and English, at desktop and phone width.
Run with `.venv/bin/python scripts/corpus_screenshots.py` (needs ../shared/corpus beside the project).
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import chromium, serve_dir  # noqa: E402
from test_import import SITE  # noqa: E402

from generator.importing.run import ImportOptions, run_import  # noqa: E402
from generator.pipeline.build import BuildOptions, build  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "mozilla" / "websites_privacy_notice"
SHOTS = ROOT / "docs" / "screenshots"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


def main() -> None:
    """Import, build, photograph."""
    repo = Path(tempfile.mkdtemp(prefix="policygen-corpus-")) / "repo"
    repo.mkdir()
    (repo / "site.yml").write_text(SITE.format(policy="privacy", langs="vi, en"), encoding="utf-8")
    for args in (["init", "-q", "-b", "main"], ["add", "site.yml"], ["commit", "-q", "-m", "Site"]):
        subprocess.run(["git", *args], cwd=repo, check=True)
    run_import(ImportOptions(root=repo, policy="privacy", brand="acme", langs=("vi", "en"), history=CORPUS))
    build(BuildOptions(root=repo, site_dir=repo / "site", jobs=1, as_of=dt.date(2026, 11, 30), pdf=False))
    pages = (repo / "site/acme/privacy").glob("*/changes/index.html")
    # The version whose changes page marks the most changes: the one that shows the most.
    shown = max(pages, key=lambda p: p.read_text(encoding="utf-8").count("<del")).parent.parent.name
    with serve_dir(repo / "site") as url, chromium() as browser:
        for lang, prefix in (("vi", ""), ("en", "en/")):
            for device, (width, height) in WIDTHS.items():
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(f"{url}/acme/{prefix}privacy/{shown}/changes/")
                page.evaluate("(m => window.scrollTo(0, m.getBoundingClientRect().top + scrollY - 160))"
                              "(document.querySelector('.policy-change del, .policy-change ins'))")
                page.screenshot(path=SHOTS / f"corpus-changes-{lang}-{device}.png")
                page.close()
    shutil.rmtree(repo.parent)
    print(f"Wrote the corpus changes page of version {shown} to {SHOTS.relative_to(ROOT)}/corpus-changes-*.png")


if __name__ == "__main__":
    main()
