"""Python-Markdown extension: generated clause numbers and `[[id]]` cross-references."""

from __future__ import annotations

import json
import re
import secrets
import xml.etree.ElementTree as etree  # noqa: N813 - the name Python-Markdown uses
from typing import Any

from markdown import Extension, Markdown
from markdown.inlinepatterns import InlineProcessor
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from ..content.headings import HeadingSlugs
from ..content.markup import PRERENDERED, clean_html, heading_attributes, paragraph_anchor
from ..content.model import number_clauses
from ..i18n import clause_label, heading_number
from . import markdown_reuse

BODY_CLASS = "policy-body"
XREF_CLASS = "xref"
URL_CLASS = "policy-url"  # a link whose text is its address: printed once (policy.css)
SCHEME_RE = re.compile(r"^(?:https?://|mailto:)", re.IGNORECASE)
HEADINGS = ("h2", "h3", "h4")
ALL_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
BODY_START_RE = re.compile(rf'^<div class="{BODY_CLASS}"[^<>]*\bmarkdown="1"[^<>]*>$')


class XrefInline(InlineProcessor):
    """`[[id]]` becomes a link whose text the numbering step fills in."""

    def handleMatch(self, m: re.Match[str], data: str  # type: ignore[override]  # noqa: N802
                    ) -> tuple[etree.Element, int, int]:
        link = etree.Element("a", {"class": XREF_CLASS, "href": f"#{m.group(1)}"})
        return link, m.start(0), m.end(0)


class ClauseNumbers(Treeprocessor):
    """Number the headings of each policy body and name the cross-references."""

    def __init__(self, md: Markdown, lang: str) -> None:
        super().__init__(md)
        self.lang = lang

    def run(self, root: etree.Element) -> None:
        labels: dict[str, str] = {}
        for body in root.iter("div"):
            if BODY_CLASS in (body.get("class") or "").split():
                labels.update(self._number(body, body.get("data-numbering", "articles")))
                body.attrib.pop("data-numbering", None)
        for link in root.iter("a"):
            if XREF_CLASS in (link.get("class") or "").split():
                # The loader rejects unknown targets before rendering; this only guards.
                link.text = labels.get(link.get("href", "#")[1:], link.get("href"))

    def _number(self, body: etree.Element, style: str) -> dict[str, str]:
        """Number the headings of one body; return each numbered clause's reference label."""
        headings = [el for el in body.iter() if el.tag in HEADINGS]
        outline = [(h.get("id", ""), int(h.tag[1]), "unnumbered" not in (h.get("class") or "").split())
                   for h in headings if h.get("id")]
        if style == "none":  # no numbers: a reference reads as the clause's title
            return {h.get("id", ""): "".join(h.itertext()).strip() for h in headings if h.get("id")}
        numbers = number_clauses(outline, style)
        for heading in headings:
            number = numbers.get(heading.get("id", ""))
            if number is not None:
                _prefix(heading, heading_number(number.parts, style, self.lang))
        return {cid: clause_label(n.parts, style, self.lang) for cid, n in numbers.items()}


class ShownAddresses(Treeprocessor):
    """Mark the links whose text is their own address, so that print does not add the address again."""

    def run(self, root: etree.Element) -> None:
        for link in root.iter("a"):
            href = link.get("href", "")
            if href and _bare(href) == _bare("".join(link.itertext())):
                link.set("class", " ".join([*(link.get("class") or "").split(), URL_CLASS]))


def _bare(address: str) -> str:
    """An address as a reader compares it: without its scheme and trailing slash."""
    return SCHEME_RE.sub("", address.strip()).rstrip("/").lower()


class HeadingIds(Treeprocessor):
    """The format's two attribute forms (not attr_list): a heading's `{#id .class}`, a paragraph's `{: #id }`.

    attr_list would let text set any attribute (`{: onclick=… }`) on any block; this reads only an
    id and classes at the end of a heading, and an id on the line right under a paragraph.
    `### {#id}` (no title) is an untitled clause.
    """

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag in ALL_HEADINGS:
                _heading_ids(element)
            elif element.tag == "p":
                _paragraph_id(element)


def _last_text(element: etree.Element) -> tuple[etree.Element | None, str]:
    """The element's last run of text (its own text, or its last child's tail) and that child."""
    last = element[-1] if len(element) else None
    return last, (last.tail if last is not None else element.text) or ""


def _set_last_text(element: etree.Element, last: etree.Element | None, text: str) -> None:
    if last is not None:
        last.tail = text
    else:
        element.text = text


def _heading_ids(heading: etree.Element) -> None:
    last, text = _last_text(heading)
    rest, ident, classes = heading_attributes(text)
    if ident is None and not classes:
        return
    _set_last_text(heading, last, rest)
    if ident:
        heading.set("id", ident)
    if not rest.strip() and last is None:
        classes.append("untitled")
    if classes:
        heading.set("class", " ".join([*(heading.get("class") or "").split(), *classes]))


