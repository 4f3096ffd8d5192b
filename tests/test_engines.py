"""The engine seam: mkdocs and Material are imported by the engine's package only (issue #16)."""

from __future__ import annotations

import ast
from pathlib import Path

GENERATOR = Path(__file__).resolve().parent.parent / "generator"
ENGINE = GENERATOR / "engines" / "mkdocs"
OWNED = {"mkdocs", "material"}  # the engine's packages: what no other module may import


def imported(tree: ast.AST) -> set[str]:
    """The top-level packages a module imports, wherever in it (inside functions too)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_only_the_mkdocs_engine_imports_mkdocs_or_material():
    offenders = {}
    for path in sorted(GENERATOR.rglob("*.py")):
        if ENGINE in path.parents:
            continue
        found = imported(ast.parse(path.read_text(encoding="utf-8"), str(path))) & OWNED
        if found:
            offenders[path.relative_to(GENERATOR.parent).as_posix()] = sorted(found)
    assert offenders == {}


def test_the_check_sees_imports_inside_functions():
    tree = ast.parse("def f():\n    from mkdocs.config import load_config\n    import material.plugins\n")
    assert imported(tree) == {"mkdocs", "material"}
