"""Pairing languages, applying brand overrides, and checking cross-references."""

from __future__ import annotations

from conftest import problems_of

from generator.content.assemble import assemble
from generator.content.load import load_config, load_content
from generator.content.model import Number, number_clauses
from generator.errors import ContentError

EN_PRIVACY = "content/en/acme/privacy.md"
VI_PRIVACY = "content/vi/acme/privacy.md"


def publish(repo):
    config = load_config(repo.root / "site.yml", repo.root)
    return assemble(config, load_content(config, repo.root / "content", repo.root))


def problems(repo) -> list[str]:
    return problems_of(ContentError, publish, repo)


def test_every_brand_policy_and_language_is_resolved(mini):
    publication = publish(mini)
    assert sorted(publication) == [("acme", "aup", "en"), ("acme", "aup", "vi"), ("acme", "privacy", "en"),
                                   ("acme", "privacy", "vi"), ("beta", "aup", "en"), ("beta", "aup", "vi")]


def test_override_replaces_the_shared_clause_for_that_brand_only(mini):
    publication = publish(mini)
    acme, beta = publication[("acme", "aup", "vi")], publication[("beta", "aup", "vi")]
    assert "báo trước 7 ngày" in acme.clauses[-1].text
    assert acme.sources["termination"] == "content/vi/acme/aup.override.md"
    assert "báo trước" not in beta.clauses[-1].text
    assert [c.id for c in acme.clauses] == [c.id for c in beta.clauses]


def test_override_of_an_unknown_clause(mini):
    mini.edit("content/vi/acme/aup.override.md", "{#termination}", "{#ending}")
    assert problems(mini) == [
        "content/vi/acme/aup.override.md:1: clause 'ending' does not exist in the shared policy. "
        "An override replaces a clause of the shared text: use the id of one of its clauses."]


def test_clause_missing_in_one_language(mini):
    mini.edit(EN_PRIVACY, "### {#collection-cookies}\n\nThe website uses cookies.\n\n", "")
    assert problems(mini) == [
        f"{EN_PRIVACY}:10: clause 'collection-cookies' is missing in the 'en' text "
        f"(it is at {VI_PRIVACY}:14). Add its translation, with the heading `### … {{#collection-cookies}}`.",
        f"{EN_PRIVACY}:16: cross-reference [[collection-cookies]] points to no clause. "
        "Did you mean 'collection-provided'? Use the id of an existing clause (ids are in the `{#…}` of each heading).",
    ]


def test_clause_only_in_the_translation(mini):
    mini.edit(EN_PRIVACY, "## Final terms", "## Extra {#extra}\n\nMore.\n\n## Final terms")
    assert problems(mini) == [
        f"{EN_PRIVACY}:22: clause 'extra' is not in the 'vi' text ({VI_PRIVACY}). "
        "Add it there too, or correct the id to one of the 'vi' text."]


def test_clauses_in_another_order(mini):
    text = mini.read(EN_PRIVACY)
    use = "## Use of information {#use}\n\nAs set out in [[collection-cookies]] and [[collection]]. " \
          "Contact: {{ brand.email }}.\n\n"
    moved = text.replace(use, "").replace("## Information collection", use + "## Information collection")
    mini.write({EN_PRIVACY: moved})
    assert problems(mini) == [
        f"{EN_PRIVACY}:6: clause 'use' is out of order: the 'vi' text has 'collection' here. "
        f"Put the clauses in the order of {VI_PRIVACY}."]


def test_clause_at_another_level(mini):
    mini.edit(EN_PRIVACY, "### Information provided", "## Information provided")
    assert problems(mini) == [
        f"{EN_PRIVACY}:10: clause 'collection-provided' is a level-2 heading here but level 3 in the 'vi' text. "
        f"Use ### as in {VI_PRIVACY}."]


def test_missing_language_file(mini):
    mini.write({EN_PRIVACY: None})
    assert problems(mini) == [
        "content/en/acme/privacy.md: brand 'acme' publishes 'privacy' but there is no 'en' text for it. "
        "Write content/en/privacy.md (shared) or content/en/acme/privacy.md, "
        "or remove the policy from the brand in site.yml."]


def test_reference_to_nothing_and_to_an_unnumbered_clause(mini):
    mini.edit(VI_PRIVACY, "[[collection-cookies]]", "[[cookies]]")
    mini.edit(EN_PRIVACY, "[[collection-cookies]]", "[[final]]")
    assert problems(mini) == [
        f"{EN_PRIVACY}:20: cross-reference [[final]] points to an unnumbered clause. "
        "Refer to a numbered clause, or name the clause in words.",
        f"{VI_PRIVACY}:20: cross-reference [[cookies]] points to no clause. "
        "Use the id of an existing clause (ids are in the `{#…}` of each heading).",
    ]


def test_numbering_follows_order_levels_and_unnumbered_clauses():
    outline = [("a", 2, True), ("a1", 3, True), ("a1x", 4, True), ("a2", 3, True), ("b", 2, True),
               ("b1", 3, True), ("annex", 2, False), ("annex1", 3, True), ("c", 2, True)]
    numbers = number_clauses(outline, "articles")
    assert {k: v.parts for k, v in numbers.items()} == {
        "a": (1,), "a1": (1, 1), "a1x": (1, 1, 1), "a2": (1, 2), "b": (2,), "b1": (2, 1), "c": (3,)}
    assert numbers["c"] == Number((3,), "articles")


def test_inserting_a_clause_renumbers_what_follows():
    before = number_clauses([("a", 2, True), ("b", 2, True)], "sections")
    after = number_clauses([("new", 2, True), ("a", 2, True), ("b", 2, True)], "sections")
    assert before["b"].parts == (2,) and after["b"].parts == (3,)


def test_with_numbering_none_any_clause_can_be_referred_to_by_its_title(mini):
    for path in (VI_PRIVACY, EN_PRIVACY):
        mini.edit(path, "updated: 2026-11-21", "updated: 2026-11-21\nnumbering: none")
    mini.edit(EN_PRIVACY, "[[collection-cookies]]", "[[final]]")
    assert ("acme", "privacy", "en") in publish(mini)  # no error: [[final]] reads as "Final provisions"
