"""Golden tests of what the web team and readers receive whole: consent snippets, feeds, notices, the redline (#16).

Substring checks elsewhere say what each must contain; these say nothing else changed. After a change
made on purpose: `UPDATE_GOLDEN=1 pytest tests/test_golden_site.py`, then review the diff of tests/golden/site/.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, ContentRepo, material_aup_version, two_version_site

from generator.pipeline.build import BuildOptions, build

GOLDEN = Path(__file__).parent / "golden" / "site"
FILES = ["beta/consent/signup.html", "beta/en/consent/signup.html", "beta/consent/manifest.json",
         "acme/feed.xml", "acme/en/feed.xml", "acme/aup/2026-11-22/changes/index.html",
         "acme/en/aup/2026-11-22/changes/index.html"]
# The customer notices of a material version (two_version_site's is not material).
NOTICES = ["beta/notices/aup-2026-11-25.txt", "beta/notices/aup-2026-11-25.html", "beta/en/notices/aup-2026-11-25.txt",
           "beta/en/notices/aup-2026-11-25.html"]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return two_version_site(tmp_path_factory.mktemp("golden") / "repo")


def part(path: str, text: str) -> str:
    """What is compared: a changes page's redline only (the rest of the page is the theme's), else the whole file."""
    if path.endswith("changes/index.html"):
        return re.search(r'<div class="policy-changes">.*?</article>', text, re.S).group(0) + "\n"
    return text


@pytest.fixture(scope="module")
def material_site(tmp_path_factory) -> Path:
    """The mini fixture with a material AUP version (2026-11-25): the one whose notices go to customers."""
    root = tmp_path_factory.mktemp("golden") / "material"
    shutil.copytree(FIXTURES / "mini", root)
    repo = ContentRepo(root)
    repo.commit("Fixture mini")
    material_aup_version(repo)
    build(BuildOptions(root=root, site_dir=root / "site", jobs=1, as_of=dt.date(2026, 11, 26), pdf=False))
    return root / "site"


@pytest.mark.parametrize("path", FILES)
def test_golden(site, path):
    compare(path, site)


@pytest.mark.parametrize("path", NOTICES)
def test_golden_notices(material_site, path):
    compare(path, material_site)


def compare(path: str, site: Path) -> None:
    """The file (or its part that is ours) as the golden copy has it; with UPDATE_GOLDEN set, the golden copy made."""
    actual = part(path, (site / path).read_text(encoding="utf-8"))
    expected = GOLDEN / path.replace("/", "__")
    if os.environ.get("UPDATE_GOLDEN"):
        expected.write_text(actual, encoding="utf-8")
    assert actual == expected.read_text(encoding="utf-8")
