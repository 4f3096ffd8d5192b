"""Reused clause bodies give the same HTML as converting every page whole (generator/markdown_reuse.py)."""

from __future__ import annotations

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import markdown_reuse
from generator.markdown_ext import PolicyExtension
from generator.render import MARKDOWN_EXTENSIONS

NAMES = [e if isinstance(e, str) else next(iter(e)) for e in MARKDOWN_EXTENSIONS]
CONFIGS = {next(iter(e)): next(iter(e.values())) for e in MARKDOWN_EXTENSIONS if isinstance(e, dict)}


def convert(text: str, reuse: bool, lang: str = "vi") -> str:
    md = markdown.Markdown(extensions=[*NAMES, PolicyExtension(lang=lang, reuse=MARKDOWN_EXTENSIONS if reuse else [])],
                           extension_configs=CONFIGS)
    return md.convert(text)


def page(*bodies: str, numbering: str = "articles") -> str:
    """A policy page: a title, a stamp, then a body with one clause per text (the first one a preamble)."""
    clauses = "".join(f"## Clause {n} {{#c{n}}}\n\n{body}\n\n" for n, body in enumerate(bodies[1:], 1))
    return (f"# Title\n\n<p class=\"policy-stamp\">stamp</p>\n\n"
            f"<div class=\"policy-body\" data-numbering=\"{numbering}\" markdown=\"1\">\n\n"
            f"{bodies[0]}\n\n{clauses}</div>\n")


@pytest.fixture(autouse=True)
def fresh_caches(monkeypatch):
    """Each test starts with empty caches, so reuse is seen happening."""
    monkeypatch.setattr(markdown_reuse, "_caches", {})


def cache() -> markdown_reuse.BodyCache:
    (only,) = markdown_reuse._caches.values()
    return only


BODIES = {
    "paragraphs": "First *emphasis* and **strong**, a_b_c.\nSecond line of it.\n\nAnother paragraph.",
    "lists": "- one\n- two\n    - nested `code`\n\n1. first\n2. second\n\n    continued",
    "references": "See [[c1]] and [[c2]]; a [link](https://example.com/x) and a [page](../other.md).",
    "bare links": "Write to help@example.com or see https://example.com/a?b=1 today.",
    "escapes": r"Not \*emphasis\*, a backslash \\ and `co\de`.",
    "ampersand": "Terms & conditions.",
    "entities": "Fish &amp; chips &copy; 2026, R&D.",
    "quote and rule": "> quoted\n> more\n\n---\n\nafter",
    "admonition": '!!! note "Careful"\n\n    Inside the note.\n\n    ## Not a clause',
    "raw html": "Some <b>bold</b> text.",
    "attribute list": "A paragraph.\n{: .special }",
    "reference definition": "Uses [the site][site].\n\n[site]: https://example.com",
    "setext heading": "A heading\n---------\n\ntext",
    "code block": "    indented code\n    more",
    "empty": "",
}
REUSED = {"paragraphs", "lists", "references", "bare links", "escapes", "ampersand", "quote and rule", "code block"}


@pytest.mark.parametrize("name", sorted(BODIES))
def test_a_body_gives_the_same_html_reused_or_not(name):
    text = page("Preamble.", BODIES[name], "Plain clause.")
    expected = convert(text, reuse=False)
    assert convert(text, reuse=True) == expected
    assert convert(text, reuse=True) == expected  # the second time, from the cache
    converted = cache().bodies.get(BODIES[name].strip("\n"))
    assert (converted is not None) == (name in REUSED), "reused" if converted else "not reused"


def test_references_are_named_in_each_page_by_its_own_numbering():
    first = convert(page("", "See [[c2]].", "Target."), reuse=True)
    second = convert(page("", "New clause.", "See [[c2]].", "Target."), reuse=True)
    assert '<a class="xref" href="#c2">Điều 2</a>' in first
    assert '<a class="xref" href="#c2">Điều 2</a>' in second  # c2 is now the clause "See [[c2]]."
    assert cache().bodies["See [[c2]]."] is not None
    assert second == convert(page("", "New clause.", "See [[c2]].", "Target."), reuse=False)


def test_only_the_policy_body_is_reused():
    text = "Outside the body.\n\n" + page("Inside.", "Clause.")
    assert convert(text, reuse=True) == convert(text, reuse=False)
    assert set(cache().bodies) == {"Inside.", "Clause."}


def test_pages_change_copies_not_the_cached_elements():
    """Each page names references (and mkdocs rewrites links) in its own tree; nothing leaks into the cache."""
    html = convert(page("", "See [[c1]].", "Other."), reuse=True, lang="en")
    assert '<a class="xref" href="#c1">Article 1</a>' in html
    elements = cache().bodies["See [[c1]]."]
    assert elements is not None and elements[0].find("a").text != "Article 1"


FRAGMENTS = st.sampled_from([
    "word", "Điều", " ", "\n", "\n\n", "  \n", "\t", ":", "*", "**", "***", "_", "__", "`", "```", "\\", "\\#",
    "#", "\n#x", "- ", "* ", "+ ", "1. ", "1) ", "    ", "    - ", "> ", "> - ", "---", "===", "!!! note\n    ",
    "[[c1]]", "[[c9]]", "[x](y.md)", "[r]", "[r]: https://r.example", "https://a.example", "<https://a.example>",
    "a@b.example", "&", "&amp;", "&copy;", "<i>", "</div>", "{: .x}"])


# The caches are kept from one example to the next (the fixture runs once): more bodies are reused.
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(FRAGMENTS, max_size=12).map("".join), min_size=1, max_size=4), st.sampled_from(["vi", "en"]))
def test_any_bodies_give_the_same_html_reused_or_not(bodies, lang):
    text = page(*bodies)
    expected = convert(text, reuse=False, lang=lang)
    assert convert(text, reuse=True, lang=lang) == expected
    assert convert(text, reuse=True, lang=lang) == expected
