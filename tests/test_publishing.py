"""Published means merged: a branch proposes versions, the publishing branch's first-parent line publishes them,
and versions.lock is written only there, whole, before the site is swapped in, and never silently re-made."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess

import pytest
from conftest import GIT_ENV, ContentRepo, git
from test_build import tree_hashes

from generator.checks.check import CheckOptions, run_check
from generator.errors import BuildError, ConfigError
from generator.history.git import LOCK_FILE, GitHistory, read_lock
from generator.history.version_ids import settle_ids
from generator.history.versions import read_versions
from generator.pipeline.build import BuildOptions, build

DAY = "2026-11-30"
BEFORE = dt.date(2026, 11, 29)  # the day before DAY (an `updated` more than a day ahead is refused)
REVISIONS = [("Mật khẩu dài.", "Long passwords."), ("Mật khẩu dài, riêng.", "Long, own passwords."),
             ("Mật khẩu dài, riêng, đổi mỗi năm.", "Long, own passwords, changed every year.")]


def revise(repo: ContentRepo, vi: str, en: str, updated: str = DAY) -> None:
    """Set the shared AUP's security clause (both languages) and its `updated` date."""
    for lang, text in (("vi", vi), ("en", en)):
        path = f"content/{lang}/aup.md"
        clause = repo.read(path).split("## ", 3)[2]  # the security clause (the second heading)
        revised = repo.read(path).replace(clause, f"{clause.partition(chr(10) * 2)[0]}\n\n{text}\n\n", 1)
        repo.write({path: re.sub(r"^updated: .*$", f"updated: {updated}", revised, count=1, flags=re.MULTILINE)})


