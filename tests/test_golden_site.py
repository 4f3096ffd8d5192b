"""Golden tests of what the web team and readers receive whole: consent snippets, feeds, the redline (issue #16).

Substring checks elsewhere say what each must contain; these say nothing else changed. After a change
made on purpose: `UPDATE_GOLDEN=1 pytest tests/test_golden_site.py`, then review the diff of tests/golden/site/.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import two_version_site

GOLDEN = Path(__file__).parent / "golden" / "site"
FILES = ["beta/consent/signup.html", "beta/en/consent/signup.html", "beta/consent/manifest.json",
         "acme/feed.xml", "acme/en/feed.xml", "acme/aup/2026-11-22/changes/index.html",
         "acme/en/aup/2026-11-22/changes/index.html"]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return two_version_site(tmp_path_factory.mktemp("golden") / "repo")


def part(path: str, text: str) -> str:
    """What is compared: a changes page's redline only (the rest of the page is the theme's), else the whole file."""
    if path.endswith("changes/index.html"):
        return re.search(r'<div class="policy-changes">.*?</article>', text, re.S).group(0) + "\n"
    return text


@pytest.mark.parametrize("path", FILES)
def test_golden(site, path):
    actual = part(path, (site / path).read_text(encoding="utf-8"))
    expected = GOLDEN / path.replace("/", "__")
    if os.environ.get("UPDATE_GOLDEN"):
        expected.write_text(actual, encoding="utf-8")
    assert actual == expected.read_text(encoding="utf-8")
