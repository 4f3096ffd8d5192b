"""The legal checks: gaps to confirm, law that has changed, required topics, and the banner's policy."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ContentRepo

from generator.checks.check import CheckOptions, run_check
from generator.checks.findings import Finding
from generator.checks.legal import legal_at
from generator.cli import main
from generator.errors import ContentError
from generator.history.git import GitHistory, tree_at
from generator.history.versions import read_versions, texts_at
from generator.pipeline.build import BuildOptions, build

ROOT = Path(__file__).resolve().parent.parent
LEGAL_RULES = {"confirm", "outdated-law", "required-topic", "banner-policy", "topics", "legal-data"}
REFERENCES = """instruments:
  decree-90-2008:
    kind: decree
    number: 90/2008/NĐ-CP
    status: replaced
    replaced_by: [decree-91-2020]
    since: 2020-10-01
    source: {instrument: Nghị định 91/2020/NĐ-CP, date: 2020-08-14}
  decree-91-2020:
    kind: decree
    number: 91/2020/NĐ-CP
    status: in-force
    source: {instrument: Nghị định 91/2020/NĐ-CP, date: 2020-08-14}
  old-ministry:
    kind: body
    names: [Bộ Thông tin và Truyền thông, Ministry of Information and Communications]
    status: merged
    replaced_by: [new-ministry]
    since: 2025-03-01
    source: {instrument: Nghị quyết 1/2025/QH15, date: 2025-02-18}
  new-ministry:
    kind: body
    names: [Bộ Khoa học và Công nghệ]
    status: in-force
    source: {instrument: Nghị quyết 1/2025/QH15, date: 2025-02-18}
"""
TOPICS = """topics:
  controller: {title: {en: the controller, vi: bên kiểm soát}}
  retention: {title: {en: retention, vi: thời hạn lưu trữ}}
  cookies: {title: {en: cookies, vi: cookie}}
  cookies-statistics: {title: {en: statistics cookies, vi: cookie thống kê}}
  cookies-marketing: {title: {en: marketing cookies, vi: cookie tiếp thị}}
required:
  privacy:
    - {topic: controller, source: "Law 1/2025/QH15, Art. 9"}
    - {topic: retention, source: to confirm, confirm: the article}
