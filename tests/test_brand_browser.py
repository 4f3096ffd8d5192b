"""Each brand looks like itself, on screen and on paper, and its cookie banner behaves (Chromium, two screen sizes)."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest
from browser import chromium, serve_dir
from conftest import FIXTURES, ContentRepo

from generator.pipeline.build import BuildOptions, build

pytestmark = pytest.mark.browser
DESKTOP, PHONE = {"width": 1280, "height": 800}, {"width": 375, "height": 667}
SCREENS = pytest.mark.parametrize("screen", [DESKTOP, PHONE], ids=["desktop", "phone"])
MATERIAL_FAVICON = "assets/images/favicon.png"
REGULATOR = "https://regulator.example/rules/"
ICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="8" fill="#112233"/></svg>'


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The mini site with a favicon for ACME, a hotline for Beta, links in ACME's privacy policy and two AUP
    versions, built as of 2026-11-22 and served on localhost."""
    root = tmp_path_factory.mktemp("brand") / "repo"
    shutil.copytree(FIXTURES / "mini", root)
    repo = ContentRepo(root)
    (root / "assets/acme-icon.svg").write_text(ICON, encoding="utf-8")
    repo.edit("site.yml", "    logo: assets/acme.svg", "    logo: assets/acme.svg\n    favicon: assets/acme-icon.svg")
    repo.edit("site.yml", '    colour: "#445566"', '    colour: "#445566"\n    hotline: 1900 1234')
    for lang, words in (("en", "the rules of the"), ("vi", "quy định của")):
        repo.edit(f"content/{lang}/acme/privacy.md", "{{ brand.email }}.",
                  f"{{{{ brand.email }}}}, {{{{ brand.website }}}}; {words} [regulator]({REGULATOR}).")
    repo.commit("Fixture")
    for lang in ("vi", "en"):
        repo.edit(f"content/{lang}/aup.md", "updated: 2026-11-20", "updated: 2026-11-22")
    repo.commit("AUP: second version")
    build(BuildOptions(root=root, site_dir=root / "site", jobs=1, as_of=dt.date(2026, 11, 22)))
    with serve_dir(root / "site") as url, chromium() as browser:
        yield url, browser, root


def open_page(site, path: str, screen: dict, consent: bool = True):
    """A new page at `path`; with `consent`, the banner's choice is already made (it does not show)."""
    url, browser, _root = site
    context = browser.new_context(viewport=screen)
    if consent:
        choice = '{"brand":"beta","policy":"aup","version":"2026-11-22","purposes":{}}'
        context.add_init_script(f"localStorage.setItem('policy-consent:beta', '{choice}')")
    page = context.new_page()
    page.goto(url + path)
    page.evaluate("() => window.PolicyConsent ? PolicyConsent.ready : null")
    return context, page


@SCREENS
@pytest.mark.parametrize(("brand", "logo", "favicon"), [
    ("acme", "assets/logo.svg", "assets/favicon.svg"), ("beta", "assets/monogram.svg", "assets/monogram.svg")])
def test_logo_and_favicon_are_the_brands_or_its_monogram_never_the_book(site, screen, brand, logo, favicon):
    context, page = open_page(site, f"/{brand}/en/aup/", screen)
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert icon.endswith(favicon) and MATERIAL_FAVICON not in page.content()
    pictures = page.locator(".md-logo img")
    assert pictures.count() == 2  # the header's and the navigation drawer's
    for index in range(2):
        assert pictures.nth(index).get_attribute("src").endswith(logo)
        assert pictures.nth(index).evaluate("img => img.complete && img.naturalWidth > 0")  # it loads
    assert page.locator(".md-logo svg").count() == 0  # Material's book is an inline <svg>
    shown = page.locator(".md-header .md-logo img" if screen is DESKTOP else ".md-nav--primary .md-logo img")
    if screen is PHONE:  # Material shows the logo in the drawer on a phone
        page.locator("label.md-header__button[for=__drawer]").click()
        page.wait_for_timeout(400)
    assert shown.is_visible() and shown.bounding_box()["height"] >= 16
    root = site[2]
    served = page.request.get(page.url + "../../" + favicon.replace("assets/", "en/assets/", 1)).body()
    if brand == "acme":
        assert served.decode() == ICON  # the brand's own favicon, not its logo nor a monogram
    else:
        assert b">B</text>" in served and b"#445566" in served  # Beta's initial in Beta's colour
    assert (root / "site" / brand / logo).is_file()
    context.close()


