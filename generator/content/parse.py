"""Pure parsing of one policy file's text: front matter, clauses and references."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import ErrorDetails

from ..errors import Collector
from .config import ID_HINT, ID_RE, Id
from .limits import characters_ok, within_limits
from .markdown_checks import check_chunk
from .markup import ANCHOR_LINE_RE, check_text
from .model import Clause, Document, FrontMatter, Reference, Sidecar
from .yamlsrc import YamlProblem, parse_yaml

# Linear: the title is cut from its trailing `#`s and blanks by rstrip, not by a lazy pattern (which was
# quadratic on a long heading line). The attribute block is the last `{…}` (found with rfind).
HEADING_RE = re.compile(r"^(#{1,6})[ \t]+(.*)$")
JINJA_COMMENT_RE = re.compile(r"[ \t]*\{##.*?##\}")
ATTRS_RE = re.compile(r"\{:?[ \t]*([^{}]*)\}[ \t]*$")
REF_RE = re.compile(r"\[\[([^\[\]\n]*)\]\]")
FENCE_RE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")


TITLE_REFUSED = '<>"'


class FrontMatterSchema(BaseModel):
    """The front matter fields of a policy file."""

    model_config = ConfigDict(extra="forbid")

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
    numbering: Literal["articles", "sections", "none"] = "articles"
    """`articles` numbers clauses as Điều 1 / Article 1; `sections` as 1. / 1.; `none` shows no numbers."""
    confirm: dict[str, Annotated[str, Field(min_length=1)]] = {}
    """What a person must still confirm, by clause id (or `preamble`, or a front matter field): not published."""
    topics: dict[str, list[Id]] = {}
    """The topics (legal/topics.yml) each clause covers, by clause id: not published."""

    @field_validator("title")
    @classmethod
    def _plain_title(cls, value: str) -> str:
        # Themes print the title into <title> and attributes: these would end them (whatever the history holds).
        if any(char in value for char in TITLE_REFUSED):
            raise ValueError("markup")
        return value

    @field_validator("title", "summary")
    @classmethod
    def _one_line(cls, value: str) -> str:
        # A line break would start new Markdown: a heading above the text, a row in the history table.
        if "\n" in value.strip():
            raise ValueError("lines")
        return value

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
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
    if "\r" in text:
        errors.add(path, text.count("\n", 0, text.index("\r")) + 1, "the file has old Mac line endings (CR only)",
                   "Save it with Windows (CRLF) or Unix (LF) line endings.")
        return None
    return text if characters_ok(text, path, errors) and within_limits(text, path, errors) else None


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


def parse_front_matter(yaml_text: str, path: str, errors: Collector, override: bool,
                       notes: list[Sidecar] | None = None) -> FrontMatter | None:
    """Validate the front matter; None (with problems recorded) when it is unusable; its sidecar into `notes`."""
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
    if notes is not None:  # line numbers of the front matter map, for the legal checks' findings
        notes.append(Sidecar({k: (v, doc.line_of(("confirm", k))) for k, v in data.confirm.items()},
                             {k: (tuple(v), doc.line_of(("topics", k))) for k, v in data.topics.items()}))
    if data.updated is None:
        return None
    return FrontMatter(title=data.title, updated=data.updated, effective=data.effective or data.updated,
                       summary=data.summary.strip(), material=data.material, numbering=data.numbering)


def _front_matter_message(field: str, err: ErrorDetails) -> tuple[str, str]:
    """Message and hint for one front matter error."""
    if err["type"] == "missing":
        return f"front matter field {field!r} is missing", f"Add `{field}: …` between the `---` lines."
    if err["type"] == "extra_forbidden":
        return (f"unknown front matter field {field!r}",
                "Known fields: title, updated, effective, summary, material, numbering, confirm, topics.")
    if err["type"] == "value_error" and field in ("title", "summary") and "lines" in err["msg"]:
        return f"`{field}` has more than one line", "Write it on one line (a block `|` or `>` makes several)."
    if err["type"] == "value_error" and field == "title":
        return "the title contains <, > or \"", "Write it without them (quotes as “ ”)."
    if err["type"] == "value_error":
        return "`effective` is earlier than `updated`", "A change cannot take effect before it is published."
    if field in ("updated", "effective"):
        return f"{field!r} is not a valid date", "Write the date as YYYY-MM-DD, for example 2026-11-21."
    if field == "numbering":
        return ("'numbering' must be `articles`, `sections` or `none`",
                "Use one of the three (`none` for a document whose clauses have no numbers).")
    return f"front matter field {field!r}: {err['msg']}", "See docs/content-format.md."


def parse_body(body: str, first_line: int, path: str, errors: Collector
               ) -> tuple[str, tuple[Clause, ...], tuple[Reference, ...]]:
    """Split a body into preamble and clauses; collect references; record problems."""
    preamble: list[str] = []
    clauses: list[Clause] = []
    refs: list[Reference] = []
    current: dict[str, Any] | None = None
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
        if fence is None and "[[" in line:
            refs.extend(_references(line, number, path, errors))
        anchor = ANCHOR_LINE_RE.match(line) if fence is None and "{" in line else None
        if anchor:
            _anchor(anchor.group(1), number, path, errors, seen)
        (current["text"] if current is not None else preamble).append(line)
    if current is not None:
        clauses.append(_close(current))
    # Leading blank lines stay, so line numbers within each chunk stay true for messages.
    return "\n".join(preamble).rstrip(), tuple(clauses), tuple(refs)


SETEXT_RE = re.compile(r"^(=+|-+)[ \t]*$")


def check_setext(body: str, first_line: int, path: str, errors: Collector) -> None:
    """A text line with a line of === or --- under it is a heading to Markdown, but not a clause: say so."""
    lines, fence = body.split("\n"), None
    for index, line in enumerate(lines):
        if "```" in line or "~~~" in line:
            fence = _track_fence(line, fence)
        # Python-Markdown reads a setext heading only where a block starts: after a blank line.
        if fence is None and index and line[:1] in "=-" and SETEXT_RE.match(line) and lines[index - 1].strip() \
                and not lines[index - 1].startswith("#") and (index == 1 or not lines[index - 2].strip()):
            title = lines[index - 1].strip()
            errors.add(path, first_line + index - 1, f"{title[:40]!r} with a line of {line[0]} under it is a "
                       "heading, but not a clause", f"Write it as `## {title[:40]} {{#id}}` for a clause, or leave a "
                       f"blank line above the {line[0] * 3} line for a separator.")


def check_chunks(preamble: str, first_line: int, clauses: tuple[Clause, ...], path: str, errors: Collector) -> None:
    """Markdown read otherwise than meant, and footnotes, clause by clause; a note's label once per file."""
    seen: dict[str, int] = {}
    for text, line in [(preamble, first_line), *((c.text, c.line + 1) for c in clauses)]:
        problems, notes = check_chunk(text)
        for problem in problems:
            errors.add(path, line + problem.line - 1, problem.message, problem.hint, problem.column)
        for label, at in notes:
            if label in seen:
                errors.add(path, line + at - 1, f"footnote [^{label}] is already a note on line {seen[label]}",
                           "Give each note of the file its own label ([^1], [^2] … or [^name]).")
            seen.setdefault(label, line + at - 1)