"""


def legal(root: Path, publishing: bool = False) -> list[Finding]:
    """The findings of the legal rules only."""
    options = CheckOptions(root=root, base=None, history=False, publishing=publishing)
    return [f for f in run_check(options) if f.rule in LEGAL_RULES]


def front(repo: ContentRepo, rel: str, fields: str) -> ContentRepo:
    """Add front matter fields (YAML lines) to a policy file."""
    return repo.edit(rel, "\n---\n", f"\n{fields.rstrip()}\n---\n")


def test_confirm_in_text_prints_its_words_and_is_a_warning(mini: ContentRepo) -> None:
    before = texts_at(tree_at(mini.root, None))
    mini.edit("content/en/aup.md", "keep their passwords secret", 'keep their {{ confirm("passwords") }} secret')
    assert texts_at(tree_at(mini.root, None)) == before  # the published words are the same
    found = legal(mini.root)
    assert [(f.path, f.line, f.severity, f.message) for f in found] == [
        ("content/en/aup.md", 15, "warning", "to confirm: passwords")]


def test_front_matter_markers_leave_published_versions_as_they_were(mini: ContentRepo) -> None:
    first = read_versions(GitHistory(mini.root).snapshots())
    front(mini, "content/en/aup.md", "confirm:\n  security: the password rule\n  material: whether it is material")
    front(mini, "content/en/acme/privacy.md", "topics:\n  collection: [retention]")
    mini.commit("Mark a gap, tag a topic")
    second = read_versions(GitHistory(mini.root).snapshots())
    assert {k: [v.sha256 for v in vs] for k, vs in second.items()} == {k: [v.sha256 for v in vs]
                                                                        for k, vs in first.items()}
    assert {k: [v.meta for v in vs] for k, vs in second.items()} == {k: [v.meta for v in vs] for k, vs in first.items()}
    working = texts_at(tree_at(mini.root, None))  # no draft either: the text and front matter as published
    assert all((v.body, v.meta) == (second[k][-1].body, second[k][-1].meta) for k, v in working.items())
    messages = [f.message for f in legal(mini.root) if f.rule == "confirm"]
    assert messages == ["to confirm: security: the password rule", "to confirm: material: whether it is material"]


def test_a_marker_on_no_clause_is_an_error(mini: ContentRepo) -> None:
    front(mini, "content/en/aup.md", "confirm:\n  securty: the password rule")
    assert [(f.severity, f.message) for f in legal(mini.root)] == [
        ("error", "`confirm:` names 'securty', which is no clause of this file")]


def test_unconfirmed_facts_warn_and_are_errors_on_the_publishing_branch_when_required(mini: ContentRepo) -> None:
    mini.edit("site.yml", "    policies: [aup]\n", "    policies: [aup]\n    unconfirmed: [website, legal_name.vi]\n")
    assert [(f.line, f.severity, f.message) for f in legal(mini.root, publishing=True)] == [
        (33, "warning", "to confirm: brands.beta.legal_name.vi"), (33, "warning", "to confirm: brands.beta.website")]
    mini.edit("site.yml", "    unconfirmed:", "    require_confirmed: true\n    unconfirmed:")
    assert {f.severity for f in legal(mini.root, publishing=False)} == {"warning"}
    assert {f.severity for f in legal(mini.root, publishing=True)} == {"error"}
    with pytest.raises(ContentError, match=r"to confirm: brands\.beta\.website"):  # the build on main stops too
        build(BuildOptions(root=mini.root, site_dir=mini.root / "site", jobs=1))
    asked = CheckOptions(root=mini.root, base=None, history=False)  # as `policygen check` runs: git says where
    assert {f.severity for f in run_check(asked) if f.rule == "confirm"} == {"error"}  # on main
    subprocess.run(["git", "checkout", "-q", "-b", "proposal"], cwd=mini.root, check=True)
    mini.commit("A proposal")
    assert {f.severity for f in run_check(asked) if f.rule == "confirm"} == {"warning"}  # off main's line
    for back in (["checkout", "-q", "main"], ["checkout", "-q", "proposal", "--", "."], ["reset", "-q"]):
        subprocess.run(["git", *back], cwd=mini.root, check=True)  # main again, with the edits uncommitted
    mini.edit("site.yml", "[website, legal_name.vi]", "[webiste, legal_name.fr]")
    assert [f.message for f in legal(mini.root) if f.severity == "error"] == [
        "`unconfirmed:` names 'legal_name.fr', which brand 'beta' does not set",
        "`unconfirmed:` names 'webiste', which brand 'beta' does not set"]


def test_outdated_law_is_found_in_both_languages_with_or_without_diacritics(mini: ContentRepo) -> None:
    mini.write({"legal/references.yml": REFERENCES})
    mini.edit("content/vi/aup.md", "cung cấp {{ brand.services }}.",
              "cung cấp {{ brand.services }} theo Nghị định số 90/2008/NĐ-CP, Nghi dinh 90/2008 và quy định của "
              "Bo Thong tin va Truyen thong.")
    mini.edit("content/en/aup.md", "for unlawful purposes.", "for purposes Decree No. 90/2008/ND-CP forbids, or "
              "Decree 91/2020/NĐ-CP, or Decree No. 12/2019/ND-CP.")
    found = [(f.path, f.line, f.message) for f in legal(mini.root)]
    assert found == [
        ("content/en/aup.md", 11, "'Decree No. 90/2008/ND-CP': Decree 90/2008/NĐ-CP was replaced by Decree "
         "91/2020/NĐ-CP (since 2020-10-01)"),
        ("content/vi/aup.md", 7, "'Nghị định số 90/2008/NĐ-CP': Nghị định 90/2008/NĐ-CP was replaced by Nghị định "
         "91/2020/NĐ-CP (since 2020-10-01)"),
        ("content/vi/aup.md", 7, "'Nghi dinh 90/2008': Nghị định 90/2008/NĐ-CP was replaced by Nghị định "
         "91/2020/NĐ-CP (since 2020-10-01)"),
        ("content/vi/aup.md", 7, "'Bo Thong tin va Truyen thong': Bộ Thông tin và Truyền thông was merged into "
         "Bộ Khoa học và Công nghệ (since 2025-03-01)")]  # in the order they stand in the line
    source = mini.read("content/vi/aup.md").split("\n")[6]  # after {{ brand.services }}: rendered further right
    assert {(f.column, f.message.split("'")[1]) for f in legal(mini.root) if f.path == "content/vi/aup.md"} == {
        (source.index(cited) + 1, cited) for cited in ("Nghị định số 90/2008/NĐ-CP", "Nghi dinh 90/2008",
                                                       "Bo Thong tin va Truyen thong")}
    unknown = legal_at(mini.root)[1].unknown
    assert [f.message for f in unknown] == ["'Decree No. 12/2019/ND-CP' (decree 12/2019) is not in "
                                            "legal/references.yml"]
    listed = CliRunner().invoke(main, ["check", "--references", "--root", str(mini.root)])
    assert listed.output == (f"{unknown[0]}\n")
    assert "12/2019" not in "".join(f.message for f in legal(mini.root))  # a plain check does not list it


@pytest.mark.parametrize(("source", "message"), [
    ("", "instruments.decree-90-2008.source: Field required"),
    ("    source: {instrument: Nghị định 91/2020/NĐ-CP}\n",
     "instruments.decree-90-2008.source: a source needs its `date:`, or `confirm:` saying that the date is still "
     "to confirm")])
def test_every_reference_carries_its_source(mini: ContentRepo, source: str, message: str) -> None:
    text = REFERENCES.replace("    source: {instrument: Nghị định 91/2020/NĐ-CP, date: 2020-08-14}\n", source, 1)
    mini.write({"legal/references.yml": text})
    assert [(f.path, f.severity, f.message) for f in legal(mini.root)] == [("legal/references.yml", "error", message)]


def test_required_topics_are_reported_per_brand_and_language(mini: ContentRepo) -> None:
    mini.write({"legal/topics.yml": TOPICS})
    assert [f.message for f in legal(mini.root) if f.rule == "required-topic"] == [
        "acme's privacy (en) has no clause on 'retention' (topic retention)",
        "acme's privacy (en) has no clause on 'the controller' (topic controller)",
        "acme's privacy (vi) has no clause on 'bên kiểm soát' (topic controller)",
        "acme's privacy (vi) has no clause on 'thời hạn lưu trữ' (topic retention)"]
    front(mini, "content/en/acme/privacy.md", "topics:\n  collection: [retention]")
    assert [f.message for f in legal(mini.root) if f.rule == "required-topic" and "(en)" in f.message] == [
        "acme's privacy (en) has no clause on 'the controller' (topic controller)"]
    mini.edit("content/en/acme/privacy.md", "  collection: [retention]", "  use: [controler]\n  nowhere: [retention]")
    assert [f.message for f in legal(mini.root) if f.rule == "topics"] == [
        "unknown topic 'controler' for 'use'", "`topics:` names 'nowhere', which is no clause of this file"]


def test_a_banner_needs_a_policy_that_explains_its_cookies(mini: ContentRepo) -> None:
    mini.write({"legal/topics.yml": TOPICS})
    assert [(f.path, f.message) for f in legal(mini.root) if f.rule == "banner-policy"] == [
        (f"content/{lang}/aup.md", f"beta's cookie banner links to this policy ({lang}), which has no clause tagged "
         "cookies, cookies-statistics, cookies-marketing") for lang in ("en", "vi")]
    for lang in ("en", "vi"):
        front(mini, f"content/{lang}/aup.md", "topics:\n  security: [cookies, cookies-statistics, cookies-marketing]")
    assert [f for f in legal(mini.root) if f.rule == "banner-policy"] == []


def test_todo_lists_the_gaps_by_brand(mini: ContentRepo) -> None:
    front(mini, "content/en/aup.md", "confirm:\n  security: the password rule")
    mini.edit("site.yml", "    policies: [aup]\n", "    policies: [aup]\n    unconfirmed: [website]\n")
    result = CliRunner().invoke(main, ["check", "--todo", "--root", str(mini.root)])
    assert result.exit_code == 0
    assert result.output == ("acme: 1 to confirm\n  content/en/aup.md:6: security: the password rule\n\n"
                             "beta: 2 to confirm\n  content/en/aup.md:6: security: the password rule\n"
                             "  site.yml:33: brands.beta.website\n")


def test_todo_and_references_speak_json_and_github(mini: ContentRepo) -> None:
    front(mini, "content/en/aup.md", "confirm:\n  security: the password rule")
    mini.edit("content/en/aup.md", "Customers keep their passwords secret.",
              "Customers keep their passwords secret (Decree No. 12/2019/ND-CP).")
    mini.commit("A gap to confirm, and a decree legal has not listed")
    ask = ["check", "--todo", "--references", "--root", str(mini.root), "--format"]
    listed = json.loads(CliRunner().invoke(main, [*ask, "json"]).output)
    assert listed["todo"] == [{"path": "content/en/aup.md", "line": 6, "what": "security: the password rule",
                               "brand": brand} for brand in ("acme", "beta")]
    assert [(f["path"], f["rule"], f["message"]) for f in listed["references"]] == [
        ("content/en/aup.md", "unknown-reference", "'Decree No. 12/2019/ND-CP' (decree 12/2019) is not in "
         "legal/references.yml")]
    github = CliRunner().invoke(main, [*ask, "github"]).output.splitlines()
    assert github[0] == ("::notice file=content/en/aup.md,line=6,col=1,title=confirm::to confirm (acme): security: "
                         "the password rule. ")
    assert len(github) == 3
    assert github[2].startswith("::notice file=content/en/aup.md,line=17,col=40,title=unknown-reference::")


# What the company's content must report: the gaps, the outdated law and the missing topics the
# bilingual review found (issue #20), and the notes legal/*.yml keeps on what is still to confirm.
TERMS_GAPS = ["preamble", "customer-information", "provider-enforcement", "renewal-payment", "termination-breach",
              "information-changes-processing", "support-backup"]
EXPECTED = {
    *((f"content/{lang}/voip24h/terms.md", "confirm", gap) for lang in ("vi", "en") for gap in TERMS_GAPS),
    *((f"content/{lang}/aup.md", "confirm", gap) for lang in ("vi", "en") for gap in ("network-usage", "material")),
    *((f"content/{lang}/vietnamserver/privacy.md", "confirm", "website-system") for lang in ("vi", "en")),
    *((f"content/{lang}/cloudspace/privacy.md", "confirm", "contact") for lang in ("vi", "en")),
    *(("site.yml", "confirm", f"brands.{brand}.{fact}") for brand, facts in (
        ("voip24h", ("legal_name.vi", "website", "site_url")), ("vietnamserver", ("legal_name", "website", "site_url")),
        ("cloudspace", ("legal_name", "website", "site_url"))) for fact in facts),
    *((f"content/{lang}/voip24h/terms.md", "outdated-law", entry) for lang in ("vi", "en")
      for entry in ("decree-90-2008", "ministry-of-information-and-communications")),
    *((f"content/{lang}/{brand}/privacy.md", "required-topic", topic) for lang in ("vi", "en")
      for brand in ("vietnamserver", "cloudspace") for topic in ("controller", "subject-rights", "consent-withdrawal")),
    *((f"content/{lang}/cloudspace/privacy.md", "banner-policy", "cookies") for lang in ("vi", "en")),
}


def _key(finding: Finding) -> tuple[str, str, str]:
    """(path, rule, what it is about) of a finding on the company's content."""
    message = finding.message
    if finding.rule == "confirm":
        return finding.path, finding.rule, message.removeprefix("to confirm: ").split(":")[0]
    if finding.rule == "outdated-law":
        return finding.path, finding.rule, finding.hint.rsplit(": ", 1)[1].rstrip(").")
    if finding.rule == "required-topic":
        return finding.path, finding.rule, message.rsplit("(topic ", 1)[1].rstrip(")")
    return finding.path, finding.rule, "cookies"


