"""site.yml: the schema, and the exact messages its problems produce."""

from __future__ import annotations

from conftest import problems_of

from generator.content.load import load_config
from generator.errors import ConfigError


def problems(repo, text: str) -> list[str]:
    repo.write({"site.yml": text})
    return problems_of(ConfigError, load_config, repo.root / "site.yml", repo.root)


def test_valid_config_loads(mini):
    config = load_config(mini.root / "site.yml", mini.root)
    assert config.codes == ["vi", "en"]
    assert config.brands["acme"].policies == ["privacy", "aup"]
    assert config.brand_languages("beta") == ["vi", "en"]
    assert config.brand_authority("acme") == "vi"


def test_missing_field_and_unknown_field_are_both_reported_with_lines(mini):
    text = mini.read("site.yml").replace("    colour: \"#112233\"\n", "    color: \"#112233\"\n")
    assert problems(mini, text) == [
        "site.yml:13: brands.acme: required field 'colour' is missing. Add `colour:` here.",
        "site.yml:22: brands.acme.color: unknown field 'color'. "
        "Remove it or correct its spelling (see docs/site-yml.md).",
    ]


def test_bad_values_name_the_field_and_the_fix(mini):
    text = mini.read("site.yml").replace('"#112233"', '"blue"').replace("https://acme.example\n", "acme.example\n")
    assert sorted(problems(mini, text)) == [
        "site.yml:19: brands.acme.website: 'acme.example' is not valid. Write a full https:// address.",
        "site.yml:22: brands.acme.colour: 'blue' is not valid. Write the colour as #rrggbb, for example #0b5cab.",
    ]


def test_unknown_policy_of_a_brand(mini):
    text = mini.read("site.yml").replace("policies: [aup]", "policies: [aup, cookies]")
    assert problems(mini, text) == [
        "site.yml:32: brand 'beta' publishes unknown policy 'cookies'. "
        "Define it under `policies:` or use one of: privacy, aup."]


def test_missing_translation_of_a_title(mini):
    text = mini.read("site.yml").replace("{vi: Chính sách sử dụng, en: Acceptable Use Policy}",
                                         "{vi: Chính sách sử dụng}")
    assert problems(mini, text) == ["site.yml:11: policies.aup.title has no 'en' text. Add `en: …` under `title:`."]


def test_duplicate_keys_are_errors(mini):
    text = mini.read("site.yml").replace("    email: help@acme.example\n",
                                         "    email: help@acme.example\n    email: other@acme.example\n")
    assert problems(mini, text) == ["site.yml:22: duplicate key 'email' (first on line 21). Remove one of them."]


def test_malformed_yaml_names_the_line(mini):
    text = mini.read("site.yml").replace("    name: Beta\n", "    name: Beta: [\n")
    [message] = problems(mini, text)
    assert message.startswith("site.yml:2")
    assert "malformed YAML" in message and "Check the indentation" in message


def test_aliases_and_tags_are_refused(mini):
    assert problems(mini, "a: &x [1]\nb: *x\n") == [
        "site.yml:2: YAML anchors and aliases (&name, *name) are not allowed. Write the value out in full."]
    assert problems(mini, "a: !!python/object:os.system {}\n") == [
        "site.yml:1: unsupported YAML tag 'tag:yaml.org,2002:python/object:os.system'. "
        "Remove the tag; plain strings, numbers, dates, lists and mappings are allowed."]


def test_a_third_language_is_configuration(mini):
    text = mini.read("site.yml").replace("  - code: en\n    name: English\n",
                                         "  - code: en\n    name: English\n  - code: fr\n    name: Français\n")
    [first, *rest] = problems(mini, text)
    # The schema accepts the language; it only asks for the texts that are now missing.
    assert first == "site.yml:11: policies.privacy.title has no 'fr' text. Add `fr: …` under `title:`."
    assert "site.yml:17: brands.acme.legal_name has no 'fr' text. Add `fr: …` under `legal_name:`." in rest


def test_logo_must_exist_and_be_an_image(mini):
    original = mini.read("site.yml")
    text = original.replace("logo: assets/acme.svg", "logo: assets/missing.svg")
    assert problems(mini, text) == [
        "site.yml:24: logo file 'assets/missing.svg' does not exist. "
        "Give a path relative to the repository root, such as assets/logo.svg."]
    mini.write({"assets/acme.gif": "GIF89a"})
    text = original.replace("logo: assets/acme.svg", "logo: assets/acme.gif")
    assert problems(mini, text) == ["site.yml:24: the logo must be an SVG or PNG file. Convert it to SVG or PNG."]
