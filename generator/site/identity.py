"""How a brand's site looks like the brand (pure): its logo and favicon, or a monogram; its footer facts."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import PurePosixPath
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from ..content.config import BrandDef, SiteConfig
from ..i18n import _, gettext_for

MONOGRAM = "assets/monogram.svg"


def initials(name: str) -> str:
    """The first letter or digit of the name's first two words ("Vietnam Server": VS, "VOIP24H": V)."""
    letters = [next((c for c in word if c.isalnum()), "") for word in name.split()]
    return "".join(letters[:2]).upper() or "?"


def monogram_svg(name: str, ink: str) -> str:
    """A logo for a brand that has none: its initials in `ink` (its colour, readable on white) on a white tile.

    `ink` is render.readable_colour of the brand's colour: at least 5:1 against white.
    """
    text = initials(name)
    size = 34 if len(text) == 1 else 26
    # A white tile, so the monogram also stands out on the header, which is in the brand's colour.
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img" aria-label={quoteattr(name)}>'
            f'<rect width="64" height="64" rx="12" fill="#ffffff"/>'
            f'<rect x="3" y="3" width="58" height="58" rx="9" fill="none" stroke="{ink}" stroke-width="4"/>'
            f'<text x="32" y="33" text-anchor="middle" dominant-baseline="central" fill="{ink}" '
            f'font-family="system-ui, Arial, sans-serif" font-weight="700" font-size="{size}">'
            f'{escape(text)}</text></svg>\n')


def _copy_name(kind: str, source: str) -> str:
    return f"assets/{kind}{PurePosixPath(source).suffix.lower()}"


def picture_copies(brand: BrandDef) -> dict[str, str]:
    """The brand's own logo and favicon, copied into the site as assets/logo.<ext> and assets/favicon.<ext>."""
    copies = {_copy_name("logo", brand.logo): brand.logo} if brand.logo else {}
    if brand.favicon:
        copies[_copy_name("favicon", brand.favicon)] = brand.favicon
    return copies


def pictures(brand: BrandDef) -> tuple[str, str]:
    """The site paths of the header logo and the favicon: the brand's own, else the monogram."""
    logo = _copy_name("logo", brand.logo) if brand.logo else MONOGRAM
    favicon = _copy_name("favicon", brand.favicon) if brand.favicon else logo
    return logo, favicon


@dataclass(frozen=True)
class Fact:
    """One contact fact of the footer: its label, its text, and where it leads (or nothing)."""

    label: str
    text: str
    href: str = ""


@dataclass(frozen=True)
class Footer:
    """The footer of every page: the company's legal name, its contact facts, the link to its policies."""

    legal_name: str
    facts: tuple[Fact, ...]
    home: str  # the text of the link to the brand's policies (the site's home page)

    def meta(self) -> dict[str, Any]:
        """What the theme's partials/copyright.html reads."""
        return asdict(self)


def footer(config: SiteConfig, brand_id: str, lang: str) -> Footer:
    """The facts site.yml has for the brand, in `lang`; a fact it lacks is left out, never made up."""
    brand, t = config.brands[brand_id], gettext_for(lang)
    shown = brand.website.removeprefix("https://").rstrip("/")
    facts = [Fact(t(_("Website")), shown, brand.website)]
    if brand.hotline:
        facts.append(Fact(t(_("Hotline")), brand.hotline, "tel:" + "".join(c for c in brand.hotline
                                                                           if c.isdigit() or c == "+")))
    if brand.email:
        facts.append(Fact(t(_("Email")), brand.email, f"mailto:{brand.email}"))
    if brand.address:
        facts.append(Fact(t(_("Address")), brand.address[lang]))
    return Footer(brand.legal_name[lang], tuple(facts), t(_("Policies of %(brand)s")) % {"brand": brand.name})
