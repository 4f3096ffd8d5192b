"""The `policygen` command line: parse options, call one function, report problems plainly."""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from .errors import PolicygenError

ROOT_HELP = "The content repository (holding site.yml and content/). Default: the current directory."


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Show tracebacks and mkdocs' own log.")
@click.pass_context
def main(ctx: click.Context, verbose: bool) -> None:
    """Build the brands' policy sites from site.yml and the Markdown in content/.

    \b
    Typical use:
      policygen build              build every brand into site/
      policygen build --brand X    build one brand (the others stay as they are)
      policygen serve              preview while editing; rebuilds on save
    """
    ctx.obj = {"verbose": verbose}


@main.command()
@click.option("--brand", "brands", multiple=True, metavar="ID", help="Build only this brand (repeatable).")
@click.option("--strict", is_flag=True,
              help="Fail on warnings too: those of `policygen check` and mkdocs' (such as broken links).")
@click.option("--site-dir", type=click.Path(path_type=Path), default=Path("site"), show_default=True,
              help="Where to write the sites; one folder per brand.")
@click.option("--root", type=click.Path(path_type=Path, file_okay=False), default=Path("."), help=ROOT_HELP)
@click.option("--jobs", type=int, default=0, help="Parallel mkdocs processes (default: one per core).")
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), default=None, metavar="YYYY-MM-DD",
              help="The date the build treats as today, for effective dates (default: SOURCE_DATE_EPOCH, "
                   "else today in Vietnam).")
@click.option("--pdf/--no-pdf", default=True, show_default=True,
              help="Also publish each version as a PDF beside its page (each is made once and kept).")
@click.option("--relock", is_flag=True,
              help="Record versions.lock again from the history after it was deleted or cut short, and list what "
                   "it records (on the publishing branch only).")
@click.pass_context
def build(ctx: click.Context, brands: tuple[str, ...], strict: bool, site_dir: Path, root: Path, jobs: int,
          as_of: dt.datetime | None, pdf: bool, relock: bool) -> None:
    """Validate all content, read every published version from git, then build every brand's site.

    The build is atomic: if anything is wrong, nothing in the site folder changes. On the publishing
    branch (site.yml `publishing_branch`, default main) it records new versions in versions.lock;
    on any other branch a new `updated` date is only proposed, and nothing is recorded.
    """
    from .pipeline.build import BuildOptions
    from .pipeline.build import build as run_build

    started = time.monotonic()
    options = BuildOptions(root=root, site_dir=site_dir, brands=brands, strict=strict, jobs=jobs,
                           as_of=as_of.date() if as_of else None, pdf=pdf, relock=relock)
    built = _run(ctx, lambda: run_build(options, report=lambda msg: click.echo(f"  {msg}", err=True)),
                 site_dir)
    click.echo(f"Built {len(built)} site(s) into {site_dir}/ in {time.monotonic() - started:.1f}s: "
               + ", ".join(built), err=True)


@main.command()
@click.option("--brand", "brands", multiple=True, metavar="ID", help="Preview only this brand.")
@click.option("--root", type=click.Path(path_type=Path, file_okay=False), default=Path("."), help=ROOT_HELP)
@click.option("--port", type=int, default=8000, show_default=True, help="Port on localhost.")
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), default=None, metavar="YYYY-MM-DD",
              help="Preview the sites as on this day (e.g. the banner before a new version takes effect).")
@click.pass_context
def serve(ctx: click.Context, brands: tuple[str, ...], root: Path, port: int, as_of: dt.datetime | None) -> None:
    """Preview the sites at http://127.0.0.1:PORT/ (a list of brands), rebuilding what a save changes.

    A problem in the content shows in the browser in place of the page, and here.
    """
    from .serve import serve as run_serve

    _run(ctx, lambda: run_serve(root, brands, port, echo=lambda msg: click.echo(msg, err=True),
                                as_of=as_of.date() if as_of else None), None)


@main.command()
@click.option("--base", default="HEAD", show_default=True, metavar="REV",
              help="Compare versions with what is published as of this revision (in a pull request: origin/main). "
                   "Off the publishing branch that is the newest commit of it that REV contains, so a proposed "
                   "version can be revised under its new date.")
@click.option("--format", "fmt", type=click.Choice(["text", "github", "json"]), default="text", show_default=True,
              help="text for a terminal, github for annotations on a pull request, json for tools.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--no-history", is_flag=True, help="Skip the per-clause translation check (it reads git).")
