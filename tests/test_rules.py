"""One rule set for `check` and `build`, and findings an editor can act on (accept, reviewed translations)."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from conftest import problems_of

from generator.checks.check import CheckOptions, run_check
from generator.checks.fix import fix_text
from generator.checks.markers import digest
from generator.checks.text import Chunk, check_chunk
from generator.errors import ContentError
from generator.history.git import tree_at
from generator.history.version_ids import VIETNAM
from generator.history.versions import texts_at
from generator.pipeline.build import BuildOptions, build

TODAY = dt.datetime.now(VIETNAM).date()  # the date rules' today
SECURITY_VI = "Khách hàng giữ bí mật mật khẩu. Xem [[prohibited]]."
ACCEPT = '{##- policygen: accept brand-leak "Beta is the name of a Vietnamese router here" ##}'


def check(repo, history: bool = False, base: str | None = None) -> list[str]:
    return [str(f) for f in run_check(CheckOptions(root=repo.root, base=base, history=history))]


def tree_hashes(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_check_error_refuses_the_build_and_the_previous_site_stays(mini):
    options = BuildOptions(root=mini.root, site_dir=mini.root / "site", jobs=1, as_of=dt.date(2026, 11, 22))
    build(options)
    before = tree_hashes(mini.root / "site")
    mini.edit("content/vi/aup.md", SECURITY_VI, "Khách hàng giữ\tbí mật mật khẩu. Xem [[prohibited]].")
    assert problems_of(ContentError, build, BuildOptions(**{**options.__dict__, "strict": True})) == [
        "content/vi/aup.md:15:15: warning: a tab inside a sentence. Run `policygen fix FILE` to correct it "
        "(it changes no word). [pasted-text]"]
    mini.edit("content/vi/aup.md", "Xem [[prohibited]].", "Gửi thư tới [email protected] tại:")
    assert problems_of(ContentError, build, options) == [
        "content/vi/aup.md:15:45: '[email protected]': an email address replaced by a web page's e-mail protection. "
        "Remove it, or write what was meant. [debris]",
        "content/vi/aup.md:15:63: nothing usable after 'tại:'. Give the address, or a brand value such as "
        "{{ brand.website }} or {{ brand.hotline }}. [missing-address]"]
    assert tree_hashes(mini.root / "site") == before


def test_a_warning_is_printed_by_the_build(mini):
    mini.edit("content/vi/aup.md", SECURITY_VI, "Khách hàng giữ\tbí mật mật khẩu. Xem [[prohibited]].").commit()
    said: list[str] = []
    build(BuildOptions(root=mini.root, site_dir=mini.root / "site", jobs=1, as_of=dt.date(2026, 11, 22)),
          report=said.append)
    assert "content/vi/aup.md:15:15: warning: a tab inside a sentence. Run `policygen fix FILE` to correct it " \
           "(it changes no word). [pasted-text]" in said


def test_an_accepted_finding_is_silent_and_leaves_the_published_text_as_it_was(mini):
    path = "content/en/acme/aup.override.md"
    mini.edit(path, "before termination.", "before termination, by Beta router.")
    assert check(mini) == [
        f"{path}:3:50: error: the acme text names another brand, beta ('Beta'). Use {{{{ brand.name }}}} / "
        "{{ brand.legal_name }}, or move the text to that brand's policy."]
    mini.commit()
    published = texts_at(tree_at(mini.root, None))[("acme", "aup", "en")].sha256
    mini.edit(path, "by Beta router.", f"by Beta router. {ACCEPT}")
    assert check(mini, base="HEAD") == []
    assert texts_at(tree_at(mini.root, None))[("acme", "aup", "en")].sha256 == published
    mini.edit(path, "here", "")
    mini.edit(path, '"Beta is the name of a Vietnamese router "', '""')
    assert check(mini) == [  # not accepted without a reason
        f"{path}:3:50: error: the acme text names another brand, beta ('Beta'). Use {{{{ brand.name }}}} / "
        "{{ brand.legal_name }}, or move the text to that brand's policy.",
        f"{path}:3:63: error: an accepted finding needs a reason. Say why the text is right: accept brand-leak "
        '"…".']
    mini.edit(path, 'brand-leak ""', 'brand-leek "a router"')
    assert check(mini) == [
        f"{path}:3:50: error: the acme text names another brand, beta ('Beta'). Use {{{{ brand.name }}}} / "
        "{{ brand.legal_name }}, or move the text to that brand's policy.",
        f"{path}:3:63: error: 'brand-leek' is not a rule you can accept. Did you mean 'brand-leak'? Use the name in "
        "brackets after the finding; these can be accepted: typed-reference, debris, missing-address, cut-off, "
        "doubled-punctuation, mangled, doubled-word, language, brand-leak, brand-name, legal-name, unbalanced, "
        "pasted-text."]


def test_a_stale_accept_is_a_warning(mini):
    path = "content/en/acme/aup.override.md"
    mini.edit(path, "before termination.", f"before termination. {ACCEPT}")
    assert check(mini) == [f"{path}:3:47: warning: the accepted 'brand-leak' finding is no longer here. Remove the "
                           "marker: the text it accepted has changed."]


def test_a_reviewed_translation_is_silent_until_the_authoritative_text_changes_again(mini):
    mini.edit("content/vi/aup.md", SECURITY_VI, "Khách hàng giữ bí mật mật khẩu mạnh. Xem [[prohibited]].").commit()
    stale = check(mini, history=True)
    assert len(stale) == 1 and stale[0].startswith("content/en/aup.md:13:1: warning: clause 'security' may be out "
                                                   "of date")
    reviewed = digest("Bảo mật Khách hàng giữ bí mật mật khẩu mạnh. Xem [[prohibited]].")
    assert stale[0].endswith(f"{{##- policygen: translation-reviewed {reviewed} ##}}.")
    mini.edit("content/en/aup.md", "## Security {#security}",
              f"## Security {{#security}} {{##- policygen: translation-reviewed {reviewed} ##}}").commit()
    assert check(mini, history=True) == []
    mini.edit("content/vi/aup.md", "mật khẩu mạnh.", "mật khẩu mạnh và riêng.").commit()
    again = check(mini, history=True)
    assert len(again) == 1 and again[0].startswith("content/en/aup.md:13:1: warning: clause 'security' may be out")


def test_staleness_follows_each_brands_authoritative_language(mini):
    mini.edit("content/en/acme/aup.override.md", "7 days'", "14 days'").commit()
    assert check(mini, history=True) == []  # the English text follows the Vietnamese one, not the other way round
    mini.edit("site.yml", "    policies: [privacy, aup]\n", "    policies: [privacy, aup]\n"
              "    authoritative_language: en\n").commit()
    stale = check(mini, history=True)
    assert len(stale) == 1 and stale[0].startswith(
        "content/vi/acme/aup.override.md:1:1: warning: clause 'termination' may be out of date: its 'en' text")


def test_a_shared_policy_finding_is_reported_once_at_the_column_of_the_file(mini):
    mini.edit("content/vi/aup.md", "trái pháp luật.", "trái pháp luật, xem [email protected] và Beta.")
    mini.edit("content/vi/aup.md", "dẫn tới chấm dứt dịch vụ.", "dẫn tới chấm dứt dịch vụ. TODO.")
    assert check(mini) == [
        "content/vi/aup.md:11:71: error: '[email protected]': an email address replaced by a web page's e-mail "
        "protection. Remove it, or write what was meant.",
        "content/vi/aup.md:11:92: error: the acme text names another brand, beta ('Beta'). "
        "Use {{ brand.name }} / {{ brand.legal_name }}, or move the text to that brand's policy.",
        # ACME replaces this clause with its own (an override): only Beta publishes it.
        "content/vi/aup.md:19:55: error: 'TODO': a placeholder (in the text of beta). Remove it, or write what was "
        "meant."]


def test_did_you_mean_for_a_reference(mini):
    mini.edit("content/vi/acme/aup.override.md", "## Chấm dứt {#termination}",
              "## Chấm dứt {#termination}\n\nXem [[securty]].")
    assert check(mini) == [
        "content/vi/acme/aup.override.md:3:1: error: cross-reference [[securty]] points to no clause. Did you mean "
        "'security'? Use the id of an existing clause (ids are in the `{#…}` of each heading)."]


def test_did_you_mean_for_an_overridden_clause_id(mini):
    mini.edit("content/vi/acme/aup.override.md", "{#termination}", "{#terminaton}")
    assert check(mini) == [
        "content/vi/acme/aup.override.md:1:1: error: clause 'terminaton' does not exist in the shared policy. Did you "
        "mean 'termination'? An override replaces a clause of the shared text: use the id of one of its clauses."]


def test_a_broken_reference_in_a_shared_policy_is_reported_once(mini):
    mini.edit("content/en/aup.md", "See [[prohibited]].", "See [[prohibted]].")
    assert check(mini) == [
        "content/en/aup.md:15:1: error: cross-reference [[prohibted]] points to no clause. Did you mean "
        "'prohibited'? Use the id of an existing clause (ids are in the `{#…}` of each heading)."]


def both(repo, old: str, vi: str, en: str) -> None:
    repo.edit("content/vi/aup.md", old, vi)
    repo.edit("content/en/aup.md", old, en)


@pytest.mark.parametrize(("vi", "en", "expected"), [
    ("updated: 2026-11-20\neffective: 2026-12-01", "updated: 2026-11-20\neffective: 2026-12-02",
     "content/en/aup.md:4:1: error: `effective` (2026-12-02) differs from the 'vi' text (content/vi/aup.md)'s "
     "(2026-12-01). One version takes effect on one date in every language: write the same date."),
    ("updated: 2026-11-20\nmaterial: true", "updated: 2026-11-20",
     "content/en/aup.md:3:1: error: `material` (false) differs from the 'vi' text (content/vi/aup.md)'s (true). "
     "A change is material or not in every language: write the same value."),
    ("updated: 2026-11-20", "updated: 2026-11-21\nmaterial: true",
     "content/en/aup.md:4:1: error: a material change dated 2026-11-21 in 'en' only. A material change is "
     "published in every language on the same day: give the other language's file the same `updated`, "
     "`effective` and `material`."),
    ("updated: 2026-11-20", "updated: 9999-12-31",
     f"content/en/aup.md:3:1: error: `updated` (9999-12-31) is after today ({TODAY.isoformat()}). Write the date "
     "the change is published (a typo in the year?); a date in the future would block every later version of "
     "this policy."),
])
def test_front_matter_of_the_languages(mini, vi, en, expected):
    both(mini, "updated: 2026-11-20", vi, en)
    assert check(mini) == [expected]


@pytest.mark.parametrize(("vi", "en"), [
    ("updated: 2026-11-20\neffective: 2026-12-01\nmaterial: true", "updated: 2026-11-20\neffective: 2026-12-01\n"
                                                                   "material: true"),
    ("updated: 2026-11-20\nmaterial: true", "updated: 2026-11-22"),  # a corrected translation, published alone
    ("updated: 2026-11-20", f"updated: {TODAY + dt.timedelta(days=1)}"),  # a day ahead: another time zone
])
def test_front_matter_that_agrees(mini, vi, en):
    both(mini, "updated: 2026-11-20", vi, en)
    assert check(mini) == []


def test_a_material_change_needs_30_days_notice_by_default(mini):
    mini.edit("site.yml", "checks:\n  material_notice_days: 0\n", "")
    day = TODAY.isoformat()
    both(mini, "updated: 2026-11-20", *[f"updated: {day}\nmaterial: true"] * 2)
    assert check(mini) == [f"content/{lang}/aup.md:3:1: error: a material change with 0 days' notice; site.yml "
                           "asks for 30. Set `effective:` at least 30 days after `updated`." for lang in ("en", "vi")]
    later = (TODAY + dt.timedelta(days=30)).isoformat()
    both(mini, "material: true", *[f"effective: {later}\nmaterial: true"] * 2)
    assert check(mini) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("Customers keep\ttheir passwords.", "1:15: warning: a tab inside a sentence"),
    ("Customers keep\u00a0their passwords.", "1:15: warning: a no-break space between words"),
    ("\tCustomers keep their passwords.", "1:1: error: the paragraph starts with a tab: the page shows it as code"),
])
def test_pasted_text_is_found_and_policygen_fix_corrects_it(text, expected):
    def found(source: str) -> list[str]:
        return [str(f).split(":", 1)[1] for f in check_chunk(Chunk("x.md", 1, source, "en"), None)]

    assert found(text) == [f"{expected}. Run `policygen fix FILE` to correct it (it changes no word)."]
    assert found(fix_text(text)[0]) == []
    assert found("- An item.\n\n\tIts second paragraph.") == []  # a list item's own indentation
