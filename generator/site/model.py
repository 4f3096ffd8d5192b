"""The typed site an engine builds: pages with their title, the values the theme renders, their Markdown body.

Pure data. The core makes a `Site` per brand and language from the content and the history
(pages.py); an engine (engines/) turns it into files. Page chrome travels as typed values in
`Page.meta` (chrome.py), rendered by the theme: the Markdown body holds the text and the page's own
structure only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Page:
    """One page: its title, the typed values its theme templates read, and its body as Markdown."""

    title: str
    markdown: str  # the body, from our page templates (editors' text in it is checked, and cleaned after conversion)
    meta: Mapping[str, Any] = field(default_factory=dict)  # JSON-like values: `policygen` (chrome), `seo`, `alternates`
    search: bool = True  # whether the site's search index holds the page

    def data(self) -> dict[str, Any]:
        """The page as JSON-like values (the page cache, the hand-over to an engine's workers)."""
        return {"title": self.title, "markdown": self.markdown, "meta": dict(self.meta), "search": self.search}

    @classmethod
    def from_data(cls, data: object) -> Page:
        """The page `data()` gave, checked field by field; ValueError on anything else."""
        if type(data) is not dict or data.keys() != {"title", "markdown", "meta", "search"}:
            raise ValueError("not a page")
        if type(data["title"]) is not str or type(data["markdown"]) is not str or type(data["meta"]) is not dict \
                or type(data["search"]) is not bool:
            raise ValueError("a page's fields are of the wrong type")
        return cls(data["title"], data["markdown"], data["meta"], data["search"])


@dataclass(frozen=True)
class Site:
    """One brand's site in one language: everything an engine needs to build it (engines.SiteEngine)."""

    brand: str
    lang: str
    subdir: str  # "" for the default language, else the language code
    pages: dict[str, Page] = field(default_factory=dict)  # docs-relative path of the page's source -> page
    files: dict[str, str] = field(default_factory=dict)  # docs-relative path -> text (JSON, XML, CSS, notices)
    copies: dict[str, str] = field(default_factory=dict)  # docs-relative path -> repository-relative source
    engine: dict[str, Any] = field(default_factory=dict)  # the engine's config (for mkdocs: its mkdocs.yml)
