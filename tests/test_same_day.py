"""More than one version in a day: `2026-11-22.2`, chosen by the tool, published apart, stable forever."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess

import pytest
from conftest import FIXTURES, GIT_ENV, ContentRepo, git
from test_versions import aup, both, history

from generator.checks.check import CheckOptions, run_check
from generator.history.git import GitHistory, MemoryHistory, read_lock
from generator.history.version_ids import settle_ids, split_id
from generator.history.versions import found_from_json, found_to_json, read_versions
from generator.pipeline.build import BuildOptions, build
from generator.pipeline.queries import verify_consent

VIETNAM = dt.timezone(dt.timedelta(hours=7))
DAY = "2026-11-22"


def same_day(*texts: str, later: str = "") -> MemoryHistory:
    """The mini site's AUP released on DAY, then changed by more commits of that day (and one of the next)."""
    base = history(both(aup("2026-11-20")))
    start = dt.datetime(2026, 11, 22, 9, 0, tzinfo=VIETNAM)
    commits = [(f"d{i}", start + dt.timedelta(hours=i), both(aup(DAY, security=text))) for i, text in enumerate(texts)]
    if later:  # committed on the 23rd under the 22nd's date: a draft, not a release
        commits.append(("late", start + dt.timedelta(days=1), both(aup(DAY, security=later))))
    return MemoryHistory(base.commits + commits)


def test_a_text_change_committed_on_its_updated_day_is_another_version_of_that_day():
    found = read_versions(same_day("Mật khẩu mạnh.", "Mật khẩu rất mạnh.", "Mật khẩu dài.", later="Khác.").snapshots())
    versions = found[("beta", "aup", "vi")]
    assert [v.id for v in versions] == ["2026-11-20", DAY, f"{DAY}.2", f"{DAY}.3"]
    assert [v.commit for v in versions[1:]] == ["d0", "d1", "d2"]
    assert versions[2].key == f"beta/aup/vi/{DAY}.2" and "Mật khẩu rất mạnh." in versions[2].body
    assert all(v.meta.updated == dt.date(2026, 11, 22) for v in versions[1:])  # the legal date stays the date


def test_published_ids_stay_when_the_history_is_rewritten():
    found = read_versions(same_day("A.", "B.").snapshots())
    record = {v.key: {"sha256": v.sha256, "commit": v.commit} for line in found.values() for v in line}
    # Rewritten: another version of that day now comes before B (as a rebase that inserts a commit would do).
    rewritten = settle_ids(read_versions(same_day("A.", "X.", "B.").snapshots()), record)
    line = rewritten[("beta", "aup", "vi")]
    assert [(v.id, v.body.split("## Bảo mật {#security}")[1].split()[0]) for v in line[1:]] == [
        (DAY, "A."), (f"{DAY}.3", "X."), (f"{DAY}.2", "B.")]
    # Nothing recorded: the walk's order is the order of the day.
    assert [v.id for v in settle_ids(read_versions(same_day("A.", "X.", "B.").snapshots()), {})[
        ("beta", "aup", "vi")]] == ["2026-11-20", DAY, f"{DAY}.2", f"{DAY}.3"]


def test_the_history_cache_keeps_the_place_in_the_day():
    found = read_versions(same_day("A.", "B.").snapshots())
    again = found_from_json(json.loads(json.dumps(found_to_json(found))))
    assert [v.id for v in again[("beta", "aup", "en")]] == ["2026-11-20", DAY, f"{DAY}.2"]
    data = found_to_json(found)
    data["versions"][0]["seq"] = 0
    with pytest.raises(ValueError):
        found_from_json(data)


@pytest.mark.parametrize(("text", "parsed"), [(DAY, (DAY, 1)), (f"{DAY}.2", (DAY, 2)), (f"{DAY}.12", (DAY, 12)),
                                              (f"{DAY}.1", (f"{DAY}.1", 0)), (f"{DAY}.02", (f"{DAY}.02", 0)),
                                              (f"{DAY}.x", (f"{DAY}.x", 0))])
