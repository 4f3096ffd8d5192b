"""Policy text with only `{{ brand.x }}` is filled in without Jinja: exactly as Jinja would fill it in."""

from __future__ import annotations

from typing import Any

import jinja2
import pytest

from generator.content import sandbox as sandbox_module
from generator.content.render import MissingFact, content_environment
from generator.content.sandbox import EditorTemplateError, _brand_values_only, render
from generator.jinja_envs import editor_sandbox

BRAND = {"id": "acme", "name": "ACME", "website": "https://acme.example", "services": ["hosting"],
         "hotline": MissingFact(hint="no hotline"), "items": "not a method"}
SOURCES = [
    "{{ brand.name }} provides hosting.\n", "{{brand.name}}", "{{ brand.name }}{{ brand.website }}",
    "}}{{ brand.name }}", "{ {{ brand.name }}", "## Title {#id}\n\n{{ brand.name }} text\n", "{{ brand.name }}}",
    # Jinja must do these (another expression, a brace before, a comment, a statement, a \r, a value not text):
    "{{{ brand.name }}", "{{ brand.name }}{{", "{{ brand.items }}", "{{ brand.services }}",
    "{{ brand.hotline }}", "{{ brand.nope }}", "{{ brand.name|upper }}", "{{ brand.name -}} x", "a\r\n{{ brand.name }}",
    "{## note ##}{{ brand.name }}", "{# c #}{{ brand.name }}", "{% if brand.name %}{{ brand.name }}{% endif %}",
]


def _rendered(env: jinja2.Environment, source: str) -> tuple[str, ...]:
    try:
        return ("text", render(env, source, {"brand": BRAND}))
    except EditorTemplateError as exc:
        return ("error", str(exc.line), exc.message, exc.hint)


@pytest.mark.parametrize("comments", [True, False])
@pytest.mark.parametrize("source", SOURCES)
def test_same_text_as_jinja(source: str, comments: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    env = content_environment() if comments else editor_sandbox()
    ours = _rendered(env, source)
    monkeypatch.setattr(sandbox_module, "_brand_values_only", lambda *args: None)  # Jinja for everything
    assert ours == _rendered(env, source)


def test_only_plain_brand_values_skip_jinja() -> None:
    env = content_environment()
    taken = [source for source in SOURCES if _brand_values_only(env, source, {"brand": BRAND}) is not None]
    assert taken == [*SOURCES[:7], "{# c #}{{ brand.name }}"]  # {# is text in policy text: comments are {## ##}


def test_not_a_dict_is_left_to_jinja() -> None:
    context: dict[str, Any] = {"brand": type("Brand", (), {"name": "ACME"})()}
    assert _brand_values_only(content_environment(), "{{ brand.name }}", context) is None
