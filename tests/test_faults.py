"""Faults mid-build: a kill, two builds at once, a full disk, a swap cut in half."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time

import pytest
from filelock import FileLock
from test_build import tree_hashes

from generator.errors import BuildError
from generator.pipeline import build as build_module
from generator.pipeline.build import BuildOptions, build


@pytest.fixture
def built(mini, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    build(BuildOptions(root=mini.root, site_dir=mini.root / "site", jobs=1))
    return mini


def mkdocs_running(root):
    """A build is past planning and inside mkdocs: a kept project has lost its stamp (engines/mkdocs/sites.py)."""
    projects = [p for p in root.glob(".site.cache/work/*.*") if (p / "docs").is_dir()]
    return list(root.glob(".site.staging-*")) and any(not (p / "shell.txt").exists() for p in projects)


def test_a_killed_build_leaves_the_previous_site_and_the_next_build_is_correct(built):
    site = built.root / "site"
    before = tree_hashes(site)
    built.edit("content/en/aup.md", "updated: 2026-11-20", "updated: 2026-11-21")
    built.edit("content/vi/aup.md", "updated: 2026-11-20", "updated: 2026-11-21")
    built.commit("AUP: new version")
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1795000000"}
    process = subprocess.Popen([sys.executable, "-m", "generator", "build", "--jobs", "1"], cwd=built.root,
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not mkdocs_running(built.root):
        time.sleep(0.01)
    assert process.poll() is None, "the build ended before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert tree_hashes(site) == before
    build(BuildOptions(root=built.root, site_dir=site, jobs=1))
    assert not list(built.root.glob(".site.staging-*"))
    assert (site / "beta/aup/2026-11-21/index.html").is_file()
    build(BuildOptions(root=built.root, site_dir=built.root / "fresh", jobs=1))
    assert tree_hashes(site) == tree_hashes(built.root / "fresh")


def test_two_builds_at_once_do_not_share_the_folder(built):
    # As a running build holds it.
    with FileLock(built.root / ".site.lock"), pytest.raises(BuildError) as caught:
        build(BuildOptions(root=built.root, site_dir=built.root / "site", jobs=1))
    assert str(caught.value.problems[0]) == ("site: another policygen build is writing this folder. "
                                             "Wait for it to finish, then build again.")
    build(BuildOptions(root=built.root, site_dir=built.root / "site", jobs=1))  # free again


@pytest.mark.parametrize(("code", "words"), [(errno.ENOSPC, "No space left on device"),
                                             (errno.EACCES, "Permission denied")])
def test_a_full_disk_or_a_read_only_folder_is_a_clear_error(built, monkeypatch, code, words):
    site = built.root / "site"
    before = tree_hashes(site)

    def fail(*_args):
        raise OSError(code, words, str(site))

    monkeypatch.setattr(build_module, "swap", fail)
    with pytest.raises(BuildError) as caught:
        build(BuildOptions(root=built.root, site_dir=site, jobs=1))
    assert str(caught.value.problems[0]) == (
        f"{site}: cannot write the site ({words}). Free disk space or fix the permissions, then build again; "
        "site/ was left as it was.")
    assert tree_hashes(site) == before


def test_a_swap_cut_between_its_renames_is_repaired(built):
    site = built.root / "site"
    before = tree_hashes(site)
    os.replace(site, built.root / ".site.old")  # the state after the first rename of a swap
    build(BuildOptions(root=built.root, site_dir=site, jobs=1))
    assert tree_hashes(site) == before
    assert not (built.root / ".site.old").exists()


@pytest.mark.parametrize("text", ['[1, 2]', '{"versions": {"beta/aup/vi/2026-11-20": 3}}', '{"versions": []}'])
def test_a_versions_lock_that_is_not_what_policygen_writes_is_a_clear_error(built, text):
    (built.root / "versions.lock").write_text(text, encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        build(BuildOptions(root=built.root, site_dir=built.root / "site", jobs=1))
    assert str(caught.value.problems[0]) == (
        "versions.lock: the file is not a list of published versions as policygen writes it. "
        "Restore it from git: git checkout -- versions.lock (or build with --relock to record the published "
        "versions again from the history).")
