"""Findings of `policygen check`: located, with a severity, printed for terminals, GitHub or tools."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from ..errors import Problem


@dataclass(frozen=True, order=True)
class Finding:
    """One thing an editor should look at: where, how serious, what, and how to fix it."""

    path: str
    line: int
    column: int
    severity: str  # "error" or "warning" ("notice" in the lists of `check --todo`/`--references` for GitHub)
    message: str
    hint: str = ""
    rule: str = ""

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message.rstrip('.')}."
        return f"{text} {self.hint}" if self.hint else text


def labelled(finding: Finding) -> str:
    """The finding with its rule's name, which an accept marker names (`… [brand-leak]`)."""
    return f"{finding} [{finding.rule}]" if finding.rule else str(finding)


def from_problem(problem: Problem, rule: str = "structure") -> Finding:
    """A load or build problem as an error finding."""
    return Finding(problem.path, problem.line or 1, problem.column or 1, "error", problem.message, problem.hint, rule)


def as_text(findings: list[Finding], colour: bool) -> str:
    """One line per finding; errors red and warnings yellow on a terminal."""
    colours = {"error": "\x1b[31m", "warning": "\x1b[33m"}
    lines = [f"{colours[f.severity]}{labelled(f)}\x1b[0m" if colour else labelled(f) for f in findings]
    return "\n".join(lines) + ("\n" if lines else "")


def as_github(findings: list[Finding]) -> str:
    """GitHub workflow commands: annotations on the changed lines of a pull request."""
    def escape(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    return "".join(f"::{f.severity} file={f.path},line={f.line},col={f.column},title={f.rule}::"
                   f"{escape(f.message.rstrip('.') + '. ' + f.hint)}\n" for f in findings)


def as_json(findings: list[Finding]) -> str:
    """The findings for tools."""
    return json.dumps({"findings": [asdict(f) for f in findings]}, ensure_ascii=False, indent=1) + "\n"
