"""mkdocs hooks of every site that policygen builds (sites.py names this file in each mkdocs.yml)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import cache
from pathlib import Path
from typing import Any

import jinja2


def on_env(env: jinja2.Environment, config: Any, files: Any) -> jinja2.Environment:
    """Compiled templates kept between builds; the two template helpers below, fresh for each build."""
    folder = config.extra.get("policygen", {}).get("template_cache")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(folder)  # compiling costs more than a small rebuild
    env.globals["policygen_t"] = _translator(env)
    env.globals["policygen_once"] = _Once()
    return env


def _translator(env: jinja2.Environment) -> Callable[[str, str], str]:
    """Material's `lang.t(key)`, from Material's own language macros, each key looked up once.

    templates/theme/partials/language.html calls this: Material's macro builds its whole table of
    about 100 strings on every call, some 30 times a page.
    """
    @cache
    def translate(language: str, key: str) -> str:
        own = env.get_template(f"partials/languages/{language}.html").module.t(key)
        return own or env.get_template("partials/languages/en.html").module.t(key) or key

    return translate


class _Once:
    """`{% call policygen_once(*key) %}…{% endcall %}`: the block as rendered for the first page with that key.

    base.html uses it for the navigation of the pages outside it (archived versions, changes): no
    item is theirs, so it differs between them only by its relative links. The navigation holds the
    home page and the policies' folders (render.mkdocs_config), so those depend only on the depth
    of the page's URL and its first folder: the key.
    """

    def __init__(self) -> None:
        self.done: dict[tuple[Hashable, ...], str] = {}

    def __call__(self, *key: Hashable, caller: Callable[[], str]) -> str:
        if key not in self.done:
            self.done[key] = caller()
        return self.done[key]