@click.option("--todo", is_flag=True, help="Only list what a person must still confirm, brand by brand.")
@click.option("--references", is_flag=True, help="Only list citations of law that legal/references.yml lacks.")
@click.option("--root", type=click.Path(path_type=Path, file_okay=False), default=Path("."), help=ROOT_HELP)
@click.pass_context
def check(ctx: click.Context, base: str, fmt: str, strict: bool, no_history: bool, todo: bool, references: bool,
          root: Path) -> None:
    """Check the content without building: structure, references, broken text, brand names, versions.

    Each finding is `path:line:column: severity: message. hint`. Errors fail the command;
    warnings fail it only with --strict.
    """
    from .checks.check import CheckOptions, run_check
    from .checks.findings import as_github, as_json, as_text

    if todo or references:
        _legal_lists(ctx, root, todo, references, fmt)
        return
    options = CheckOptions(root=root, base=base, history=not no_history)
    findings = _run(ctx, lambda: run_check(options), None)
    output = {"text": lambda f: as_text(f, sys.stdout.isatty()), "github": as_github, "json": as_json}[fmt]
    click.echo(output(findings), nl=False)
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    if fmt == "text":
        click.echo(f"{errors} error(s), {warnings} warning(s).", err=True)
    if errors or (strict and warnings):
        sys.exit(1)


@main.command()
@click.argument("revisions", default="HEAD", metavar="[REV_A..REV_B]")
@click.option("--format", "fmt", type=click.Choice(["markdown", "json", "html"]), default="markdown",
              show_default=True, help="markdown for a pull request comment, json for tools, html for a page.")
@click.option("--root", type=click.Path(path_type=Path, file_okay=False), default=Path("."), help=ROOT_HELP)
@click.pass_context
def diff(ctx: click.Context, revisions: str, fmt: str, root: Path) -> None:
    """Print the clause-by-clause changes between two revisions.

    \b
    policygen diff                       HEAD against the working tree
    policygen diff origin/main..HEAD     what a pull request changes
    policygen diff v1..v2 --format json
    """
    from .pipeline.queries import diff_report

    click.echo(_run(ctx, lambda: diff_report(root, revisions, fmt), None), nl=False)


@main.command("import")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--policy", required=True, metavar="ID", help="The policy id (as in site.yml) to import into.")
@click.option("--brand", default=None, metavar="ID", help="Make it this brand's own policy (default: shared).")
@click.option("--lang", "langs", multiple=True, required=True, metavar="CODE",
              help="The language of each FILE, in order; with --history, the languages to look for.")
@click.option("--history", type=click.Path(path_type=Path, file_okay=False, exists=True), default=None,
              help="A folder of dated versions (YYYY-MM-DD-x/<lang>.md or YYYY-MM-DD-x.md): one commit each.")
@click.option("--history-path", default=None, metavar="PATTERN",
              help="With --history naming a git repository: the policy's file in it, {lang} for the language "
                   "(e.g. legal/{lang}/privacy.md); each commit that changed it is a version, dated as committed.")
@click.option("--title", default=None, help="The title, for sources whose text has none (default: site.yml's).")
@click.option("--date", type=click.DateTime(["%Y-%m-%d"]), default=None, metavar="YYYY-MM-DD",
              help="Without --history: the `updated` date of the imported text (default: today).")
@click.option("--root", type=click.Path(path_type=Path, file_okay=False), default=Path("."), help=ROOT_HELP)
@click.pass_context
def import_(ctx: click.Context, files: tuple[Path, ...], policy: str, brand: str | None, langs: tuple[str, ...],
            history: Path | None, history_path: str | None, title: str | None, date: dt.datetime | None,
            root: Path) -> None:
    """Bring an existing policy (Markdown or a saved HTML page, one file per language) into content/.

    \b
    policygen import --policy privacy --lang vi vi.md --lang en en.md
    policygen import --policy privacy --brand X --lang vi --lang en --history old-versions/
    policygen import --policy privacy --lang vi --lang en --history ../legal --history-path '{lang}/privacy.md'
    """
    from .importing.report import report
    from .importing.run import ImportOptions, run_import

    options = ImportOptions(root=root, policy=policy, brand=brand, langs=langs, files=files, history=history,
                            history_path=history_path, title=title, date=date.date() if date else None)
    outcome = _run(ctx, lambda: run_import(options), None)
    click.echo(report(outcome, root), nl=False)
