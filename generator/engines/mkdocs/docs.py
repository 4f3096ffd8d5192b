"""A kept project's docs folder: the site's typed pages written as mkdocs reads them, the rest as they are.

This is the one place a page's values become text: its front matter (YAML, mkdocs' format for them,
in YAML's JSON-compatible flow style), above its Markdown body. The theme reads them back from
mkdocs' `page.meta`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ...site.model import Page, Site

# What YAML reads otherwise than JSON means it, or refuses, and JSON leaves raw: C1 controls (U+0085 is a
# line break to YAML 1.1), U+2028 and U+2029 (line breaks too), DEL, the byte-order mark, U+FFFE, U+FFFF.
YAML_SPECIAL = re.compile("[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")


def source(page: Page) -> str:
    """The docs file of a page: its title, search exclusion and values as front matter, then its Markdown."""
    meta: dict[str, Any] = {"title": page.title, **({} if page.search else {"search": {"exclude": True}}),
                            **page.meta}
    head = "".join(f"{name}: {_flow(value)}\n" for name, value in meta.items())
    return f"---\n{head}---\n\n{page.markdown}"


def _flow(value: Any) -> str:
    """A value in YAML's flow style: its JSON (a tenth of the time of PyYAML's dump), what YAML reads otherwise
    escaped as `\\uXXXX`, which both read alike."""
    return YAML_SPECIAL.sub(lambda found: f"\\u{ord(found.group()):04x}", json.dumps(value, ensure_ascii=False))


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
