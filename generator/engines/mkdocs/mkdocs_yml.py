"""The mkdocs.yml of one brand's site in one language, and what Material needs in it."""

from __future__ import annotations

from collections.abc import Callable
from copy import deepcopy
from pathlib import Path
from typing import Any

from ...content.config import SiteConfig
from ...content.render import MARKDOWN_EXTENSIONS, language_url, subdir
from ...i18n import _, gettext_for
from ...site.chrome import not_found
from ...site.identity import footer, pictures

# Our overrides of Material's templates, and our scripts: kept MiniJinja-portable (tests/test_theme_portable.py),
# they serve any engine that renders Material's theme (Zensical too: docs/architecture.md), so not in this package.
THEME = Path(__file__).resolve().parents[3] / "templates" / "theme"
# Material's strings (its `lang.t` keys) that its language files have wrong or in English, from our
# catalogs instead (hooks.py); the English text is Material's own.
THEME_STRINGS = {"action.skip": _("Skip to content"), "top": _("Back to top"),
                 "search.result.initializer": _("Initializing search"),
                 "search.result.more.one": _("1 more on this page"),
                 "search.result.more.other": _("# more on this page"), "search.result.term.missing": _("Missing")}


def mkdocs_config(config: SiteConfig, brand_id: str, lang: str, strict: bool,
                  banner_reopen: str = "") -> dict[str, Any]:
    """The mkdocs.yml of one brand and language (docs_dir and site_dir are set by the build)."""
    brand = config.brands[brand_id]
    t = gettext_for(lang)
    here = subdir(config, lang)
    alternates = [{"name": language.name, "lang": language.code,
                   "link": _relative_root(here, subdir(config, language.code)),
                   "site_url": language_url(config, brand_id, language.code)}
                  for language in config.languages if language.code in config.brand_languages(brand_id)]
    theme: dict[str, Any] = {"name": "material", "custom_dir": str(THEME), "language": lang,
                             "palette": {"primary": "custom", "accent": "custom"},
                             # System fonts: Material's default loads Google Fonts, a request to
                             # another host from every page before any consent.
                             "font": False,
                             "features": ["search.highlight", "navigation.top", "toc.follow"]}
    # Never Material's book and favicon: the brand's own pictures, else its monogram (identity.py).
    theme["logo"], theme["favicon"] = pictures(brand)
    nav = [{t(_("Overview")): "index.md"}]
    nav += [{config.policies[pid].title[lang]: f"{pid}/index.md"} for pid in brand.policies]
    return {
        "site_name": brand.name,
        "site_url": language_url(config, brand_id, lang),
        # The description of a page without one of its own (the 404 page): the home page's.
        "site_description": t(_("The policies that apply to the services of %(company)s.")) % {
            "company": brand.legal_name[lang]},
        "use_directory_urls": True,
        "strict": strict,
        "copyright": f"© {brand.legal_name[lang]}",
        "theme": theme,
        "extra_css": ["assets/brand.css", "assets/stylesheets/policy.css"] + (["banner/banner.css"] if banner_reopen
                                                                               else []),
        # compare.js is loaded by the one page that uses it, the history (partials/policy-compare.html).
        "extra_javascript": ["assets/javascripts/versions.js", "assets/javascripts/language.js",
                             "assets/javascripts/search-input.js"]
        + (["assets/javascripts/policy-banner.js"] if banner_reopen else []),
        "plugins": [{"search": {"lang": [lang]}}],
        # Copies: mkdocs empties the {name: config} entries it reads (and YAML would alias shared ones).
        "markdown_extensions": [*_page_extensions(t), {
            "generator.site.markdown_ext": {"lang": lang, "reuse": deepcopy(MARKDOWN_EXTENSIONS)}}],
        "nav": nav,
        "validation": {"links": {"absolute_links": "relative_to_docs", "anchors": "warn",
                                 "unrecognized_links": "warn"}},
        "extra": {"alternate": alternates, "generator": False,
                  "policygen": {"brand": brand_id, "lang": lang, "banner_reopen": banner_reopen,
                                "theme_strings": {key: t(text) for key, text in THEME_STRINGS.items()},
                                "not_found": not_found(config, brand_id, lang).meta(),
                                "footer": footer(config, brand_id, lang).meta()}},
    }


def _page_extensions(t: Callable[[str], str]) -> list[Any]:
    """MARKDOWN_EXTENSIONS with the heading permalinks' title in the site's language."""
    extensions = deepcopy(MARKDOWN_EXTENSIONS)
    for extension in extensions:
        if isinstance(extension, dict) and "toc" in extension:
            extension["toc"]["permalink_title"] = t(_("Permanent link"))
    notes = extensions.index("footnotes")
    extensions[notes] = {"footnotes": {"BACKLINK_TITLE": t(_("Back to the text of note {}"))}}
    return extensions


def _relative_root(here: str, there: str) -> str:
    """Path from the root of the `here` site to the root of the `there` site."""
    up = "../" if here else ""
    return up + (there + "/" if there else "")
