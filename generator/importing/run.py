"""`policygen import`: read the sources, choose ids, write each version (a commit per version with --history)."""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from ..content.config import SiteConfig
from ..content.load import load_config
from ..errors import ContentError, Problem
from . import dated, gitsource, gitwrite
from .document import Dates, compose
from .html_in import page_to_markdown
from .ids import Memory, assign
from .markdown_in import read_markdown
from .model import Note, Outcome, Output, Parsed, SourceFile, SourceVersion


@dataclass(frozen=True)
class ImportOptions:
    """What to import and where it goes."""

    root: Path
    policy: str
    brand: str | None
    langs: tuple[str, ...]
    files: tuple[Path, ...] = ()
    history: Path | None = None
    history_path: str | None = None  # with it, `history` is a git repository and this the file in it ({lang})
    title: str | None = None
    date: dt.date | None = None


def run_import(options: ImportOptions) -> Outcome:
    """Import the files (written, for the editor to commit) or the history (one commit per version)."""
    config = load_config(options.root / "site.yml", options.root)
    outcome = Outcome()
    _placement(options, config, outcome)
    if options.history is None:
        version = _single(options)
        outputs = _convert(options, version, Memory(), outcome, _titles(options, config))
        gitwrite.write(options.root, outputs)
        outcome.uncommitted.extend(output.rel for output in outputs)
        return outcome
    if options.history_path is None:
        _history(options, outcome, _titles(options, config))
        return outcome
    with tempfile.TemporaryDirectory(prefix="policygen-import-") as folder:
        problems = gitsource.export(options.history, options.history_path, options.langs, Path(folder))
        if problems:
            raise ContentError(problems)
        _history(replace(options, history=Path(folder)), outcome, _titles(options, config))
    return outcome


def _single(options: ImportOptions) -> SourceVersion:
    """The files given on the command line as one version (dated --date, else today: the editor sets it)."""
    if len(options.files) != len(options.langs) or not options.files:
        raise ContentError([Problem("policygen import", 0, "give one --lang for each file",
                                    "For example: --lang vi vi.md --lang en en.md")])
    files = tuple(SourceFile(lang, path) for lang, path in zip(options.langs, options.files, strict=True))
    return SourceVersion(options.date or dt.date.today(), options.files[0].name, files)


def _history(options: ImportOptions, outcome: Outcome, titles: dict[str, str]) -> None:
    """Each version of the history folder converted and committed in date order, skipping those already in."""
    assert options.history is not None
    found, problems = dated.versions(options.history, options.langs)
    if problems or not found:
        raise ContentError(problems or [Problem(str(options.history), 0, "no dated versions found",
                                                "Name them YYYY-MM-DD-x/<lang>.md or YYYY-MM-DD-x.md")])
    done, memory, rank = gitwrite.imported(options.root), Memory(), 0
    _refuse_under_newer(options, done)
    for index, version in enumerate(found):
        rank = rank + 1 if index and found[index - 1].date == version.date else 0
        name = f"{options.policy}/{version.name}"
        if name not in done and any(d.startswith(f"{options.policy}/") and d[len(options.policy) + 1:][:10] >
                                    version.date.isoformat() for d in done):
            outcome.notes.append(Note(version.name, 0, "older than a version imported before: committed after it, "
                                      "it is not released", "See docs/releasing.md on versions from before"))
        # Versions already in are still read, so later ones recall the ids their headings were given.
        outputs = _convert(options, version, memory, Outcome() if name in done else outcome, titles)
        if name in done:
            outcome.skipped.append(version.name)
            continue
        message = f"Import {options.policy}: version of {version.date} ({version.name})"
        committed = gitwrite.commit(options.root, outputs, message, name, gitwrite.moment(version.date, rank))
        (outcome.committed if committed else outcome.skipped).append(version.name)
        if rank:
            outcome.notes.append(Note(version.name, 0, f"a second version on {version.date}: committed a minute "
                                      "after the one before it", "See docs/importing.md on versions of one day"))


