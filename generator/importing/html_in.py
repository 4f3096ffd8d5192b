"""HTML to our Markdown with markdownify: a page saved from a website, or raw HTML inside a Markdown file."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag
from markdownify import markdownify

# What markdownify turns into Markdown we publish: the rest has no equivalent and is reported.
CONVERTED = {"a", "b", "strong", "i", "em", "br", "p", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th",
             "td", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "code", "pre", "hr", "span", "div", "section",
             "article", "main", "body", "html", "head", "title", "sup", "sub", "u"}
CONVERTED |= {"header", "footer", "time", "abbr", "small", "dl", "dt", "dd", "address", "caption", "tfoot"}
SILENT = ("script", "style", "noscript", "template", "link", "meta")  # no text of the page
CHROME = ("header", "footer", "nav", "aside")  # the site around the text, when the page has no <main>
TAG_RE = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*>")


def _markdown(html: str) -> str:
    """markdownify with `#` headings, `-` lists, and wrappers that carry no meaning dropped."""
    return markdownify(html, heading_style="ATX", bullets="-", strip=["img", "u", "span", "sup", "sub"])


def page_to_markdown(html: str) -> tuple[str, list[str]]:
    """The text of a saved page as Markdown (its `<main>` or `<article>` if it has one); tags with no equivalent,
    which are left out (images, forms, frames …)."""
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.find_all(SILENT):
        element.decompose()
    root = soup.find("main") or soup.find("article") or soup.body or soup
    if root is soup.body or root is soup:
        for element in root.find_all(CHROME, recursive=root is soup.body):
            element.decompose()
    unknown = sorted({el.name for el in root.find_all(True) if el.name not in CONVERTED})
    for element in root.find_all(unknown):
        element.decompose()
    _mark_heading_ids(root)
    return _markdown(str(root)).strip() + "\n", unknown


def _mark_heading_ids(root: Tag | BeautifulSoup) -> None:
    """Write each heading's id (its own, or an `<a id>`/`<a name>` inside it) as `{#id}` after its text."""
    for heading in root.find_all(re.compile(r"^h[1-6]$")):
        anchor = heading.find("a", attrs={"id": True}) or heading.find("a", attrs={"name": True})
        ident = heading.get("id") or (anchor.get("id") or anchor.get("name") if anchor else None)
        if isinstance(ident, str) and ident:
            heading.append(f" {{#{ident}}}")


ELEMENT_RE = re.compile(r"<(a|b|strong|i|em|code)\b[^<>]*>.*?</\1>|<br\s*/?>", re.IGNORECASE)


def inline_to_markdown(line: str, keep_breaks: bool = False) -> tuple[str, list[str]]:
    """A line of Markdown with its raw HTML (links, emphasis, line breaks) made Markdown; tags left over.

    A table row keeps its `<br>`: the one tag a cell may hold (the only way to break a line there).
    """
    if not TAG_RE.search(line):
        return line, []
    converted = ELEMENT_RE.sub(lambda m: m.group(0) if keep_breaks and m.group(1) is None else _element(m), line)
    left = {m.group(1).lower() for m in TAG_RE.finditer(converted)} - ({"br"} if keep_breaks else set())
    return converted, sorted(left)


def _element(match: re.Match[str]) -> str:
    """One element as Markdown; a line break as Markdown's own (two spaces at the end of the line)."""
    if match.group(1) is None:
        return "  \n"
    return _markdown(match.group(0)).strip()
