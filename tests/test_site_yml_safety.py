"""site.yml values are checked for what they are, and logos for what they hold (tests/bad_inputs/1NN-* too)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import problems_of

from generator.content.load import load_config
from generator.content.logo import logo_problem, png_problem, svg_problem
from generator.errors import ConfigError

REPO = Path(__file__).parent.parent
SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 24 24">{}</svg>'


def problems(repo, *edits: tuple[str, str]) -> list[str]:
    """The messages of loading the repo's site.yml after some (old, new) edits."""
    for old, new in edits:
        repo.edit("site.yml", old, new)
    return problems_of(ConfigError, load_config, repo.root / "site.yml", repo.root)


def test_the_company_site_yml_is_valid():
    config = load_config(REPO / "site.yml", REPO)
    assert config.brands["voip24h"].hotline == "1900 2000"


def test_vietnamese_text_and_ordinary_values_are_valid(mini):
    mini.edit("site.yml", "vi: Công ty TNHH ACME\n",
              "vi: Công ty Cổ phần Đầu tư Thương mại Dịch vụ Quốc tế Á Châu (ACME)\n")
    mini.edit("site.yml", "email: help@acme.example\n",
              "email: ho.tro+web@acme.example\n    hotline: (028) 3812.3456\n"
              "    address: {vi: '12 Nguyễn Huệ, Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh', en: 12 Nguyen Hue & co.}\n")
    mini.edit("site.yml", "website: https://acme.example\n", "website: https://www.acme.example:8443/vi/?ref=policies#top\n")
    config = load_config(mini.root / "site.yml", mini.root)
    assert config.brands["acme"].legal_name["vi"].startswith("Công ty Cổ phần")
    assert config.languages[0].name == "Tiếng Việt"


def test_every_problem_is_reported_together_with_its_line(mini):
    assert problems(mini, ("    name: ACME\n", '    name: "AC\\u202EME"\n'),
                    ("website: https://acme.example\n", "website: http://acme.example\n"),
                    ("email: help@acme.example\n", "email: help@acme\n    hotline: 1900 CALL\n"),
                    ("en: Acceptable Use Policy}", "en: 'Acceptable [Use](javascript:x)'}"),
                    ("    name: Beta\n", "    name: Bеta\n")) == [
        "site.yml:11: policies.aup.title.en: U+005B (LEFT SQUARE BRACKET) at column 12 is not allowed. "
        "Square brackets make Markdown links in the pages: use parentheses instead.",
        "site.yml:14: brands.acme.name: U+202E (RIGHT-TO-LEFT OVERRIDE) at column 3 is not allowed. "
        "Delete it (it is invisible, or changes the direction of the text).",
        "site.yml:19: brands.acme.website: 'http://acme.example' is not valid. Write a full https:// address.",
        "site.yml:21: brands.acme.email: 'help@acme' is not valid. Write a plain address such as support@example.vn.",
        "site.yml:22: brands.acme.hotline: '1900 CALL' is not valid. "
        "Write digits, spaces, + - ( ) and dots only, for example 1900 1234 or +84 28 1234 5678.",
        "site.yml:27: brands.beta.name: 'Bеta' mixes CYRILLIC and LATIN letters: "
        "U+0435 (CYRILLIC SMALL LETTER IE) at column 2 is the odd one. "
        "Retype it: a look-alike letter from another alphabet makes a different name.",
    ]


@pytest.mark.parametrize(("url", "problem"), [
    ("https://acme.example/a b/", "contains U+0020 (SPACE) at column 23"),
    ("https://acme.example/\\x/", "contains U+005C (REVERSE SOLIDUS) at column 22"),
    ("https://acme.example/'x/", "contains U+0027 (APOSTROPHE) at column 22"),
    ("https://acme.example/`x/", "contains U+0060 (GRAVE ACCENT) at column 22"),
    ("https://acme.example/<x>/", "contains U+003C (LESS-THAN SIGN) at column 22"),
    ("https://việt.example/", "contains U+1EC7 (LATIN SMALL LETTER E WITH CIRCUMFLEX AND DOT BELOW) at column 11"),
    ("https://user@acme.example/", "contains a user name or password"),
    ("https://acme/", "has no valid host name"),
    ("https://acme.example:99999/", "is not valid"),
    ("HTTPS://acme.example/", "is not valid"),
    ("//acme.example/", "is not valid"),
    ("https://acme.example/p/?lang=vi/", "has a query or fragment (?… or #…)"),
    ("https://acme.example/p/#/", "has a query or fragment (?… or #…)"),
])
def test_a_site_url_is_a_plain_public_https_folder(mini, url, problem):
    quoted = url.replace("\\", "\\\\")  # a YAML double-quoted string
    [message] = problems(mini, ("site_url: https://acme.example/policies/\n", f'site_url: "{quoted}"\n'))
    assert message.startswith(f"site.yml:20: brands.acme.site_url: {url!r} {problem}. "), message


