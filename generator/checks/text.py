"""Text checks for editors (pure): typed clause numbers, broken text, debris, brand leaks.

Each rule reads the rendered text of a policy chunk (brand values filled in) line by line or
paragraph by paragraph, and reports findings at the line of the source file.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..content.markup import ANCHOR_LINE_RE
from .findings import Finding
from .fix import INSIDE_TAB_RE, LIST_OR_QUOTE_RE, PROTECTED_RE

ABBREVIATIONS = {"co", "ltd", "etc", "e.g", "i.e", "no", "vs", "mr", "mrs", "ms", "dr", "st", "inc", "corp",
                 "tp", "p", "q", "tel", "vd", "v.v", "jsc", "đt"}
TYPED_REF = re.compile(r"\b(Điều|Khoản|khoản|Mục|mục|điểm|Điểm|Article|article|Clause|clause|Section|section)"
                       r"\s+(\d+(?:\.\d+)*|[Ll]ast)\b")
DEBRIS = [(re.compile(p, re.IGNORECASE), what) for p, what in (
    (r"\[email\W{0,3}protected\]", "an email address replaced by a web page's e-mail protection"),
    ("\u2022", "a bullet character copied from a web page (write a `- ` list item)"),
    (r"\bback to top\b", "a link of the web page ('Back to Top')"),
    (r"\bcall now\b", "a button of the web page ('Call Now')"),
    (r"^\s*logo\b", "the alt text of a logo"),
    (r"\b(TODO|FIXME|TBD|XXX)\b", "a placeholder"),
    (r"\blorem ipsum\b", "placeholder text"),
    (r"\{\{|\}\}|\{%|%\}", "a template expression left unrendered"),
    ("\u00a0 | \u00a0", "a no-break space beside a space, left by a web page"))]
ADDRESS_WORD = re.compile(r"(?i)\b(at|website|web|e-?mail|hotline|tel|phone|address|tại|trang web|địa chỉ|"
                          r"điện thoại|thư điện tử)\s*:[ \t]*(\S*)")
ADDRESS_LIKE = re.compile(r"@|://|www\.|\d{3}|\w\.[a-z]{2,}")
LOWER = "a-zđàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
STRAY_STOP = re.compile(rf"([\w.]+)\.[ \t]+([{LOWER}]\w*)")
DOUBLED_PUNCT = re.compile(r"(?<!\.)\.[ \t]+[.,;:]|[,;:][ \t]*[,;:]|(?<!\.)\.\.(?!\.)|\)\)|\(\(|\u2022\s*[–-]")
AFTER_STOP = re.compile(r"(\w+)\.[ \t]+\([^)]*\)\.")
MANGLED = re.compile(r"\b[a-z]{2,}\.[A-Z][a-z]+")
WORD = r"[^\W\d_]{2,}"
DOUBLED_EN = re.compile(rf"\b({WORD})\b[\s,;:()“”\"'’]{{1,4}}\1\b", re.IGNORECASE)
DOUBLED_VI = re.compile(rf"\b({WORD} {WORD})\b[\s,;:()“”\"'’]{{1,4}}\1\b", re.IGNORECASE)
VIETNAMESE_LETTER = re.compile(r"[ăâđêôơưạảãàáặẳẵằắậẩẫầấẹẻẽèéệểễềếịỉĩìíọỏõòóộổỗồốợởỡờớụủũùúựửữừứỵỷỹỳý]",
                               re.IGNORECASE)
DANGLING = {"to", "at", "for", "of", "and", "or", "with", "by", "the", "và", "hoặc", "của", "cho", "tại", "với",
            "để", "theo", "các", "những", "đến", "về", "từ", "bởi", "là", "trong"}
TERMINAL = ".!?;…”\"’)»*_`"

Rule = tuple[Any, ...]  # what a rule yields: (column, severity, message, hint, rule) or with a row first


@dataclass(frozen=True)
class BrandFacts:
    """What the brand rules compare the text with."""

    brand: str
    names: tuple[str, ...]  # the brand's display name and legal names
    others: dict[str, str]  # another brand's name or legal name -> that brand's id
    foreign: tuple[str, ...]  # names that must never appear (site.yml checks.foreign_names)
    defined: frozenset[str] = frozenset()  # abbreviations the document defines (in quotes)


@dataclass(frozen=True)
class Chunk:
    """Rendered text to check, and where its first line is in its source file."""

    path: str
    line: int
    text: str
    lang: str


def check_chunk(chunk: Chunk, facts: BrandFacts | None) -> list[Finding]:
    """Every finding in one rendered chunk."""
    found = []
    # A paragraph anchor `{: #id }` is not a sentence of the text (blanked: line numbers stay).
    lines = ["" if "{" in line and ANCHOR_LINE_RE.match(line) else line for line in chunk.text.split("\n")]
    for index, line in enumerate(lines):
        at = chunk.line + index
        found += [Finding(chunk.path, at, col, sev, msg, hint, rule)
                  for col, sev, msg, hint, rule in _line_rules(line, chunk.lang, facts)]
    found += [Finding(chunk.path, chunk.line + row, col, sev, msg, hint, rule)
              for row, col, sev, msg, hint, rule in pasted_text(lines)]
    for start, paragraph, ends_before_list in _paragraphs(lines):
        found += [Finding(chunk.path, chunk.line + start + row, col, sev, msg, hint, rule)
                  for row, col, sev, msg, hint, rule in _paragraph_rules(paragraph, ends_before_list)]
    return found


def _line_rules(line: str, lang: str, facts: BrandFacts | None) -> Iterator[Rule]:
    if line.lstrip().startswith("```"):
        return
    yield from _text_rules(line, lang)
    if facts is not None:
        yield from _brand_rules(line, facts)


@functools.lru_cache(maxsize=16384)
def _text_rules(line: str, lang: str) -> tuple[Rule, ...]:
    """The rules that do not depend on the brand, once per line: a shared text's lines recur in every brand."""
    return tuple(_line_text_rules(line, lang))


