"""The one way a cache key is made (page memos, PDFs, site fingerprints, the build's inputs, the tools)."""

from __future__ import annotations

import hashlib

# Changing the encoding changes every key: the caches are then rebuilt once, never misread.
ENCODING = b"policygen-key-1\0"


def key(*parts: str | bytes) -> str:
    """The SHA-256 (hex) of `parts`, each as its length in bytes, ":" and its bytes (text as UTF-8).

    The length prefix keeps parts from running together: ("ab", "c") and ("a", "bc") differ. Callers
    turn values into parts themselves, always the same way (`repr` of frozen dataclasses, JSON with
    sorted keys), and give a list's length before its items when a list is followed by more parts.
    """
    digest = hashlib.sha256(ENCODING)
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(b"%d:" % len(data))
        digest.update(data)
    return digest.hexdigest()
