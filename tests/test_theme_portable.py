"""The theme overrides stay renderable by MiniJinja (Zensical) as Jinja2 does (architecture.md, "A second engine")."""

from __future__ import annotations

import re
from pathlib import Path

THEME = Path(__file__).resolve().parent.parent / "templates" / "theme"
# Python's str and dict methods: Jinja2 calls them, MiniJinja has none of them.
METHOD = re.compile(r"\.(?:get|split|rsplit|replace|endswith|startswith|count|items|keys|values|format|join|strip|"
                    r"lower|upper|title|find|index)\(")
TAG = re.compile(r"\{[{%].*?[%}]\}", re.S)
IMPORTS_LANGUAGE = re.compile(r'\{%-? import "partials/language\.html" as lang with context')
ONLY_UNDER_MKDOCS = "policygen_once is defined"  # a tag in a branch that MiniJinja never takes


def templates() -> dict[str, str]:
    """Every theme template's text without its Jinja comments."""
    return {str(path.relative_to(THEME)): re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.S)
            for path in sorted(THEME.rglob("*")) if path.suffix in (".html", ".xml")}


def test_no_python_methods_in_the_theme():
    found = []
    for name, text in templates().items():
        for line in text.splitlines():
            calls = [tag for tag in TAG.findall(line) if METHOD.search(tag)]
            if calls and ONLY_UNDER_MKDOCS not in line:
                found.append((name, calls))
    assert found == []


def test_every_partial_that_translates_imports_the_language_macros_itself():
    # MiniJinja does not pass the includer's imports on to an included template.
    missing = [name for name, text in templates().items()
               if "lang.t(" in text and name.startswith("partials/") and name != "partials/language.html"
               and not IMPORTS_LANGUAGE.search(text)]
    assert missing == []
