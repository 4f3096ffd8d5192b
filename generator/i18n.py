"""UI translations from gettext catalogs (compiled with Babel) and localized dates."""

from __future__ import annotations

import datetime as dt
import gettext
import io
from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path

from babel.core import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from .errors import BuildError, Problem

LOCALES = Path(__file__).parent / "locales"
DOMAIN = "messages"


def _(message: str) -> str:
    """Mark a string for extraction; it is translated where it is used."""
    return message


def _n(singular: str, plural: str) -> tuple[str, str]:
    """Mark a message with plural forms for extraction; `ngettext_for` translates it."""
    return singular, plural


@cache
def translations(lang: str) -> gettext.GNUTranslations:
    """The compiled catalog of `lang`; a missing catalog is a clear error."""
    po = LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po.exists():
        raise BuildError([Problem(f"generator/locales/{lang}/LC_MESSAGES/{DOMAIN}.po", 0,
                                  f"there are no UI translations for language {lang!r}",
                                  f"Create them: pybabel init -i generator/locales/{DOMAIN}.pot "
                                  f"-d generator/locales -l {lang}, then translate every entry.")])
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)  # the same compilation `pybabel compile` does, kept in memory
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def gettext_for(lang: str) -> Callable[[str], str]:
    """The `gettext` function of a language."""
    return translations(lang).gettext


def ngettext_for(lang: str) -> Callable[[str, str, int], str]:
    """The `ngettext` function of a language (plural forms come from its catalog)."""
    return translations(lang).ngettext


def locale(lang: str) -> Locale:
    """The Babel locale of a language code."""
    try:
        return Locale.parse(lang)
    except (UnknownLocaleError, ValueError):
        raise BuildError(f"Babel does not know the locale {lang!r}; use a code such as vi or en") from None


@lru_cache(maxsize=8192)
def long_date(value: dt.date, lang: str) -> str:
    """A date written out in full ("ngày 21 tháng 11 năm 2026", "21 November 2026")."""
    # The pattern is itself translated: Babel's own long formats are not what legal text uses.
    pattern = gettext_for(lang)(_("d MMMM y"))
    return format_date(value, pattern, locale=locale(lang))


def release_day(t: Callable[[str], str], day: str, seq: int) -> str:
    """A version's date as written out, and which release of that day it is when not the first."""
    return day if seq == 1 else t(_("%(date)s (release %(number)d of that day)")) % {"date": day, "number": seq}


def clause_label(parts: tuple[int, ...], style: str, lang: str) -> str:
    """How a cross-reference names a clause ("Điều 3", "khoản 2 Điều 3", "section 3.2")."""
    t = gettext_for(lang)
    keys = {"art": parts[0], "sub": parts[1] if len(parts) > 1 else 0, "pt": parts[2] if len(parts) > 2 else 0,
            "n": ".".join(str(p) for p in parts)}
    if style == "sections":
        return t(_("section %(n)s")) % keys
    forms = (_("Article %(art)s"), _("clause %(art)s.%(sub)s"), _("point %(art)s.%(sub)s.%(pt)s"))
    return t(forms[len(parts) - 1]) % keys


def heading_number(parts: tuple[int, ...], style: str, lang: str) -> str:
    """The number shown before a clause heading ("Điều 3.", "3.2.")."""
    if style == "articles" and len(parts) == 1:
        return gettext_for(lang)(_("Article %(art)s.")) % {"art": parts[0]}
    return ".".join(str(p) for p in parts) + "."
