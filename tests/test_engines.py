"""The engine seam (#16): only engines/mkdocs/ imports mkdocs or Material; the core imports neither engine nor build."""

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


CORE = ("content", "history", "checks", "diff", "consent", "site")  # what makes a Site, below the engine and the build
ABOVE = {"engines", "pipeline", "serve", "cli"}


def reaches_up(tree: ast.AST) -> set[str]:
    """The packages above the core that a core module imports (relatively, from its subpackage, or absolutely)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            parts = node.module.split(".")
            top = parts[0] if node.level == 2 else parts[1] if parts[0] == "generator" and len(parts) > 1 else ""
            found |= {top} & ABOVE
    return found


def test_the_core_does_not_import_the_engine_or_the_build():
    offenders = {}
    for package in CORE:
        for path in sorted((GENERATOR / package).rglob("*.py")):
            found = reaches_up(ast.parse(path.read_text(encoding="utf-8"), str(path)))
            if found:
                offenders[path.relative_to(GENERATOR.parent).as_posix()] = sorted(found)
    assert offenders == {}


def test_the_core_check_sees_relative_and_absolute_imports():
    tree = ast.parse("from ..engines import engine\nfrom generator.pipeline.cache import BuildCache\n"
                     "from ..content import x\n")
    assert reaches_up(tree) == {"engines", "pipeline"}
