"""Front matter rules: dates that cannot be right, and the languages of one version agreeing.

The versions of a policy in two languages are the same version when their `updated` dates are the same;
then their `effective` dates and `material` flags must agree. A later `updated` in one language alone is a
correction of that language (a better translation, a typo), published on its own: it cannot be material,
since a material change is a change of the policy, published in every language the same day.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

from ..content.assemble import Publication
from ..content.config import SiteConfig
from ..content.model import Resolved
from .findings import Finding


def front_matter_findings(config: SiteConfig, publication: Publication, today: dt.date,
                          root: Path | None = None) -> list[Finding]:
    """Every front matter finding, each once (a shared file's front matter serves several brands)."""
    found: set[Finding] = set()
    for text in publication.values():
        found.update(_dates(config, text, today, root))
    for (brand, policy, lang), text in publication.items():
        authority = publication.get((brand, policy, config.brand_authority(brand)))
        if authority is not None and lang != authority.lang:
            found.update(_agreement(authority, text, root))
    return sorted(found)


def _dates(config: SiteConfig, text: Resolved, today: dt.date, root: Path | None) -> Iterator[Finding]:
    """An `updated` date after tomorrow; a material change with too short a notice (while it is not in force)."""
    meta = text.meta
    if meta.updated > today + dt.timedelta(days=1):
        yield Finding(text.path, field_line(root, text.path, "updated"), 1, "error",
                      f"`updated` ({meta.updated.isoformat()}) is after today ({today.isoformat()})",
                      "Write the date the change is published (a typo in the year?); a date in the future would "
                      "block every later version of this policy.", "front-matter")
    notice = (meta.effective - meta.updated).days
    wanted = config.checks.material_notice_days
    if meta.material and notice < wanted and meta.effective >= today:
        yield Finding(text.path, field_line(root, text.path, "effective"), 1, "error",
                      f"a material change with {notice} days' notice; site.yml asks for {wanted}",
                      f"Set `effective:` at least {wanted} days after `updated`.", "versions")


def _agreement(authority: Resolved, text: Resolved, root: Path | None) -> Iterator[Finding]:
    """The translation's front matter against the authoritative text's."""
    ours, theirs = text.meta, authority.meta
    other = f"the {authority.lang!r} text ({authority.path})"
    if ours.updated == theirs.updated:
        if ours.effective != theirs.effective:
            yield Finding(text.path, field_line(root, text.path, "effective"), 1, "error",
                          f"`effective` ({ours.effective.isoformat()}) differs from {other}'s "
                          f"({theirs.effective.isoformat()})",
                          "One version takes effect on one date in every language: write the same date.",
                          "front-matter")
        if ours.material != theirs.material:
            yield Finding(text.path, field_line(root, text.path, "material"), 1, "error",
                          f"`material` ({str(ours.material).lower()}) differs from {other}'s "
                          f"({str(theirs.material).lower()})",
                          "A change is material or not in every language: write the same value.", "front-matter")
        return
    later = text if ours.updated > theirs.updated else authority
    if later.meta.material:
        yield Finding(later.path, field_line(root, later.path, "material"), 1, "error",
                      f"a material change dated {later.meta.updated.isoformat()} in {later.lang!r} only",
                      "A material change is published in every language on the same day: give the other "
                      "language's file the same `updated`, `effective` and `material`.", "front-matter")


def field_line(root: Path | None, path: str, field: str) -> int:
    """The line of a front matter field in a file (that of `updated`, else 1, if absent; read only for a finding)."""
    if root is None:
        return 1
    try:
        lines = (root / path).read_text(encoding="utf-8").split("\n")
    except OSError:
        return 1
    for wanted in (field, "updated"):
        for number, line in enumerate(lines, 1):
            if re.match(rf"{wanted}\s*:", line):
                return number
    return 1