def _line_text_rules(line: str, lang: str) -> Iterator[Rule]:
    yield from _typed_references(line)
    yield from _debris(line)
    yield from _missing_addresses(line)
    yield from _stray_stops(line)
    for match in DOUBLED_PUNCT.finditer(line):
        yield (match.start() + 1, "warning", f"doubled punctuation {match.group(0)!r}", "Keep one mark.",
               "doubled-punctuation")
    for match in AFTER_STOP.finditer(line):
        if match.group(1).lower() not in ABBREVIATIONS:
            yield (match.start() + 1, "warning", f"{match.group(0)!r}: a bracket after the end of the sentence",
                   "Move it before the full stop, or remove it.", "doubled-punctuation")
    for match in MANGLED.finditer(line):
        yield (match.start() + 1, "warning", f"{match.group(0)!r}: a full stop with no space before a capital",
               "Add the missing space, or correct the mangled address.", "mangled")
    yield from _doubled_words(line, lang)
    words = line.split()
    vietnamese = sum(bool(VIETNAMESE_LETTER.search(w)) for w in words)
    if lang != "vi" and vietnamese >= 4 and vietnamese * 4 > len(words):
        yield (1, "warning", "Vietnamese text in a text of another language",
               "Translate it, or move it to the Vietnamese file.", "language")


def _typed_references(line: str) -> Iterator[Rule]:
    for match in TYPED_REF.finditer(line):
        yield (match.start() + 1, "warning", f"clause number typed by hand: {match.group(0)!r}",
               "Write a cross-reference [[id]] with the clause's id; typed numbers go stale when clauses move.",
               "typed-reference")


def _debris(line: str) -> Iterator[Rule]:
    for pattern, what in DEBRIS:
        for match in pattern.finditer(line):
            yield (match.start() + 1, "error", f"{match.group(0).strip() or 'space'!r}: {what}",
                   "Remove it, or write what was meant.", "debris")


def _missing_addresses(line: str) -> Iterator[Rule]:
    for match in ADDRESS_WORD.finditer(line):
        following = match.group(2)
        if not ADDRESS_LIKE.search(following):
            yield (match.start() + 1, "error", f"nothing usable after {match.group(1) + ':'!r}",
                   "Give the address, or a brand value such as {{ brand.website }} or {{ brand.hotline }}.",
                   "missing-address")


def _stray_stops(line: str) -> Iterator[Rule]:
    for match in STRAY_STOP.finditer(line):
        word = match.group(1).lower().rstrip(".")
        if word in ABBREVIATIONS or len(word) == 1 or "://" in line[max(0, match.start() - 8):match.start()]:
            continue
        yield (match.end(1) + 1, "warning", f"{match.group(0)!r}: a full stop followed by a lower-case word",
               "A sentence may be cut off here: complete it, or remove the stray full stop.", "cut-off")


