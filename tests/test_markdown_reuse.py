"""Reused clauses give the same HTML as converting every page whole (generator/site/markdown_reuse.py)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.content.render import MARKDOWN_EXTENSIONS
from generator.site import markdown_reuse
from generator.site.markdown_ext import converter


def convert(text: str, reuse: bool, lang: str = "vi") -> str:
    return converter(lang, MARKDOWN_EXTENSIONS, reuse).convert(text)


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


def reused(text: str) -> bool:
    """Whether this clause text (heading included) was converted once and kept for reuse."""
    (only,) = markdown_reuse._caches.values()
    assert text in only.texts, f"never looked up: {text!r}"
    return only.texts[text] is not None


BODIES = {
    "paragraphs": "First *emphasis* and **strong**, a_b_c.\nSecond line of it.\n\nAnother paragraph.",
    "lists": "- one\n- two\n    - nested `code`\n\n1. first\n2. second\n\n    continued",
    "references": "See [[c1]] and [[c2]]; a [link](https://example.com/x) and a [page](../other.md).",
    "bare links": "Write to help@example.com or see https://example.com/a?b=1 today.",
    "escapes": r"Not \*emphasis\*, a backslash \\ and `co\de`.",
    "ampersand": "Terms & conditions.",
    "entities": "Fish &amp; chips &copy; 2026, R&D.",
    "quote and rule": "> quoted\n> more\n\n---\n\nafter",
    "admonition": '!!! note "Careful"\n\n    Inside the note.',
    "raw html": "Some <b>bold</b> text.",
    "attribute list": "A paragraph.\n{: .special }",
    "reference definition": "Uses [the site][site].\n\n[site]: https://example.com",
    "setext heading": "A heading\n---------\n\ntext",
    "code block": "    indented code\n    more",
    "empty": "",
    "heading under an indented line": "- item\n\n    more\n## In the item {#in-item}\n\nAfter.",
    "heading in a note": '!!! note "Careful"\n\n    ## Not a clause',
    "table": "| Data | Purpose |\n|---|---|\n| name | contract |\n| **email** | notices |",
    "fenced code": "```\n<b>shown as written</b>\n```\n\nAfter.",
    "paragraph anchor": "We collect *telemetry* data.\n{: #telemetry }\n\nAnother paragraph.",
}
NOT_REUSED = {"raw html", "entities", "reference definition", "fenced code"}  # they change how the whole page is read


@pytest.mark.parametrize("name", sorted(BODIES))
def test_a_body_gives_the_same_html_reused_or_not(name):
    text = page("Preamble.", BODIES[name], "Plain clause.")
    expected = convert(text, reuse=False)
    assert convert(text, reuse=True) == expected
    assert convert(text, reuse=True) == expected  # the second time, from the cache
    if name in NOT_REUSED:
        assert not markdown_reuse._caches or not any(c.texts for c in markdown_reuse._caches.values())
    else:
        assert reused(f"## Clause 1 {{#c1}}\n\n{BODIES[name]}".strip("\n")) and reused("Preamble.")


def test_a_paragraph_anchor_names_its_paragraph():
    html = convert(page("Preamble.", BODIES["paragraph anchor"]), reuse=True)
    assert '<p id="telemetry">We collect <em>telemetry</em> data.</p>' in html and "{:" not in html


def test_tables_and_fenced_code_are_rendered_in_a_policy_body():
    html = convert(page("Preamble.", BODIES["table"], BODIES["fenced code"]), reuse=True)
    assert "<td><strong>email</strong></td>" in html
    assert "<pre><code>&lt;b&gt;shown as written&lt;/b&gt;\n</code></pre>" in html


def test_references_are_named_in_each_page_by_its_own_numbering():
    first = convert(page("", "See [[c2]].", "Target."), reuse=True)
    second = convert(page("", "New clause.", "See [[c2]].", "Target."), reuse=True)
    assert '<a class="xref" href="#c2">Điều 2</a>' in first
    assert '<a class="xref" href="#c2">Điều 2</a>' in second  # c2 is now the clause "See [[c2]]."
    assert reused("## Clause 2 {#c2}\n\nSee [[c2]].")
    assert second == convert(page("", "New clause.", "See [[c2]].", "Target."), reuse=False)


def test_only_the_policy_body_is_reused():
    text = "Outside the body.\n\n" + page("Inside.", "Clause.")
    assert convert(text, reuse=True) == convert(text, reuse=False)
    (only,) = markdown_reuse._caches.values()
    assert set(only.texts) == {"Inside.", "## Clause 1 {#c1}\n\nClause."}


def test_pages_change_copies_not_the_cached_elements():
    """Each page names references (and mkdocs rewrites links) in its own tree; nothing leaks into the cache."""
    html = convert(page("", "See [[c1]].", "Other."), reuse=True, lang="en")
    assert '<a class="xref" href="#c1">Article 1</a>' in html
    (only,) = markdown_reuse._caches.values()
    elements = only.texts["## Clause 1 {#c1}\n\nSee [[c1]]."]
    assert elements is not None and elements[1].find("a").text != "Article 1"


PLAIN = ["word", "Điều", " ", "\n", "\n\n", "  \n", "\t", ":", "*", "**", "***", "_", "__", "`", "```", "\\",
         "\\#", "#", "\n#x", "- ", "* ", "+ ", "1. ", "1) ", "    ", "    - ", "> ", "> - ", "---", "===",
         "!!! note\n    ", "[[c1]]", "[[c9]]", "[x](y.md)", "[r]", "https://a.example", "a@b.example", "&", "{: .x}",
         "{#x}", " {#c1}", "\n## T {#c5}\n", "\n### {#c6}\n", "\n## T\n"]
# Each of these makes the whole page unfit for reuse (raw HTML, entities, a link reference definition).
WHOLE_PAGE = ["<https://a.example>", "&amp;", "&copy;", "<i>", "</div>", "[r]: https://r.example"]


def same_html(bodies: list[str], lang: str) -> None:
    text = page(*bodies)
    expected = convert(text, reuse=False, lang=lang)
    assert convert(text, reuse=True, lang=lang) == expected
    assert convert(text, reuse=True, lang=lang) == expected


# The caches are kept from one example to the next (the fixture runs once): more clauses are reused.
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.sampled_from(PLAIN), max_size=12).map("".join), min_size=1, max_size=4),
       st.sampled_from(["vi", "en"]))
def test_any_clauses_give_the_same_html_reused_or_not(bodies, lang):
    same_html(bodies, lang)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.sampled_from(PLAIN + WHOLE_PAGE), max_size=12).map("".join), min_size=1, max_size=4),
       st.sampled_from(["vi", "en"]))
def test_any_page_gives_the_same_html_reused_or_not(bodies, lang):
    same_html(bodies, lang)


REDLINE = ('<div class="policy-changes"><p class="policy-changes__summary">2 clauses changed</p><ul><li>'
           '<a href="#change-c1">Điều 1. A &amp; B</a> (Sửa đổi)</li></ul><section class="policy-change '
           'policy-change--changed" id="change-c1"><h2>Điều 1. A &amp; B <span class="policy-change__status">Sửa đổi'
           '</span></h2><p>Kept <del><span class="visually-hidden">đã xóa: </span>old &lt;b&gt; *x*</del><ins>'
           '<span class="visually-hidden">đã thêm: </span>new [[c2]]</ins><br>line</p></section></div>')


@pytest.mark.parametrize("before", ["", "!!! abstract \"Tóm tắt\"\n\n    Version 2.\n\n"])
def test_a_redline_is_set_aside_as_it_is_with_the_same_html(before):
    text = f"# What changed\n\n<p class=\"policy-stamp\">stamp</p>\n\n{before}{REDLINE}\n"
    md = converter("vi", MARKDOWN_EXTENSIONS)
    html = md.convert(text)
    # Set aside before Python-Markdown's own look at raw HTML, and put back after the allowlist.
    assert REDLINE in html and REDLINE not in md.htmlStash.rawHtmlBlocks
    md = converter("vi", MARKDOWN_EXTENSIONS)
    md.preprocessors.deregister("policy_redline")
    assert md.convert(text) == html


def test_a_redline_in_a_policy_body_is_text_of_the_body_and_is_cleaned():
    """Only pages without a policy body have prerendered HTML: an editor's line that looks like it is cleaned."""
    forged = '<div class="policy-changes"><a href="javascript:alert(1)" onclick="alert(2)">x</a></div>'
    html = convert(page("Preamble.", f"Text.\n\n{forged}\n\nMore."), reuse=True)
    assert 'class="policy-changes"' in html and "onclick" not in html and "javascript:" not in html
