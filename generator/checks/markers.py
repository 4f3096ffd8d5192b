"""Editors' markers in policy text, written as the text's own comments (`{## … ##}`, removed before publishing).

`{##- policygen: accept RULE "reason" ##}` at the end of a line accepts the finding of RULE on that line;
`{##- policygen: translation-reviewed DIGEST ##}` in a translated clause says it was checked against the
authoritative clause whose text has that digest. The `-` removes the space before the comment, so the
published text (and its SHA-256) is exactly what it was without the marker.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..suggest import did_you_mean
from .findings import Finding

MARKER = re.compile(r"\{##-?\s*policygen\s*:(.*?)-?##\}")
ACCEPT = re.compile(r"accept\s+(\S+)\s*(?:[\"“](.*)[\"”])?\s*$")
REVIEWED = re.compile(r"translation-reviewed\s+([0-9a-f]{8})\s*$")
# The rules of check_chunk and the front matter rules: what an editor may accept at one place.
ACCEPTABLE = ("typed-reference", "debris", "missing-address", "cut-off", "doubled-punctuation", "mangled",
              "doubled-word", "language", "brand-leak", "brand-name", "legal-name", "unbalanced", "pasted-text")
FORMS = ('{##- policygen: accept RULE "reason" ##} at the end of the line, or '
         "{##- policygen: translation-reviewed DIGEST ##}")


@dataclass(frozen=True)
class Accept:
    """One accepted finding: its rule, at one line of one file, and why."""

    path: str
    line: int
    column: int
    rule: str
    reason: str


def strip_markers(text: str) -> str:
    """The text without its policygen markers (they are not part of what a clause says)."""
    return MARKER.sub("", text) if "policygen" in text else text


def digest(text: str) -> str:
    """The short digest a translation-reviewed marker records: of the clause's normalized text."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:8]


def reviewed_digests(text: str) -> set[str]:
    """The digests of the translation-reviewed markers in a clause's source."""
    return {m.group(1) for raw in MARKER.finditer(text) if (m := REVIEWED.match(raw.group(1).strip()))}


def read_accepts(lines: Iterable[tuple[str, int, str]]) -> tuple[list[Accept], list[Finding]]:
    """The accept markers in (path, line, source line) and the findings of malformed markers."""
    accepts: list[Accept] = []
    problems: list[Finding] = []
    for path, line, text in lines:
        if "policygen" not in text:
            continue
        for match in MARKER.finditer(text):
            body = match.group(1).strip()
            column = match.start() + 1
            if REVIEWED.match(body):
                continue
            accept = ACCEPT.match(body)
            if accept is None:
                problems.append(Finding(path, line, column, "error", f"{match.group(0)!r} is not a marker policygen "
                                        "knows", f"Write {FORMS}.", "marker"))
            elif accept.group(1) not in ACCEPTABLE:
                problems.append(Finding(path, line, column, "error", f"{accept.group(1)!r} is not a rule you can "
                                        "accept", did_you_mean(accept.group(1), ACCEPTABLE) + "Use the name in "
                                        f"brackets after the finding; these can be accepted: {', '.join(ACCEPTABLE)}.",
                                        "marker"))
            elif not (accept.group(2) or "").strip():
                problems.append(Finding(path, line, column, "error", "an accepted finding needs a reason",
                                        f'Say why the text is right: accept {accept.group(1)} "…".', "marker"))
            else:
                accepts.append(Accept(path, line, column, accept.group(1), accept.group(2).strip()))
    return accepts, problems


def apply_accepts(findings: list[Finding], accepts: list[Accept], complete: bool) -> list[Finding]:
    """The findings no marker accepts; a marker that accepts nothing is a warning (if every text was checked)."""
    wanted = {(a.path, a.line, a.rule) for a in accepts}
    kept = [f for f in findings if (f.path, f.line, f.rule) not in wanted]
    found = {(f.path, f.line, f.rule) for f in findings}
    stale = [Finding(a.path, a.line, a.column, "warning", f"the accepted {a.rule!r} finding is no longer here",
                     "Remove the marker: the text it accepted has changed.", "marker")
             for a in accepts if complete and (a.path, a.line, a.rule) not in found]
    return kept + stale
