"""Versions read from history: releases by update date, drafts, effective dates, the lock, git itself."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest
from conftest import FIXTURES, git

from generator.errors import BuildError
from generator.history.git import GitHistory, MemoryHistory, read_lock
from generator.history.versions import check_record, read_versions, timelines
from generator.pipeline.build import BuildOptions, build, plan

SITE = (FIXTURES / "mini" / "site.yml").read_text(encoding="utf-8")
T0 = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)


def aup(updated: str, security: str = "Giữ bí mật mật khẩu.", extra: str = "", effective: str = "",
        lang: str = "vi") -> str:
    """A small shared policy in the mini site's format."""
    eff = f"effective: {effective}\n" if effective else ""
    return (f"---\ntitle: AUP\nupdated: {updated}\n{eff}summary: Thay đổi {updated}\nnumbering: sections\n---\n\n"
            f"## Cấm {{#prohibited}}\n\nKhông dùng trái phép.\n\n{extra}"
            f"## Bảo mật {{#security}}\n\n{security}\n\n## Chấm dứt {{#termination}}\n\nXem [[security]].\n")


def history(*steps: dict[str, str | None]) -> MemoryHistory:
    """Commits c0, c1, … a day apart; the first also adds site.yml."""
    commits = []
    for index, files in enumerate(steps):
        if index == 0:
            files = {"site.yml": SITE, **files}
        commits.append((f"c{index}", T0 + dt.timedelta(days=index), files))
    return MemoryHistory(commits)


def both(text_vi: str, text_en: str | None = None) -> dict[str, str]:
    return {"content/vi/aup.md": text_vi, "content/en/aup.md": text_en or text_vi}


def beta_aup(found, lang="vi"):
    return found[("beta", "aup", lang)]


def test_a_new_update_date_releases_a_version_and_text_without_one_does_not():
    found = read_versions(history(
        both(aup("2026-11-01")),
        both(aup("2026-11-01", security="Giữ kín mật khẩu.")),  # text changed, same date: not a release
        both(aup("2026-11-10", security="Dùng mật khẩu mạnh.")),
    ).snapshots())
    versions = beta_aup(found)
    assert [v.id for v in versions] == ["2026-11-01", "2026-11-10"]
    assert [v.commit for v in versions] == ["c0", "c2"]
    assert "Giữ bí mật mật khẩu." in versions[0].body  # the text as it stood when its date was set
    assert versions[1].key == "beta/aup/vi/2026-11-10"


def test_draft_is_what_the_working_tree_adds(mini):
    mini.edit("content/vi/aup.md", "Khách hàng giữ bí mật mật khẩu.", "Khách hàng đổi mật khẩu.")
    result = plan(BuildOptions(root=mini.root, site_dir=mini.root / "site"))
    assert result.unpublished == ["content/vi/aup.md"]
    site = {(s.brand, s.lang): s for s in result.sites}[("beta", "vi")]
    assert "Khách hàng giữ bí mật mật khẩu." in site.pages["aup/index.md"].markdown
    preview = plan(BuildOptions(root=mini.root, site_dir=mini.root / "site", drafts=True))
    page = {(s.brand, s.lang): s for s in preview.sites}[("beta", "vi")].pages["aup/index.md"]
    notices = [notice["title"] for notice in page.meta["policygen"]["notices"]]
    assert "Khách hàng đổi mật khẩu." in page.markdown and "Bản nháp" in notices  # the draft notice


def test_future_effective_date_keeps_the_current_version_with_a_banner():
    found = read_versions(history(both(aup("2026-11-01")),
                                  both(aup("2026-11-10", security="Mới.", effective="2026-12-10"))).snapshots())
    line = timelines(found)[("beta", "aup", "vi")]
    assert line.in_force(dt.date(2026, 11, 20)).id == "2026-11-01"
    assert line.upcoming(dt.date(2026, 11, 20)).id == "2026-11-10"
    assert line.in_force(dt.date(2026, 12, 10)).id == "2026-11-10"
    assert line.upcoming(dt.date(2026, 12, 10)) is None


