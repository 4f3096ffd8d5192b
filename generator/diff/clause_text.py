"""A clause's text as the rendered redline reads it: its HTML as the page makes it, and its tokens (pure).

redline.py compares the tokens; templates/theme/assets/javascripts/redline.js reads the same HTML into
the same tokens in the browser.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from html import unescape
from typing import NamedTuple

from markdown import Markdown

from ..content.markup import ANCHOR_LINE_RE, clause_markdown, clean_html

# redline.js: /[\p{L}\p{N}_]+|[S]+|[^\p{L}\p{N}_S]/gu with S str.isspace's characters (JavaScript's \s has
# U+FEFF and lacks U+001C-U+001F and U+0085); they agree on every character both Unicode versions know.
WORD_RE = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)
TAG_OR_TEXT_RE = re.compile(r'<(/?)([a-z][a-z0-9]*)((?:\s+[^\s=>/]+(?:="[^"]*")?)*)\s*/?>|([^<]+)')
# A one-line paragraph that Markdown (with magiclink) would only wrap in <p>: words, spaces and marks that
# mean nothing to it, not starting like a list, a heading or a quote (tests/test_redline.py checks both agree).
PLAIN_RE = re.compile(r"(?![-+*#>=]|\d+[.)])[^\W_](?:[^\W_]| (?! )|[.,;:?()%/“”‘’–—-])*")
ATTR_RE = re.compile(r'([^\s=>/]+)(?:="([^"]*)")?')
VOID = frozenset({"br", "hr"})  # the void elements clean_html lets through


class Token(NamedTuple):
    """A tag ("<", ">" or "/": start, void, end), a piece of text ("w") or a link target ("h").

    A tuple, not a dataclass: a build makes millions of them, and tuples compare in C.
    """

    kind: str
    text: str  # the text, the link target, or the tag's HTML
    name: str = ""  # the tag's name


def escape(text: str, quote: bool = False) -> str:
    """As redline.js escapes: &, <, > (and " in attributes)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if quote else text


def tokenize(html: str) -> list[Token]:
    """The tokens of a clause's HTML (see the module's rule 1).

    A regular expression, not html.parser (four times slower): the HTML is clean_html's (nh3's)
    serialization, so tags are lowercase, attribute values double-quoted, and there are no
    comments; text and values are unescaped as html.parser would (html.unescape).
    tests/test_redline.py checks both readings agree on the corpus.
    """
    tokens: list[Token] = []
    links: list[str] = []
    for match in TAG_OR_TEXT_RE.finditer(html):
        end, tag, attrs, text = match.groups()
        if text is not None:
            tokens.extend(Token("w", w) for w in WORD_RE.findall(unicodedata.normalize("NFC", unescape(text))))
        elif end:
            if tag not in VOID:
                tokens.append(Token("/", f"</{tag}>", tag))
                if tag == "a" and links and (href := links.pop()):
                    tokens.append(Token("h", href))
        else:
            values = [(name, unescape(value or "")) for name, value in ATTR_RE.findall(attrs)]
            tokens.append(Token(">" if tag in VOID else "<", "<" + tag + "".join(
                f' {name}="{escape(value, True)}"' for name, value in values) + ">", tag))
            if tag == "a":
                links.append(dict(values).get("href", ""))
    return tokens


@lru_cache(maxsize=4096)  # a clause's text recurs in the pairs of every version until it changes
def clause_html(source: str) -> str:
    """A clause's Markdown (brand values and references filled in) as the page renders its text."""
    source = "\n".join(line for line in source.split("\n") if not ("{" in line and ANCHOR_LINE_RE.match(line)))
    plain = source.strip("\n")
    if PLAIN_RE.fullmatch(plain) and "://" not in plain and "www." not in plain:  # no Markdown needed for it
        return f"<p>{plain}</p>"
    return clean_html(_converter().reset().convert(source))


@lru_cache(maxsize=1)
def _converter() -> Markdown:
    """One converter per process, reset before each clause: making one costs more than converting a clause."""
    return clause_markdown()