def _paragraph_id(paragraph: etree.Element) -> None:
    last, text = _last_text(paragraph)
    rest, ident = paragraph_anchor(text)
    if ident is not None:
        _set_last_text(paragraph, last, rest)
        paragraph.set("id", ident)


class Sanitize(Postprocessor):
    """The last step of every page: only the allowed tags, attributes and link schemes (markup.clean_html).

    Then the blocks that Prerendered set aside go back in.
    """

    def __init__(self, md: Markdown, blocks: dict[str, str]) -> None:
        super().__init__(md)
        self.blocks = blocks

    def run(self, text: str) -> str:
        text = clean_html(text)
        for token, block in self.blocks.items():
            text = text.replace(token, block, 1)
        return text


def _prefix(heading: etree.Element, number: str) -> None:
    """Put the generated number in front of the heading's text."""
    span = etree.Element("span", {"class": "clause-no"})
    span.text = number
    span.tail = (" " + heading.text) if heading.text else None
    heading.text = None
    heading.insert(0, span)


class Prerendered(Preprocessor):
    """HTML that pages.py built and escaped (a redline, a consent demo) is set aside and put back after the allowlist.

    Each is one line of its own. It is replaced by a token with this process's random nonce (which
    no text can guess) and put back by Sanitize after the allowlist, which then need not allow forms.
    Only on pages without a policy body: editors' text (from history too) can never be taken for it.
    Python-Markdown would otherwise read a redline with its HTML parser twice only to keep it as it is.
    """

    def __init__(self, md: Markdown, blocks: dict[str, str], nonce: str) -> None:
        super().__init__(md)
        self.blocks, self.nonce = blocks, nonce

    def run(self, lines: list[str]) -> list[str]:
        self.blocks.clear()  # one conversion's blocks
        if any(BODY_START_RE.match(line) for line in lines):
            return lines
        out: list[str] = []
        for index, line in enumerate(lines):
            if line.startswith(PRERENDERED) and line.endswith("</div>") and not (index and lines[index - 1].strip()):
                token = f"policygen-prerendered-{self.nonce}-{len(self.blocks)}"
                self.blocks[f"<p>{token}</p>"] = line
                out += [token, ""]
            else:
                out.append(line)
        return out


class PolicyExtension(Extension):
    """Register the cross-reference pattern and the numbering step (and the reuse of clauses)."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {"lang": ["en", "Language of the labels (Article / Điều)."],
                       "reuse": [[], "The page's other extensions (as in mkdocs.yml): when set, a clause that "
                                     "recurs is converted once per process (markdown_reuse.py)."]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        md.inlinePatterns.register(XrefInline(r"\[\[([a-z][a-z0-9-]*)\]\]", md), "policy_xref", 175)
        # Where attr_list would run (8): after inline, before the numbers (7) and toc (5) read the ids.
        md.treeprocessors.register(HeadingIds(md), "policy_heading_ids", 8)
        md.treeprocessors.register(ClauseNumbers(md, self.getConfig("lang")), "policy_numbers", 7)
        # Right before toc (5), which makes no id for a heading that has one.
        md.treeprocessors.register(HeadingSlugs(md), "policy_heading_slugs", 6)
        md.treeprocessors.register(ShownAddresses(md), "policy_shown_addresses", 6.5)
        blocks: dict[str, str] = {}
        # Last, after the stash is restored (raw_html, 30): everything the page holds passes the allowlist.
        md.postprocessors.register(Sanitize(md, blocks), "policy_sanitize", 1)
        # Before mkdocs' look for anchors in raw HTML (21) and Python-Markdown's own (20).
        md.preprocessors.register(Prerendered(md, blocks, secrets.token_hex(8)), "policy_redline", 25)
        reuse = self.getConfig("reuse")
        if reuse:
            lang = self.getConfig("lang")
            cache = markdown_reuse.clause_cache(json.dumps([lang, reuse], sort_keys=True),
                                              lambda: converter(lang, reuse))
            markdown_reuse.register(md, cache, BODY_START_RE)


def converter(lang: str, extensions: list[Any], reuse: bool = False) -> Markdown:
    """A converter with these extensions (mkdocs.yml's form: names, or {name: config}) and ours.

    With `reuse`, ours reuses clauses converted with the same extensions, as in the sites.
    """
    names = [e if isinstance(e, str) else next(iter(e)) for e in extensions]
    configs = {next(iter(e)): next(iter(e.values())) for e in extensions if isinstance(e, dict)}
    ours = PolicyExtension(lang=lang, reuse=extensions if reuse else [])
    return Markdown(extensions=[*names, ours], extension_configs=configs)


def makeExtension(**kwargs: Any) -> PolicyExtension:  # noqa: N802
    """Entry point used by `markdown_extensions: [generator.site.markdown_ext]`."""
    return PolicyExtension(**kwargs)
