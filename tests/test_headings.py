"""Ids of headings without one: Vietnamese folded to ASCII with đ as d, the former id kept as an anchor."""

from __future__ import annotations

import re

import pytest

from generator.content.headings import slugify
from generator.content.render import MARKDOWN_EXTENSIONS
from generator.site.markdown_ext import converter


def convert(text: str) -> str:
    return converter("vi", MARKDOWN_EXTENSIONS).convert(text)


@pytest.mark.parametrize(("text", "slug"), [
    ("Đoạn mã đồng ý", "doan-ma-dong-y"), ("ĐIỀU KHOẢN ĐẶC BIỆT", "dieu-khoan-dac-biet"),
    ("Chính sách sử dụng được chấp nhận", "chinh-sach-su-dung-duoc-chap-nhan"),
    ("Thuỷ, thủy và hoà", "thuy-thuy-va-hoa"), ("Privacy Policy", "privacy-policy"),
])
def test_slugify_keeps_every_letter(text, slug):
    assert slugify(text) == slug


def test_heading_with_d_keeps_its_former_id_as_an_anchor():
    html = convert("# Đoạn mã đồng ý\n\n## Điều khoản {#terms}\n\n## Bảo mật\n\n## Đoạn mã đồng ý\n")
    assert '<h1 id="doan-ma-dong-y"><span id="oan-ma-ong-y"></span>Đoạn mã đồng ý' in html
    assert '<h2 id="terms">Điều khoản' in html  # an id an editor gave is never touched
    assert '<h2 id="bao-mat">Bảo mật' in html  # nor one that had no đ
    assert '<h2 id="doan-ma-dong-y_1"><span id="oan-ma-ong-y_1"></span>' in html  # numbered as toc numbers
    assert 'href="#doan-ma-dong-y"' in html and 'href="#oan-ma-ong-y"' not in html  # the permalink is the new id


def test_no_id_is_given_twice():
    # "Đa" was `a`, which is now the id of the heading "A": that one keeps it, and "Đa" gets no second `a`.
    html = convert("## Đa\n\n## A\n")
    ids = re.findall(r' id="([^"]+)"', html)
    assert sorted(ids) == sorted(set(ids)) and '<h2 id="da">Đa' in html and '<h2 id="a"><span id="a_1">' in html


def test_headings_without_d_are_as_before():
    from markdown.extensions.toc import slugify as toc_slugify

    html = convert("# Chính sách bảo mật\n\n## Quyền của khách hàng\n")
    assert '<h1 id="chinh-sach-bao-mat">' in html and "<span id=" not in html
    assert toc_slugify("Quyền của khách hàng", "-") == slugify("Quyền của khách hàng")
