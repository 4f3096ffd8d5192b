"""What the CLI asks of the history besides a build: `consent verify` and `diff`."""

from __future__ import annotations

from pathlib import Path

from ..consent.snippets import verify
from ..content.load import load_config
from ..diff.comment import config_of, to_markdown
from ..diff.report import compare, to_html, to_json
from ..history.git import GitHistory, read_lock, tree_at
from ..history.version_ids import settle_ids
from ..history.versions import read_versions, texts_at, timelines


def verify_consent(root: Path, brand: str, policy: str, lang: str, version: str, sha256: str
                   ) -> tuple[bool, str, str]:
    """`policygen consent verify`: (matches, why, the published text of that version)."""
    history = GitHistory(root)  # the published versions: those of the publishing branch's line
    cut = history.line(load_config(root / "site.yml", root).publishing_branch).cut
    found = settle_ids(read_versions(history.snapshots(until=cut)), read_lock(root))
    ok, match, reason = verify(timelines(found), brand, policy, lang, version, sha256)
    return ok, reason, match.body if match is not None else ""


def diff_report(root: Path, revisions: str, fmt: str) -> str:
    """`policygen diff`: the changes between REV_A and REV_B (or the working tree)."""
    old_rev, _, new_rev = revisions.partition("..")
    new_files = tree_at(root, new_rev or None)
    changes = compare(texts_at(tree_at(root, old_rev or "HEAD")), texts_at(new_files))
    if fmt == "markdown":  # the comment links to the sites of the new site.yml
        return to_markdown(changes, config_of(new_files))
    return {"json": to_json, "html": to_html}[fmt](changes)
