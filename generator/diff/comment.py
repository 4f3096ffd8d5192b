"""The pull request comment (`policygen diff --format markdown`): one section per policy, read in a minute.

Every piece of policy text in it (titles, clause text, summaries) is untrusted: `md_text` makes it
inert for GitHub's Markdown (HTML, Markdown marks, @mentions and #references shown as text).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..content.config import SiteConfig, parse_config
from ..content.parse import REF_RE
from ..content.render import language_url
from ..content.yamlsrc import YamlProblem, parse_yaml
from ..errors import ConfigError
from ..history.versions import Version
from .changes import labels, numbers
from .report import PolicyChange, release_note
from .sections import Change, Section, diff_sections

LIMIT = 65536  # GitHub refuses a comment body longer than this many characters
CONTEXT = 6  # words of unchanged text kept on each side of a change
CHANGED_WORDS = 60  # words of one insertion or deletion shown before "… (N more words)"
# A link a reviewer may follow: written as Markdown in the text, to an address that cannot run anything.
LINK_RE = re.compile(r"\[([^\[\]\n]+)\]\(((?:https://|mailto:|tel:)[^\s()<>\\\"'`]+)\)")
MARKS_RE = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>:])")
CUT_NOTE = ("**The comment was cut here: GitHub keeps at most 65,536 characters. {left} more line(s): see "
            "policy-changes.html in this run's artifact, or run `policygen diff origin/main..HEAD`.**")


@dataclass(frozen=True)
class Group:
    """Brands whose change to one policy is the same (the same clauses, the same versions): shown once."""

    policy: str
    brands: tuple[str, ...]
    by_lang: dict[str, PolicyChange]  # the first brand's change, in each language


def md_text(text: str) -> str:
    """Text that GitHub shows as written: no HTML, no Markdown, no mention or issue link, one line."""
    text = html.escape(" ".join(text.split()), quote=True)
    text = MARKS_RE.sub(r"\\\1", text)
    return text.replace("@", "@\u200b").replace("\\#", "\\#\u200b")  # a zero-width space: no notification


def config_of(files: dict[str, bytes]) -> SiteConfig | None:
    """site.yml of a tree, or None when it is missing or invalid (the comment then says less)."""
    raw = files.get("site.yml")
    try:
        return parse_config(parse_yaml(raw.decode("utf-8"), "site.yml"), "site.yml") if raw else None
    except (ConfigError, YamlProblem, UnicodeDecodeError):
        return None


def to_markdown(changes: list[PolicyChange], config: SiteConfig | None = None) -> str:
    """The comment: a headline, then each policy once (with the brands it reaches), cut to GitHub's limit."""
    if not changes:
        return "No policy text changed.\n"
    groups = _groups(changes)
    lines = ["## Policy changes", "",
             f"**{len(groups)} polic{'y' if len(groups) == 1 else 'ies'} changed** "
             f"({len(changes)} text(s) across brands and languages).", ""]
    for group in groups:
        lines += _section(group, config)
    return _fit(lines, LIMIT)


def _groups(changes: list[PolicyChange]) -> list[Group]:
    """The changes by policy, brands with the same change together (a shared policy: once)."""
    by_brand: dict[tuple[str, str], dict[str, PolicyChange]] = {}
    for change in changes:
        brand, policy, lang = change.key
        by_brand.setdefault((policy, brand), {})[lang] = change
    groups: dict[tuple[object, ...], tuple[str, list[str], dict[str, PolicyChange]]] = {}
    for (policy, brand), by_lang in sorted(by_brand.items()):
        found = groups.setdefault((policy, _signature(by_lang)), (policy, [], by_lang))
        found[1].append(brand)
    return [Group(policy, tuple(brands), by_lang) for policy, brands, by_lang in groups.values()]


def _signature(by_lang: dict[str, PolicyChange]) -> tuple[object, ...]:
    """What must agree for two brands' changes to be shown as one: versions, release and changed clauses."""
    return tuple((lang, c.old.id if c.old else None, c.new.id if c.new else None, release_note(c),
                  tuple((x.id, x.status) for x in c.diff.changed)) for lang, c in sorted(by_lang.items()))


def _langs(group: Group, config: SiteConfig | None) -> list[str]:
    """The group's languages, the authoritative one (of its first brand) first."""
    order = config.codes if config else sorted(group.by_lang)
    first = config.brand_authority(group.brands[0]) if config and group.brands[0] in config.brands else None
    return sorted(group.by_lang, key=lambda lang: (lang != first, order.index(lang) if lang in order else 99))


def _section(group: Group, config: SiteConfig | None) -> list[str]:
    """One policy: title, brands, summary and effective date on top; the authoritative language, then the others."""
    langs = _langs(group, config)
    head = group.by_lang[langs[0]]
    lines = [*_top(group, head), ""]
    for index, lang in enumerate(langs):
        body = _language(group.by_lang[lang], group.brands, config)
        name = md_text(_lang_name(lang, config))
        if index == 0:
            lines += [f"#### {name} (authoritative)", "", *body, ""]
        else:  # a translation: one click away, so the authoritative text is what a reviewer reads first
            lines += [f"<details><summary>{name}</summary>", "", *body, "", "</details>", ""]
    if len(group.brands) > 1:
        lines += [f"<sub>Text shown as published for {md_text(group.brands[0])}; the other brands' text differs "
                  "only in their own names and details.</sub>", ""]
    return lines