def test_moving_a_shared_policy_into_a_brand_folder_keeps_its_versions():
    found = read_versions(history(
        both(aup("2026-11-01")),
        {"content/vi/aup.md": None, "content/en/aup.md": None,
         "content/vi/beta/aup.md": aup("2026-11-01"), "content/en/beta/aup.md": aup("2026-11-01"),
         "content/vi/acme/aup.override.md": None, "content/en/acme/aup.override.md": None,
         "content/vi/acme/aup.md": aup("2026-11-01"), "content/en/acme/aup.md": aup("2026-11-01")},
        {"content/vi/beta/aup.md": aup("2026-11-15", security="Đổi."), "content/en/beta/aup.md": aup("2026-11-15")},
    ).snapshots())
    assert [v.id for v in beta_aup(found)] == ["2026-11-01", "2026-11-15"]


def test_an_older_update_date_is_not_a_new_version():
    found = read_versions(history(both(aup("2026-11-10")), both(aup("2026-11-05", security="Cũ hơn."))).snapshots())
    assert [v.id for v in beta_aup(found)] == ["2026-11-10"]


def test_record_check_names_changed_and_lost_versions():
    found = read_versions(history(both(aup("2026-11-01"))).snapshots())
    version = beta_aup(found)[0]
    record = {version.key: {"sha256": "0" * 64, "commit": "abc"},
              "beta/aup/vi/2026-10-01": {"sha256": "1" * 64, "commit": "def"}}
    problems, new = check_record(found, record)
    assert [str(p) for p in problems] == [
        "versions.lock: published version beta/aup/vi/2026-10-01 is no longer in the history. "
        "Restore the commit that released it; a published version is never removed.",
        "versions.lock: published version beta/aup/vi/2026-11-01 has changed since it was published "
        "(recorded from commit abc). Restore its text, or publish the change as a new version with a new "
        "`updated` date.",
    ]
    assert version.key not in new and "beta/aup/en/2026-11-01" in new


def test_git_history_is_read_in_one_pass_with_commit_ids(mini):
    first = git(mini.root, "rev-parse", "HEAD").strip()
    for lang in ("vi", "en"):
        mini.edit(f"content/{lang}/aup.md", "updated: 2026-11-20", "updated: 2026-11-22")
    second = mini.commit("AUP: new version")
    found = read_versions(GitHistory(mini.root).snapshots())
    assert [(v.id, v.commit) for v in beta_aup(found)] == [("2026-11-20", first), ("2026-11-22", second)]
    assert beta_aup(found)[0].committed.tzinfo is not None


def test_build_records_versions_and_refuses_a_tampered_past(mini):
    build(BuildOptions(root=mini.root, site_dir=mini.root / "site", jobs=1))
    record = read_lock(mini.root)
    assert "acme/privacy/en/2026-11-21" in record and len(record) == 6
    before = (mini.root / "site/beta/aup/index.html").read_bytes()
    # Rewrite the past: the published text changes in the commit that released it.
    mini.edit("content/vi/aup.md", "Khách hàng giữ bí mật mật khẩu.", "Khách hàng có thể chia sẻ mật khẩu.")
    git(mini.root, "commit", "-q", "-a", "--amend", "--no-edit")
    with pytest.raises(BuildError) as caught:
        build(BuildOptions(root=mini.root, site_dir=mini.root / "site", jobs=1))
    messages = [str(p) for p in caught.value.problems]
    assert messages[0].startswith("versions.lock: published version acme/aup/vi/2026-11-20 has changed since")
    assert (mini.root / "site/beta/aup/index.html").read_bytes() == before


def test_shallow_clone_is_refused_with_the_fix(mini, tmp_path):
    for lang in ("vi", "en"):
        mini.edit(f"content/{lang}/aup.md", "updated: 2026-11-20", "updated: 2026-11-22")
    mini.commit("AUP: new version")
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{mini.root}", str(clone)], check=True)
    with pytest.raises(BuildError) as caught:
        plan(BuildOptions(root=clone, site_dir=clone / "site"))
    assert str(caught.value.problems[0]) == (
        ".: this is a shallow clone, so older published versions are missing. Fetch the full history: "
        "git fetch --unshallow (in CI: actions/checkout with fetch-depth: 0).")


def test_not_a_git_repository(tmp_path):
    import shutil

    shutil.copytree(FIXTURES / "mini", tmp_path / "plain")
    with pytest.raises(BuildError) as caught:
        plan(BuildOptions(root=tmp_path / "plain", site_dir=tmp_path / "site"))
    assert "The content must be a git repository with at least one commit." in str(caught.value)
