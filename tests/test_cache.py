"""The build's caches: a rebuild renders only what changed, and always equals a cold build."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from test_build import tree_hashes
from test_versions import aup, both, history

from generator.checks import rules
from generator.checks.text import check_chunk
from generator.content.load import load_config
from generator.engines.mkdocs import sites
from generator.engines.mkdocs.mkdocs_yml import mkdocs_config
from generator.errors import BuildError, ContentError
from generator.history.git import GitHistory
from generator.history.versions import VersionReader, found_to_json, read_versions
from generator.pipeline import build as build_module
from generator.pipeline.build import SWAP_MARK, BuildOptions, build
from generator.pipeline.cache import _findings_from_json, _reader_from_json

DAY = dt.date(2026, 12, 31)


def options(repo, site: str = "site", **more) -> BuildOptions:
    return BuildOptions(**{"root": repo.root, "site_dir": repo.root / site, "jobs": 1, "as_of": DAY, **more})


def new_version(repo, day: str = "2026-11-22", policy: str = "aup", was: str = "2026-11-20") -> None:
    """Commit a new version of a policy in both languages (the shared AUP, or ACME's privacy policy)."""
    for lang in ("vi", "en"):
        repo.edit(f"content/{lang}/{policy}.md", f"updated: {was}", f"updated: {day}")
    repo.commit(f"{policy}: new version")


def assert_same_as_cold(repo, tmp_path) -> None:
    build(BuildOptions(root=repo.root, site_dir=tmp_path / "cold", jobs=1, as_of=DAY, record=False))
    assert tree_hashes(repo.root / "site") == tree_hashes(tmp_path / "cold")


@pytest.fixture
def built(mini, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    build(options(mini))
    mini.commit("Record the published versions")  # versions.lock, as an editor would
    build(options(mini))
    return mini


def test_reading_history_in_two_walks_finds_what_one_walk_finds():
    steps = [both(aup("2026-11-01")), both(aup("2026-11-01", security="Giữ kín.")),
             both(aup("2026-11-10", security="Dùng mật khẩu mạnh.")), both(aup("2026-11-12"))]
    whole = read_versions(history(*steps).snapshots())
    for cut in range(1, len(steps)):
        snapshots = list(history(*steps).snapshots())
        first = VersionReader().read(snapshots[:cut])
        kept = json.loads(json.dumps({"commit": first.commit, **found_to_json(first.found)}))  # as the cache keeps it
        reader = _reader_from_json(kept)  # the versions found, not the parsed documents
        assert reader.commit == f"c{cut - 1}" and reader.found == first.found and not reader.state.documents
        found = reader.read(snapshots[cut:]).found
        assert found == whole and list(found) == list(whole)


def test_git_snapshots_after_a_commit_are_the_rest_of_the_walk(mini):
    first = GitHistory(mini.root).head()
    new_version(mini)
    mini.edit("content/en/aup.md", "Do not use", "Never use").commit("AUP: wording")
    history_ = GitHistory(mini.root)
    whole = list(history_.snapshots())
    rest = list(history_.snapshots(since=first))
    assert [s.commit for s in rest] == [s.commit for s in whole[1:]]
    assert [s.files for s in rest] == [s.files for s in whole[1:]]
    assert history_.follows(first, history_.head()) and not history_.follows("0" * 40, history_.head())


def test_nothing_changed_returns_at_once_and_leaves_the_site_alone(built):
    site = built.root / "site"
    before = {p: p.stat().st_ino for p in site.rglob("*.html")}
    said: list[str] = []
    assert build(options(built), report=said.append) == ["acme", "beta"]
    assert said == ["nothing changed since the last build"]
    assert {p: p.stat().st_ino for p in site.rglob("*.html")} == before


def test_a_day_later_or_an_edit_is_not_nothing(built):
    said: list[str] = []
    build(BuildOptions(root=built.root, site_dir=built.root / "site", jobs=1, as_of=DAY + dt.timedelta(days=1)),
          report=said.append)
    assert "nothing changed since the last build" not in said
    built.edit("content/en/aup.md", "Do not use", "Never use")  # not committed: a draft
    said.clear()
    build(options(built), report=said.append)
    assert said[-1] == "content/en/aup.md: its changes are not published (no new `updated` date, or not committed yet)"
    said.clear()
    build(options(built), report=said.append)  # the message comes back when nothing changed
    assert said == ["content/en/aup.md: its changes are not published (no new `updated` date, or not committed yet)",
                    "nothing changed since the last build"]


def test_a_new_version_renders_only_the_pages_that_changed(built, tmp_path):
    project = built.root / ".site.cache" / "work" / "acme.vi" / "site"
    new_version(built, "2026-11-22", "acme/privacy", "2026-11-21")
    build(options(built))
    built.commit("Record the published versions")
    stamp = {p.relative_to(project).as_posix(): p.stat().st_mtime_ns for p in project.rglob("*.html")}
    new_version(built, "2026-11-23", "acme/privacy", "2026-11-22")
    said: list[str] = []
    build(options(built), report=said.append)
    assert "reused 2 unchanged site(s) of the last build" in said  # beta's two sites
    rendered = {rel for rel, ns in stamp.items() if (project / rel).stat().st_mtime_ns != ns}
    # The pages that changed (the version that stopped being current, the plain URL, the history)
    # and the pages in the search index; not the older versions nor their changes.
    assert rendered == {"index.html", "404.html", "aup/index.html", "privacy/index.html",
                        "privacy/2026-11-22/index.html", "privacy/history/index.html"}
    assert "Không phải phiên bản hiện hành" in (project / "privacy/2026-11-22/index.html").read_text("utf-8")
    assert_same_as_cold(built, tmp_path)


def test_a_rebuild_never_writes_through_to_the_files_published_before(built, tmp_path):
    """The published files are hard links of the kept projects' output, which mkdocs writes in place."""
    site, kept = built.root / "site", built.root / ".site.cache" / "work" / "acme.vi" / "site"
    index = Path("search") / "search_index.json"
    assert (site / "acme" / index).stat().st_ino == (kept / index).stat().st_ino  # linked, not copied
    published = tmp_path / "published"  # the files published so far, reachable after the swap
    shutil.copytree(site, published, copy_function=os.link)
    before = tree_hashes(published)
    new_version(built)
    build(options(built))
    assert tree_hashes(site) != before and tree_hashes(published) == before
    now, then = (site / "acme" / index).read_bytes(), (published / "acme" / index).read_bytes()
    assert now == (kept / index).read_bytes() != then


def test_what_a_swap_replaced_is_deleted_by_the_next_build(built, monkeypatch):
    def trash() -> list[Path]:
        return sorted(built.root.glob(".site.trash-*"))

    new_version(built)
    build(options(built))
    (replaced,) = trash()  # the acme and beta folders that this build's swap replaced
    assert sorted(p.name for p in (replaced / "x").iterdir()) == ["acme", "beta"]
    new_version(built, "2026-11-23", was="2026-11-22")
    real = build_module.swap
    monkeypatch.setattr(build_module, "swap", lambda *args: (_ for _ in ()).throw(OSError(28, "No space left")))
    with pytest.raises(BuildError):
        build(options(built))
    assert replaced not in trash() and len(trash()) == 1  # deleted; the failed build's stage is discarded
    monkeypatch.setattr(build_module, "swap", real)
    build(options(built))
    assert len(trash()) == 1 and not list(built.root.glob(".site.staging-*"))


def test_the_warm_up_fills_the_template_cache_and_leaves_nothing_else(mini, tmp_path, monkeypatch):
    (tmp_path / "temp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "temp"))
    config = load_config(mini.root / "site.yml", mini.root)
    sites._warm_up(mkdocs_config(config, "acme", "vi", False), tmp_path / "_jinja")
    assert len(list((tmp_path / "_jinja").iterdir())) > 20  # main.html, base.html, the partials…
    assert not list((tmp_path / "temp").iterdir())  # its one-page project is gone


def test_a_content_error_is_reported_without_a_warm_up_to_wait_for(mini, monkeypatch):
    warmed: list[dict] = []
    monkeypatch.setattr(sites, "warm_up", lambda pool, mkdocs, templates: warmed.append(mkdocs))
    mini.edit("content/en/aup.md", "## Security {#security}", "## Security")
    with pytest.raises(ContentError):
        build(options(mini, jobs=2))
    assert warmed == []
    mini.edit("content/en/aup.md", "## Security", "## Security {#security}")
    build(options(mini, jobs=2, record=False))  # a cold build: a worker is warmed up
    assert [m["site_name"] for m in warmed] == ["ACME"]


def test_without_hard_links_the_output_is_copied(mini, monkeypatch, tmp_path):
    def no_links(source, target):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(sites.os, "link", no_links)
    build(options(mini, record=False))
    index = Path("search") / "search_index.json"
    kept = mini.root / ".site.cache" / "work" / "acme.vi" / "site"
    assert (mini.root / "site" / "acme" / index).stat().st_ino != (kept / index).stat().st_ino
    assert_same_as_cold(mini, tmp_path)


def test_a_strict_rebuild_is_not_stopped_by_mkdocs_dirty_build_warning(mini, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    build(options(mini, strict=True, record=False))
    kept = mini.root / ".site.cache" / "work" / "acme.vi" / "site" / "privacy" / "2026-11-21" / "index.html"
    stamp = kept.stat().st_mtime_ns
    new_version(mini)
    said: list[str] = []
    build(options(mini, strict=True, record=False), report=said.append)
    assert said == ["[1] built acme (vi)", "[2] built acme (en)", "[3] built beta (vi)", "[4] built beta (en)"]
    assert kept.stat().st_mtime_ns == stamp  # a dirty build: that page was not rendered again


def test_a_page_that_goes_away_rebuilds_its_site_clean(built, tmp_path):
    consent = built.root / ".site.cache" / "work" / "beta.vi" / "site" / "consent" / "index.html"
    assert consent.is_file()
    built.write({"site.yml": built.read("site.yml").replace(
        "    forms:\n      signup:\n        purposes: [aup, news]\n        required: [aup]\n", "")})
    built.commit("Beta: no signup form any more")
    build(options(built))
    assert not consent.exists() and not (built.root / "site" / "beta" / "consent").exists()
    assert_same_as_cold(built, tmp_path)


def test_a_rewritten_history_is_read_again_from_the_start(mini, monkeypatch, tmp_path):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    new_version(mini)
    build(options(mini, record=False))
    mini.edit("content/vi/aup.md", "updated: 2026-11-22", "updated: 2026-11-21")
    mini.edit("content/en/aup.md", "updated: 2026-11-22", "updated: 2026-11-21")
    from conftest import git
    git(mini.root, "add", "-A")
    git(mini.root, "commit", "-q", "--amend", "-m", "AUP: new version, another date")
    build(options(mini, record=False))
    assert (mini.root / "site" / "beta" / "aup" / "2026-11-21" / "index.html").is_file()
    assert not (mini.root / "site" / "beta" / "aup" / "2026-11-22").exists()
    assert_same_as_cold(mini, tmp_path)


@pytest.mark.parametrize("damage", ["history.json", "pages/acme.json", "build.json", "findings.json"])
def test_a_damaged_cache_only_makes_a_slower_build(built, tmp_path, damage):
    (built.root / ".site.cache" / damage).write_bytes(b"\x80\x04garbage")
    new_version(built)
    said: list[str] = []
    build(options(built), report=said.append)
    assert [s for s in said if s.startswith("ignored")] == [
        f"ignored .site.cache/{damage} (unreadable or from another version); " + {
            "history.json": "this build reads the history again",
            "pages/acme.json": "this build renders acme's pages again",
            "build.json": "this build makes every site again",
            "findings.json": "this build checks every text again"}[damage]]
    assert_same_as_cold(built, tmp_path)


def test_a_new_generator_or_theme_builds_every_kept_project_clean(built, monkeypatch):
    stamps = {p: p.stat().st_mtime_ns for p in (built.root / ".site.cache" / "work").glob("*/site/index.html")}
    monkeypatch.setattr(build_module, "tools_digest", lambda: "another theme")
    said: list[str] = []
    build(options(built), report=said.append)
    assert len([s for s in said if "built" in s]) == 4
    assert all(p.stat().st_mtime_ns != stamp for p, stamp in stamps.items()) and len(stamps) == 4


def test_a_swap_killed_after_moving_brands_is_finished_by_the_next_build(built, tmp_path):
    site = built.root / "site"
    before = tree_hashes(site)
    stage = built.root / ".site.staging-killed"
    stage.mkdir()
    (stage / SWAP_MARK).write_text("acme", encoding="utf-8")
    (site / "acme").rename(stage / "acme")  # the new acme, staged; then beta moved, then killed
    (site / "beta").rename(stage / "beta")
    build(options(built))
    assert tree_hashes(site) == before
    assert not list(built.root.glob(".site.staging-*")) and not (site / SWAP_MARK).exists()


def test_pages_of_published_versions_come_from_the_cache(built, monkeypatch):
    from generator.site import pages

    calls: list[str] = []
    real = pages.changes_page
    monkeypatch.setattr(pages, "changes_page", lambda ui, *a: (calls.append(ui.lang), real(ui, *a))[1])
    new_version(built, "2026-11-22", "acme/privacy", "2026-11-21")
    build(options(built))
    new_version(built, "2026-11-23", "acme/privacy", "2026-11-22")
    build(options(built))
    assert sorted(calls) == ["en", "en", "vi", "vi"]  # each new version's changes page; never an older one
    calls.clear()
    build(options(built, site="elsewhere"))  # another site folder: a cache of its own, cold
    assert sorted(calls) == ["en", "en", "vi", "vi"]


def test_the_pages_of_a_brand_are_stored_again_only_when_they_changed(built):
    stored = built.root / ".site.cache" / "pages"
    stamps = {p.name: p.stat().st_mtime_ns for p in stored.iterdir()}
    assert sorted(stamps) == ["acme.json", "beta.json"]
    new_version(built, "2026-11-22", "acme/privacy", "2026-11-21")  # beta does not publish it
    build(options(built))
    assert (stored / "acme.json").stat().st_mtime_ns != stamps["acme.json"]
    assert (stored / "beta.json").stat().st_mtime_ns == stamps["beta.json"]


def test_a_brand_that_fails_to_plan_while_others_build_leaves_the_site_as_it_was(built, monkeypatch, tmp_path):
    """Brands are planned while the first ones build (in worker processes): a later failure still stops all."""
    before = tree_hashes(built.root / "site")
    new_version(built)  # the shared AUP: both brands change
    real = build_module.Prepared.plan_brand

    def plan_brand(self, brand):
        if brand == "beta":
            raise RuntimeError("beta cannot be planned")
        return real(self, brand)

    monkeypatch.setattr(build_module.Prepared, "plan_brand", plan_brand)
    with pytest.raises(RuntimeError, match="beta cannot be planned"):
        build(options(built, jobs=2))  # acme's sites were handed to the workers first
    assert tree_hashes(built.root / "site") == before
    assert not list(built.root.glob(".site.staging-*"))  # the workers were ended before it was thrown away
    assert not list(built.root.glob(".site.cache/work/*.plan.json"))
    monkeypatch.setattr(build_module.Prepared, "plan_brand", real)
    build(options(built, jobs=2))  # the kept projects that acme's sites left are sound
    assert_same_as_cold(built, tmp_path)


def warnings(repo, site: str = "site") -> list[str]:
    said: list[str] = []
    build(options(repo, site), report=said.append)
    return [line for line in said if ": warning: " in line]


def test_a_rebuild_runs_the_text_rules_again_only_on_the_chunks_that_changed(built, monkeypatch):
    checked: list[tuple[str, int]] = []

    def counting(chunk, facts):
        checked.append((chunk.path, chunk.line))
        return check_chunk(chunk, facts)

    monkeypatch.setattr(rules, "check_chunk", counting)
    built.edit("content/en/acme/privacy.md", "Customers provide it themselves.", "Customers provide it,, twice.")
    new_version(built, "2026-11-22", "acme/privacy", "2026-11-21")
    said = warnings(built)
    assert checked == [("content/en/acme/privacy.md", 10)]  # the one clause changed, in the one brand's text
    assert said == ["content/en/acme/privacy.md:12:21: warning: doubled punctuation ',,'. Keep one mark. "
                    "[doubled-punctuation]"]
    assert warnings(built, "cold") == said  # a build without the cache


# Edits that change what the text rules find in chunks that themselves stay the same; the finding looked for,
# and whether it is there after the edit. A chunk's findings must be kept by everything they depend on.
BEFORE = {"content/en/acme/privacy.md": ("We collect names and email addresses.", "We collect what the DPA lists.")}
CHANGES = {
    "a brand's name in site.yml": ({"site.yml": ("name: ACME", "name: Acme")}, "the brand is written 'ACME'", True),
    "another brand's name": ({"site.yml": ("name: Beta", "name: DPA")}, "names another brand, beta ('DPA')", True),
    "a term defined in another clause": (
        {"content/en/acme/privacy.md": ("provide it themselves.", 'provide it to the Data Protection Act ("DPA").')},
        "'DPA' is not defined in this document", False),
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_finding_that_an_edit_elsewhere_changes_is_found_again(built, change):
    for path, (old, new) in BEFORE.items():
        built.edit(path, old, new)
    edits, finding, after = CHANGES[change]
    before = [line for line in warnings(built) if finding in line]
    for path, (old, new) in edits.items():
        built.edit(path, old, new)
    try:
        said = [line for line in warnings(built) if finding in line]
    except ContentError as error:  # an error refuses the build
        said = [line for line in str(error).splitlines() if finding in line]
    assert (bool(before), bool(said)) == (not after, after)


@pytest.mark.parametrize("rows", [{}, "rows", [["a.md", 1, 2, "warning", "m", "h"]],
                                  [["a.md", "1", 2, "warning", "m", "h", "r"]],
                                  [["a.md", 1, 2, "warning", "m", "h", None]]])
def test_kept_findings_of_another_shape_are_not_read(rows):
    with pytest.raises(ValueError):
        _findings_from_json({"findings": {"key": rows}})
    assert _findings_from_json({"findings": {"key": [["a.md", 1, 2, "warning", "m", "h", "r"]]}})
