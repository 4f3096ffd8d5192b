"""Myers' O(ND) difference algorithm: a shortest edit script between two sequences (pure).

redline.py compares clause tokens with it, and templates/theme/assets/javascripts/redline.js has the
same code, tie for tie, so the history page's compare view marks what the changes pages mark.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence


def edit_script(x: Sequence[Hashable], y: Sequence[Hashable], limit: int) -> list[str] | None:
    """A shortest edit script ("=", "-", "+" per step) from Myers' O(ND) algorithm; None past `limit` edits."""
    n, m = len(x), len(y)
    v, trace = {1: 0}, []
    for d in range(min(n + m, limit) + 1):
        trace.append(dict(v))
        for k in range(-d, d + 1, 2):
            i = v[k + 1] if k == -d or (k != d and v[k - 1] < v[k + 1]) else v[k - 1] + 1
            j = i - k
            while i < n and j < m and x[i] == y[j]:
                i, j = i + 1, j + 1
            v[k] = i
            if i >= n and j >= m:
                return _walk_back(trace, n, m)
    return None


def _walk_back(trace: list[dict[int, int]], n: int, m: int) -> list[str]:
    """The edit script that Myers' search found, walked back from the end."""
    script: list[str] = []
    i, j = n, m
    for d in range(len(trace) - 1, 0, -1):
        v, k = trace[d], i - j
        down = k == -d or (k != d and v[k - 1] < v[k + 1])
        prev_k = k + 1 if down else k - 1
        prev_i = v[prev_k]
        prev_j = prev_i - prev_k
        mid_i = prev_i if down else prev_i + 1
        script += ["="] * (i - mid_i) + ["+" if down else "-"]
        i, j = prev_i, prev_j
    script += ["="] * i
    return script[::-1]
