"""A brand's look without a browser: the monogram, the footer's facts, the favicon's checks."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from generator.content.load import load_config
from generator.content.logo import svg_problem
from generator.content.render import readable_colour
from generator.errors import ConfigError
from generator.site.identity import footer, initials, monogram_svg, pictures


@pytest.mark.parametrize(("name", "expected"), [("VOIP24H", "V"), ("Vietnam Server", "VS"), ("Cloudspace.vn", "C"),
                                                ("điện toán đám mây", "ĐT"), ("(ACME) Group", "AG")])
def test_initials(name, expected):
    assert initials(name) == expected


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


@pytest.mark.parametrize("colour", ["#0b5cab", "#c0392b", "#00897b", "#ffeb3b", "#ffffff"])
def test_the_monogram_is_a_plain_picture_in_the_brands_colour_readable_on_white(colour):
    ink = readable_colour(colour)
    svg = monogram_svg('Vietnam "Server" <b>', ink)
    assert svg_problem(svg.encode()) is None  # it passes the checks a brand's own logo must pass
    drawing = ET.fromstring(svg)
    assert drawing.get("aria-label") == 'Vietnam "Server" <b>'  # the name, escaped, as its accessible name
    text = drawing.find("{http://www.w3.org/2000/svg}text")
    assert text is not None and text.text == "VS" and text.get("fill") == ink
    assert 1.05 / (_luminance(ink) + 0.05) >= 4.5  # WCAG AA against the white tile


def test_footer_facts_are_those_site_yml_has_never_more(mini):
    config = load_config(mini.root / "site.yml", mini.root)
    acme = footer(config, "acme", "vi")
    assert acme.legal_name == "Công ty TNHH ACME"
    assert [(f.label, f.text, f.href) for f in acme.facts] == [
        ("Trang web", "acme.example", "https://acme.example"),
        ("Thư điện tử", "help@acme.example", "mailto:help@acme.example")]
    assert acme.home == "Chính sách của ACME"
    assert [f.label for f in footer(config, "beta", "en").facts] == ["Website"]  # no hotline, email or address


def test_footer_with_every_fact(mini):
    mini.edit("site.yml", '    colour: "#445566"', '    colour: "#445566"\n    hotline: +84 (28) 1234.5678\n'
              "    address: {vi: '1 Lê Lợi, Quận 1, TP.HCM', en: '1 Le Loi, District 1, HCMC'}")
    config = load_config(mini.root / "site.yml", mini.root)
    facts = footer(config, "beta", "en").facts
    assert [(f.label, f.text, f.href) for f in facts] == [
        ("Website", "beta.example", "https://beta.example"), ("Hotline", "+84 (28) 1234.5678", "tel:+842812345678"),
        ("Address", "1 Le Loi, District 1, HCMC", "")]


def test_pictures_the_brands_own_else_the_monogram(mini):
    mini.write({"assets/acme-icon.png": b"\x89PNG\r\n\x1a\n"})
    mini.edit("site.yml", "    logo: assets/acme.svg", "    logo: assets/acme.svg\n    favicon: assets/acme-icon.png")
    config = load_config(mini.root / "site.yml", mini.root)
    assert pictures(config.brands["acme"]) == ("assets/logo.svg", "assets/favicon.png")
    assert pictures(config.brands["beta"]) == ("assets/monogram.svg", "assets/monogram.svg")


def test_a_favicon_is_checked_like_a_logo(mini):
    mini.write({"assets/icon.svg": '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'})
    mini.edit("site.yml", "    logo: assets/acme.svg", "    logo: assets/acme.svg\n    favicon: assets/icon.svg")
    with pytest.raises(ConfigError) as caught:
        load_config(mini.root / "site.yml", mini.root)
    assert [str(p) for p in caught.value.problems] == [
        "site.yml:25: favicon 'assets/icon.svg' is refused: its <svg> has an event handler attribute onload= "
        "(script). Export the logo again as a plain picture: no scripts, event handlers, links or outside files."]
