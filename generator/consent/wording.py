"""The schema of consent.yml and the rules that keep consent unbundled (pure; see docs/consent.md)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict

from ..content.config import SiteConfig
from ..content.yamlsrc import YamlDoc
from ..errors import Collector

Basis = Literal["contract", "legal-obligation", "consent"]
ACKNOWLEDGEMENT = "acknowledgement"  # the record's value for a box that is no use of data (see Box.record)
FIX_BASIS = ("Write `basis: consent` (or `contract` / `legal-obligation`, see docs/consent.md), "
             "or `kind: acknowledgement` if the box only confirms reading a document.")


class _Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BoxSchema(_Schema):
    """One checkbox of content/<lang>/consent.yml: an acknowledgement, or a purpose with its legal basis."""

    label: str
    """The text next to the box: a template with {{ brand.… }} and {{ policy('id') }}."""
    kind: Literal["acknowledgement", "purpose"] = "purpose"
    """`acknowledgement`: the person confirms reading or accepting a document, no use of data; `purpose`: a use
    of personal data, with its `basis`."""
    basis: Basis | None = None
    """Why the data may be used: `contract` (needed to provide the service), `legal-obligation` (a law requires
    it) or `consent` (only if the person agrees: never required, withdrawable)."""
    covers: list[str] = []
    """Consent only: the words of the label that name what it covers; no other box may use them."""
    withdrawal: str | None = None
    """Consent only: the words of the label that say the consent can be withdrawn."""


class WordingSchema(_Schema):
    """content/<lang>/consent.yml."""

    legend: str
    """The title of the group of boxes."""
    purposes: dict[str, BoxSchema]
    """Every box by id (the ids the forms of site.yml list)."""


@dataclass(frozen=True)
class Declared:
    """What a box of one language's consent.yml declares, where."""

    path: str
    doc: YamlDoc
    box: BoxSchema

    @property
    def record(self) -> str:
        """The basis as the consent record carries it: `acknowledgement` or the purpose's basis."""
        return ACKNOWLEDGEMENT if self.box.kind == ACKNOWLEDGEMENT else str(self.box.basis)


def words(text: str) -> str:
    """Text compared for the rules: NFC, case-folded, runs of white space as one space."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text).casefold()).strip()


def check_language(path: str, doc: YamlDoc, data: WordingSchema, errors: Collector) -> None:
    """The rules within one language: coherent declarations, the label says them, covers words in one box only."""
    for pid, box in data.purposes.items():
        _check_box(path, doc, pid, box, errors)
    for pid, box in data.purposes.items():
        if box.basis != "consent":
            continue
        for index, phrase in enumerate(box.covers):
            for other, other_box in data.purposes.items():
                if other != pid and words(phrase) and words(phrase) in words(other_box.label):
                    errors.add(path, doc.line_of(("purposes", other, "label")),
                               f"the label of {other!r} ({_kind(other_box)}) says {phrase!r}, which the consent "
                               f"purpose {pid!r} covers (line {doc.line_of(('purposes', pid, 'covers', index))})",
                               f"A consent has its own box: remove these words from {other!r}, and ask for it "
                               f"only in the {pid!r} box.")


def _kind(box: BoxSchema) -> str:
    return "an acknowledgement" if box.kind == ACKNOWLEDGEMENT else f"basis {box.basis}"


def _check_box(path: str, doc: YamlDoc, pid: str, box: BoxSchema, errors: Collector) -> None:
    """One box: its kind and basis agree; a consent names what it covers and that it can be withdrawn."""
    at = ("purposes", pid)
    if box.kind == ACKNOWLEDGEMENT:
        for field in ("basis", "covers", "withdrawal"):
            if getattr(box, field):
                errors.add(path, doc.line_of((*at, field)), f"{pid!r} is an acknowledgement, which has no `{field}:`",
                           "Remove it; or, if the box asks to use personal data, remove `kind: acknowledgement`.")
        return
    if box.basis is None:
        errors.add(path, doc.line_of(at), f"{pid!r} does not say its legal basis", FIX_BASIS)
        return
    if box.basis != "consent":
        for field in ("covers", "withdrawal"):
            if getattr(box, field):
                errors.add(path, doc.line_of((*at, field)), f"{pid!r} has basis {box.basis}, which has no "
                           f"`{field}:`", f"Remove `{field}:`, or write `basis: consent` if the person may refuse.")
        return
    _check_consent(path, doc, pid, box, errors)


def _check_consent(path: str, doc: YamlDoc, pid: str, box: BoxSchema, errors: Collector) -> None:
    """A consent's label names what it covers (`covers:`) and says it can be withdrawn (`withdrawal:`)."""
    at, label = ("purposes", pid), words(box.label)
    if not box.covers:
        errors.add(path, doc.line_of(at), f"the consent purpose {pid!r} does not say what it covers",
                   "Add `covers:` with the words of its label that name what the person agrees to, "
                   "for example `covers: [promotional emails]`.")
    for index, phrase in enumerate(box.covers):
        if not words(phrase) or words(phrase) not in label:
            errors.add(path, doc.line_of((*at, "covers", index)), f"the label of {pid!r} does not contain the "
                       f"words it covers, {phrase!r}", "Write these words in the label, or correct `covers:` "
                       "to words the label uses, exactly.")
    if box.withdrawal is None:
        errors.add(path, doc.line_of(at), f"the consent purpose {pid!r} does not say it can be withdrawn",
                   "End its label with a sentence such as “I can withdraw this consent at any time.” and "
                   "repeat that sentence under `withdrawal:`.")
    elif not words(box.withdrawal) or words(box.withdrawal) not in label:
        errors.add(path, doc.line_of((*at, "withdrawal")), f"the label of {pid!r} does not contain its "
                   f"`withdrawal:` sentence {box.withdrawal!r}", "Write that sentence in the label, exactly.")


def check_languages(found: dict[str, tuple[str, YamlDoc, WordingSchema]], errors: Collector) -> None:
    """A box has the same kind and basis in every language."""
    first: dict[str, tuple[str, Declared]] = {}
    for lang, (path, doc, data) in found.items():
        for pid, box in data.purposes.items():
            here = Declared(path, doc, box)
            if box.kind != ACKNOWLEDGEMENT and box.basis is None:
                continue  # reported by check_language
            if pid not in first:
                first[pid] = (lang, here)
            elif (there := first[pid][1]).record != here.record:
                errors.add(path, doc.line_of(("purposes", pid)), f"{pid!r} is {here.record} here but "
                           f"{there.record} in {there.path}", "A box has one kind and basis in every "
                           "language: make them the same (see docs/consent.md).")


def check_forms(config: SiteConfig, found: dict[str, tuple[str, YamlDoc, WordingSchema]], site: YamlDoc,
                errors: Collector) -> None:
    """No form makes a consent purpose required (site.yml)."""
    for bid, brand in config.brands.items():
        for form_id, form in brand.forms.items():
            for index, pid in enumerate(form.required):
                declared = next((Declared(p, d, w.purposes[pid]) for p, d, w in found.values()
                                 if pid in w.purposes), None)
                if declared is not None and declared.record == "consent":
                    errors.add("site.yml", site.line_of(("brands", bid, "forms", form_id, "required", index)),
                               f"form {form_id!r} of {bid!r} requires {pid!r}, whose basis is consent "
                               f"({declared.path}:{declared.doc.line_of(('purposes', pid, 'basis'))}): consent "
                               "may never be a condition of the service",
                               f"Remove {pid!r} from `required:`. If the service cannot be provided without "
                               "it, legal must change its basis to contract.")