def _anchor(anchor: str, line: int, path: str, errors: Collector, seen: dict[str, int]) -> None:
    """A paragraph anchor's id: well formed, and not the id of a clause or of another anchor (one page, one id)."""
    if not ID_RE.match(anchor):
        errors.add(path, line, f"anchor id {anchor!r} is malformed", ID_HINT)
    elif anchor in seen:
        errors.add(path, line, f"anchor id {anchor!r} is already used on line {seen[anchor]}",
                   "Give each clause and each anchor its own id.")
    else:
        seen[anchor] = line


def _track_fence(line: str, fence: str | None) -> str | None:
    """Follow fenced code blocks, so headings and references inside them are ignored."""
    match = FENCE_RE.match(line)
    if not match:
        return fence
    marker = match.group(1)
    if fence is None:
        return marker
    return None if marker.startswith(fence) else fence


def _close(current: dict[str, Any]) -> Clause:
    clause: Clause = current["clause"]
    return Clause(**{**clause.__dict__, "text": "\n".join(current["text"]).rstrip()})


def _heading(match: re.Match[str], line: int, path: str, errors: Collector, seen: dict[str, int],
             previous_level: int) -> Clause | None:
    """Turn one heading line into a Clause, or record why it cannot be one."""
    # A comment (`{## … ##}`, such as a policygen marker) is not part of the heading: rendering removes it.
    level, text = len(match.group(1)), JINJA_COMMENT_RE.sub("", match.group(2)).rstrip(" \t#")
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
    brace = text.rfind("{")
    attrs = ATTRS_RE.match(text, brace) if brace >= 0 else None
    tokens = attrs.group(1).split() if attrs else []
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
    return Clause(id=clause_id, level=level, title=text[:brace].strip() if attrs else "",
                  numbered="unnumbered" not in classes, heading=match.group(0), text="",
                  line=line, classes=classes)


def check_markup(text: str, first_line: int, path: str, errors: Collector, inline: bool = False,
                 what: str = "") -> None:
    """Report raw HTML, refused links and attribute lists in an editor's Markdown, at their line and column."""
    for problem in check_text(text, inline):
        errors.add(path, first_line + problem.line - 1, what + problem.message, problem.hint,
                   0 if inline else problem.column)


def _front_matter_markup(meta: FrontMatter, yaml_text: str, path: str, errors: Collector) -> None:
    """Titles and summaries reach the pages, the feed and the notices: the same rules as the text."""
    lines = yaml_text.split("\n")
    for name in ("title", "summary"):
        line = next((i + 2 for i, text in enumerate(lines) if text.startswith(f"{name}:")), 2)
        check_markup(getattr(meta, name), line, path, errors, inline=True, what=f"`{name}`: ")


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
                   override: bool, errors: Collector, markup: bool = True) -> Document | None:
    """Parse one policy file; None (with problems recorded) when it is unusable.

    `markup=False` (the history walk, whose problems are not reported) skips the Markdown check:
    what is published is still cleaned by the pages' allowlist (markup.clean_html).
    """
    text = decode(raw, path, errors)
    if text is None:
        return None
    yaml_text, body, body_line = split_front_matter(text, path, errors, required=not override)
    notes: list[Sidecar] = []
    meta = parse_front_matter(yaml_text, path, errors, override, notes) if yaml_text is not None else None
    if meta is not None and yaml_text is not None and markup:
        _front_matter_markup(meta, yaml_text, path, errors)
    preamble, clauses, refs = parse_body(body, body_line, path, errors)
    if markup:
        check_markup(body, body_line, path, errors)
        check_setext(body, body_line, path, errors)
        check_chunks(preamble, body_line, clauses, path, errors)
    if not override and not clauses:
        errors.add(path, body_line, "the policy has no clauses", "Add at least one `## Title {#id}` clause.")
    if override and preamble.strip():
        errors.add(path, body_line, "an override file holds only clauses",
                   "Move the text under a `## … {#id}` heading of the clause it replaces.")
    if not override and meta is None:
        return None
    return Document(path=path, lang=lang, policy=policy, brand=brand, meta=meta, preamble=preamble,
                    preamble_line=body_line, clauses=clauses, references=refs, is_override=override,
                    sidecar=notes[0] if notes else Sidecar())