def test_the_company_content_reports_exactly_what_the_review_found() -> None:
    found = [f for f in legal(ROOT) if not f.path.startswith("legal/")]
    assert {f.severity for f in found} == {"warning"}
    assert {_key(f) for f in found} == EXPECTED
    assert len(found) == len(EXPECTED)
    assert legal_at(ROOT)[1].unknown == []


def _without_markers(text: str) -> str:
    """A policy file or site.yml without the lines this change added: front matter notes and `unconfirmed:`."""
    lines, kept, skipping = text.split("\n"), [], False
    for line in lines:
        if line.startswith(("# Not published", "# Không công bố")) or (line.startswith(("confirm:", "topics:"))):
            skipping = True
        elif line == "---" or not line.startswith(" "):
            skipping = False
        if not skipping and not line.lstrip().startswith(("unconfirmed:", "# The legal name", "# The Vietnamese")):
            kept.append(line)
    return "\n".join(kept)


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_markers_change_no_published_page_and_no_version(tmp_path: Path) -> None:
    (tmp_path / "repo").mkdir()
    repo = ContentRepo(tmp_path / "repo")
    shutil.copytree(ROOT / "content", repo.root / "content")
    shutil.copytree(ROOT / "legal", repo.root / "legal")
    for path in [repo.root / "site.yml", *(repo.root / "content").rglob("*.md")]:
        source = ROOT / path.relative_to(repo.root)
        path.write_text(_without_markers(source.read_text(encoding="utf-8")), encoding="utf-8")
    assert "confirm:" not in repo.read("content/vi/voip24h/terms.md")
    repo.commit("The content before the markers")
    options = BuildOptions(root=repo.root, site_dir=tmp_path / "before", jobs=1, as_of=dt.date(2026, 11, 30))
    build(options)
    lock = repo.read("versions.lock")
    shutil.copytree(ROOT / "content", repo.root / "content", dirs_exist_ok=True)
    shutil.copy(ROOT / "site.yml", repo.root / "site.yml")
    repo.edit("content/vi/voip24h/terms.md", "đến cơ quan nhà nước có thẩm quyền.",
              'đến {{ confirm("cơ quan nhà nước có thẩm quyền") }}.')  # an inline marker prints its words
    repo.commit("Mark the gaps")
    said: list[str] = []
    build(BuildOptions(root=repo.root, site_dir=tmp_path / "after", jobs=1, as_of=dt.date(2026, 11, 30)),
          report=said.append)
    assert _tree(tmp_path / "after") == _tree(tmp_path / "before")
    assert repo.read("versions.lock") == lock
    published = {key: entry["sha256"] for key, entry in json.loads(lock)["versions"].items()}
    ours = json.loads((ROOT / "versions.lock").read_text(encoding="utf-8"))["versions"]
    assert {key: ours[key]["sha256"] for key in published} == published  # the company's published hashes
    assert any("to confirm: cơ quan nhà nước có thẩm quyền" in line for line in said)  # the build says so
    assert not [line for line in said if "not published" in line]  # and no text waits as a draft
    assert sum("to confirm:" in line for line in said) == 22 + 9 + 1 + 7 + 7  # texts, site.yml, inline, legal/*.yml


def test_a_rebuild_in_the_same_process_reads_the_law_as_it_now_stands(mini: ContentRepo) -> None:
    """The citations of the lines seen are kept while references.yml is the same (serve's rebuilds), not after."""
    mini.write({"legal/references.yml": REFERENCES})
    mini.edit("content/en/aup.md", "for unlawful purposes.", "for purposes Decree No. 12/2019/ND-CP forbids.")
    assert legal(mini.root) == legal(mini.root) == []  # not listed: --references says so
    mini.edit("legal/references.yml", "number: 90/2008/NĐ-CP", "number: 12/2019/NĐ-CP")
    assert [(f.path, f.line, f.message) for f in legal(mini.root)] == [
        ("content/en/aup.md", 11, "'Decree No. 12/2019/ND-CP': Decree 12/2019/NĐ-CP was replaced by Decree "
         "91/2020/NĐ-CP (since 2020-10-01)")]
