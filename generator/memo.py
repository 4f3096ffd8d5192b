"""Texts rendered from published versions, kept between builds by a digest of their inputs (pure)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from . import keys


class Memo:
    """Texts rendered from published versions, by a digest of their inputs (they never change)."""

    def __init__(self, stored: dict[str, Any], salt: str) -> None:
        self.stored, self.salt = stored, salt
        self.used: dict[str, Any] = {}  # what this build used: the next build's cache

    def get(self, parts: tuple[Hashable, ...], make: Callable[[], Any]) -> Any:
        """The value made from `parts`: the stored one if there is one, else `make()`."""
        key = keys.key(repr(parts))
        if key not in self.used:
            self.used[key] = self.stored[key] if key in self.stored else make()
        return self.used[key]

    def changed(self) -> bool:
        """Whether what this build used differs from what was stored (so it must be stored again)."""
        return self.used.keys() != self.stored.keys()


class Memos:
    """One Memo per brand, each read (by `stored(brand)`) only when that brand is planned."""

    def __init__(self, stored: Callable[[str], dict[str, Any]], salt: str) -> None:
        self.stored, self.salt = stored, salt
        self.brands: dict[str, Memo] = {}

    def brand(self, brand: str) -> Memo:
        """The memo of one brand's pages."""
        if brand not in self.brands:
            self.brands[brand] = Memo(self.stored(brand), self.salt)
        return self.brands[brand]
