"""The built site in a real browser: search without diacritics, language switching, print layout."""

from __future__ import annotations

import pytest
from browser import chromium, serve_dir

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The mini site with two versions of the AUP, built once for this module and served on localhost."""
    from conftest import two_version_site

    with serve_dir(two_version_site(tmp_path_factory.mktemp("browser") / "repo")) as url, chromium() as browser:
        yield url, browser


def search(browser, url: str, query: str) -> list[str]:
    """Type `query` into Material's search box; return the titles of the results."""
    page = browser.new_page()
    page.goto(url)
    page.wait_for_load_state("networkidle")  # the search worker has loaded its index
    page.keyboard.press("s")  # Material's shortcut to the search box
    meta = "document.querySelector('.md-search-result__meta').textContent.trim()"
    # Wait for the worker: the line says "Initializing search" (in the page's language) until the index is loaded.
    page.wait_for_function(f"!['Initializing search', 'Đang chuẩn bị tìm kiếm'].includes({meta})", timeout=10000)
    prompt = page.locator(".md-search-result__meta").inner_text().strip()
    box = page.locator("input.md-search__input")
    # The whole query at once, then one key: typed letter by letter, the line below could change for
    # the first letter's results before the whole query had run (it did once, on a busy machine).
    box.fill(query)
    box.press("End")
    # The line changes from its "type to search" prompt once the query has run.
    page.wait_for_function(f"p => {meta} !== p", arg=prompt, timeout=5000)
    titles = page.locator(".md-search-result__article h1, .md-search-result__article h2").all_inner_texts()
    page.close()
    return titles


@pytest.mark.parametrize(("query", "expected"), [
    ("thập", "Thu thập thông tin"), ("thap", "Thu thập thông tin"), ("THAP", "Thu thập thông tin"),
    ("bảo mật", "Chính sách bảo mật"), ("bao mat", "Chính sách bảo mật"), ("chinh sach bao", "Chính sách bảo mật"),
])
def test_vietnamese_search_with_and_without_diacritics(site, query, expected):
    # Every word of these queries carries a diacritic in the text, so stock lunr finds none of them.
    url, browser = site
    titles = search(browser, f"{url}/acme/", query)
    assert any(expected in t for t in titles), titles


def test_vietnamese_search_does_not_match_everything(site):
    url, browser = site
    assert search(browser, f"{url}/acme/", "zzqx") == []


def test_english_search(site):
    url, browser = site
    titles = search(browser, f"{url}/acme/en/", "collection")
    assert any("Information collection" in t for t in titles), titles


def test_language_switcher_lands_on_the_same_page(site):
    url, browser = site
    page = browser.new_page()
    page.goto(f"{url}/acme/privacy/#use")
    page.locator(".md-select__link[hreflang=en]").dispatch_event("click")
    page.wait_for_url(f"{url}/acme/en/privacy/#use")  # the clause goes along: its id is the same in English
    assert page.locator("h1").inner_text().rstrip("¶") == "Privacy Policy"
    assert page.evaluate("(r => r.top >= 0 && r.top < innerHeight)(document.getElementById('use')"
                         ".getBoundingClientRect())")  # and it is in view
    page.locator(".md-select__link[hreflang=vi]").dispatch_event("click")
    page.wait_for_url(f"{url}/acme/privacy/#use")
    assert page.locator("h1").inner_text().rstrip("¶") == "Chính sách bảo mật"
    page.close()


def test_cross_reference_scrolls_to_the_clause(site):
    url, browser = site
    page = browser.new_page()
    page.goto(f"{url}/acme/en/privacy/")
    page.get_by_role("link", name="clause 1.2").click()
    assert page.url.endswith("#collection-cookies")
    page.close()


def test_print_layout_hides_navigation_and_shows_link_addresses(site):
    url, browser = site
    page = browser.new_page()
    page.goto(f"{url}/acme/privacy/")
    page.emulate_media(media="print")
    assert not page.locator(".md-header").is_visible()
    assert not page.locator(".md-sidebar--primary").is_visible()
    assert page.locator("h1").is_visible()
    page.close()