@pytest.mark.parametrize(("name", "problem"), [
    ("Beta\\tCo", "U+0009 (CHARACTER TABULATION) at column 5 is not allowed. Write the text on one line"),
    ("Beta\\u2028Co", "U+2028 (LINE SEPARATOR) at column 5 is not allowed. Write the text on one line"),
    ("Beta\\u00ADCo", "U+00AD (SOFT HYPHEN) at column 5 is not allowed. Delete it"),
    ("Beta\\x1bCo", "U+001B (CONTROL CHARACTER) at column 5 is not allowed. Delete it"),
    ("Beta `Co`", "U+0060 (GRAVE ACCENT) at column 6 is not allowed. The name is printed inside HTML attributes"),
    ("Βeta", "'Βeta' mixes GREEK and LATIN letters: U+0392 (GREEK CAPITAL LETTER BETA) at column 1 is the odd one."),
])
def test_a_brand_name_is_plain_visible_text_in_one_alphabet(mini, name, problem):
    [message] = problems(mini, ("    name: Beta\n", f'    name: "{name}"\n'))
    assert message.startswith(f"site.yml:26: brands.beta.name: {problem}"), message


def test_quotes_are_refused_only_where_they_would_end_an_attribute(mini):
    mini.edit("site.yml", "en: Beta Company}", "en: 'Beta \"Quality\" Company'}")
    assert load_config(mini.root / "site.yml", mini.root).brands["beta"].legal_name["en"] == 'Beta "Quality" Company'
    assert problems(mini, ("    name: Beta\n", "    name: 'Beta \"Q\"'\n")) == [
        "site.yml:26: brands.beta.name: U+0022 (QUOTATION MARK) at column 6 is not allowed. The name is printed "
        "inside HTML attributes, where it would end the value: use typographic quotes (“ ”) or leave it out."]


def test_a_logo_that_cannot_be_read_as_what_it_claims(mini):
    mini.write({"assets/acme.svg": b"\xff\xfe<\x00s\x00"})
    assert problems(mini) == [
        "site.yml:24: logo 'assets/acme.svg' is refused: it is not UTF-8 text. "
        "Export the logo again as a plain picture: no scripts, event handlers, links or outside files."]


@pytest.mark.parametrize("body", [
    '<defs><linearGradient id="g"><stop offset="0" stop-color="#123"/></linearGradient></defs>'
    '<rect width="24" height="24" fill="url(#g)" style="fill: url( \'#g\' ); opacity: .9"/>',
    '<defs><path id="p" d="M0 0h24v24z"/></defs><use href="#p"/><use xlink:href="#p" x="2"/>',
    '<style><![CDATA[ rect { fill: #112233 } ]]></style><title>ACME</title><rect width="24" height="24"/>',
    '<a href="#top"><text x="1" y="20" font-family="sans-serif">ACME</text></a>',
    '<metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></metadata>',
])
def test_plain_svg_pictures_are_accepted(body):
    assert svg_problem(('<?xml version="1.0" encoding="UTF-8"?>\n' + SVG.format(body)).encode()) is None


@pytest.mark.parametrize(("text", "reason"), [
    (SVG.format("<SCRIPT>x</SCRIPT>"), "it contains a <script> element"),
    (SVG.format('<rect onClick="x"/>'), "its <rect> has an event handler attribute onClick= (script)"),
    (SVG.format('<image href=" javascript:x"/>'), "its <image> has href=' javascript:x', a reference outside the file"),
    (SVG.format('<rect style="fill: u\\72l(https://e.example/)"/>'),
     "its <rect> has a style attribute that uses CSS escapes"),
    (SVG.format('<rect fill="url(https://e.example/#g)"/>'), "its <rect> has a fill attribute that loads"),
    (SVG.format('<style>rect { background: image-set("https://e.example/a.png" 1x) }</style>'),
     "its <style> loads an image with image-set()"),
    (SVG.format('<g xml:base="https://e.example/"><use href="#a"/></g>'), "its <g> has xml:base"),
    (SVG.format('<animate attributeName="onbegin" to="x"/>'), "its <animate> changes the onbegin attribute"),
    (SVG.format("<handler>x</handler>"), "it contains a <handler> element (script)"),
    ('<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>', "it is not an SVG (its root element is <html>)"),
    ("<svg><rect></svg>", "it is not well-formed XML (mismatched tag"),
    ('<!doctype svg><svg xmlns="http://www.w3.org/2000/svg"/>', "it has a DOCTYPE or ENTITY declaration"),
])
def test_svg_logos_that_do_more_than_draw_are_refused(text, reason):
    assert (svg_problem(text.encode()) or "").startswith(reason)


def test_a_png_is_checked_by_its_content():
    assert png_problem(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR") is None
    assert png_problem(b"GIF89a") == "it is not a PNG image (it does not start with the PNG signature)"
    assert png_problem(b"\n <html><script>alert(1)</script>") == \
        "it is not a PNG image but text (HTML or XML) with a .png name"
    assert logo_problem(".PNG", b"<svg/>")[1].startswith("Export the logo as a real PNG image")
    assert logo_problem(".svg", b" " * 1_000_001)[0] == "it is larger than 1 MB (1,000,001 bytes)"