def _top(group: Group, head: PolicyChange) -> list[str]:
    """The policy's title, the brands it reaches, its effective date and the version's summary."""
    shown = head.new or head.old
    title = shown.meta.title if shown else group.policy
    facts = f"**Brands:** {', '.join(map(md_text, group.brands))}"
    if head.new is None:
        return [f"### {md_text(title)} (`{group.policy}`)", "", facts]
    meta = head.new.meta
    facts += f" · **effective** {meta.effective.isoformat()}" + (" · **material change**" if meta.material else "")
    summary = ["", f"> **Summary:** {md_text(meta.summary)}"] if meta.summary else []
    return [f"### {md_text(title)} (`{group.policy}`)", "", facts, *summary]


def _lang_name(lang: str, config: SiteConfig | None) -> str:
    names = {item.code: item.name for item in config.languages} if config else {}
    return names.get(lang, lang)


def _language(change: PolicyChange, brands: tuple[str, ...], config: SiteConfig | None) -> list[str]:
    """One language: what is released (linked to its permanent address), then a line per changed clause."""
    old, new = change.old, change.new
    lang = change.key[2]
    lines = [release_note(change) + _addresses(change, brands, config), ""]  # ours: dates and fixed words
    resolved = diff_sections(_resolved(old, lang), _resolved(new, lang))
    before = numbers(old, lang) if old else {}
    after = numbers(new, lang) if new else {}
    for clause in resolved.changed:
        known = before if clause.status == "removed" else after
        name = f"{known.get(clause.id, '')} {clause.title}".strip() if clause.id else "Preamble"
        lines.append(f"- **{md_text(name)}** ({clause.status}): {_redline(clause)}")
    return lines if resolved.changed else [*lines, "- only the front matter changed"]


def _addresses(change: PolicyChange, brands: tuple[str, ...], config: SiteConfig | None) -> str:
    """Links to where each brand publishes the new text: its version's permanent page, else the policy's page."""
    old, new = change.old, change.new
    if new is None or config is None:
        return ""
    _brand, policy, lang = change.key
    released = old is None or new.meta.updated != old.meta.updated
    path = f"{policy}/{new.id}/" if released else f"{policy}/"
    links = [f"[{md_text(b)}]({language_url(config, b, lang)}{path})" for b in brands if b in config.brands]
    return f" · {' · '.join(links)}" if links else ""


def _resolved(version: Version | None, lang: str) -> list[Section]:
    """A version's sections with each [[reference]] read as on the page ("Điều 3"), not as an id."""
    if version is None:
        return []
    known = labels(version, lang)

    def name(match: re.Match[str]) -> str:
        return known.get(match.group(1).strip(), match.group(0))

    return [Section(s.id, s.level, REF_RE.sub(name, s.title), REF_RE.sub(name, s.text)) for s in version.sections]


def _units(text: str) -> list[str]:
    """The text as escaped words, each safe link (https, mailto, tel) one unit rendered as a link."""
    units: list[str] = []
    start = 0
    for match in LINK_RE.finditer(text):
        units += [md_text(w) for w in text[start:match.start()].split()]
        units.append(f"[{md_text(match.group(1))}]({match.group(2)})")
        start = match.end()
    return units + [md_text(w) for w in text[start:].split()]


def _redline(change: Change) -> str:
    """The clause's redline on one line: deletions struck, insertions underlined, unchanged text shortened."""
    parts = []
    last = len(change.words) - 1
    for index, (op, text) in enumerate(change.words):
        words = _units(text)
        if not words:
            continue
        lead, trail = " " * text[:1].isspace(), " " * text[-1:].isspace()  # "mạnh." stays one word
        if op != "=":
            shown = " ".join(words[:CHANGED_WORDS]) + (f" … (+{len(words) - CHANGED_WORDS} words)"
                                                       if len(words) > CHANGED_WORDS else "")
            lead = " " if op == "+" and index and change.words[index - 1][0] == "-" else lead  # apart: replaced
            parts.append(lead + (f"~~{shown}~~" if op == "-" else f"<ins>{shown}</ins>") + trail)
            continue
        head = words[:CONTEXT] if index > 0 else []
        tail = words[-CONTEXT:] if index < last else []
        if len(words) <= 2 * CONTEXT and index not in (0, last):
            parts.append(lead + " ".join(words) + trail)
        else:
            kept = " … ".join(" ".join(p) for p in (head, tail) if p) if head or tail else "…"
            parts.append((lead if head else " ") + kept + (trail if tail else " "))
    return " ".join("".join(parts).split())


def _fit(lines: Iterable[str], limit: int) -> str:
    """The lines joined, cut at a line (closing an open <details>) with a note when longer than `limit`."""
    every = list(lines)
    text = "\n".join(every) + "\n"
    if len(text) <= limit:
        return text
    kept: list[str] = []
    size, room = 0, limit - len(CUT_NOTE) - 100
    for line in every:
        if size + len(line) + 1 > room:
            break
        kept.append(line)
        size += len(line) + 1
    # Policy text cannot start a line with <details> (md_text escapes "<"): only ours are counted.
    still_open = sum(line.startswith("<details>") for line in kept) - sum(line == "</details>" for line in kept)
    kept += ["", "</details>"] * still_open + ["", CUT_NOTE.format(left=len(every) - len(kept))]
    return "\n".join(kept) + "\n"
