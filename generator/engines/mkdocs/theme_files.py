"""The theme's files: the copies a dirty build leaves alone (for sites.py), and a loader that lists them fast.

sites.py gives every shared (published) output file a copy of its own before a dirty build, since
mkdocs writes files in place. The theme's static files (Material's scripts and stylesheets, some
3 MB) are most of them, and a dirty build copies one again only if the theme's file is newer than
its copy (mkdocs' `File.is_modified`); a change of theme builds the project clean (sites.py's shell).
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2


def untouched(output: Path, mkdocs: dict[str, Any], outputs: dict[str, Path], rendered: set[str]) -> set[Path]:
    """What a dirty build does not write in `output`: docs files' outputs not `rendered`, the theme's kept copies."""
    kept = kept_theme_copies(output, mkdocs, set(outputs))
    return kept | {path for rel, path in outputs.items() if rel not in rendered}


def kept_theme_copies(output: Path, mkdocs: dict[str, Any], docs: set[str]) -> set[Path]:
    """The files of `output` that mkdocs copied from the theme and will not copy again; `docs`: the docs files."""
    from mkdocs import utils

    options = mkdocs["theme"]
    dirs, static = _theme(options["name"], options.get("custom_dir"), tuple(options.get("static_templates", ())))
    rendered = {*static, *mkdocs.get("extra_templates", [])}  # written by every build
    kept = set()
    for path in output.rglob("*"):
        rel = path.relative_to(output).as_posix()
        if rel in docs or rel in rendered or not _static(rel, utils.markdown_extensions) or not path.is_file():
            continue  # a docs file overrides the theme's (sites.py sees to those); the others are not copies
        source = next((Path(d, rel) for d in dirs if os.path.isfile(os.path.join(d, rel))), None)
        if source is not None and os.path.getmtime(path) >= os.path.getmtime(source):
            kept.add(path)
    return kept


@cache
def _theme(name: str, custom_dir: str | None, static_templates: tuple[str, ...]
           ) -> tuple[tuple[str, ...], frozenset[str]]:
    """A theme's folders and the templates it renders in every build (mkdocs' Theme; finding it takes a while)."""
    from mkdocs.theme import Theme

    theme = Theme(name, custom_dir=custom_dir, static_templates=static_templates)
    return tuple(theme.dirs), frozenset(theme.static_templates)


def _static(rel: str, markdown: tuple[str, ...]) -> bool:
    """Whether mkdocs would copy a theme file at `rel` (the filter of `Files.add_files_from_theme`, or stricter)."""
    name = rel.lower()
    parts = PurePosixPath(name).parts
    return not (any(part.startswith(".") for part in parts) or name.endswith((".py", ".pyc", ".html", *markdown))
                or "readme" in name or name == "mkdocs_theme.yml" or parts[0] == "locales")


class ThemeLoader(jinja2.FileSystemLoader):
    """The theme's template loader, whose list leaves out hidden files and folders.

    mkdocs lists the theme only to copy its static files, and copies no hidden one (its filter
    drops `.*` and `*/.*`), so the files it copies are the same; Material keeps 14,000 icons in
    `.icons/`, and walking them took a third of a one-page rebuild.
    """

    def list_templates(self) -> list[str]:
        """The theme's files but the hidden ones, as `FileSystemLoader.list_templates` names them."""
        found: set[str] = set()
        for top in self.searchpath:
            for folder, subfolders, names in os.walk(top, followlinks=self.followlinks):
                subfolders[:] = [name for name in subfolders if not name.startswith(".")]  # not walked into
                found.update(Path(folder, name).relative_to(top).as_posix() for name in names
                             if not name.startswith("."))
        return sorted(found)