def git_on(repo: ContentRepo, when: str, *args: str) -> None:
    """Run git with author and committer date `when`."""
    env = {**GIT_ENV, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", *args], cwd=repo.root, env=env, check=True, capture_output=True)


def built(repo: ContentRepo, as_of: dt.date = BEFORE, **options: object) -> list[str]:
    """Build into a folder beside the repository (so `git add -A` never takes it); what the build said."""
    said: list[str] = []
    build(BuildOptions(root=repo.root, site_dir=repo.root.parent / "site", jobs=1, as_of=as_of, **options),
          report=said.append)
    return said


def page(repo: ContentRepo, rel: str) -> str:
    return (repo.root.parent / "site" / rel).read_text(encoding="utf-8")


def version_findings(repo: ContentRepo, base: str) -> list[str]:
    return [str(f) for f in run_check(CheckOptions(root=repo.root, base=base, history=False)) if f.rule == "versions"]


@pytest.fixture
def recorded(mini: ContentRepo) -> ContentRepo:
    """The mini site built on main, its versions.lock committed, as after a first release."""
    built(mini)
    mini.commit("Record the published versions")
    return mini


@pytest.fixture
def reviewed(recorded: ContentRepo) -> ContentRepo:
    """A branch that proposes a new AUP on DAY and revises it twice after review; the hook's check passes each time."""
    git(recorded.root, "switch", "-q", "-c", "review")
    for number, (vi, en) in enumerate(REVISIONS):
        revise(recorded, vi, en)
        if number:  # what the pre-commit hook checks: a revision of the proposed text under its new date
            assert version_findings(recorded, "HEAD") == version_findings(recorded, "main") == []
        recorded.commit(f"AUP: revision {number + 1}")
    return recorded


@pytest.mark.parametrize("merge", ["merge commit", "squash"])
def test_a_revised_proposal_is_one_published_version_with_the_final_text(reviewed, merge):
    lock = (reviewed.root / LOCK_FILE).read_bytes()
    said = built(reviewed)
    # The branch build shows the proposal as readers will see it, and records nothing.
    assert f"content/vi/aup.md: proposes version {DAY}, published once merged into main" in said
    assert not any("recorded" in message for message in said)
    assert (reviewed.root / LOCK_FILE).read_bytes() == lock and not git(reviewed.root, "status", "--porcelain")
    assert "Long, own passwords, changed every year." in page(reviewed, f"beta/en/aup/{DAY}/index.html")
    assert "This policy changes on 30 November 2026" in page(reviewed, "beta/en/aup/index.html")
    git(reviewed.root, "switch", "-q", "main")
    if merge == "squash":
        git(reviewed.root, "merge", "-q", "--squash", "review")
        git(reviewed.root, "commit", "-q", "-m", "AUP: long passwords (#1)")
    else:
        git(reviewed.root, "merge", "-q", "--no-ff", "-m", "Merge pull request #1", "review")
    said = built(reviewed)
    assert said[-1] == "recorded 4 newly published version(s) in versions.lock: commit it"
    found = settle_ids(read_versions(GitHistory(reviewed.root).snapshots()), read_lock(reviewed.root))
    aup = found[("beta", "aup", "en")]
    assert [v.id for v in aup] == ["2026-11-20", DAY] and "changed every year" in aup[-1].body
    assert read_lock(reviewed.root)[f"beta/aup/en/{DAY}"]["sha256"] == aup[-1].sha256
    reviewed.commit("Record the published versions")
    assert not any("recorded" in message for message in built(reviewed))  # a clean main build
    assert version_findings(reviewed, "HEAD") == []


def test_a_second_release_of_the_day_is_proposed_then_published_as_its_own_version(recorded):
    revise(recorded, *REVISIONS[0])
    git_on(recorded, f"{DAY}T09:00:00+07:00", "commit", "-q", "-a", "-m", "AUP: long passwords")
    built(recorded, as_of=dt.date(2026, 11, 30))
    recorded.commit("Record the published versions")
    git(recorded.root, "switch", "-q", "-c", "same-day")
    for vi, en in REVISIONS[1:]:
        revise(recorded, vi, en)
        recorded.commit("AUP: same day, after review")
    said = built(recorded, as_of=dt.date(2026, 11, 30))
    assert f"content/en/aup.md: proposes version {DAY}.2, published once merged into main" in said
    assert "changed every year" in page(recorded, f"beta/en/aup/{DAY}.2/index.html")
    git(recorded.root, "switch", "-q", "main")
    git_on(recorded, f"{DAY}T15:00:00+07:00", "merge", "-q", "--no-ff", "-m", "Merge #2", "same-day")
    assert built(recorded, as_of=dt.date(2026, 11, 30))[-1] == (
        "recorded 4 newly published version(s) in versions.lock: commit it")
    lock = read_lock(recorded.root)
    assert {f"beta/aup/en/{DAY}", f"beta/aup/en/{DAY}.2"} <= set(lock)
    assert not any(key.endswith(".3") for key in lock)
    assert "changed every year" in page(recorded, f"beta/en/aup/{DAY}.2/index.html")
    assert "changed every year" not in page(recorded, f"beta/en/aup/{DAY}/index.html")


@pytest.mark.parametrize("where", ["branch", "pull request merge"])
def test_a_build_off_the_publishing_branch_never_writes_the_lock(mini, where):
    git(mini.root, "switch", "-q", "-c", "proposal")
    revise(mini, *REVISIONS[0])
    mini.commit("AUP: long passwords")
    if where == "pull request merge":  # as CI checks a pull request out: main merged with it, HEAD detached
        git(mini.root, "switch", "-q", "--detach", "main")
        git(mini.root, "merge", "-q", "--no-ff", "-m", "Merge proposal into main", "proposal")
    said = built(mini)  # main's versions were never recorded either: still nothing is written
    assert not (mini.root / LOCK_FILE).exists() and not any("recorded" in message for message in said)
    with pytest.raises(BuildError) as caught:
        built(mini, relock=True)
    assert str(caught.value.problems[0]) == (
        "versions.lock: --relock records published versions, and this is not the publishing branch 'main'. "
        "Run it on main.")


def test_a_lock_recorded_on_a_branch_is_named(recorded):
    git(recorded.root, "switch", "-q", "-c", "proposal")
    revise(recorded, *REVISIONS[0])
    recorded.commit("AUP: long passwords")
    versions = read_lock(recorded.root)
    text = json.loads((recorded.root / LOCK_FILE).read_text(encoding="utf-8"))
    text["versions"] = {**versions, f"beta/aup/vi/{DAY}": {"sha256": "0" * 64, "commit": "0" * 40}}
    (recorded.root / LOCK_FILE).write_text(json.dumps(text), encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        built(recorded)
    assert [str(p) for p in caught.value.problems] == [
        f"versions.lock: it records beta/aup/vi/{DAY}, which is not published on main. Only a build of main "
        "records versions: take the file as it is there (git checkout main -- versions.lock)."]


@pytest.mark.parametrize("damage", ["deleted", "cut short", "not JSON"])
def test_a_lost_lock_is_an_error_until_relock_says_what_it_records(recorded, damage):
    path = recorded.root / LOCK_FILE
    lock, site = path.read_bytes(), tree_hashes(recorded.root.parent / "site")
    entries = json.loads(lock)["versions"]
    if damage == "deleted":
        path.unlink()
    elif damage == "cut short":
        path.write_text(json.dumps({"versions": dict(list(entries.items())[:4])}), encoding="utf-8")
    else:
        path.write_bytes(lock[: len(lock) // 2])
    with pytest.raises(BuildError) as caught:
        built(recorded)
    message = str(caught.value.problems[0])
    assert message.startswith({"deleted": "versions.lock: the file is missing, but it was committed",
                               "cut short": "versions.lock: 2 published version(s) recorded in the committed file "
                                            "are missing from it (",
                               "not JSON": "versions.lock: the file is not valid JSON"}[damage])
    assert message.endswith("(or build with --relock to record the published versions again from the history).")
    assert tree_hashes(recorded.root.parent / "site") == site
    said = built(recorded, relock=True)
    again = {"deleted": 6, "cut short": 2, "not JSON": 6}[damage]
    assert said[-again - 1] == (f"re-recorded {again} published version(s) in versions.lock from the history "
                                "(check them, then commit it):")
    assert [line.split()[0] for line in said[-again:]] == sorted(entries)[-again:]  # the cut kept the first four
    assert path.read_bytes() == lock
    assert built(recorded, relock=True, as_of=dt.date(2026, 11, 26))[-1] == (
        "nothing to re-record: versions.lock lists every published version")


def test_a_lock_that_cannot_be_written_fails_the_build_before_the_swap(recorded, monkeypatch):
    site = recorded.root.parent / "site"
    before, lock = tree_hashes(site), (recorded.root / LOCK_FILE).read_bytes()
    revise(recorded, *REVISIONS[0])
    recorded.commit("AUP: long passwords")
    real = os.replace

    def refuse(source, target):
        if str(target).endswith(LOCK_FILE):
            raise PermissionError(13, "Permission denied", str(target))
        real(source, target)

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(BuildError) as caught:
        built(recorded)
    assert [str(p) for p in caught.value.problems] == [
        "versions.lock: cannot be written (Permission denied). Make it and its folder writable (or free disk "
        "space), then build again; the site was left as it was."]
    assert tree_hashes(site) == before and (recorded.root / LOCK_FILE).read_bytes() == lock
    assert not list(recorded.root.glob(f".{LOCK_FILE}.*"))  # no temporary file left behind
    monkeypatch.setattr(os, "replace", real)
    assert built(recorded)[-1] == "recorded 4 newly published version(s) in versions.lock: commit it"


def test_where_a_revision_stands_on_the_publishing_line(mini, tmp_path):
    history = GitHistory(mini.root)
    first = history.line("main").head
    assert history.line("main").publishing
    git(mini.root, "switch", "-q", "-c", "feature")
    revise(mini, *REVISIONS[0])
    feature = mini.commit("AUP: long passwords")
    git(mini.root, "switch", "-q", "main")
    mini.write({"content/vi/extra.md": "x"})
    second = mini.commit("Main moves on")
    git(mini.root, "switch", "-q", "feature")
    git(mini.root, "merge", "-q", "--no-ff", "-m", "Merge main into feature", "main")
    on_feature = history.line("main")  # it merged main in: everything of main's line it contains
    assert (on_feature.cut, on_feature.publishing) == (second, False)
    assert (history.line("main", feature).cut, history.line("main", first).publishing) == (first, True)
    git(mini.root, "switch", "-q", "--detach", "main")
    assert history.line("main").publishing
    with pytest.raises(BuildError) as caught:
        history.line("trunk")
    assert str(caught.value.problems[0]) == (
        "site.yml: the publishing branch 'trunk' is not in this repository. Fetch it (git fetch origin trunk; in "
        "CI: actions/checkout with fetch-depth: 0), or name the branch that publishes in `publishing_branch:`.")
    clone = tmp_path / "clone"  # as CI checks out a pull request: origin/main only, HEAD detached
    subprocess.run(["git", "clone", "-q", str(mini.root), str(clone)], check=True, env=GIT_ENV)
    git(clone, "switch", "-q", "--detach", "origin/feature")
    git(clone, "branch", "-q", "-D", "main")
    assert (GitHistory(clone).line("main").cut, GitHistory(clone).line("main").publishing) == (second, False)


def test_a_local_main_that_was_not_pulled_reads_what_origin_publishes(mini, tmp_path):
    first = GitHistory(mini.root).line("main").head
    revise(mini, *REVISIONS[0])
    second = mini.commit("AUP: long passwords (merged, published)")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(mini.root), str(clone)], check=True, env=GIT_ENV)
    git(clone, "switch", "-q", "-c", "feature")
    git(clone, "branch", "-q", "-f", "main", first)  # the editor's main, not pulled since the merge
    assert GitHistory(clone).line("main").cut == second
    git(clone, "switch", "-q", "main")
    (clone / "note.txt").write_text("a local commit", encoding="utf-8")
    git(clone, "add", "note.txt")
    git(clone, "commit", "-q", "-m", "A local commit on main")  # diverged: the local branch is not merely behind
    git(clone, "switch", "-q", "feature")
    assert GitHistory(clone).line("main").cut == first


def test_the_publishing_branch_is_named_in_site_yml(mini):
    mini.write({"site.yml": mini.read("site.yml") + "publishing_branch: release/web\n"})
    mini.commit("Publish from release/web")
    with pytest.raises(BuildError) as caught:
        built(mini)
    assert "the publishing branch 'release/web' is not in this repository" in str(caught.value)
    git(mini.root, "branch", "-q", "-m", "main", "release/web")
    assert built(mini)[-1] == "recorded 6 newly published version(s) in versions.lock: commit it"
    mini.write({"site.yml": mini.read("site.yml").replace("release/web", "../web")})
    with pytest.raises(ConfigError) as refused:
        built(mini)
    assert str(refused.value.problems[0]).endswith(
        "publishing_branch: '../web' is not valid. Write the name of a git branch, such as main.")
