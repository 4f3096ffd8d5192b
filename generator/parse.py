"""Pure parsing of one policy file's text: front matter, clauses and references."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .config import ID_HINT, ID_RE
from .errors import Collector
from .model import Clause, Document, FrontMatter, Reference
from .yamlsrc import YamlProblem, parse_yaml

HEADING_RE = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$")
ATTRS_RE = re.compile(r"^(.*?)[ \t]*\{:?[ \t]*([^{}]*?)[ \t]*\}$")
REF_RE = re.compile(r"\[\[([^\[\]\n]*)\]\]")
FENCE_RE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")


class FrontMatterSchema(BaseModel):
    """The front matter fields of a policy file."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    title: Annotated[str, Field(min_length=1)]
    """The document's title."""
    updated: dt.date
    """Date of the latest update (YYYY-MM-DD); a new date releases a new version."""
    effective: dt.date | None = None
    """Date the latest update takes effect (default: `updated`)."""
    summary: str = ""
    """One sentence on what changed in the latest update."""
    material: bool = False
    """True when the latest change affects customers' rights or obligations."""
    numbering: Literal["articles", "sections"] = "articles"
    """`articles` numbers clauses as Điều 1 / Article 1; `sections` as 1. / 1."""

    @model_validator(mode="after")
    def _effective_not_before_update(self) -> FrontMatterSchema:
        if self.effective is not None and self.updated is not None and self.effective < self.updated:
            raise ValueError("`effective` is earlier than `updated`")
        return self


class OverrideMatterSchema(FrontMatterSchema):
    """Front matter of an override file: every field optional."""

    title: str = ""
    updated: dt.date | None = None  # type: ignore[assignment]


MAX_FILE_BYTES = 2_000_000  # a policy is tens of kilobytes; anything this big is a mistake


def decode(raw: bytes, path: str, errors: Collector) -> str | None:
    """Decode UTF-8 strictly and normalize to NFC; report where decoding fails."""
    if len(raw) > MAX_FILE_BYTES:
        errors.add(path, 1, f"the file is {len(raw) // 1_000_000} MB, more than a policy can be",
                   "Check that the right file was saved here.")
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        errors.add(path, 1, "the file starts with a byte-order mark (BOM)",
                   "Save it as UTF-8 without BOM (in VS Code: 'Save with Encoding' > 'UTF-8').")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        errors.add(path, line, "the file is not valid UTF-8 (perhaps TCVN3, VNI or Windows-1258)",
                   "Convert it to UTF-8 (Unicode) and save again.")
        return None
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n"))


