"""'Did you mean …?' for a mistyped id."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """'Did you mean 'x'? ' for the closest known id, or '' (ends with a space, to start a hint)."""
    close = difflib.get_close_matches(word, sorted(set(known)), n=1, cutoff=0.6)
    return f"Did you mean {close[0]!r}? " if close else ""
