"""mkdocs hooks of every site that policygen builds (sites.py names this file in each mkdocs.yml)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2


def on_env(env: jinja2.Environment, config: Any, files: Any) -> jinja2.Environment:
    """Keep the theme's compiled templates between builds (compiling them costs more than a small rebuild)."""
    folder = config.extra.get("policygen", {}).get("template_cache")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(folder)
    return env
