"""Rendering brand values into policy text, with exact lines for template problems."""

from __future__ import annotations

import json

from conftest import problems_of

from generator.errors import ContentError
from generator.pipeline.build import BuildOptions, plan
from generator.site.model import Page

VI_AUP = "content/vi/aup.md"


def plans(repo):
    options = BuildOptions(root=repo.root, site_dir=repo.root / "site", drafts=True)
    return {(p.brand, p.lang): p for p in plan(options).sites}


def problems(repo) -> list[str]:
    return problems_of(ContentError, plans, repo)


def test_brand_values_fill_the_shared_policy(mini):
    result = plans(mini)
    acme = result[("acme", "vi")].pages["aup/index.md"].markdown
    beta = result[("beta", "en")].pages["aup/index.md"].markdown
    assert "ACME cung cấp dịch vụ thoại." in acme
    assert "Beta provides server services." in beta
    assert "ACME gives 7 days' notice" not in beta


def chrome(page: Page) -> dict:
    """The page chrome a page carries in its typed values (`policygen`), as JSON-like values (lists, not tuples)."""
    return json.loads(json.dumps(page.meta["policygen"]))


def test_policy_page_has_title_stamp_translation_note_and_numbered_body(mini):
    result = plans(mini)
    vi_page = result[("acme", "vi")].pages["privacy/index.md"]
    en_page = result[("acme", "en")].pages["privacy/index.md"]
    vi = vi_page.markdown
    assert vi_page.title == "Chính sách bảo mật" and vi_page.search and en_page.search
    assert "# Chính sách bảo mật" in vi
    # The chrome is typed metadata for the theme, not HTML in the Markdown.
    assert "policy-stamp" not in vi and "admonition" not in vi
    vi_chrome, en_chrome = chrome(vi_page), chrome(en_page)
    assert vi_chrome["stamp"] == [{"text": "Cập nhật lần cuối: ngày 21 tháng 11 năm 2026", "time": "2026-11-21"}]
    assert en_chrome["stamp"][0]["text"] == "Last updated: 21 November 2026"
    assert vi_chrome["notices"] == [] and en_chrome["notices"][0]["kind"] == "note"
    assert "the Vietnamese text prevails" in en_chrome["notices"][0]["text"]
    assert vi_chrome["versions"]["links"] == [{"href": "history/", "text": "Lịch sử thay đổi"}]
    assert '<div class="policy-body" data-numbering="articles" markdown="1">' in vi
    assert "[Chính sách sử dụng](/aup/index.md)" in vi


def test_home_page_lists_the_brand_policies(mini):
    page = plans(mini)[("acme", "en")].pages["index.md"]
    home = page.markdown
    assert page.title == "Policies of ACME" and "# Policies of ACME" in home
    assert "| [Privacy Policy](privacy/index.md) | 21 November 2026 |" in home
    assert "| [Acceptable Use Policy](aup/index.md) | 20 November 2026 |" in home


def test_unknown_variable_is_reported_at_its_line(mini):
    mini.edit(VI_AUP, "Không được dùng {{ brand.services }}", "Không được dùng {{ brand.servces }}")
    assert problems(mini) == [
        f"{VI_AUP}:11: unknown value: 'dict object' has no attribute 'servces'. "
        "Use a variable listed in docs/content-format.md (for example {{ brand.name }})."]


def test_missing_brand_fact_is_an_error_unless_guarded(mini):
    mini.edit(VI_AUP, "## Bảo mật {#security}\n", "## Bảo mật {#security}\n\nEmail: {{ brand.email }}.\n")
    assert problems(mini) == [
        f"{VI_AUP}:15: unknown value: brand 'beta' has no 'email' in site.yml "
        "(add it there, or wrap the text in {% if brand.email %}). "
        "Use a variable listed in docs/content-format.md (for example {{ brand.name }})."]
    mini.edit(VI_AUP, "Email: {{ brand.email }}.", "{% if brand.email %}Email: {{ brand.email }}.{% endif %}")
    result = plans(mini)
    assert "Email: help@acme.example." in result[("acme", "vi")].pages["aup/index.md"].markdown
    assert "Email:" not in result[("beta", "vi")].pages["aup/index.md"].markdown


def test_template_syntax_error_and_link_to_unpublished_policy(mini):
    mini.edit(VI_AUP, "Khách hàng giữ bí mật", "{% if brand.name %}Khách hàng giữ bí mật")
    mini.edit("content/en/aup.md", "Do not use our", "{{ policy_link('privacy') }} Do not use our")
    messages = problems(mini)
    assert messages[1].startswith(f"{VI_AUP}:15: template error: Unexpected end of template.")
    assert messages[1].endswith("Check the {{ }} and {% %} on this line; a {% if %} must close within the same clause.")
    assert "content/en/aup.md:11: unknown value: brand 'beta' does not publish policy 'privacy'. " \
           "Use a variable listed in docs/content-format.md (for example {{ brand.name }})." in messages


def test_mkdocs_config_per_language(mini):
    result = plans(mini)
    vi, en = result[("acme", "vi")].engine, result[("acme", "en")].engine
    assert vi["site_url"] == "https://acme.example/policies/" and en["site_url"] == "https://acme.example/policies/en/"
    assert vi["theme"]["language"] == "vi" and vi["plugins"] == [{"search": {"lang": ["vi"]}}]
    assert [a["link"] for a in vi["extra"]["alternate"]] == ["", "en/"]
    assert [a["link"] for a in en["extra"]["alternate"]] == ["../", "../en/"]
    assert vi["nav"] == [{"Tổng quan": "index.md"}, {"Chính sách bảo mật": "privacy/index.md"},
                         {"Chính sách sử dụng": "aup/index.md"}]


def test_numbering_none_shows_no_numbers_and_names_references_by_title(mini):
    for lang in ("vi", "en"):
        mini.edit(f"content/{lang}/aup.md", "numbering: sections", "numbering: none")
        mini.edit(f"content/{lang}/aup.md", "updated: 2026-11-20", "updated: 2026-11-22")
    mini.commit("No numbers")
    site = plans(mini)[("beta", "en")]
    page = site.pages["aup/2026-11-22/index.md"].markdown
    assert '<div class="policy-body" data-numbering="none" markdown="1">' in page
    sections = json.loads(site.files["aup/2026-11-22/sections.json"])
    assert sections["labels"] == {"prohibited": "Prohibited use", "security": "Security", "termination": "Termination"}
    assert [s["name"] for s in sections["sections"]][1:] == ["Prohibited use", "Security", "Termination"]
