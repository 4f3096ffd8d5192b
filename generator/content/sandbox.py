"""The one Jinja sandbox that editors' templates run in: policy text, consent and banner wording.

Editors' text is untrusted input (a pull request can change it), so it is rendered in
`ImmutableSandboxedEnvironment` with no globals, a few harmless filters, and only the constructs
the format documents: `{{ value }}`, `{% if %}`, and calls of the functions the caller passes
(`policy_link`, `policy`). Loops, assignments, macros, imports and arithmetic are refused before
anything runs, so a template can neither reach Python's internals nor run for long.
"""

from __future__ import annotations

import re
import traceback
from functools import lru_cache
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .characters import bad_characters

FILTERS = ("upper", "lower", "capitalize", "title", "trim", "default", "d")
# The expression and statement nodes a documented template can contain; anything else is refused.
ALLOWED_NODES = (nodes.Template, nodes.Output, nodes.TemplateData, nodes.If, nodes.Name, nodes.Getattr,
                 nodes.Const, nodes.Call, nodes.Filter, nodes.Not, nodes.And, nodes.Or, nodes.Compare,
                 nodes.Operand, nodes.CondExpr, nodes.Concat, nodes.Test)
CONSTRUCTS = {nodes.For: "{% for %}", nodes.Macro: "{% macro %}", nodes.Assign: "{% set %}",
              nodes.AssignBlock: "{% set %}", nodes.Include: "{% include %}", nodes.Import: "{% import %}",
              nodes.FromImport: "{% from %}", nodes.Extends: "{% extends %}", nodes.Block: "{% block %}",
              nodes.CallBlock: "{% call %}", nodes.FilterBlock: "{% filter %}", nodes.With: "{% with %}",
              nodes.Getitem: "[…]", nodes.BinExpr: "arithmetic", nodes.UnaryExpr: "arithmetic",
              nodes.List: "a list", nodes.Dict: "a dict", nodes.Tuple: "a tuple"}
# `{{ brand.name }}`, most of what policy text holds: filled in without compiling a template (sandbox.render).
BRAND_VALUE_RE = re.compile(r"\{\{ ?brand\.([a-z_]+) ?\}\}")
UNKNOWN_HINT = "Use a variable listed in docs/content-format.md (for example {{ brand.name }})."
HINT = ("Use only {{ brand.… }} values, {% if %}…{% endif %} and the functions listed in "
        "docs/content-format.md.")


class EditorTemplateError(Exception):
    """Why an editor's template cannot be rendered, at a line of the template (1-based)."""

    def __init__(self, line: int, message: str, hint: str = HINT) -> None:
        super().__init__(message)
        self.line, self.message, self.hint = line, message, hint


class EditorSandbox(ImmutableSandboxedEnvironment):
    """A sandbox with nothing in it but what the caller passes to `render`."""

    def __init__(self, **settings: Any) -> None:
        super().__init__(**settings)  # jinja_envs.editor_sandbox's: escaping and undefined names are decided there
        self.globals.clear()
        self.filters = {name: self.filters[name] for name in FILTERS}
        self.tests = {name: self.tests[name] for name in ("defined", "undefined", "none", "string")}


def render(env: jinja2.Environment, source: str, context: dict[str, Any]) -> str:
    """Render an editor's template; any problem is a EditorTemplateError at its line, never an exception of Python's."""
    for line, column, what in bad_characters(source):
        raise EditorTemplateError(line, f"the character {what} at column {column} is not allowed",
                                  "Delete it: it is invisible, a control character, or changes the direction of the "
                                  "text.")
    simple = _brand_values_only(env, source, context)
    if simple is not None:
        return simple
    template = _compile(env, source)
    try:
        return template.render(context)
    except jinja2.UndefinedError as exc:
        raise EditorTemplateError(_template_line(exc), f"unknown value: {exc}", UNKNOWN_HINT) from None
    except SecurityError as exc:
        raise EditorTemplateError(_template_line(exc), f"template error: {str(exc).rstrip('.')}") from None
    except EditorTemplateError:
        raise
    except RecursionError:
        raise EditorTemplateError(1, "the template is nested too deeply", HINT) from None
    except Exception as exc:  # {{ brand.name(1) }}, a wrong filter argument…: the text's error, not ours
        raise EditorTemplateError(_template_line(exc), f"template error: {type(exc).__name__}: {exc}") from None


def _brand_values_only(env: jinja2.Environment, source: str, context: dict[str, Any]) -> str | None:
    """The text Jinja would print for data and `{{ brand.x }}` (x a text) only; None for anything else."""
    pieces = BRAND_VALUE_RE.split(source)  # data, name, data, name, …, data
    data, names = pieces[::2], pieces[1::2]
    if not _plain(env, source) or any(env.variable_start_string in text or text.endswith("{") for text in data):
        return None  # another expression, or one that begins a brace early (`{{{ brand.name }}`)
    brand = context.get("brand")
    found = [brand.get(name) if type(brand) is dict and not hasattr(dict, name) else None for name in names]
    values = [value for value in found if type(value) is str]
    if len(values) < len(names):
        return None  # a missing fact (MissingFact) and anything not text: Jinja reports or prints it
    return "".join(text + value for text, value in zip(data, [*values, ""], strict=True))


def _plain(env: jinja2.Environment, source: str) -> bool:
    """No statement, comment or line syntax, and no newline that Jinja would normalize."""
    return not ("\r" in source or env.line_statement_prefix or env.line_comment_prefix
                or env.block_start_string in source or env.comment_start_string in source)


@lru_cache(maxsize=4096)
def _compile(env: jinja2.Environment, source: str) -> jinja2.Template:
    """Parse, check and compile a template once: the same clause text recurs in every brand and version."""
    try:
        tree = env.parse(source)
        _check(tree)
        return env.from_string(tree)
    except RecursionError:  # thousands of `not`, filters or nested {% if %}: Jinja's parser recurses per level
        raise EditorTemplateError(1, "the template is nested too deeply", HINT) from None
    except jinja2.TemplateSyntaxError as exc:  # unknown tests and filters too (TemplateAssertionError)
        raise EditorTemplateError(exc.lineno or 1, f"template error: {exc.message}",
                              "Check the {{ }} and {% %} on this line; a {% if %} must close within the same "
                              "clause.") from None


def _check(tree: nodes.Node) -> None:
    """Refuse every construct the format does not document, before anything runs."""
    for node in [tree, *tree.find_all(nodes.Node)]:
        if isinstance(node, nodes.Filter) and node.name not in FILTERS:
            raise EditorTemplateError(node.lineno, f"the filter `{node.name}` is not allowed in policy text")
        if isinstance(node, nodes.Call) and not isinstance(node.node, nodes.Name):
            raise EditorTemplateError(node.lineno, "only the documented functions can be called in policy text")
        if not isinstance(node, ALLOWED_NODES):
            construct = next((text for kind, text in CONSTRUCTS.items() if isinstance(node, kind)),
                             type(node).__name__)
            raise EditorTemplateError(node.lineno, f"{construct} is not allowed in policy text")


def _template_line(exc: BaseException) -> int:
    """The template line an exception was raised on (Jinja maps its frames to template lines)."""
    lines = [lineno for frame, lineno in traceback.walk_tb(exc.__traceback__)
             if frame.f_code.co_filename == "<template>"]
    return lines[-1] if lines else 1
