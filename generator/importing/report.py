"""What `policygen import` tells the editor: versions written, ids invented, and what is left to decide."""

from __future__ import annotations

from pathlib import Path

from ..checks.check import CheckOptions, run_check
from ..checks.findings import Finding
from ..errors import PolicygenError
from .model import Outcome


def decisions(root: Path) -> list[Finding]:
    """The check's findings on the imported content: what the editor must still decide."""
    try:
        return run_check(CheckOptions(root=root))
    except PolicygenError:  # not a git checkout yet: everything but the checks against history
        return run_check(CheckOptions(root=root, base=None, history=False))


def report(outcome: Outcome, root: Path) -> str:
    """The import's report as plain lines."""
    if outcome.uncommitted:
        lines = [f"Written: {', '.join(outcome.uncommitted)}. Review them, then commit them."]
    else:
        lines = [f"Imported {len(outcome.committed)} version(s): {', '.join(outcome.committed) or 'none'}."]
    if outcome.skipped:
        lines.append(f"Already there, unchanged: {', '.join(outcome.skipped)}.")
    if outcome.invented:
        lines.append(f"Ids invented for headings without an anchor ({len(outcome.invented)}); keep them or change "
                     "them now, before the first release:")
        lines.extend(f"  {note}" for note in outcome.invented)
    if outcome.notes:
        lines.append("Done for you, or to check:")
        lines.extend(f"  {note}" for note in dict.fromkeys(outcome.notes))
    findings = decisions(root)
    errors = [f for f in findings if f.severity == "error"]
    lines.append("policygen check: no error." if not errors else "To decide before the build (policygen check):")
    lines.extend(f"  {finding}" for finding in findings)
    return "\n".join(lines) + "\n"
