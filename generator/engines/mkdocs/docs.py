"""A kept project's docs folder: the site's typed pages written as mkdocs reads them, the rest as they are.

This is the one place a page's values become text: its front matter, in YAML (mkdocs' format for
them), above its Markdown body. The theme reads them back from mkdocs' `page.meta`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ...site.model import Page, Site


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]  # libyaml's, when built with it
    """YAML's safe dumper, with tuples (of the chrome's dataclasses) written as lists."""


_Dumper.add_representer(tuple, yaml.representer.SafeRepresenter.represent_list)


def source(page: Page) -> str:
    """The docs file of a page: its title, search exclusion and values as front matter, then its Markdown."""
    meta: dict[str, Any] = {"title": page.title, **({} if page.search else {"search": {"exclude": True}}),
                            **page.meta}
    # YAML escapes what JSON would not (U+0085, astral characters): any title round-trips.
    head = yaml.dump(meta, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1 << 30)
    return f"---\n{head}---\n\n{page.markdown}"


def sync(site: Site, docs: Path, root: Path) -> tuple[set[str], bool]:
    """Write the site's files that differ from the project's; (paths written, whether any file went away)."""
    wanted = {rel: source(page).encode("utf-8") for rel, page in site.pages.items()}
    wanted.update({rel: text.encode("utf-8") for rel, text in site.files.items()})
    wanted.update({rel: (root / copied).read_bytes() for rel, copied in site.copies.items()})
    existing = {path.relative_to(docs).as_posix() for path in docs.rglob("*") if path.is_file()}
    changed = set()
    for rel, data in wanted.items():
        path = docs / rel
        if rel in existing and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        changed.add(rel)
    gone = existing - wanted.keys()
    for rel in gone:
        (docs / rel).unlink()
    return changed, bool(gone)


def indexed(site: Site) -> set[str]:
    """The pages that go into the search index."""
    return {rel for rel, page in site.pages.items() if page.search}


def outputs(site: Site, project: Path) -> dict[str, Path]:
    """Where mkdocs writes each docs file of the site: a page's HTML, or the copy of any other file."""
    from mkdocs.structure.files import File

    directory_urls = bool(site.engine.get("use_directory_urls", True))
    return {rel: Path(File(rel, str(project / "docs"), str(project / "site"), directory_urls).abs_dest_path)
            for rel in [*site.pages, *site.files, *site.copies]}