@SCREENS
@pytest.mark.parametrize(("path", "legal", "facts", "absent", "home", "home_url"), [
    ("/acme/privacy/", "Công ty TNHH ACME", {"Trang web": ("acme.example", "https://acme.example"),
                                            "Thư điện tử": ("help@acme.example", "mailto:help@acme.example")},
     "Đường dây nóng", "Chính sách của ACME", "/acme/"),
    ("/beta/en/aup/", "Beta Company", {"Website": ("beta.example", "https://beta.example"),
                                       "Hotline": ("1900 1234", "tel:19001234")},
     "Email", "Policies of Beta", "/beta/en/")])
def test_footer_has_the_legal_name_the_contact_facts_and_the_policies(site, screen, path, legal, facts, absent, home,
                                                                       home_url):
    context, page = open_page(site, path, screen)
    footer = page.locator("footer.md-footer")
    footer.scroll_into_view_if_needed()
    text = footer.inner_text()
    assert f"© {legal}" in text and footer.is_visible()
    for label, (shown, href) in facts.items():
        fact = footer.locator(".policy-footer__fact", has_text=f"{label}:")
        assert fact.locator("a").inner_text() == shown and fact.locator("a").get_attribute("href") == href
    assert f"{absent}:" not in text  # a fact site.yml does not have is left out, never made up
    footer.get_by_role("link", name=home).click()
    page.wait_for_url(site[0] + home_url)
    context.close()


@SCREENS
def test_print_carries_the_brand_the_version_and_its_address_and_each_link_address_once(site, screen):
    context, page = open_page(site, "/acme/en/privacy/", screen)
    page.emulate_media(media="print")
    block = page.locator(".policy-print")
    assert block.is_visible()
    assert [line for line in block.inner_text().split("\n") if line] == [
        "ACME · ACME Co., Ltd",
        "Version of 21 November 2026 · Permanent address: https://acme.example/policies/en/privacy/2026-11-21/"]
    for hidden in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-search", ".md-footer",
                   ".policy-versions"):
        assert not page.locator(hidden).first.is_visible(), hidden
    links = page.evaluate("""() => [...document.querySelectorAll('.policy-body a[href^="http"]')]
                             .map(a => [a.innerText, a.href, getComputedStyle(a, '::after').content])""")
    printed = {text: text + (json.loads(after) if after.startswith('"') else "") for text, _href, after in links}
    assert printed == {"https://acme.example": "https://acme.example",  # its text is its address: not again
                       "regulator": f"regulator ({REGULATOR})"}  # its address once, after its text
    page.emulate_media(media="screen")
    assert not block.is_visible()  # on paper only
    context.close()


def banner_page(site, path: str, screen: dict):
    """A first visit of Beta's site, the banner open."""
    context, page = open_page(site, path, screen, consent=False)
    page.evaluate("() => PolicyConsent.ready")
    page.locator("section.policy-banner").wait_for()
    return context, page


@SCREENS
def test_the_banner_is_never_printed(site, screen):
    context, page = banner_page(site, "/beta/en/aup/", screen)
    page.emulate_media(media="print")
    assert not page.locator("section.policy-banner").is_visible()
    assert page.locator(".policy-print").is_visible()
    context.close()


@SCREENS
def test_escape_closes_the_banner_without_a_choice(site, screen):
    context, page = banner_page(site, "/beta/en/aup/", screen)
    assert page.evaluate("document.activeElement.matches('section.policy-banner')")
    page.keyboard.press("Escape")
    assert page.locator("section.policy-banner").count() == 0
    assert page.evaluate("[PolicyConsent.get(), localStorage.getItem('policy-consent:beta')]") == [None, None]
    page.reload()
    page.evaluate("() => PolicyConsent.ready")
    assert page.locator("section.policy-banner").count() == 1  # no choice was made: asked again
    context.close()


