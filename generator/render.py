"""Pure rendering: a brand's resolved policies become mkdocs pages and an mkdocs config."""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

import jinja2
from babel.core import Locale

from .assemble import Publication
from .config import SiteConfig
from .errors import Collector
from .i18n import _, gettext_for, long_date
from .markdown_ext import BODY_CLASS
from .model import Resolved


@dataclass(frozen=True)
class SitePlan:
    """Everything mkdocs needs to build one brand's site in one language."""

    brand: str
    lang: str
    subdir: str  # "" for the default language, else the language code
    files: dict[str, str] = field(default_factory=dict)  # docs-relative path -> text
    copies: dict[str, str] = field(default_factory=dict)  # docs-relative path -> repository-relative source
    mkdocs: dict[str, Any] = field(default_factory=dict)


class MissingFact(jinja2.StrictUndefined):
    """A brand fact absent from site.yml: false in `{% if %}`, an error when printed."""

    def __bool__(self) -> bool:
        return False


def content_environment() -> jinja2.Environment:
    """The Jinja environment policy text is rendered in (undefined names are errors)."""
    # `{#id}` marks clause ids, so Jinja comments use `{## … ##}` instead of `{# … #}`.
    return jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True,
                              comment_start_string="{##", comment_end_string="##}")


def brand_values(config: SiteConfig, brand_id: str, lang: str) -> dict[str, Any]:
    """The `brand` variable of policy templates, localized for `lang`."""
    brand = config.brands[brand_id]

    def fact(name: str, value: Any) -> Any:
        if value is None:
            return MissingFact(hint=f"brand {brand_id!r} has no {name!r} in site.yml "
                                    f"(add it there, or wrap the text in {{% if brand.{name} %}})")
        return value.get(lang) if isinstance(value, dict) else value

    names = ("legal_name", "services", "website", "email", "hotline", "address")
    values = {name: fact(name, getattr(brand, name)) for name in names}
    return {"id": brand_id, "name": brand.name, **values}


def render_chunks(text: Resolved, values: dict[str, Any], env: jinja2.Environment, config: SiteConfig,
                  errors: Collector) -> tuple[str, ...]:
    """The preamble and each clause (heading and text) with brand values filled in.

    Rendered chunk by chunk, so a Jinja problem is reported at its real line in its file.
    """
    published = config.brands[text.brand].policies
    context = {"brand": values, "policy_link": _policy_linker(config, text, published)}
    chunks = [(text.path, text.preamble_line, text.preamble)]
    chunks += [(text.sources[c.id], c.line, f"{c.heading}\n{c.text}") for c in text.clauses]
    return tuple(_render_chunk(env, source, path, line, context, errors).strip("\n") for path, line, source in chunks)


def join_chunks(chunks: tuple[str, ...]) -> str:
    """The published Markdown of a policy: its rendered chunks, one blank line apart."""
    return "\n\n".join(chunk for chunk in chunks if chunk.strip()) + "\n"


def render_body(text: Resolved, values: dict[str, Any], env: jinja2.Environment, config: SiteConfig,
                errors: Collector) -> str:
    """The policy's Markdown with brand values filled in."""
    return join_chunks(render_chunks(text, values, env, config, errors))


def _policy_linker(config: SiteConfig, text: Resolved, published: list[str]):
    def policy_link(policy_id: str) -> str:
        if policy_id not in published:
            raise jinja2.UndefinedError(f"brand {text.brand!r} does not publish policy {policy_id!r}")
        title = config.policies[policy_id].title[text.lang]
        # Absolute from the docs root, so the same text links right from every version's page.
        return f"[{title}](/{policy_id}/index.md)"
    return policy_link


def _render_chunk(env: jinja2.Environment, source: str, path: str, line: int, context: dict[str, Any],
                  errors: Collector) -> str:
    """Render one chunk; report a Jinja problem at its line in the file."""
    try:
        return env.from_string(source).render(context)
    except jinja2.TemplateSyntaxError as exc:
        errors.add(path, line + (exc.lineno or 1) - 1, f"template error: {exc.message}",
                   "Check the {{ }} and {% %} on this line; a {% if %} must close within the same clause.")
    except (jinja2.UndefinedError, TypeError, ValueError) as exc:
        errors.add(path, line + _template_line(exc) - 1, f"unknown value: {exc}",
                   "Use a variable listed in docs/content-format.md (for example {{ brand.name }}).")
    return ""


def _template_line(exc: BaseException) -> int:
    """The template line an exception was raised on (Jinja maps its frames to template lines)."""
    lines = [lineno for frame, lineno in traceback.walk_tb(exc.__traceback__)
             if frame.f_code.co_filename == "<template>"]
    return lines[-1] if lines else 1


def plan_brand(config: SiteConfig, brand_id: str, publication: Publication, pages: jinja2.Environment,
               theme_dir: str, strict: bool, errors: Collector) -> list[SitePlan]:
    """Plans for every language of one brand; problems go to `errors`."""
    env = content_environment()
    plans = []
    for lang in config.brand_languages(brand_id):
        files: dict[str, str] = {}
        for policy in config.brands[brand_id].policies:
            text = publication[(brand_id, policy, lang)]
            body = render_body(text, brand_values(config, brand_id, lang), env, config, errors)
            files[f"{policy}/index.md"] = policy_page(text, body, config, pages)
        files["index.md"] = index_page(config, brand_id, lang, publication, pages)
        files["assets/brand.css"] = brand_css(config.brands[brand_id].colour)
        plans.append(SitePlan(brand_id, lang, _subdir(config, lang), files, _logo(config, brand_id),
                              mkdocs_config(config, brand_id, lang, theme_dir, strict)))
    return plans


