"""Golden tests of the Markdown extension as production configures it: numbers, untitled sub-clauses, references."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.content.render import MARKDOWN_EXTENSIONS
from generator.site.markdown_ext import converter

GOLDEN = Path(__file__).parent / "golden"
CASES = [(name, lang) for name in ("clauses", "sections") for lang in ("vi", "en")]


def render(text: str, lang: str) -> str:
    """As the pages convert it: the production extensions (render.MARKDOWN_EXTENSIONS) and ours."""
    return converter(lang, MARKDOWN_EXTENSIONS).convert(text) + "\n"


@pytest.mark.parametrize(("name", "lang"), CASES)
def test_golden(name: str, lang: str):
    expected_path = GOLDEN / f"{name}.{lang}.html"
    actual = render((GOLDEN / f"{name}.md").read_text(encoding="utf-8"), lang)
    if os.environ.get("UPDATE_GOLDEN"):
        expected_path.write_text(actual, encoding="utf-8")
    assert actual == expected_path.read_text(encoding="utf-8")


def test_vietnamese_labels():
    html = render((GOLDEN / "clauses.md").read_text(encoding="utf-8"), "vi")
    assert '<span class="clause-no">Điều 2.</span> Duties' in html
    assert '<a class="xref" href="#duties-notice">khoản 1 Điều 2</a>' in html
    assert '<a class="xref" href="#duties-notice-email">điểm 1 khoản 1 Điều 2</a>' in html
    assert '<h4 class="untitled" id="duties-notice-email"><span class="clause-no">2.1.1.</span>' in html


def test_english_labels_and_references_outside_the_body_stay_raw():
    html = render((GOLDEN / "clauses.md").read_text(encoding="utf-8"), "en")
    assert '<a class="xref" href="#duties-pay">' not in html
    assert '<a class="xref" href="#duties">Article 2</a>' in html
    assert '<a class="xref" href="#duties-notice">clause 2.1</a>' in html
    assert "Final terms" in html and "clause-no\">3." not in html
    # A reference before the numbered body (a preamble) is named too.
    assert 'Preamble with a reference to <a class="xref" href="#scope">Article 1</a>' in html


def test_numbering_none_as_in_production():
    from generator.content.render import MARKDOWN_EXTENSIONS
    from generator.site.markdown_ext import converter

    body = ('<div class="policy-body" data-numbering="none" markdown="1">\n\n## Scope {#scope}\n\nSee [[duties]].\n\n'
            "## Duties *of the customer* {#duties}\n\nText.\n\n</div>\n")
    html = converter("vi", MARKDOWN_EXTENSIONS).convert(body)
    assert "clause-no" not in html
    assert '<a class="xref" href="#duties">Duties of the customer</a>' in html