def test_version_ids_read_back_only_as_written(text, parsed):
    assert split_id(text) == parsed


def commit_on(repo: ContentRepo, when: str, message: str) -> str:
    """Commit everything with author and committer date `when`."""
    env = {**GIT_ENV, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", "add", "-A"], cwd=repo.root, env=env, check=True)
    subprocess.run(["git", "commit", "-q", "-m", message], cwd=repo.root, env=env, check=True)
    return git(repo.root, "rev-parse", "HEAD").strip()


def release(repo: ContentRepo, vi: str, en: str, hour: int) -> str:
    """Change the AUP's security clause in both languages and commit it on DAY at `hour` (Vietnam)."""
    for lang, text in (("vi", vi), ("en", en)):
        path = f"content/{lang}/aup.md"
        old = repo.read(path).split("## ", 3)[2]  # the security clause (the second heading)
        heading, _, _body = old.partition("\n\n")
        repo.write({path: repo.read(path).replace(old, f"{heading}\n\n{text}\n\n", 1)
                    .replace("updated: 2026-11-20", f"updated: {DAY}")})
    return commit_on(repo, f"{DAY}T{hour:02}:00:00+07:00", f"AUP: {en}")


def built(repo: ContentRepo):
    build(BuildOptions(root=repo.root, site_dir=repo.root / "site", jobs=1, strict=True, as_of=dt.date(2026, 11, 22)))
    return lambda rel: (repo.root / "site" / rel).read_text(encoding="utf-8")


@pytest.fixture
def two_in_a_day(tmp_path):
    """The mini site, its AUP released twice on DAY (at 9:00 and at 15:00)."""
    shutil.copytree(FIXTURES / "mini", tmp_path / "repo")
    repo = ContentRepo(tmp_path / "repo")
    repo.commit("Fixture mini")
    release(repo, "Mật khẩu mạnh.", "Strong passwords.", 9)
    release(repo, "Mật khẩu mạnh, đổi mỗi năm.", "Strong passwords, changed every year.", 15)
    return repo


def test_two_versions_of_one_day_are_published_at_their_own_addresses(two_in_a_day):
    page = built(two_in_a_day)
    first, second = page(f"beta/aup/{DAY}/index.html"), page(f"beta/aup/{DAY}.2/index.html")
    assert "Mật khẩu mạnh." in first and "đổi mỗi năm" not in first
    assert "Mật khẩu mạnh, đổi mỗi năm." in second and "đổi mỗi năm" in page("beta/aup/index.html")
    assert "Strong passwords, changed every year." in page(f"beta/en/aup/{DAY}.2/index.html")
    lock = read_lock(two_in_a_day.root)
    assert {f"beta/aup/{lang}/{DAY}{n}" for lang in ("vi", "en") for n in ("", ".2")} <= set(lock)
    assert lock[f"beta/aup/vi/{DAY}"]["sha256"] != lock[f"beta/aup/vi/{DAY}.2"]["sha256"]
    history_vi, history_en = page("beta/aup/history/index.html"), page("beta/en/aup/history/index.html")
    assert "ngày 22 tháng 11 năm 2026 (lần 2 trong ngày)" in history_vi and f'href="../{DAY}.2/"' in history_vi
    assert "22 November 2026 (release 2 of that day)" in history_en
    changes = page(f"beta/aup/{DAY}.2/changes/index.html")
    assert "<ins>" in changes and "đổi mỗi năm" in changes
    assert "so với phiên bản ngày 22 tháng 11 năm 2026." in changes  # compared with the first of the day
    versions = json.loads(page("beta/aup/versions.json"))["versions"]
    assert [v["id"] for v in versions][:2] == [f"{DAY}.2", DAY]
    manifest = json.loads(page("beta/consent/manifest.json"))["policies"]["aup/vi"]
    assert manifest["current"] == f"{DAY}.2"
    ours = {v["version"]: v["sha256"] for v in manifest["versions"]}
    assert ours[f"{DAY}.2"] == lock[f"beta/aup/vi/{DAY}.2"]["sha256"] != ours[DAY]
    assert f"https://beta.example/policies/aup/{DAY}.2/" in page("beta/sitemap.xml")
    ok, _why, text = verify_consent(two_in_a_day.root, "beta", "aup", "vi", f"{DAY}.2", ours[f"{DAY}.2"])
    assert ok and "đổi mỗi năm" in text
    assert not verify_consent(two_in_a_day.root, "beta", "aup", "vi", f"{DAY}.2", ours[DAY])[0]


def test_ids_stay_after_a_third_version_a_rebuild_from_scratch_and_a_rewritten_history(two_in_a_day):
    built(two_in_a_day)
    lock = read_lock(two_in_a_day.root)
    release(two_in_a_day, "Mật khẩu dài.", "Long passwords.", 18)
    built(two_in_a_day)
    assert {k: v for k, v in read_lock(two_in_a_day.root).items() if k in lock} == lock
    assert f"beta/aup/vi/{DAY}.3" in read_lock(two_in_a_day.root)
    lock = read_lock(two_in_a_day.root)
    shutil.rmtree(two_in_a_day.root / "site")
    page = built(two_in_a_day)
    assert read_lock(two_in_a_day.root) == lock and "Mật khẩu dài." in page(f"beta/aup/{DAY}.3/index.html")
    # Rewrite: drop the 15:00 and 18:00 commits, add another change at 12:00, then the two again
    # (versions.lock as it stands: it is what remembers the published ids).
    recorded = (two_in_a_day.root / "versions.lock").read_text(encoding="utf-8")
    git(two_in_a_day.root, "reset", "-q", "--hard", "HEAD~2")
    (two_in_a_day.root / "versions.lock").write_text(recorded, encoding="utf-8")
    release(two_in_a_day, "Mật khẩu riêng.", "Own passwords.", 12)
    release(two_in_a_day, "Mật khẩu mạnh, đổi mỗi năm.", "Strong passwords, changed every year.", 15)
    release(two_in_a_day, "Mật khẩu dài.", "Long passwords.", 18)
    page = built(two_in_a_day)
    assert "đổi mỗi năm" in page(f"beta/aup/{DAY}.2/index.html") and "dài" in page(f"beta/aup/{DAY}.3/index.html")
    assert "Mật khẩu riêng." in page(f"beta/aup/{DAY}.4/index.html")
    assert [v.id for v in settle_ids(read_versions(GitHistory(two_in_a_day.root).snapshots()),
                                     read_lock(two_in_a_day.root))[("beta", "aup", "vi")]] == [
        "2026-11-20", DAY, f"{DAY}.4", f"{DAY}.2", f"{DAY}.3"]


@pytest.mark.parametrize(("today", "severity"), [(True, "warning"), (False, "error")])
def test_check_warns_about_a_change_under_todays_date_and_refuses_it_under_an_older_one(mini, today, severity):
    if today:  # the version before was released today: committed today, the change is another version of today
        day = dt.datetime.now(VIETNAM).date().isoformat()
        for lang in ("vi", "en"):
            mini.edit(f"content/{lang}/aup.md", "updated: 2026-11-20", f"updated: {day}")
        mini.commit("AUP: today's version")
    mini.edit("content/vi/aup.md", "Khách hàng giữ bí mật mật khẩu.", "Khách hàng giữ bí mật mật khẩu mạnh.")
    mini.edit("content/en/aup.md", "Customers keep their passwords secret.", "Customers keep strong passwords secret.")
    found = [f for f in run_check(CheckOptions(root=mini.root, history=False)) if f.rule == "versions"]
    assert {(f.path, f.severity) for f in found} == {("content/vi/aup.md", severity), ("content/en/aup.md", severity)}
    assert all(("another version of" in f.message) == today for f in found)
