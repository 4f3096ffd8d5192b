"""legal/references.yml and legal/topics.yml: what legal maintains about the law, typed and located."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..content.config import Id
from ..content.parse import decode
from ..content.yamlsrc import YamlDoc, YamlProblem, parse_yaml
from ..errors import Collector, ContentError

REFERENCES_FILE = "legal/references.yml"
TOPICS_FILE = "legal/topics.yml"
NUMBER_RE = re.compile(r"^(\d{1,4})/(\d{4})(?:/(\S+))?$")
Text = Annotated[str, Field(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    """Where a status comes from: the instrument that says so, and its date."""

    instrument: Text
    """The instrument's number as it is written (Nghị định 91/2020/NĐ-CP, Nghị quyết 176/2025/QH15)."""
    date: dt.date | None = None
    """The instrument's date (YYYY-MM-DD); leave it out only with `confirm:` saying what is unknown."""
    confirm: str = ""
    """What a person must still confirm about this source (for example its date): reported by check."""

    @model_validator(mode="after")
    def _dated(self) -> Source:
        if self.date is None and not self.confirm.strip():
            raise ValueError("a source needs its `date:`, or `confirm:` saying that the date is still to confirm")
        return self


class Instrument(_Strict):
    """A legal instrument (law, decree…) or a state body that policy text may cite."""

    kind: Literal["law", "decree", "circular", "decision", "resolution", "body"]
    """What it is: a numbered instrument, or `body` for a ministry or agency."""
    number: str = ""
    """For an instrument: its number, year and suffix as in its title (90/2008/NĐ-CP)."""
    names: list[Text] = []
    """Other ways texts name it, in any language (for a body: its names, which check looks for)."""
    title: dict[str, Text] = {}
    """Its name in each language, for messages (vi, en)."""
    status: Literal["in-force", "replaced", "merged", "repealed"]
    """`in-force`; `replaced` or `repealed` (no longer applies); `merged` (a body that joined another)."""
    replaced_by: list[Id] = []
    """The ids of the entries that took its place."""
    since: dt.date | None = None
    """The day its status began (YYYY-MM-DD); leave it out only with `source.confirm` saying it is unknown."""
    source: Source
    """The instrument and date the status comes from: no entry without one."""

    @model_validator(mode="after")
    def _consistent(self) -> Instrument:
        if self.kind != "body" and not NUMBER_RE.match(self.number):
            raise ValueError("an instrument needs `number:` written as number/year/suffix (90/2008/NĐ-CP)")
        if self.kind == "body" and not self.names:
            raise ValueError("a body needs `names:`, the words check looks for")
        if self.status != "in-force" and self.since is None and not self.source.confirm.strip():
            raise ValueError("give `since:`, or say in `source.confirm:` that the date is still to confirm")
        return self


class References(_Strict):
    """legal/references.yml."""

    instruments: dict[Id, Instrument]
    """Every instrument and body legal keeps track of, by id."""


class Requirement(_Strict):
    """A topic a kind of policy must cover, and the law that asks for it."""

    topic: Id
    """The topic's id (under `topics:`)."""
    source: Text
    """The legal provision that requires it, or `to confirm`."""
    confirm: str = ""
    """What is not yet certain about the source (the article, the reading)."""


class Topic(_Strict):
    """Something a clause can be about."""

    title: dict[str, Text]
    """What the topic means, in each language, as the findings say it."""


class Topics(_Strict):
    """legal/topics.yml."""

    topics: dict[Id, Topic]
    """Every topic a clause may be tagged with, by id."""
    required: dict[Id, list[Requirement]] = {}
    """By policy id (as in site.yml): the topics that policy must cover."""


@dataclass(frozen=True)
class LegalData:
    """Both files as loaded (empty when a repository has neither), with their lines for findings."""

    references: References
    topics: Topics
    lines: dict[str, YamlDoc] = field(default_factory=dict)  # file -> its YAML with key lines


M = TypeVar("M", bound=BaseModel)


def load_legal(root: Path) -> LegalData:
    """Read legal/references.yml and legal/topics.yml if present; ContentError lists every problem."""
    errors = Collector()
    lines: dict[str, YamlDoc] = {}
    references = _load(root, REFERENCES_FILE, References, lines, errors) or References(instruments={})
    topics = _load(root, TOPICS_FILE, Topics, lines, errors) or Topics(topics={})
    _cross_check(references, topics, lines, errors)
    errors.raise_if_any(ContentError)
    site = root / "site.yml"  # read again for the lines of `unconfirmed:` (load_config keeps none)
    lines["site.yml"] = parse_yaml(decode(site.read_bytes(), "site.yml", errors) or "", "site.yml")
    return LegalData(references, topics, lines)


def _load(root: Path, rel: str, schema: type[M], lines: dict[str, YamlDoc], errors: Collector) -> M | None:
    """One file validated against its schema; None if it is absent or wrong."""
    path = root / rel
    if not path.is_file():
        return None
    try:
        doc = parse_yaml(decode(path.read_bytes(), rel, errors) or "", rel)
        lines[rel] = doc
        return schema.model_validate(doc.data or {})
    except YamlProblem as exc:
        errors.extend([exc.problem])
    except ValidationError as exc:
        for err in exc.errors():
            where = ".".join(str(part) for part in err["loc"])
            errors.add(rel, doc.line_of(tuple(err["loc"])), f"{where}: {err['msg'].removeprefix('Value error, ')}",
                       "See docs/legal-data.md for the format.")
    return None


def _cross_check(references: References, topics: Topics, lines: dict[str, YamlDoc], errors: Collector) -> None:
    """Ids that must name entries of the files."""
    for entry_id, entry in references.instruments.items():
        for other in entry.replaced_by:
            if other not in references.instruments:
                errors.add(REFERENCES_FILE, lines[REFERENCES_FILE].line_of(("instruments", entry_id, "replaced_by")),
                           f"{entry_id!r} is replaced by {other!r}, which is not in the file",
                           "Add an entry for it, or correct the id.")
    for policy, required in topics.required.items():
        for index, item in enumerate(required):
            if item.topic not in topics.topics:
                errors.add(TOPICS_FILE, lines[TOPICS_FILE].line_of(("required", policy, index)),
                           f"required topic {item.topic!r} is not under `topics:`", "Define it, or correct the id.")


def number_key(kind: str, number: str) -> tuple[str, int, int] | None:
    """(kind, number, year) of an instrument number such as 90/2008/NĐ-CP."""
    match = NUMBER_RE.match(number.strip())
    return (kind, int(match.group(1)), int(match.group(2))) if match else None
