"""Every Jinja environment policygen makes, so that escaping and undefined names are decided here.

Two kinds: `editor_sandbox` for editors' templates (policy text, consent and banner wording), whose
output is text that the Markdown path and nh3 clean; `page_templates` for our own templates (pages,
feed, PDFs), autoescaped by kind. The theme's environment is the engine's (mkdocs makes it).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2

from .content.markup import escape_markdown
from .content.sandbox import EditorSandbox

AUTOESCAPED = ("md.j2", "html.j2", "xml.j2")  # our templates that print values into Markdown, HTML or XML


@lru_cache(maxsize=2)
def editor_sandbox(comments: bool = False) -> EditorSandbox:
    """The sandbox of editors' templates: not autoescaped (text, not markup), undefined names are errors.

    One per process and comment syntax; in policy text `{#id}` marks clause ids, so its comments are `{## … ##}`.
    """
    options = {"comment_start_string": "{##", "comment_end_string": "##}"} if comments else {}
    return EditorSandbox(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True, **options)


def page_templates(folder: Path) -> jinja2.Environment:
    """Our own templates in `folder`: Markdown, HTML and XML autoescaped, undefined names are errors.

    Editors' values reach the pages as text, never as markup; a title or summary that a template puts
    into Markdown goes through `md_text` first.
    """
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(folder), undefined=jinja2.StrictUndefined,
                             autoescape=jinja2.select_autoescape(AUTOESCAPED, default=False),
                             keep_trailing_newline=True)
    env.filters["md_text"] = escape_markdown
    return env