@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--dry-run", is_flag=True, help="Only say what would change (exit 1 if anything would).")
@click.option("--root", type=click.Path(path_type=Path, file_okay=False), default=Path("."), help=ROOT_HELP)
def fix(files: tuple[Path, ...], dry_run: bool, root: Path) -> None:
    """Fix what pasting leaves in policy files: odd spaces, tabs, doubled marks, unpaired quotes. Never words.

    \b
    policygen fix                            every file in content/
    policygen fix content/vi/aup.md          one file
    policygen fix --dry-run                  say what would change, change nothing
    """
    from .checks.fix import fix_text

    changed = 0
    for path in files or tuple(sorted((root / "content").rglob("*.md"))):
        raw = path.read_bytes().decode("utf-8")
        newline = "\r\n" if "\r\n" in raw else "\n"  # a file saved on Windows stays a Windows file
        text, said = fix_text(raw.replace("\r\n", "\n"))
        for item in said:
            click.echo(f"{path}:{item.line}: {item.what}")
        if said and not dry_run:
            path.write_bytes(text.replace("\n", newline).encode("utf-8"))
        changed += bool(said)
    verb = "would change" if dry_run else "changed"
    click.echo(f"{verb} {changed} file(s).", err=True)
    if dry_run and changed:
        sys.exit(1)


@main.group()
def consent() -> None:
    """Consent records: prove what a customer agreed to."""


@consent.command("verify")
@click.option("--brand", required=True, help="Brand id of the consent record.")
@click.option("--policy", required=True, help="Policy id of the record (policy.<id>.version).")
@click.option("--lang", required=True, help="Language of the record (consent.locale).")
@click.option("--version", "version", required=True, help="Version id of the record (policy.<id>.version).")
@click.option("--sha256", required=True, help="Hash of the record (policy.<id>.sha256).")
@click.option("--basis", "bases", multiple=True, metavar="PURPOSE=BASIS",
              help="A box's basis from the record (consent.<purpose>.basis), for example marketing-email=consent; "
                   "repeat for each box.")
@click.option("--root", type=click.Path(path_type=Path, file_okay=False), default=Path("."), help=ROOT_HELP)
@click.pass_context
def consent_verify(ctx: click.Context, brand: str, policy: str, lang: str, version: str, sha256: str,
                   bases: tuple[str, ...], root: Path) -> None:
    """Check a stored consent record against the published versions; print the text agreed to."""
    from .consent.snippets import read_bases
    from .content.load import declared_bases
    from .pipeline.queries import verify_consent

    ok, reason, text = _run(ctx, lambda: verify_consent(root, brand, policy, lang, version, sha256), None)
    lines: list[str] = []
    wrong = None
    if bases:
        path, declared = _run(ctx, lambda: declared_bases(root, lang), None)
        lines, wrong = read_bases(bases, declared, path)
    if not ok or wrong is not None:
        click.echo(f"NO MATCH: {reason if not ok else wrong}.", err=True)
        sys.exit(1)
    click.echo(f"MATCH: {brand}/{policy}/{lang}/{version}: {reason}. The text agreed to follows.", err=True)
    for line in lines:
        click.echo(f"Basis of {line}.", err=True)
    click.echo(text, nl=False)


def _legal_lists(ctx: click.Context, root: Path, todo: bool, references: bool, fmt: str) -> None:
    """`check --todo` (gaps by brand) and `check --references` (citations legal has not listed), in `fmt`."""
    from .checks.legal import legal_at, legal_lists

    config, report = _run(ctx, lambda: legal_at(root), None)
    click.echo(legal_lists(config, report, todo, references, fmt), nl=False)


T = TypeVar("T")


def _run(ctx: click.Context, action: Callable[[], T], site_dir: Path | None) -> T:
    """Run `action`; turn our errors into plain lines and a non-zero exit."""
    try:
        return action()
    except PolicygenError as exc:
        for problem in exc.problems:
            click.secho(str(problem), fg="red", err=True)
        tail = f"; {site_dir}/ was left unchanged" if site_dir is not None else ""
        click.echo(f"Failed: {len(exc.problems)} problem(s){tail}.", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except Exception as exc:
        if ctx.obj.get("verbose"):
            raise
        click.echo(f"internal error: {type(exc).__name__}: {exc} (run with -v for the traceback)", err=True)
        sys.exit(2)
