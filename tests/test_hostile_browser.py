"""Hostile text that the rules let through (it is not markup) stays inert on every kind of page."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from browser import chromium, serve_dir
from conftest import FIXTURES, ContentRepo, accept_check_errors

from generator.pipeline.build import BuildOptions, build

pytestmark = pytest.mark.browser
HOSTILE = "javascript:alert(1) onerror=alert(2) \"quoted\" 'single' & &amp; &lt;script&gt; ≤3 {{ '{{' }}"
PAGES = ["beta/aup/", "beta/aup/2026-11-22/", "beta/aup/2026-11-22/changes/", "beta/aup/history/",
         "beta/consent/", "beta/en/aup/", "beta/notices/aup-2026-11-22.html", "beta/feed.xml"]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile") / "repo"
    shutil.copytree(FIXTURES / "mini", root)
    repo = ContentRepo(root)
    repo.edit("site.yml", "    name: Beta\n", "    name: \"Beta '&' co\"\n")  # a \" in a name is refused (site.yml)
    repo.commit("Fixture")
    for lang in ("vi", "en"):
        repo.edit(f"content/{lang}/aup.md", "[[security]]", f"[[security]] {HOSTILE}")
        repo.edit(f"content/{lang}/aup.md", "updated: 2026-11-20",
                  f"updated: 2026-11-22\nmaterial: true\nsummary: '{HOSTILE.replace(chr(39), chr(39) * 2)}'")
    repo.commit("Hostile text")
    accept_check_errors(root, "hostile text on purpose")  # the check refuses it; the pages must hold it anyway
    build(BuildOptions(root=root, site_dir=root / "site", jobs=1, strict=True, as_of=dt.date(2026, 11, 22)))
    with serve_dir(root / "site") as url, chromium() as browser:
        yield url, browser


@pytest.mark.parametrize("path", PAGES)
def test_nothing_runs_and_the_text_is_shown_as_text(served, path):
    url, browser = served
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{url}/{path}")
    page.wait_for_timeout(200)
    assert dialogs == []
    # Material's own inline scripts are there; none carries the hostile text.
    assert page.evaluate("[...document.scripts].some(s => s.textContent.includes('alert('))") is False
    assert page.evaluate("[...document.querySelectorAll('[onerror],[onload],[onclick]')].length") == 0
    assert page.evaluate("[...document.querySelectorAll('a[href^=\"javascript:\"]')].length") == 0
    text = page.evaluate("document.documentElement.textContent")
    if not path.endswith(("history/", "consent/", "en/aup/")):
        assert "onerror=alert(2)" in text
    page.close()
