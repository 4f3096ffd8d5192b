"""Consent that cannot be bundled: each rule of docs/consent.md, with wording that fails and wording that passes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from generator.checks.check import CheckOptions, run_check
from generator.content.load import load_banner_wording, load_config, load_wording
from generator.errors import Collector, ContentError
from generator.pipeline.build import BuildOptions, build

REPO = Path(__file__).resolve().parents[1]
EN, VI = "content/en/consent.yml", "content/vi/consent.yml"
NEWS_EN = "I agree to receive emails about the services of {{ brand.name }}. I can withdraw this consent at any time."


def problems(repo) -> list[str]:
    """Every consent rule problem of a content repository, as the build and `check` report them."""
    config = load_config(repo / "site.yml", repo)
    errors = Collector()
    load_wording(config, repo / "content", repo, errors)
    return sorted(str(p) for p in errors.problems)


def test_the_mini_site_passes(mini):
    assert problems(mini.root) == []


def test_the_company_forms_pass_and_ask_for_marketing_apart():
    assert problems(REPO) == []
    config = load_config(REPO / "site.yml", REPO)
    wording = load_wording(config, REPO / "content", REPO)
    for lang in ("vi", "en"):
        bases = wording[lang].bases
        assert bases == {"terms": "acknowledgement", "privacy": "acknowledgement", "aup": "acknowledgement",
                         "marketing-email": "consent"}
    forms = {bid: (form.purposes, form.required) for bid, b in config.brands.items() for form in b.forms.values()}
    assert forms == {"voip24h": (["terms"], ["terms"]),
                     "vietnamserver": (["privacy", "aup", "marketing-email"], ["privacy", "aup"]),
                     "cloudspace": (["privacy", "aup", "marketing-email"], ["privacy", "aup"])}
    # The required privacy box only acknowledges the notice: it no longer agrees to every use in the policy.
    privacy = wording["vi"].labels["privacy"][0]
    assert privacy == "Tôi đã đọc {{ policy('privacy') }} của {{ brand.name }}." and "đồng ý" not in privacy


def test_a_form_may_not_require_a_consent_purpose(mini):
    mini.edit("site.yml", "        required: [aup]", "        required: [aup, news]")
    assert problems(mini.root) == [
        "site.yml:36: form 'signup' of 'beta' requires 'news', whose basis is consent (content/vi/consent.yml:8): "
        "consent may never be a condition of the service. Remove 'news' from `required:`. If the service cannot "
        "be provided without it, legal must change its basis to contract."]


def test_a_box_may_not_cover_what_a_consent_purpose_covers(mini):
    mini.edit(EN, "of {{ brand.name }}.\n    kind", "of {{ brand.name }}, and to receive emails about the services."
              "\n    kind")
    assert problems(mini.root) == [
        "content/en/consent.yml:4: the label of 'aup' (an acknowledgement) says 'emails about the services', which "
        "the consent purpose 'news' covers (line 9). A consent has its own box: remove these words from 'aup', and "
        "ask for it only in the 'news' box."]


def test_the_rule_compares_words_not_case_or_spacing(mini):
    mini.edit(VI, "của {{ brand.name }}.\n    kind", "của {{ brand.name }} và nhận THƯ ĐIỆN TỬ  về dịch vụ.\n    kind")
    assert [p.split(":")[0] + ":" + p.split(":")[1] for p in problems(mini.root)] == ["content/vi/consent.yml:4"]


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("covers: [emails about the services]", "covers: [newsletters]",
     "content/en/consent.yml:9: the label of 'news' does not contain the words it covers, 'newsletters'. Write "
     "these words in the label, or correct `covers:` to words the label uses, exactly."),
    ("    covers: [emails about the services]\n", "",
     "content/en/consent.yml:6: the consent purpose 'news' does not say what it covers. Add `covers:` with the "
     "words of its label that name what the person agrees to, for example `covers: [promotional emails]`."),
    (NEWS_EN, "I agree to receive emails about the services of {{ brand.name }}.",
     "content/en/consent.yml:10: the label of 'news' does not contain its `withdrawal:` sentence 'I can withdraw "
     "this consent at any time.'. Write that sentence in the label, exactly."),
    ("    withdrawal: I can withdraw this consent at any time.\n", "",
     "content/en/consent.yml:6: the consent purpose 'news' does not say it can be withdrawn. End its label with a "
     "sentence such as “I can withdraw this consent at any time.” and repeat that sentence under `withdrawal:`."),
])
def test_a_consent_label_names_what_it_covers_and_says_it_can_be_withdrawn(mini, old, new, expected):
    mini.edit(EN, old, new)
    assert problems(mini.root) == [expected]


def test_every_box_declares_its_kind_or_basis_coherently(mini):
    mini.edit(EN, "    kind: acknowledgement\n", "    kind: acknowledgement\n    basis: contract\n")
    mini.edit(VI, "    basis: consent\n", "")
    assert problems(mini.root) == [
        "content/en/consent.yml:6: 'aup' is an acknowledgement, which has no `basis:`. Remove it; or, if the box "
        "asks to use personal data, remove `kind: acknowledgement`.",
        "content/vi/consent.yml:6: 'news' does not say its legal basis. Write `basis: consent` (or `contract` / "
        "`legal-obligation`, see docs/consent.md), or `kind: acknowledgement` if the box only confirms reading a "
        "document."]


def test_a_box_has_one_basis_in_every_language(mini):
    mini.edit(EN, "    basis: consent\n    covers: [emails about the services]\n"
              "    withdrawal: I can withdraw this consent at any time.\n", "    basis: contract\n")
    assert problems(mini.root) == [
        "content/en/consent.yml:6: 'news' is contract here but consent in content/vi/consent.yml. A box has one "
        "kind and basis in every language: make them the same (see docs/consent.md)."]


def test_the_build_reports_every_problem_together(mini):
    mini.edit("site.yml", "        required: [aup]", "        required: [aup, news]")
    mini.edit(EN, "covers: [emails about the services]", "covers: [newsletters]")
    mini.edit(VI, "{{ policy('aup') }}", "{{ policy('privacy') }}")
    mini.commit("Bundled consent")
    with pytest.raises(ContentError) as caught:
        build(BuildOptions(root=mini.root, site_dir=mini.root / "site", jobs=1))
    assert [(p.path, p.line) for p in caught.value.problems] == [
        ("content/en/consent.yml", 9), ("content/vi/consent.yml", 4), ("site.yml", 36)]


def test_the_banner_basis_fits_how_the_banner_treats_it(mini):
    config = load_config(mini.root / "site.yml", mini.root)
    assert load_banner_wording(config, mini.root / "content", mini.root)["en"].bases == {
        "necessary": "contract", "statistics": "consent", "marketing": "consent"}
    mini.edit("content/en/banner.yml", "    basis: contract", "    basis: consent")
    mini.edit("content/en/banner.yml", "statistics.\n    basis: consent", "statistics.\n    basis: contract")
    with pytest.raises(ContentError) as caught:
        load_banner_wording(config, mini.root / "content", mini.root)
    assert [str(p) for p in caught.value.problems] == [
        "content/en/banner.yml:15: banner purpose 'necessary' is always on, so its basis cannot be consent. Write "
        "`basis: contract` (the website cannot work without it); move any cookie the visitor may refuse to a "
        "purpose of its own.",
        "content/en/banner.yml:19: banner purpose 'statistics' has basis contract, but the banner leaves it off until "
        "the visitor ticks it. Write `basis: consent`; a cookie the website cannot work without belongs under "
        "`necessary`."]


def test_the_banner_configuration_carries_each_basis(mini):
    build(BuildOptions(root=mini.root, site_dir=mini.root / "site", jobs=1, as_of=dt.date(2026, 11, 22)))
    data = json.loads((mini.root / "site/beta/banner/banner.json").read_text(encoding="utf-8"))
    assert [(p["id"], p["basis"], p["required"]) for p in data["languages"]["vi"]["purposes"]] == [
        ("necessary", "contract", True), ("statistics", "consent", False), ("marketing", "consent", False)]


def test_check_reports_a_bundled_consent_as_an_error(mini):
    """A pull request check that runs only `check` refuses the bundled consent the build would refuse."""
    mini.edit("site.yml", "        required: [aup]", "        required: [aup, news]")
    assert [str(f) for f in run_check(CheckOptions(root=mini.root, history=False))] == [
        "site.yml:36:1: error: form 'signup' of 'beta' requires 'news', whose basis is consent "
        "(content/vi/consent.yml:8): consent may never be a condition of the service. Remove 'news' from "
        "`required:`. If the service cannot be provided without it, legal must change its basis to contract."]