def _doubled_words(line: str, lang: str) -> Iterator[Rule]:
    # Vietnamese repeats syllables legitimately ("bí mật mật khẩu"): only a repeat across punctuation,
    # or of two syllables, is suspicious there.
    pattern = DOUBLED_VI if lang == "vi" else DOUBLED_EN
    for match in pattern.finditer(line):
        yield (match.start() + 1, "warning", f"doubled word {match.group(0)!r}", "Remove the repeated word.",
               "doubled-word")


def _brand_rules(line: str, facts: BrandFacts) -> Iterator[Rule]:
    lowered = line.lower()
    for name, other in facts.others.items():
        for match in _pattern(r"(?<![\w.])", name.lower(), r"(?![\w])").finditer(lowered):
            yield (match.start() + 1, "error", f"the {facts.brand} text names another brand, {other} ({name!r})",
                   "Use {{ brand.name }} / {{ brand.legal_name }}, or move the text to that brand's policy.",
                   "brand-leak")
    for name in facts.foreign:
        for match in _pattern(r"(?<!\w)", name.lower(), r"(?!\w)").finditer(lowered):
            yield (match.start() + 1, "error", f"names another company, {name!r}",
                   "This text was probably copied from that company's policy: use {{ brand.name }}.", "brand-leak")
    name = facts.names[0]
    # An address is written as the site writes it (`https://example.com/?ref=acme`): not the brand's name.
    unlinked = _unlinked(line)
    for match in _pattern(r"(?<![\w./@])", name, r"(?![\w@]|\.[a-z])", re.IGNORECASE).finditer(unlinked):
        if match.group(0) != name:
            yield (match.start() + 1, "warning", f"the brand is written {match.group(0)!r}",
                   f"Write {{{{ brand.name }}}} ({name}).", "brand-name")
    yield from _company_names(line, facts)
    for match in UNDEFINED.finditer(line):
        term = match.group(2)
        if term not in facts.defined and not any(term.lower() in n.lower() for n in facts.names):
            yield (match.start(2) + 1, "warning", f"{term!r} is not defined in this document",
                   "Name the document in words, or define the abbreviation where it is first used.", "brand-name")


URL = re.compile(r"(?i)\b(?:https?://|mailto:|www\.)[^\s<>()\[\]]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
UNDEFINED = re.compile(r"\b(this|the|these|này|của)\s+([A-Z]{3,6})\b")
DEFINITION = re.compile(r"[“\"(]([A-Z]{2,6})[”\")]")


def defined_terms(texts: list[str]) -> frozenset[str]:
    """Abbreviations a document defines by quoting them ("TTSD")."""
    return frozenset(match.group(1) for text in texts for match in DEFINITION.finditer(text))


COMPANY = re.compile(r"(Công ty(?: TNHH| Cổ phần| CP)?(?: [A-ZĐ][\wÀ-ỹ]*)+|"
                     r"(?:[A-Z][\w&-]*\s+){1,5}(?:Co\.,?\s*Ltd\.?|Company Limited|JSC|THNN|TNHH)|"
                     r"[A-Z][A-Z]+(?:\s+[A-Z]+){1,4}\s+THNN)")


def _company_names(line: str, facts: BrandFacts) -> Iterator[Rule]:
    """A company name that is not the brand's legal name as spelled in site.yml."""
    known = _known((*facts.names[1:], *facts.others))
    for match in COMPANY.finditer(line):
        found = _squash(match.group(0))
        # Vietnamese names are not capitalized word by word, so the pattern may stop inside a known
        # name ("Công ty TNHH Giải" of "… Giải pháp Kết nối"): a prefix of a known name is that name.
        vietnamese = match.group(0).startswith("Công ty")
        if not any(found == name or (vietnamese and name.startswith(found)) for name in known):
            yield (match.start() + 1, "warning", f"company name {match.group(0).strip()!r} differs from the legal "
                   f"name in site.yml ({facts.names[1]!r})", "Write {{ brand.legal_name }}.", "legal-name")


@functools.cache
def _pattern(before: str, name: str, after: str, flags: int = 0) -> re.Pattern[str]:
    """A brand rule's pattern for a name, compiled once (not escaped and looked up in re's cache for every line)."""
    return re.compile(before + re.escape(name) + after, flags)


@functools.lru_cache(maxsize=16384)
def _unlinked(line: str) -> str:
    """The line with its addresses blanked (once per line, not once per brand)."""
    return URL.sub(lambda m: " " * len(m.group(0)), line)


@functools.cache
def _known(names: tuple[str, ...]) -> frozenset[str]:
    """The squashed company names a brand's text may use (once per brand, not once per line)."""
    return frozenset(map(_squash, names))


def _squash(name: str) -> str:
    return re.sub(r"[\W_]+", "", name).lower()


# What a colon may announce: a list (any marker, numbered too), a table, a blockquote (an address, a quotation).
BLOCK_START = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)|\||>")