@SCREENS
@pytest.mark.parametrize("how", ["Escape", "Accept all", "Reject all"])
def test_focus_goes_back_to_the_button_that_opened_the_banner(site, screen, how):
    context, page = open_page(site, "/beta/en/aup/", screen)
    reopen = page.locator("footer [data-policy-consent-open]")
    reopen.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.matches('section.policy-banner')")
    if how == "Escape":
        page.keyboard.press("Escape")
    else:
        page.get_by_role("button", name=how).click()
    assert page.locator("section.policy-banner").count() == 0
    assert page.evaluate("document.activeElement.hasAttribute('data-policy-consent-open')")
    context.close()


@SCREENS
def test_after_a_choice_tab_goes_on_from_the_clause_of_the_address_not_the_top(site, screen):
    context, page = banner_page(site, "/beta/en/aup/#security", screen)
    page.get_by_role("button", name="Reject all").click()
    assert page.evaluate("document.activeElement.id") == "security"
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('security').compareDocumentPosition(document.activeElement)"
                         " & Node.DOCUMENT_POSITION_FOLLOWING")
    context.close()


@SCREENS
def test_focus_stays_where_the_visitor_went_while_the_banner_was_open(site, screen):
    context, page = banner_page(site, "/beta/en/aup/", screen)
    page.locator(".policy-body a.xref").first.focus()
    page.get_by_role("button", name="Accept all").click()
    assert page.evaluate("document.activeElement.matches('.policy-body a.xref')")
    context.close()


# The focused element outside the banner, whether it is shown, and whether the banner covers any of it.
COVERED = """() => {
  const banner = document.querySelector('section.policy-banner'), e = document.activeElement;
  if (!banner || !e || e === document.body || banner.contains(e)) return null;
  const r = e.getBoundingClientRect(), b = banner.getBoundingClientRect();
  const shown = e.checkVisibility({opacityProperty: true, visibilityProperty: true}) && r.width * r.height > 0
    && r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth;
  return [e.outerHTML.slice(0, 120), shown && r.bottom > b.top && r.top < b.bottom && r.right > b.left
          && r.left < b.right];
}"""


@SCREENS
def test_the_banner_never_covers_the_focused_element(site, screen):
    context, page = banner_page(site, "/beta/en/aup/", screen)
    stops = []
    for _ in range(50):  # around the whole page, more than once
        page.keyboard.press("Tab")
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
        state = page.evaluate(COVERED)
        if state is not None:
            stops.append(state)
    assert page.locator("section.policy-banner").count() == 1
    assert len(stops) >= 20
    assert [html for html, covered in stops if covered] == []  # WCAG 2.2 SC 2.4.11
    context.close()


@pytest.mark.parametrize("lang", ["", "en/"])
def test_on_a_phone_the_banner_takes_at_most_40_percent_of_the_screen(site, lang, capsys):
    context, page = banner_page(site, f"/beta/{lang}aup/", PHONE)
    banner = page.locator("section.policy-banner")
    box = banner.bounding_box()
    with capsys.disabled():
        print(f"\nbanner on a 375 x 667 phone ({lang or 'vi/'}): {box['height']:.0f} px, "
              f"{box['height'] / PHONE['height']:.0%} of the screen")
    assert box["height"] <= 0.4 * PHONE["height"]
    for index in range(banner.locator("button").count()):  # the choices stay in view
        button = banner.locator("button").nth(index).bounding_box()
        assert box["y"] <= button["y"] and button["y"] + button["height"] <= PHONE["height"]
    last = banner.locator("input[type=checkbox]").last  # the rest scrolls inside the banner
    last.scroll_into_view_if_needed()
    inside = last.bounding_box()
    assert box["y"] <= inside["y"] and inside["y"] + inside["height"] <= PHONE["height"]
    context.close()