def test_version_selector_leads_to_the_archived_page_with_its_banner(site):
    url, browser = site
    page = browser.new_page()
    page.goto(f"{url}/acme/en/aup/")
    selector = page.locator("select.policy-versions__select")
    selector.wait_for()  # versions.js builds it after fetching versions.json
    assert selector.locator("option").all_inner_texts() == [
        "Version of 22 November 2026 (current)", "Version of 20 November 2026"]
    selector.focus()
    page.keyboard.press("ArrowDown")  # moving through the options does not leave the page (WCAG 3.2.2)
    page.wait_for_timeout(300)
    assert page.url == f"{url}/acme/en/aup/"
    selector.select_option(label="Version of 20 November 2026")
    page.get_by_role("button", name="Show this version").click()
    page.wait_for_url(f"{url}/acme/en/aup/2026-11-20/")
    assert page.locator(".admonition.warning").inner_text().startswith("Not the current version")
    assert "Customers keep their passwords secret." in page.locator(".policy-body").inner_text()
    page.get_by_role("link", name="Read the current version").click()
    page.wait_for_url(f"{url}/acme/en/aup/")
    page.close()


def test_version_selector_keeps_the_clause_being_read(site):
    url, browser = site
    page = browser.new_page()
    page.goto(f"{url}/acme/en/aup/#security")
    page.locator("select.policy-versions__select").select_option(label="Version of 20 November 2026")
    page.get_by_role("button", name="Show this version").click()
    page.wait_for_url(f"{url}/acme/en/aup/2026-11-20/#security")
    page.close()


def test_the_clause_scrolled_to_goes_to_the_other_language(site):
    url, browser = site
    page = browser.new_page(viewport={"width": 375, "height": 400})
    page.goto(f"{url}/acme/aup/")
    page.evaluate("document.getElementById('termination').scrollIntoView()")  # read, not clicked: no #anchor
    page.wait_for_timeout(200)
    assert "#" not in page.url
    page.locator(".md-select__link[hreflang=en]").dispatch_event("click")
    page.wait_for_url(f"{url}/acme/en/aup/#termination")
    page.close()


def test_language_switch_on_an_archived_version_keeps_the_version(site):
    url, browser = site
    page = browser.new_page()
    page.goto(f"{url}/acme/aup/2026-11-20/")
    page.locator(".md-select__link[hreflang=en]").dispatch_event("click")
    page.wait_for_url(f"{url}/acme/en/aup/2026-11-20/")
    page.close()


def test_changes_page_links_to_each_change_and_marks_insertions(site):
    url, browser = site
    page = browser.new_page()
    page.goto(f"{url}/acme/aup/")
    page.get_by_role("link", name="Những điểm thay đổi").click()
    page.wait_for_url(f"{url}/acme/aup/2026-11-22/changes/")
    page.get_by_role("link", name="2. Bảo mật").click()
    assert page.url.endswith("#change-security")
    inserted = page.locator("#change-security ins")
    assert " ".join(inserted.inner_text().split()) == "đã thêm: mạnh"  # the label is for screen readers
    assert "underline" in inserted.evaluate("e => getComputedStyle(e).textDecorationLine")
    page.close()


def test_history_page_compares_any_two_versions(site):
    url, browser = site
    page = browser.new_page()
    page.goto(f"{url}/acme/en/aup/history/")
    page.select_option("select[name=from]", "2026-11-20")
    page.select_option("select[name=to]", "2026-11-22")
    page.get_by_role("button", name="Compare").click()
    change = page.locator(".policy-compare__result section.policy-change--changed")
    change.wait_for()
    assert change.locator("h3").inner_text().startswith("2. Security")
    assert " ".join(change.locator("ins").inner_text().split()) == "inserted: strong"
    text = change.locator("p").inner_text()
    assert "See section 1." in text and "[[" not in text  # a cross-reference reads as on the page
    # The same version on both sides: nothing changed.
    page.select_option("select[name=from]", "2026-11-22")
    page.get_by_role("button", name="Compare").click()
    page.locator(".policy-compare__result p", has_text="No clause changed.").wait_for()
    page.close()


def test_the_consent_snippet_page_shows_working_snippets(site):
    url, browser = site
    page = browser.new_page()
    page.goto(f"{url}/beta/en/consent/")
    live = page.locator(".policy-consent-demo fieldset.policy-consent")
    assert live.locator("legend").inner_text() == "Your consent"
    box = live.locator("input[name='consent.aup']")
    assert not box.is_checked()
    live.locator(f"label[for='{box.get_attribute('id')}']").click(position={"x": 2, "y": 2})
    assert box.is_checked()
    link = live.locator("a").first
    assert link.get_attribute("href") == "https://beta.example/policies/en/aup/2026-11-22/"
    assert "integrity=\"sha384-" in page.locator("pre").nth(1).inner_text()
    page.close()
