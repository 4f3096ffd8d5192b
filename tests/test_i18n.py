"""UI catalogs: complete, current, and giving the forms legal text uses."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from generator.errors import BuildError
from generator.i18n import clause_label, heading_number, long_date, translations

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "generator" / "locales"


def extracted_ids() -> set[str]:
    with open(ROOT / "babel.cfg") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = extract_from_dir(str(ROOT), method_map, options_map, keywords={"_": None, "_n": (1, 2)})
    return {message for _file, _line, message, _comments, _context in found}


def catalog_ids(path: Path) -> set[str]:
    with path.open("rb") as handle:
        return {m.id for m in read_po(handle) if m.id}


def test_template_is_up_to_date_with_the_code():
    assert catalog_ids(LOCALES / "messages.pot") == extracted_ids(), "run `make catalogs`"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_catalog_has_every_message_translated(lang):
    with (LOCALES / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    assert {m.id for m in catalog if m.id} == catalog_ids(LOCALES / "messages.pot")
    untranslated = [m.id for m in catalog if m.id and (m.fuzzy or not all(
        m.string if isinstance(m.string, tuple) else [m.string]))]
    assert untranslated == []


def test_dates_in_legal_form():
    day = dt.date(2026, 11, 21)
    assert long_date(day, "vi") == "ngày 21 tháng 11 năm 2026"
    assert long_date(day, "en") == "21 November 2026"
    assert long_date(dt.date(2027, 1, 5), "vi") == "ngày 5 tháng 1 năm 2027"


def test_clause_labels():
    assert clause_label((3,), "articles", "vi") == "Điều 3"
    assert clause_label((3, 2), "articles", "vi") == "khoản 2 Điều 3"
    assert clause_label((3, 2, 1), "articles", "vi") == "điểm 1 khoản 2 Điều 3"
    assert clause_label((3, 2), "articles", "en") == "clause 3.2"
    assert clause_label((3, 2), "sections", "vi") == "mục 3.2"
    assert clause_label((4,), "sections", "en") == "section 4"
    assert heading_number((3,), "articles", "vi") == "Điều 3."
    assert heading_number((3, 2), "articles", "en") == "3.2."


def test_a_language_without_a_catalog_is_a_clear_error():
    with pytest.raises(BuildError) as caught:
        translations("fr")
    assert str(caught.value.problems[0]) == (
        "generator/locales/fr/LC_MESSAGES/messages.po: there are no UI translations for language 'fr'. "
        "Create them: pybabel init -i generator/locales/messages.pot -d generator/locales -l fr, "
        "then translate every entry.")