def _refuse_under_newer(options: ImportOptions, done: set[str]) -> None:
    """Stop before adding old versions on top of a policy that is already there (they would not be released)."""
    if any(name.startswith(f"{options.policy}/") for name in done):
        return
    there = [lang for lang in options.langs if (options.root / _target(options, lang)).exists()]
    if there:
        raise ContentError([Problem(_target(options, there[0]), 0, "this policy is already in the repository, and "
                                    "versions committed after its own would not be released",
                                    "Import into a new repository, or insert the old versions under the newer "
                                    "ones as docs/releasing.md explains")])


def _convert(options: ImportOptions, version: SourceVersion, memory: Memory, outcome: Outcome,
             titles: dict[str, str]) -> list[Output]:
    """The version's files in our format; ids, notes and invented ids added to the outcome."""
    docs = [_read(source) for source in version.files]
    for lang in sorted(set(options.langs) - {d.lang for d in docs}):
        outcome.notes.append(Note(version.name, 0, f"this version has no {lang} text: content/{lang} keeps the "
                                  "previous version's, which may no longer match", f"Translate the new text into "
                                  f"{lang}, or stop publishing {lang} (the brand's `languages:` in site.yml)"))
    ids, invented = assign(docs, memory, "en" if any(d.lang == "en" for d in docs) else docs[0].lang)
    outcome.invented.extend(invented)
    outputs = []
    for doc in docs:
        outcome.notes.extend(doc.notes)
        title = doc.title or titles.get(doc.lang) or options.policy
        text, notes = compose(doc, ids[doc.lang], title, Dates(version.date, doc.stated))
        outcome.notes.extend(notes)
        outputs.append(Output(_target(options, doc.lang), text))
    return outputs


def _read(source: SourceFile) -> Parsed:
    """One source file read into blocks (an HTML page converted to Markdown first)."""
    text = source.path.read_text(encoding="utf-8-sig")
    if source.path.suffix.lower() not in (".html", ".htm"):
        return read_markdown(source.lang, str(source.path), text)
    markdown, unknown = page_to_markdown(text)
    parsed = read_markdown(source.lang, str(source.path), markdown)
    if not unknown:
        return parsed
    note = Note(str(source.path), 0, f"HTML with no Markdown equivalent dropped: {', '.join(unknown)}",
                "Check the imported text against the page")
    return Parsed(parsed.lang, parsed.source, parsed.title, parsed.stated, parsed.blocks, (*parsed.notes, note))


def _target(options: ImportOptions, lang: str) -> str:
    """Where the policy goes: the brand's own file with --brand, else the shared one."""
    brand = f"{options.brand}/" if options.brand else ""
    return f"content/{lang}/{brand}{options.policy}.md"


def _titles(options: ImportOptions, config: SiteConfig) -> dict[str, str]:
    """The policy's title in each language from site.yml, for sources whose text has none."""
    if options.title:
        return {lang: options.title for lang in options.langs}
    policy = config.policies.get(options.policy)
    return {lang: str(title) for lang, title in policy.title.items()} if policy else {}


def _placement(options: ImportOptions, config: SiteConfig, outcome: Outcome) -> None:
    """Tell the editor what site.yml still needs for the imported policy to be published."""
    if options.policy not in config.policies:
        outcome.notes.append(Note("site.yml", 0, f"policy {options.policy!r} is not declared under `policies:`",
                                  f"Add `{options.policy}:` with its title in each language"))
    brand = config.brands.get(options.brand) if options.brand else None
    if options.brand and brand is None:
        outcome.notes.append(Note("site.yml", 0, f"brand {options.brand!r} does not exist", "Add it under `brands:`"))
    elif brand is not None and options.policy not in brand.policies:
        outcome.notes.append(Note("site.yml", 0, f"brand {options.brand!r} does not publish {options.policy!r}",
                                  f"Add {options.policy} to its `policies:` list"))