def _logo(config: SiteConfig, brand_id: str) -> dict[str, str]:
    """The brand's logo, copied into the site as assets/logo.<ext>."""
    logo = config.brands[brand_id].logo
    return {f"assets/logo{PurePosixPath(logo).suffix.lower()}": logo} if logo else {}


def _subdir(config: SiteConfig, lang: str) -> str:
    """The default language is served at the root, the others under /<lang>/."""
    return "" if lang == config.codes[0] else lang


def _page_context(config: SiteConfig, brand_id: str, lang: str) -> dict[str, Any]:
    """Values every page template gets."""
    return {"brand": brand_values(config, brand_id, lang), "lang": lang}


def policy_page(text: Resolved, body: str, config: SiteConfig, pages: jinja2.Environment) -> str:
    """The Markdown page of one policy: title, update stamp, translation note, numbered body."""
    authority = config.brand_authority(text.brand)
    return _render_page(pages, "policy.md.j2", text.lang, {
        **_page_context(config, text.brand, text.lang),
        "meta": text.meta, "body": body, "body_class": BODY_CLASS,
        "updated": long_date(text.meta.updated, text.lang),
        "effective": long_date(text.meta.effective, text.lang),
        "is_translation": text.lang != authority,
        "authority_name": Locale.parse(authority).get_display_name(text.lang),
    })


def index_page(config: SiteConfig, brand_id: str, lang: str, publication: Publication,
               pages: jinja2.Environment) -> str:
    """The home page of a brand's site: its policies with their update dates."""
    rows = [{"id": pid, "title": config.policies[pid].title[lang],
             "updated": long_date(publication[(brand_id, pid, lang)].meta.updated, lang)}
            for pid in config.brands[brand_id].policies]
    return _render_page(pages, "index.md.j2", lang, {**_page_context(config, brand_id, lang), "policies": rows})


def _render_page(pages: jinja2.Environment, name: str, lang: str, context: dict[str, Any]) -> str:
    """Render a page template with the UI strings of `lang`."""
    translate = gettext_for(lang)
    return pages.get_template(name).render(context, _=lambda s, **kw: translate(s) % kw if kw else translate(s))


def brand_css(colour: str) -> str:
    """The stylesheet that gives a brand's site its colour."""
    return (":root > * {\n"
            f"  --md-primary-fg-color: {colour};\n"
            f"  --md-primary-fg-color--light: {colour};\n"
            f"  --md-primary-fg-color--dark: {colour};\n"
            f"  --md-accent-fg-color: {colour};\n"
            "}\n")


def mkdocs_config(config: SiteConfig, brand_id: str, lang: str, theme_dir: str, strict: bool) -> dict[str, Any]:
    """The mkdocs.yml of one brand and language (docs_dir and site_dir are set by the build)."""
    brand = config.brands[brand_id]
    t = gettext_for(lang)
    subdir = _subdir(config, lang)
    alternates = [{"name": language.name, "lang": language.code,
                   "link": _relative_root(subdir, _subdir(config, language.code)),
                   "site_url": _language_url(brand.site_url, _subdir(config, language.code))}
                  for language in config.languages if language.code in config.brand_languages(brand_id)]
    theme: dict[str, Any] = {"name": "material", "custom_dir": theme_dir, "language": lang,
                             "palette": {"primary": "custom", "accent": "custom"},
                             "features": ["search.highlight", "navigation.top", "toc.follow"]}
    if brand.logo:
        theme["logo"] = f"assets/logo{PurePosixPath(brand.logo).suffix.lower()}"
    nav = [{t(_("Overview")): "index.md"}]
    nav += [{config.policies[pid].title[lang]: f"{pid}/index.md"} for pid in brand.policies]
    return {
        "site_name": brand.name,
        "site_url": _language_url(brand.site_url, subdir),
        "use_directory_urls": True,
        "strict": strict,
        "copyright": f"© {brand.legal_name[lang]}",
        "theme": theme,
        "extra_css": ["assets/brand.css", "assets/stylesheets/policy.css"],
        "plugins": [{"search": {"lang": [lang]}}],
        "markdown_extensions": ["attr_list", "md_in_html", "admonition", "pymdownx.magiclink",
                                {"toc": {"permalink": True, "toc_depth": 2}},
                                {"generator.markdown_ext": {"lang": lang}}],
        "nav": nav,
        "validation": {"links": {"absolute_links": "relative_to_docs", "anchors": "warn",
                                 "unrecognized_links": "warn"}},
        "extra": {"alternate": alternates, "generator": False, "policygen": {"brand": brand_id, "lang": lang}},
    }


def _language_url(site_url: str, subdir: str) -> str:
    """The absolute URL of one language's site."""
    return site_url + (subdir + "/" if subdir else "")


def _relative_root(here: str, there: str) -> str:
    """Path from the root of the `here` site to the root of the `there` site."""
    up = "../" if here else ""
    return up + (there + "/" if there else "")
