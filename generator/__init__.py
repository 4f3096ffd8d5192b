"""policygen: bilingual, multi-brand policy sites from structured Markdown in git."""

from __future__ import annotations

__version__ = "0.1.0"
