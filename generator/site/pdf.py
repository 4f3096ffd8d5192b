"""Each published version as a PDF: print HTML made from typed data, laid out by WeasyPrint, offline.

A version's PDF is made once and kept (cache.py), by a key of everything its bytes depend on: its
`PdfVersion` and the tools (`SOURCES`, `PACKAGES`). Its dates are the version's, never the build's,
so the same version always makes the same bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from babel.core import Locale
from markupsafe import Markup

from .. import keys
from ..content.config import SiteConfig
from ..content.render import MARKDOWN_EXTENSIONS, language_url
from ..history.versions import Key, Timeline
from ..i18n import _, gettext_for, long_date
from ..jinja_envs import page_templates
from .markdown_ext import BODY_CLASS, converter

HERE = Path(__file__).resolve().parent
FOLDER = HERE.parents[1] / "templates" / "pdf"
# Besides a PdfVersion, what a PDF's bytes depend on: these files and packages (cache.pdf_tools_digest).
SOURCES = (FOLDER / "version.html.j2", FOLDER / "print.css", HERE / "pdf.py", HERE / "markdown_ext.py",
           HERE.parent / "content" / "markup.py", HERE.parent / "content" / "render.py")
PACKAGES = ("weasyprint", "pydyf", "fonttools", "markdown", "pymdown-extensions", "nh3")
# A link to another policy, as render.policy_link writes it: from the docs root, to its Markdown page.
DOCS_LINK_RE = re.compile(r'href="/([^"#]*?)(?:index\.md)?(#[^"]*)?"')


@dataclass(frozen=True)
class PdfLabels:
    """The interface words of a PDF, in its language."""

    version: str
    effective: str
    sha256: str
    address: str
    translation: str  # the notice that the text is a translation; "" in the authoritative language


@dataclass(frozen=True)
class PdfVersion:
    """Everything one version's PDF is made of (sent to a worker process; hashed into its cache key)."""

    path: str  # where it goes in its site: <policy>/<version>/<policy>-<version>.pdf
    lang: str
    brand_name: str
    legal_name: str
    title: str
    version_id: str
    updated: str  # the dates written out in the language
    effective: str
    sha256: str  # the version's hash, as consent records and versions.lock have it
    url: str  # the version page's permanent address
    site_url: str  # the address of the site it belongs to (a brand's, in one language)
    numbering: str
    body: str  # the published Markdown
    labels: PdfLabels

    def key(self, tools: str) -> str:
        """The cache key of its PDF: this version's values and the tools' digest."""
        return keys.key(tools, repr(self))


def pdf_name(policy: str, version_id: str) -> str:
    """The file name of a version's PDF, beside its page: `<policy>-<version>.pdf`."""
    return f"{policy}-{version_id}.pdf"


def pdf_versions(config: SiteConfig, brand_id: str, lang: str, timelines: dict[Key, Timeline]) -> list[PdfVersion]:
    """A PDF for every published version of a brand's policies in one language (a draft has none)."""
    brand = config.brands[brand_id]
    labels = _labels(config, brand_id, lang)
    site_url = language_url(config, brand_id, lang)
    found = []
    for policy in brand.policies:
        for v in timelines[(brand_id, policy, lang)].versions:
            if not v.draft:
                found.append(PdfVersion(
                    f"{policy}/{v.id}/{pdf_name(policy, v.id)}", lang, brand.name, brand.legal_name[lang],
                    v.meta.title, v.id, long_date(v.meta.updated, lang), long_date(v.meta.effective, lang), v.sha256,
                    f"{site_url}{policy}/{v.id}/", site_url, v.meta.numbering, v.body, labels))
    return found


def _labels(config: SiteConfig, brand_id: str, lang: str) -> PdfLabels:
    t = gettext_for(lang)
    authority = config.brand_authority(brand_id)
    translation = "" if lang == authority else t(_(
        "This text is a translation. If it differs from the %(language)s text, the %(language)s text prevails.")) % {
        "language": Locale.parse(authority).get_display_name(lang)}
    return PdfLabels(t(_("Version")), t(_("In effect from")), t(_("SHA-256 of the published text")),
                     t(_("Permanent address")), translation)


def version_html(version: PdfVersion) -> str:
    """The print HTML of a version: its facts escaped, its text converted and cleaned as on its page."""
    md = _converter(version.lang)
    md.reset()
    start = f'<div class="{BODY_CLASS}" data-numbering="{version.numbering}" markdown="1">'
    source = f"{start}\n\n{version.body}\n\n</div>\n"  # as the page holds it (policy.md.j2)
    # The body passed the allowlist (markdown_ext.Sanitize): it is markup, not text to escape.
    # A printed link leaves the site: to another policy, it goes to that policy's page on the site.
    body = Markup(DOCS_LINK_RE.sub(lambda m: f'href="{version.site_url}{m[1]}{m[2] or ""}"', md.convert(source)))
    return _environment().get_template("version.html.j2").render(v=version, body=body)


def render_pdf(version: PdfVersion) -> bytes:
    """The PDF of one version (in a worker process when there are some)."""
    weasyprint, offline = _weasyprint()
    stylesheet = weasyprint.CSS(string=_stylesheet(), url_fetcher=offline())
    document = weasyprint.HTML(string=version_html(version), base_url=version.url, url_fetcher=offline())
    # Tagged: a screen reader reads its headings, lists and tables as such (about a fifth more bytes).
    data: bytes = document.write_pdf(stylesheets=[stylesheet], pdf_tags=True)
    return data


@cache
def _converter(lang: str) -> Any:
    return converter(lang, MARKDOWN_EXTENSIONS)


@cache
def _environment() -> jinja2.Environment:
    return page_templates(FOLDER)  # .html.j2: autoescaped


@cache
def _stylesheet() -> str:
    loader = _environment().loader
    assert loader is not None
    return loader.get_source(_environment(), "print.css")[0]


@cache
def _weasyprint() -> tuple[Any, Any]:
    """WeasyPrint (imported only by builds that make PDFs: it takes 0.4 s) and a fetcher that refuses every URL."""
    import weasyprint  # type: ignore[import-untyped]

    class Offline(weasyprint.URLFetcher):  # type: ignore[misc]
        """A PDF is made of what the build holds: nothing is fetched, from the network or from files."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            raise ValueError(f"policygen fetches nothing for a PDF: {url}")

    return weasyprint, Offline