def split_front_matter(text: str, path: str, errors: Collector, required: bool = True
                       ) -> tuple[str | None, str, int]:
    """Return (front matter YAML or None, body, first line of the body)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        if required:
            errors.add(path, 1, "the file has no front matter",
                       "Start it with a `---` line, `title:` and `updated:`, and a closing `---` line.")
        return None, text, 1
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1:]), index + 2
    errors.add(path, 1, "the front matter is not closed", "Add a `---` line after its last field.")
    return None, "", len(lines) + 1


def parse_front_matter(yaml_text: str, path: str, errors: Collector, override: bool) -> FrontMatter | None:
    """Validate the front matter; None (with problems recorded) when it is unusable."""
    try:
        doc = parse_yaml(yaml_text, path, first_line=2)
    except YamlProblem as exc:
        errors.extend([exc.problem])
        return None
    schema = OverrideMatterSchema if override else FrontMatterSchema
    try:
        data = schema.model_validate(doc.data if doc.data is not None else {})
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"]) or ("effective",)  # the cross-field check is about `effective`
            field = str(loc[0])
            line = doc.line_of(loc, default=2)
            errors.add(path, line, *_front_matter_message(field, err))
        return None
    if data.updated is None:
        return None
    return FrontMatter(title=data.title, updated=data.updated, effective=data.effective or data.updated,
                       summary=data.summary.strip(), material=data.material, numbering=data.numbering)


def _front_matter_message(field: str, err: dict) -> tuple[str, str]:
    """Message and hint for one front matter error."""
    if err["type"] == "missing":
        return f"front matter field {field!r} is missing", f"Add `{field}: …` between the `---` lines."
    if err["type"] == "extra_forbidden":
        return (f"unknown front matter field {field!r}",
                "Known fields: title, updated, effective, summary, material, numbering.")
    if err["type"] == "value_error":
        return "`effective` is earlier than `updated`", "A change cannot take effect before it is published."
    if field in ("updated", "effective"):
        return f"{field!r} is not a valid date", "Write the date as YYYY-MM-DD, for example 2026-11-21."
    if field == "numbering":
        return "'numbering' must be `articles` or `sections`", "Use one of the two."
    return f"front matter field {field!r}: {err['msg']}", "See docs/content-format.md."


def parse_body(body: str, first_line: int, path: str, errors: Collector
               ) -> tuple[str, tuple[Clause, ...], tuple[Reference, ...]]:
    """Split a body into preamble and clauses; collect references; record problems."""
    preamble: list[str] = []
    clauses: list[Clause] = []
    refs: list[Reference] = []
    current: dict | None = None
    fence: str | None = None
    seen: dict[str, int] = {}
    for offset, line in enumerate(body.split("\n")):
        number = first_line + offset
        # The `in` tests only skip calls that could not match on this line (a history has thousands).
        if "```" in line or "~~~" in line:
            fence = _track_fence(line, fence)
        match = HEADING_RE.match(line) if fence is None and line.startswith("#") else None
        if match:
            clause = _heading(match, number, path, errors, seen, current["clause"].level if current else 1)
            if clause is not None:
                if current is not None:
                    clauses.append(_close(current))
                current = {"clause": clause, "text": []}
                continue
        if fence is None and ("[[" in line or "<" in line or "](" in line):
            refs.extend(_references(line, number, path, errors))
            _refuse_html(line, number, path, errors)
        (current["text"] if current is not None else preamble).append(line)
    if current is not None:
        clauses.append(_close(current))
    # Leading blank lines stay, so line numbers within each chunk stay true for messages.
    return "\n".join(preamble).rstrip(), tuple(clauses), tuple(refs)


def _track_fence(line: str, fence: str | None) -> str | None:
    """Follow fenced code blocks, so headings and references inside them are ignored."""
    match = FENCE_RE.match(line)
    if not match:
        return fence
    marker = match.group(1)
    if fence is None:
        return marker
    return None if marker.startswith(fence) else fence


def _close(current: dict) -> Clause:
    clause: Clause = current["clause"]
    return Clause(**{**clause.__dict__, "text": "\n".join(current["text"]).rstrip()})


def _heading(match: re.Match, line: int, path: str, errors: Collector, seen: dict[str, int],
             previous_level: int) -> Clause | None:
    """Turn one heading line into a Clause, or record why it cannot be one."""
    level, text = len(match.group(1)), match.group(2)
    if level == 1:
        errors.add(path, line, "a `#` heading is not allowed in the text",
                   "The title comes from `title:` in the front matter; use `##` for a clause.")
        return None
    if level > 4:
        errors.add(path, line, f"a heading of level {level} is too deep",
                   "Use ## for a clause, ### for a sub-clause and #### for a point.")
        return None
    if level > previous_level + 1:
        errors.add(path, line, f"a level-{level} heading follows a level-{previous_level} one",
                   "Do not skip a level: ## contains ###, which contains ####.")
    attrs = ATTRS_RE.match(text)
    tokens = attrs.group(2).split() if attrs else []
    ids = [t[1:] for t in tokens if t.startswith("#")]
    if not ids:
        errors.add(path, line, f"clause heading {text!r} has no id",
                   "End the heading with an id, for example `{#data-collection}`.")
        return None
    clause_id = ids[0]
    if not ID_RE.match(clause_id):
        errors.add(path, line, f"clause id {clause_id!r} is malformed", ID_HINT)
        return None
    if clause_id in seen:
        errors.add(path, line, f"clause id {clause_id!r} is already used on line {seen[clause_id]}",
                   "Give each clause its own id.")
        return None
    seen[clause_id] = line
    classes = tuple(t[1:] for t in tokens if t.startswith("."))
    return Clause(id=clause_id, level=level, title=attrs.group(1).strip() if attrs else "",
                  numbered="unnumbered" not in classes, heading=match.group(0), text="",
                  line=line, classes=classes)


HTML_TAG = re.compile(r"<(/?[A-Za-z][\w-]*(?::[A-Za-z][\w-]*)?)(?=[\s/>])|<!--|<\?|<!\[CDATA\[", re.IGNORECASE)
CODE_SPAN = re.compile(r"(`+).+?\1")
UNSAFE_LINK = re.compile(r"\]\(\s*<?\s*(javascript|data|vbscript|file)\s*:|<\s*(javascript|data|vbscript):",
                         re.IGNORECASE)


def _refuse_html(line: str, number: int, path: str, errors: Collector) -> None:
    """Policy text is Markdown only: raw HTML and script links are refused, never passed to a page."""
    if "<" not in line and "](" not in line:  # neither pattern can match: most lines, 30 versions over
        return
    text = CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)  # `<b>` in a code span is text
    tag = HTML_TAG.search(text)  # the first one: its closing tag would only repeat the message
    if tag:
        errors.add(path, number, f"raw HTML {tag.group(0)}…> at column {tag.start() + 1} is not allowed",
                   "Write Markdown instead (**bold**, [link](https://…), lists); see docs/content-format.md.")
    link = UNSAFE_LINK.search(text)
    if link:
        errors.add(path, number, f"a {link.group(1) or link.group(2)}: link at column {link.start() + 1} "
                   "is not allowed", "Link to an https:// address or a clause ([[id]]).")


def _front_matter_html(meta: FrontMatter, path: str, errors: Collector) -> None:
    """Titles and summaries reach the pages, the feed and the notices: no HTML there either."""
    for name in ("title", "summary"):
        if HTML_TAG.search(getattr(meta, name)):
            errors.add(path, 2, f"raw HTML in `{name}` is not allowed", "Write plain text.")


def _references(line: str, number: int, path: str, errors: Collector) -> list[Reference]:
    """The `[[id]]` references on one line."""
    if "[[" not in line:
        return []
    found = []
    for match in REF_RE.finditer(line):
        target = match.group(1).strip()
        if not ID_RE.match(target):
            errors.add(path, number, f"cross-reference [[{target}]] is not a clause id",
                       "Write [[id]] with the id of a clause, for example [[data-collection]].")
            continue
        found.append(Reference(target, number, match.start() + 1))
    return found


def parse_document(raw: bytes, path: str, lang: str, policy: str, brand: str | None,
                   override: bool, errors: Collector) -> Document | None:
    """Parse one policy file; None (with problems recorded) when it is unusable."""
    text = decode(raw, path, errors)
    if text is None:
        return None
    yaml_text, body, body_line = split_front_matter(text, path, errors, required=not override)
    meta = parse_front_matter(yaml_text, path, errors, override) if yaml_text is not None else None
    if meta is not None:
        _front_matter_html(meta, path, errors)
    preamble, clauses, refs = parse_body(body, body_line, path, errors)
    if not override and not clauses:
        errors.add(path, body_line, "the policy has no clauses", "Add at least one `## Title {#id}` clause.")
    if override and preamble.strip():
        errors.add(path, body_line, "an override file holds only clauses",
                   "Move the text under a `## … {#id}` heading of the clause it replaces.")
    if not override and meta is None:
        return None
    return Document(path=path, lang=lang, policy=policy, brand=brand, meta=meta, preamble=preamble,
                    preamble_line=body_line, clauses=clauses, references=refs, is_override=override)
