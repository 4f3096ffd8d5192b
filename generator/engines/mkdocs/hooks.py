"""mkdocs hooks of every site that policygen builds (sites.py names this file in each mkdocs.yml)."""

from __future__ import annotations

import hashlib
import hmac
import io
import os
import secrets
from collections.abc import Callable, Hashable
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
from mkdocs.plugins import event_priority

from generator.engines.mkdocs.theme_files import ThemeLoader


@event_priority(100)  # before the search plugin's, which makes an environment of its own
def on_config(config: Any) -> Any:
    """Every environment the theme makes: its files listed by `ThemeLoader` (see there why), compiled templates kept.

    The search plugin's own environment compiled six templates in every build, a third of a small one.
    """
    theme = config.theme
    make = theme.get_env
    folder = config.extra.get("policygen", {}).get("template_cache")
    key = _signing_key() if folder else None

    def environment() -> jinja2.Environment:
        env: jinja2.Environment = make()
        env.loader = ThemeLoader(theme.dirs)
        if folder and key:
            Path(folder).mkdir(parents=True, exist_ok=True)
            env.bytecode_cache = SignedBytecodeCache(folder, key)  # compiling costs more than a small rebuild
        return env

    theme.get_env = environment  # mkdocs' Theme offers no other way to choose the loader
    return config


def on_env(env: jinja2.Environment, config: Any, files: Any) -> jinja2.Environment:
    """The two template helpers below, fresh for each build (the compiled-template cache: `on_config`)."""
    env.globals["policygen_t"] = _translator(env, config.extra.get("policygen", {}).get("theme_strings", {}))
    env.globals["policygen_once"] = _Once()
    env.filters.setdefault("split", _split)  # MiniJinja's, so that the theme renders under both engines
    return env


def _split(text: str, separator: str | None = None, most: int | None = None) -> list[str]:
    """MiniJinja's `split` filter (Jinja2 has none): `str.split`, at most `most` times."""
    return text.split(separator, -1 if most is None else most)


class SignedBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja's file cache of compiled templates, each file signed with this machine's key.

    A compiled template is code, and Jinja reads a cache file with pickle and marshal: a file that
    someone else put in `.site.cache/` (a restored CI cache, a shared folder) would run. A file
    whose HMAC does not match is ignored, and the template is compiled again.
    """

    def __init__(self, directory: str, key: bytes) -> None:
        super().__init__(directory)
        self.key = key

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            data = Path(self._get_cache_filename(bucket)).read_bytes()
        except OSError:
            return
        mac, body = data[:MAC_SIZE], data[MAC_SIZE:]
        if hmac.compare_digest(mac, hmac.new(self.key, body, hashlib.sha256).digest()):
            bucket.load_bytecode(io.BytesIO(body))

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        out = io.BytesIO()
        bucket.write_bytecode(out)
        body = out.getvalue()
        path = Path(self._get_cache_filename(bucket))
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")  # workers write the same file
        try:
            temporary.write_bytes(hmac.new(self.key, body, hashlib.sha256).digest() + body)
            os.replace(temporary, path)
        except OSError:  # a cache only makes the next build faster
            temporary.unlink(missing_ok=True)


MAC_SIZE = 32


def _signing_key() -> bytes | None:
    """This machine's key for the template cache, outside the site folder (made on first use); None if none can be."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    path = base / "policygen" / "template-cache.key"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(secrets.token_bytes(MAC_SIZE))
    except FileExistsError:
        pass
    except OSError:
        return None
    try:
        key = path.read_bytes()
    except OSError:
        return None
    # Short: another process is writing it right now; this one builds without the cache.
    return key if len(key) == MAC_SIZE else None


def _translator(env: jinja2.Environment, own: dict[str, str]) -> Callable[[str, str], str]:
    """Material's `lang.t(key)`: `own` (our catalogs' text), else Material's language macros; each key looked up once.

    templates/theme/partials/language.html calls this: Material's macro builds its whole table of
    about 100 strings on every call, some 30 times a page.
    """
    @cache
    def translate(language: str, key: str) -> str:
        if key in own:  # where Material's file is wrong or still English (mkdocs_yml.THEME_STRINGS)
            return own[key]
        material: Any = env.get_template(f"partials/languages/{language}.html").module  # Material's macro `t`
        english: Any = env.get_template("partials/languages/en.html").module
        return str(material.t(key) or english.t(key) or key)

    return translate


class _Once:
    """`{% call policygen_once(*key) %}…{% endcall %}`: the block as rendered for the first page with that key.

    partials/once.html calls it, where it is defined (under mkdocs), for the styles, config, scripts and
    search blocks. base.html calls it for the navigation of the pages outside it (archived versions,
    changes): no item is theirs, so it differs between them only by its relative links. The navigation
    holds the home page and the policies' folders (mkdocs_yml.mkdocs_config), so those depend only on the
    depth of the page's URL and its first folder: the key.
    """

    def __init__(self) -> None:
        self.done: dict[tuple[Hashable, ...], str] = {}

    def __call__(self, *key: Hashable, caller: Callable[[], str]) -> str:
        if key not in self.done:
            self.done[key] = caller()
        return self.done[key]
