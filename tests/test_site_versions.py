"""The versioned site: permanent version pages, history, changes, upcoming banners and the feed."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET

import pytest

from generator.pipeline.build import BuildOptions, build

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def two_versions(mini):
    """The mini site with a second AUP version (security clause changed, a clause added)."""
    mini.edit("content/vi/aup.md", "Khách hàng giữ bí mật mật khẩu.", "Khách hàng giữ bí mật mật khẩu mạnh.")
    mini.edit("content/en/aup.md", "Customers keep their passwords secret.", "Customers keep strong passwords secret.")
    mini.edit("content/vi/aup.md", "## Chấm dứt", "## Báo cáo {#reporting}\n\nBáo cáo sự cố ngay.\n\n## Chấm dứt")
    mini.edit("content/en/aup.md", "## Termination", "## Reporting {#reporting}\n\nReport incidents.\n\n## Termination")
    for lang in ("vi", "en"):
        mini.edit(f"content/{lang}/aup.md", "updated: 2026-11-20", "updated: 2026-11-22\neffective: 2026-12-22\n"
                  "summary: Strong passwords; incident reporting.\nmaterial: true")
    mini.commit("AUP: strong passwords, incident reporting")
    return mini


def site(repo, as_of: str):
    build(BuildOptions(root=repo.root, site_dir=repo.root / "site", jobs=1, strict=True,
                       as_of=dt.date.fromisoformat(as_of)))
    return lambda rel: (repo.root / "site" / rel).read_text(encoding="utf-8")


def test_every_version_has_a_permanent_page_and_the_plain_url_shows_the_one_in_force(two_versions):
    page = site(two_versions, "2026-11-25")
    plain, old, new = page("beta/aup/index.html"), page("beta/aup/2026-11-20/index.html"), page(
        "beta/aup/2026-11-22/index.html")
    assert "giữ bí mật mật khẩu. Xem" in plain and "mật khẩu mạnh" not in plain
    assert "Chính sách sắp thay đổi" in plain and "ngày 22 tháng 12 năm 2026" in plain
    assert 'href="2026-11-22/changes/"' in plain
    assert "Không phải phiên bản hiện hành" not in old  # it is still the one in force
    assert "Phiên bản sắp có hiệu lực" in new and "mật khẩu mạnh" in new


def test_after_the_effective_date_the_new_version_is_current_without_an_edit(two_versions):
    page = site(two_versions, "2026-12-22")
    assert "mật khẩu mạnh" in page("beta/aup/index.html")
    assert "Chính sách sắp thay đổi" not in page("beta/aup/index.html")
    old = page("beta/aup/2026-11-20/index.html")
    assert "Không phải phiên bản hiện hành" in old and 'href="../"' in old


def test_history_page_lists_versions_with_links(two_versions):
    page = site(two_versions, "2026-12-22")
    history = page("beta/en/aup/history/index.html")
    assert history.index("22 November 2026") < history.index("20 November 2026")
    assert 'href="../2026-11-22/changes/"' in history and 'href="../2026-11-20/"' in history
    assert "Strong passwords; incident reporting." in history and ">Yes<" in history
    versions = json.loads(page("beta/en/aup/versions.json"))
    assert [v["id"] for v in versions["versions"]] == ["2026-11-22", "2026-11-20"]
    assert versions["versions"][0]["label"] == "Version of 22 November 2026 (current)"


def test_changes_page_redlines_words_and_lists_clause_changes(two_versions):
    page = site(two_versions, "2026-12-22")
    changes = page("beta/aup/2026-11-22/changes/index.html")
    assert "1 điều khoản được sửa đổi, 1 điều khoản được bổ sung" in changes
    assert '<ins><span class="visually-hidden">đã thêm: </span> mạnh</ins>' in changes
    assert 'href="#change-security"' in changes and 'id="change-reporting"' in changes
    assert "3. Báo cáo" in changes  # the new clause's generated number
    assert "Chấm dứt" not in changes.split('class="policy-changes"')[1]  # renumbered only: not a change


def test_a_redline_names_cross_references_as_the_page_does(two_versions):
    page = site(two_versions, "2026-12-22")
    version = page("beta/aup/2026-11-22/index.html")
    label = version.split('<a class="xref" href="#prohibited">')[1].split("</a>")[0]
    redline = page("beta/aup/2026-11-22/changes/index.html").split('class="policy-changes"')[1]
    assert f"Xem {label}." in redline and "[[" not in redline
    sections = json.loads(page("beta/aup/2026-11-22/sections.json"))
    assert sections["labels"]["prohibited"] == label  # for the history page's comparison (compare.js)
    # Each clause as the redline compares it: rendered, references read; no Markdown for the browser to parse.
    security = next(s for s in sections["sections"] if s["id"] == "security")
    assert security["html"] == f"<p>Khách hàng giữ bí mật mật khẩu mạnh. Xem {label}.</p>"
    assert set(security) == {"id", "name", "title", "digest", "html"} and security["name"] == "2. Bảo mật"


def test_archived_and_change_pages_stay_out_of_search(two_versions):
    page = site(two_versions, "2026-12-22")
    index = json.loads(page("beta/search/search_index.json"))
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert "aup/" in locations
    assert not {loc for loc in locations if "2026-11" in loc or "history" in loc}


def test_atom_feed_lists_versions_newest_first(two_versions):
    page = site(two_versions, "2026-12-22")
    feed = ET.fromstring(page("beta/en/feed.xml"))
    assert feed.tag == f"{ATOM}feed"
    assert feed.find(f"{ATOM}id").text == "https://beta.example/policies/en/feed.xml"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}link").get("href") for e in entries] == [
        "https://beta.example/policies/en/aup/2026-11-22/changes/", "https://beta.example/policies/en/aup/2026-11-20/"]
    assert entries[0].find(f"{ATOM}updated").text == "2026-11-22T00:00:00+07:00"
    assert entries[0].find(f"{ATOM}category").get("term") == "material"
    for entry in entries:
        assert {child.tag for child in entry} >= {f"{ATOM}{t}" for t in ("title", "id", "updated", "link")}
    assert '<link rel="alternate" type="application/atom+xml"' in page("beta/en/aup/index.html")


def test_a_redline_leaves_an_unnumbered_clause_unnumbered(mini):
    """`.unnumbered` clauses have no number on the page, nor in the changes page's headings."""
    ends = {"vi": "có thể dẫn tới chấm dứt dịch vụ.", "en": "may lead to termination."}
    for lang, text in (("vi", "Các điều khoản này áp dụng."), ("en", "These terms apply.")):
        body = (mini.root / f"content/{lang}/aup.md").read_text(encoding="utf-8")
        end = next(line for line in body.splitlines() if line.endswith(ends[lang]))
        mini.edit(f"content/{lang}/aup.md", end, f"{end}\n\n## Final terms {{#final .unnumbered}}\n\n{text}")
        mini.edit(f"content/{lang}/aup.md", "updated: 2026-11-20", "updated: 2026-11-21")
    mini.commit("AUP: final terms")
    for lang, text in (("vi", "Các điều khoản này áp dụng."), ("en", "These terms apply.")):
        mini.edit(f"content/{lang}/aup.md", text, text[:-1] + " từ nay." if lang == "vi" else "These terms apply now.")
        mini.edit(f"content/{lang}/aup.md", "updated: 2026-11-21", "updated: 2026-11-22")
    mini.commit("AUP: final terms apply now")
    page = site(mini, "2026-12-22")
    changes = page("beta/en/aup/2026-11-22/changes/index.html")
    assert '<h2>Final terms <span class="policy-change__status">Changed</span></h2>' in changes
    assert '<a href="#change-final">Final terms</a>' in changes
