"""One cache-key function and one Jinja environment factory (issue #16)."""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path

import jinja2

from generator.jinja_envs import editor_sandbox, page_templates
from generator.keys import key

GENERATOR = Path(__file__).resolve().parent.parent / "generator"
ENVIRONMENTS = {"Environment", "SandboxedEnvironment", "ImmutableSandboxedEnvironment", "EditorSandbox"}


def test_a_key_keeps_its_parts_apart():
    assert key("ab", "c") != key("a", "bc")
    assert key("a", "") != key("a")
    assert key("é") == key("é".encode()) == key("é")
    assert len(key()) == 64 and key() != hashlib.sha256(b"").hexdigest()


def made(tree: ast.AST) -> set[str]:
    """The Jinja environment classes a module calls (constructs), wherever in it."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name in ENVIRONMENTS:
                names.add(name)
    return names


def test_every_jinja_environment_is_made_in_jinja_envs():
    makers = {path.relative_to(GENERATOR).as_posix() for path in sorted(GENERATOR.rglob("*.py"))
              if made(ast.parse(path.read_text(encoding="utf-8")))}
    assert makers == {"jinja_envs.py"}


def test_the_check_sees_an_environment_made_elsewhere():
    assert made(ast.parse("import jinja2\nenv = jinja2.Environment()\n")) == {"Environment"}
    assert made(ast.parse("def f():\n    return EditorSandbox(autoescape=True)\n")) == {"EditorSandbox"}


def test_the_two_kinds_decide_escaping_and_undefined_names(tmp_path):
    (tmp_path / "a.html.j2").write_text("{{ x }}", encoding="utf-8")
    (tmp_path / "a.txt").write_text("{{ x }}", encoding="utf-8")
    pages = page_templates(tmp_path)
    assert pages.get_template("a.html.j2").render(x="<b>") == "&lt;b&gt;"
    assert pages.get_template("a.txt").render(x="<b>") == "<b>"
    sandbox = editor_sandbox()
    assert sandbox is editor_sandbox() and sandbox.from_string("{{ x }}").render(x="<b>") == "<b>"
    for env in (pages, sandbox):
        assert env.undefined is jinja2.StrictUndefined
    assert editor_sandbox(comments=True).from_string("{## c ##}{#id}").render() == "{#id}"
