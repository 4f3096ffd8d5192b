"""Pure rendering: a brand's resolved policies become Markdown, with its brand's values filled in."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import jinja2

from ..errors import Collector
from ..jinja_envs import editor_sandbox
from .config import SiteConfig
from .confirm import confirm
from .markup import check_text
from .model import Resolved
from .sandbox import EditorTemplateError, render

# What makes a chunk a template for content_environment() (its comments are {## ##}); "\r" is normalized.
JINJA_RE = re.compile(r"\{\{|\{%|\{##|\r")
# Python-Markdown extensions of every page, besides ours (generator.site.markdown_ext, which reuses clauses
# converted with exactly these).
# No attr_list: a heading's {#id} is read by generator.site.markdown_ext (the only attribute form editors have).
# Footnotes collect at the end of the page (each clause holds its own notes: markdown_checks.py).
MARKDOWN_EXTENSIONS: list[Any] = ["tables", "fenced_code", "md_in_html", "admonition", "pymdownx.magiclink",
                                  {"toc": {"permalink": True, "toc_depth": 2}}, "footnotes", "def_list", "abbr"]


class MissingFact(jinja2.StrictUndefined):
    """A brand fact absent from site.yml: false in `{% if %}`, an error when printed."""

    def __bool__(self) -> bool:  # type: ignore[override]  # StrictUndefined fails here; a missing fact is false
        return False


def content_environment() -> jinja2.Environment:
    """The sandbox policy text is rendered in (undefined names are errors); one per process."""
    return editor_sandbox(comments=True)


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
                  errors: Collector, memo: dict[tuple[str, str, str], str] | None = None,
                  check_output: bool = True) -> tuple[str, ...]:
    """The preamble and each clause (heading and text) with brand values filled in.

    Rendered chunk by chunk, so a Jinja problem is reported at its real line in its file. `memo`
    keeps chunks rendered for one `config` (by brand, language and source): a clause's text recurs in
    every version until it changes. `check_output` checks what a template printed as the source is
    checked (the history walk, which checks nothing it reads, turns it off).
    """
    published = config.brands[text.brand].policies
    context = {"brand": values, "policy_link": _policy_linker(config, text, published), "confirm": confirm}
    chunks = [(text.path, text.preamble_line, text.preamble)]
    chunks += [(text.sources[c.id], c.line, f"{c.heading}\n{c.text}") for c in text.clauses]
    memo = {} if memo is None else memo
    rendered = []
    for path, line, source in chunks:
        key = (text.brand, text.lang, source)
        if key not in memo:
            count = len(errors.problems)
            # Leading blank lines stay, so that line i of a chunk is line (start + i) of its file.
            result = _render_chunk(env, source, path, line, context, errors).rstrip("\n")
            if check_output and JINJA_RE.search(source):  # what the source check could not see
                _check_output(result, path, line, errors)
            if len(errors.problems) > count:  # reported at this line of this file: not to be reused
                rendered.append(result)
                continue
            memo[key] = result
        rendered.append(memo[key])
    return tuple(rendered)


def join_chunks(chunks: tuple[str, ...]) -> str:
    """The published Markdown of a policy: its rendered chunks, one blank line apart."""
    return "\n\n".join(chunk.strip("\n") for chunk in chunks if chunk.strip()) + "\n"


def _policy_linker(config: SiteConfig, text: Resolved, published: list[str]) -> Callable[[str], str]:
    def policy_link(policy_id: str) -> str:
        if policy_id not in published:
            raise jinja2.UndefinedError(f"brand {text.brand!r} does not publish policy {policy_id!r}")
        title = config.policies[policy_id].title[text.lang]
        # Absolute from the docs root, so the same text links right from every version's page.
        return f"[{title}](/{policy_id}/index.md)"
    return policy_link


def _render_chunk(env: jinja2.Environment, source: str, path: str, line: int, context: dict[str, Any],
                  errors: Collector) -> str:
    """Render one chunk in the sandbox; report a template problem at its line in the file."""
    if not JINJA_RE.search(source):  # nothing for Jinja to do, and compiling costs more than the rest of a build's read
        return source
    try:
        return render(env, source, context)
    except EditorTemplateError as problem:
        errors.add(path, line + problem.line - 1, problem.message, problem.hint)
        return ""


def _check_output(result: str, path: str, line: int, errors: Collector) -> None:
    """What a template printed ({{ "<" }}script>…) is the text's too: the same rules, at the chunk's lines."""
    for found in check_text(result):
        errors.add(path, line + found.line - 1, f"the text with its values filled in: {found.message}",
                   found.hint)


def subdir(config: SiteConfig, lang: str) -> str:
    """The default language is served at the root, the others under /<lang>/."""
    return "" if lang == config.codes[0] else lang


def brand_css(colour: str) -> str:
    """The stylesheet that gives a brand's site its colour, darkened if white text on it is hard to read."""
    readable = readable_colour(colour)
    return (":root > * {\n"
            f"  --md-primary-fg-color: {readable};\n"
            f"  --md-primary-fg-color--light: {readable};\n"
            f"  --md-primary-fg-color--dark: {readable};\n"
            f"  --md-accent-fg-color: {readable};\n"
            f"  --md-typeset-a-color: {readable};\n"
            "}\n")


def readable_colour(colour: str, ratio: float = 5.0) -> str:
    """The colour, darkened just enough for WCAG AA contrast (4.5:1) with white and Material's light grey."""
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    while _contrast_with_white(rgb) < ratio:
        rgb = [max(0, int(c * 0.95)) for c in rgb]
    return "#" + "".join(f"{c:02x}" for c in rgb)


def _contrast_with_white(rgb: list[int]) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else float(((c + 0.055) / 1.055) ** 2.4)

    luminance = 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2])
    return 1.05 / (luminance + 0.05)


def language_url(config: SiteConfig, brand_id: str, lang: str) -> str:
    """The absolute URL of a brand's site in one language."""
    here = subdir(config, lang)
    return config.brands[brand_id].site_url + (here + "/" if here else "")
