"""Refresh docs/screenshots/: policy pages of the real content at desktop and phone width, both languages.

Run with `make screenshots` (it builds the sites first).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import chromium, serve_dir  # noqa: E402

from generator.pipeline.build import BuildOptions, build  # noqa: E402

SHOTS = ROOT / "docs" / "screenshots"
PAGES = {"policy": "voip24h/{lang}terms/", "changes": "voip24h/{lang}aup/2026-11-22/changes/",
         "consent": "cloudspace/{lang}consent/", "search": "vietnamserver/{lang}privacy/"}
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


def main() -> None:
    """Build every brand into a scratch folder and photograph its pages."""
    site = ROOT / ".screenshots-site"
    build(BuildOptions(root=ROOT, site_dir=site, record=False))
    SHOTS.mkdir(parents=True, exist_ok=True)
    with serve_dir(site) as url, chromium() as browser:
        for lang, prefix in (("vi", ""), ("en", "en/")):
            for device, (width, height) in WIDTHS.items():
                # The cookie banner, on a first visit.
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(f"{url}/cloudspace/{prefix}privacy/")
                page.wait_for_selector("section.policy-banner")
                page.screenshot(path=SHOTS / f"banner-{lang}-{device}.png")
                page.close()
        # The other pages as a returning visitor sees them: the banner already answered.
        browser = browser.new_context()
        browser.add_init_script("for (const b of ['vietnamserver', 'cloudspace']) localStorage.setItem("
                                "'policy-consent:' + b, JSON.stringify({policy: 'privacy', version: 'any', "
                                "purposes: {necessary: true}}))")
        for lang, prefix in (("vi", ""), ("en", "en/")):
            for kind in ("policy", "changes", "consent"):
                for device, (width, height) in WIDTHS.items():
                    page = browser.new_page()
                    page.set_viewport_size({"width": width, "height": height})
                    page.goto(f"{url}/{PAGES[kind].format(lang=prefix)}")
                    page.screenshot(path=SHOTS / f"{kind}-{lang}-{device}.png")
                    page.close()
        page = browser.new_page()
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(f"{url}/voip24h/en/aup/history/")
        page.screenshot(path=SHOTS / "history-en-desktop.png")
        page.close()
        for query, name in (("so dien thoai", "search-vi-so-dien-thoai"), ("mã hoá", "search-vi-ma-hoa"),
                            ("bao mat", "search-vi-no-diacritics")):
            page = browser.new_page()
            page.set_viewport_size({"width": 1280, "height": 900})
            page.goto(f"{url}/{PAGES['search'].format(lang='')}")
            page.wait_for_load_state("networkidle")
            page.keyboard.press("s")
            page.locator("input.md-search__input").press_sequentially(query)
            page.wait_for_timeout(1000)
            page.screenshot(path=SHOTS / f"{name}.png")
            page.close()
    print(f"Wrote {len(list(SHOTS.glob('*.png')))} screenshots to {SHOTS.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()