def _paragraphs(lines: list[str]) -> Iterator[tuple[int, list[str], bool]]:
    """Paragraphs of body text (not headings, lists, tables, quotes or code): start, lines, a block follows."""
    block: list[str] = []
    start = 0
    for index, line in enumerate([*lines, ""]):
        stripped = line.strip()
        is_break = not stripped or stripped.startswith(("#", "!!!", "```", "<")) or BLOCK_START.match(stripped)
        if is_break:
            if block:
                yield start, block, _next_is_block(lines, index)
            block = []
            continue
        if not block:
            start = index
        block.append(line)


def _next_is_block(lines: list[str], index: int) -> bool:
    """A list, a table or a blockquote follows (or, at the end of a clause, its sub-clauses)."""
    for line in lines[index:]:
        if line.strip():
            return bool(BLOCK_START.match(line.strip()))
    return True


def _paragraph_rules(paragraph: list[str], before_list: bool) -> Iterator[Rule]:
    text = " ".join(line.strip() for line in paragraph)
    last_row = len(paragraph) - 1
    end_col = len(paragraph[-1].rstrip())
    last_word = re.sub(r"\W+$", "", text.split()[-1]).lower() if text.split() else ""
    if text.endswith(":"):
        if not before_list:
            yield (last_row, end_col, "error", f"the text ends with a colon and nothing after it ({text[-20:]!r})",
                   "Add what the colon announces (an address, a list), or end the sentence.", "cut-off")
    elif text.endswith("(") or (last_word in DANGLING and not text.endswith(tuple(TERMINAL))):
        yield (last_row, end_col, "error", f"the text stops at {text[-20:]!r}",
               "A sentence is cut off: complete it.", "cut-off")
    elif not text.endswith(tuple(TERMINAL + ":")) and not re.search(r"https?://\S+$|\S+@\S+$", text):
        yield (last_row, end_col, "warning", f"the paragraph ends without a full stop ({text[-20:]!r})",
               "A sentence may be cut off: complete it, or end it with a full stop.", "cut-off")
    yield from _balance(text, last_row)


PAIRS = (("(", ")"), ("[", "]"), ("“", "”"))


def _balance(text: str, row: int) -> Iterator[Rule]:
    for opening, closing in PAIRS:
        if text.count(opening) != text.count(closing):
            yield (row, 1, "warning", f"unbalanced {opening}{closing}: {text.count(opening)} {opening!r} but "
                   f"{text.count(closing)} {closing!r}", "Close or remove the bracket or quote.", "unbalanced")
    if text.count('"') % 2:
        yield (row, 1, "warning", 'an odd number of straight quotes (")', "Close or remove the quote.", "unbalanced")


NO_BREAK_BETWEEN_WORDS = re.compile("(?<=\\S)\u00a0(?=\\S)")
FIX_HINT = "Run `policygen fix FILE` to correct it (it changes no word)."


def pasted_text(lines: list[str]) -> Iterator[Rule]:
    """What a paste leaves: a tab or a no-break space between words, a paragraph indented with a tab."""
    fenced, after_blank, in_list = False, True, False
    for row, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and line.strip():
            if after_blank and line.startswith("\t") and not in_list and not LIST_OR_QUOTE_RE.match(line):
                yield (row, 1, "error", "the paragraph starts with a tab: the page shows it as code", FIX_HINT,
                       "pasted-text")
            yield from _pasted_in_line(row, line)
            in_list = bool(LIST_OR_QUOTE_RE.match(line)) or (in_list and line[:1] in " \t")
        after_blank = not line.strip()


def _pasted_in_line(row: int, line: str) -> Iterator[Rule]:
    if line.lstrip().startswith("|"):  # a table row: its layout is the editor's
        return
    protected = [m.span() for m in PROTECTED_RE.finditer(line)]
    for pattern, what in ((INSIDE_TAB_RE, "a tab inside a sentence"),
                          (NO_BREAK_BETWEEN_WORDS, "a no-break space between words")):
        for match in pattern.finditer(line):
            if not any(start <= match.start() < end for start, end in protected):
                yield (row, match.start() + 1, "warning", what, FIX_HINT, "pasted-text")
