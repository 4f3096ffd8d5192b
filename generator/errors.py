"""The exception hierarchy: every user-facing failure is a list of located problems."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, where it is, and how to fix it."""

    path: str
    line: int
    message: str
    hint: str = ""
    column: int = 0  # 1-based, 0 when the problem is about the whole line

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        where += f":{self.column}" if self.line and self.column else ""
        text = f"{where}: {self.message.rstrip('.')}."
        return f"{text} {self.hint}" if self.hint else text


class PolicygenError(Exception):
    """Base of every error the CLI reports without a traceback."""

    def __init__(self, problems: Iterable[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem("policygen", 0, problems)]
        self.problems: tuple[Problem, ...] = tuple(sorted(set(problems), key=lambda p: (p.path, p.line, p.column,
                                                                                     p.message)))
        super().__init__("\n".join(str(p) for p in self.problems))


class ConfigError(PolicygenError):
    """site.yml is malformed or does not match its schema."""


class ContentError(PolicygenError):
    """A policy file is malformed, incomplete or inconsistent."""


class BuildError(PolicygenError):
    """The site could not be rendered or written."""


class Collector:
    """Gathers problems from many checks so they can be reported together."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, line: int, message: str, hint: str = "", column: int = 0) -> None:
        """Record one problem."""
        self.problems.append(Problem(path, line, message, hint, column))

    def extend(self, problems: Iterable[Problem]) -> None:
        """Record several problems."""
        self.problems.extend(problems)

    def raise_if_any(self, kind: type[PolicygenError]) -> None:
        """Raise `kind` carrying every recorded problem, if there are any."""
        if self.problems:
            raise kind(self.problems)
