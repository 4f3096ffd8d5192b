"""The one orchestrator: read and validate everything, render, then write the sites atomically."""

from __future__ import annotations

import base64
import datetime as dt
import fcntl
import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import jinja2
import yaml

from .assemble import Publication, assemble
from .banner import banner_css, banner_json
from .config import SiteConfig
from .consent import Snippet, snippets, verify
from .errors import BuildError, Collector, ConfigError, ContentError, Problem
from .history import LOCK_FILE, GitHistory, read_lock, tree_at, write_lock
from .load import load_banner_wording, load_config, load_content, load_wording
from .model import BannerWording, Wording
from .pages import VIETNAM, plan_brand
from .render import SitePlan, brand_values, content_environment, render_chunks
from .report import compare, to_html, to_json, to_markdown
from .versions import Key, Timeline, Version, check_record, make_version, read_versions, texts_at, timelines

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
CONSENT_SCRIPT = "theme/assets/javascripts/policy-consent.js"
BANNER_SCRIPT = "theme/assets/javascripts/policy-banner.js"
Report = Callable[[str], None]


@dataclass(frozen=True)
class BuildOptions:
    """What to build and where."""

    root: Path  # the content repository: site.yml and content/
    site_dir: Path
    brands: tuple[str, ...] = ()  # empty: every brand
    strict: bool = False  # mkdocs warnings fail the build
    jobs: int = 0  # worker processes; 0: one per core, at most one per site
    as_of: dt.date | None = None  # "today" for effective dates; default: SOURCE_DATE_EPOCH, else today
    drafts: bool = False  # show unreleased text at the plain URLs (the preview of `serve`)
    record: bool = True  # add newly published versions to versions.lock


@dataclass(frozen=True)
class Plan:
    """Everything validated and rendered, ready to write."""

    sites: list[SitePlan]
    record: dict[str, dict[str, str]]  # versions.lock as it stands
    new_versions: dict[str, dict[str, str]]  # published versions not yet in versions.lock
    unpublished: list[str]  # files whose changes are not (yet) a published version


def today(as_of: dt.date | None = None) -> dt.date:
    """The build's notion of today: --as-of, else SOURCE_DATE_EPOCH, else the date in Vietnam."""
    if as_of is not None:
        return as_of
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or None
    moment = dt.datetime.fromtimestamp(int(epoch), VIETNAM) if epoch else dt.datetime.now(VIETNAM)
    return moment.date()


def plan(options: BuildOptions) -> Plan:
    """Read and validate all input and history; the plans to build, or an error listing every problem."""
    config = load_config(options.root / "site.yml", options.root)
    unknown = [b for b in options.brands if b not in config.brands]
    if unknown:
        raise ConfigError([Problem("site.yml", 0, f"unknown brand {b!r}",
                                   f"Use one of: {', '.join(config.brands)}.") for b in unknown])
    brands = list(options.brands) or list(config.brands)
    content = load_content(config, options.root / "content", options.root)
    publication = assemble(config, content, brands)
    errors = Collector()
    env = content_environment()
    drafts = {key: make_version(text, render_chunks(text, brand_values(config, key[0], key[2]), env, config, errors),
                                None, draft=True) for key, text in publication.items()}
    errors.raise_if_any(ContentError)
    versions = read_versions(GitHistory(options.root).snapshots())
    record = read_lock(options.root)
    problems, new = check_record(versions, record)
    if problems:
        raise BuildError(problems)
    lines = _timelines(versions, drafts, publication, options.drafts, errors)
    errors.raise_if_any(ContentError)
    as_of = today(options.as_of)
    consent = _consent(config, brands, load_wording(config, options.root / "content", options.root), lines,
                       as_of, errors)
    errors.raise_if_any(ContentError)
    sri = subresource_integrity((TEMPLATES / CONSENT_SCRIPT).read_bytes())
    banners = _banners(config, brands, load_banner_wording(config, options.root / "content", options.root), lines,
                       as_of, errors)
    errors.raise_if_any(ContentError)
    pages = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES / "page"),
                               undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True)
    sites = [p for b in brands for p in plan_brand(config, b, lines, as_of, pages, str(TEMPLATES / "theme"),
                                                   options.strict, options.drafts, consent.get(b, {}), sri,
                                                   banners.get(b))]
    unpublished = sorted({publication[k].path for k, line in lines.items() if line.draft is not None})
    return Plan(sites, record, new, unpublished)


def _consent(config: SiteConfig, brands: list[str], wording: dict[str, Wording], lines: dict[Key, Timeline],
             as_of: dt.date, errors: Collector) -> dict[str, dict[str, list[Snippet]]]:
    """Every brand's consent snippets, by language."""
    result: dict[str, dict[str, list[Snippet]]] = {}
    for brand in brands:
        if not config.brands[brand].forms:
            continue
        for lang in config.brand_languages(brand):
            if lang not in wording:
                errors.add(f"content/{lang}/consent.yml", 0, f"brand {brand!r} has forms but there is no "
                           f"{lang!r} consent wording", "Write content/<lang>/consent.yml (see docs/consent.md).")
                continue
            result.setdefault(brand, {})[lang] = snippets(config, brand, lang, wording[lang], lines, as_of, errors)
    return result


def _banners(config: SiteConfig, brands: list[str], wording: dict[str, BannerWording], lines: dict[Key, Timeline],
             as_of: dt.date, errors: Collector) -> dict[str, dict]:
    """Each brand's banner: its JSON, its stylesheet, the SRI hashes, the reopen link's text."""
    result = {}
    script = subresource_integrity((TEMPLATES / BANNER_SCRIPT).read_bytes())
    for brand in brands:
        if config.brands[brand].banner is None:
            continue
        data = banner_json(config, brand, wording, lines, as_of, errors)
        css = banner_css(config.brands[brand].colour)
        result[brand] = {"json": data, "css": css, "css_sri": subresource_integrity(css.encode("utf-8")),
                         "js_sri": script, "reopen": {lang: w.texts["reopen"] for lang, w in wording.items()}}
    return result


def subresource_integrity(data: bytes) -> str:
    """The `integrity` value of a file (SHA-384, base64)."""
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode("ascii")


def _timelines(versions: dict[Key, list[Version]], drafts: dict[Key, Version], publication: Publication,
               show_drafts: bool, errors: Collector) -> dict[Key, Timeline]:
    """Each published text's timeline; a text never committed is an error, except in a preview."""
    lines = timelines({k: v for k, v in versions.items() if k in drafts}, drafts)
    for key, draft in drafts.items():
        if key in lines:
            continue
        if show_drafts:
            lines[key] = Timeline((draft,), draft)
        else:
            errors.add(publication[key].path, 0, f"{key[1]!r} of {key[0]!r} ({key[2]}) has no published version yet",
                       "Commit the file (git add, git commit), then build again.")
    return lines


def build(options: BuildOptions, report: Report = lambda _: None) -> list[str]:
    """Build the sites into a staging directory and swap it in; return the brands built."""
    result = plan(options)
    site_dir = options.site_dir.resolve()
    try:
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        with _exclusive(site_dir):
            _recover(site_dir)
            stage = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.staging-", dir=site_dir.parent))
            try:
                tools = tools_digest()
                prints = {f"{p.brand}/{p.lang}": fingerprint(p, options.root, tools) for p in result.sites}
                cache = _read_cache(site_dir)
                fresh = [p for p in result.sites if cache.get(f"{p.brand}/{p.lang}") != prints[f"{p.brand}/{p.lang}"]
                         or not _reuse(p, site_dir, stage, result.sites)]
                _build_all(fresh, stage, options.root, options.jobs, report)
                if len(fresh) < len(result.sites):
                    report(f"reused {len(result.sites) - len(fresh)} unchanged site(s) of the last build")
                brands = sorted({p.brand for p in result.sites})
                _swap(stage, site_dir, brands)
                _write_cache(site_dir, {**{k: v for k, v in cache.items() if k.split("/")[0] not in brands},
                                        **prints})
            finally:
                shutil.rmtree(stage, ignore_errors=True)
    except OSError as exc:  # a full disk, a read-only folder: say so; the previous site is untouched
        raise BuildError([Problem(str(exc.filename or site_dir), 0, f"cannot write the site ({exc.strerror})",
                                  f"Free disk space or fix the permissions, then build again; {site_dir.name}/ "
                                  "was left as it was.")]) from None
    for path in result.unpublished:
        report(f"{path}: its changes are not published (no new `updated` date, or not committed yet)")
    if options.record and result.new_versions:
        write_lock(options.root, {**result.record, **result.new_versions})
        report(f"recorded {len(result.new_versions)} newly published version(s) in {LOCK_FILE}: commit it")
    return brands


def verify_consent(root: Path, brand: str, policy: str, lang: str, version: str, sha256: str
                   ) -> tuple[bool, str, str]:
    """`policygen consent verify`: (matches, why, the published text of that version)."""
    found = read_versions(GitHistory(root).snapshots())
    ok, match, reason = verify(timelines(found), brand, policy, lang, version, sha256)
    return ok, reason, match.body if match is not None else ""


def diff_report(root: Path, revisions: str, fmt: str) -> str:
    """`policygen diff`: the changes between REV_A and REV_B (or the working tree)."""
    old_rev, _, new_rev = revisions.partition("..")
    old = texts_at(tree_at(root, old_rev or "HEAD"))
    new = texts_at(tree_at(root, new_rev or None))
    changes = compare(old, new)
    return {"markdown": to_markdown, "json": to_json, "html": to_html}[fmt](changes)


def _build_all(plans: list[SitePlan], stage: Path, root: Path, jobs: int, report: Report) -> None:
    """Run mkdocs for every plan (in parallel when there are several), then assemble the sites."""
    parts = stage / ".parts"
    workers = min(jobs or os.cpu_count() or 1, len(plans))
    tasks = [(plan_, str(parts / f"{plan_.brand}.{plan_.lang}"), root) for plan_ in plans]
    problems: list[Problem] = []
    done = 0

    def finished(site: SitePlan, messages: list[Problem]) -> None:
        nonlocal done
        done += 1
        problems.extend(messages)
        report(f"[{done}/{len(tasks)}] {'failed' if messages else 'built'} {site.brand} ({site.lang})")

    if workers <= 1:
        for task in tasks:
            finished(task[0], _build_one(*task))
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(_build_one, *task): task[0] for task in tasks}
            for future in as_completed(futures):
                finished(futures[future], future.result())
    if problems:
        raise BuildError(problems)
    for plan_, out, _root in tasks:
        target = stage / plan_.brand / plan_.subdir if plan_.subdir else stage / plan_.brand
        target.mkdir(parents=True, exist_ok=True)  # it may hold another language's reused output
        for child in Path(out, "site").iterdir():
            os.replace(child, target / child.name)
    shutil.rmtree(parts, ignore_errors=True)


def _build_one(site: SitePlan, out: str, root: Path) -> list[Problem]:
    """Write one plan's docs and mkdocs.yml, run mkdocs; problems instead of exceptions (for pools)."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config as mkdocs_load
    from mkdocs.exceptions import MkDocsException

    project = Path(out)
    for rel, source in site.copies.items():
        (project / "docs" / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / source, project / "docs" / rel)
    for rel, text in site.files.items():
        path = project / "docs" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    config = {**site.mkdocs, "docs_dir": "docs", "site_dir": "site"}
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                                        encoding="utf-8")
    warnings = _WarningLog()
    logging.getLogger("mkdocs").addHandler(warnings)
    try:
        mkdocs_build(mkdocs_load(config_file=str(project / "mkdocs.yml")))
    except (MkDocsException, OSError) as exc:
        where = f"site/{site.brand}/{site.subdir}".rstrip("/")
        return [Problem(where, 0, f"mkdocs failed: {exc}", "; ".join(warnings.messages)
                        or "Run with -v for details.")]
    finally:
        logging.getLogger("mkdocs").removeHandler(warnings)
    return []


class _WarningLog(logging.Handler):
    """Collects mkdocs warnings, so a failed strict build says why."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def fingerprint(site: SitePlan, root: Path, tools: str) -> str:
    """Everything a site's output depends on: its pages, its config, and `tools` (see tools_digest)."""
    digest = hashlib.sha256(tools.encode())
    for rel, text in sorted(site.files.items()):
        digest.update(f"{rel}\0{text}\0".encode())
    for rel, source in sorted(site.copies.items()):
        digest.update(rel.encode() + (root / source).read_bytes())
    digest.update(json.dumps(site.mkdocs, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def tools_digest() -> str:
    """What every site's output depends on besides its pages: theme, generator code, the build's date.

    Read once per build, not once per site.
    """
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted([*(TEMPLATES / "theme").rglob("*"), *package.glob("*.py")]):
        if path.is_file():
            digest.update(str(path.relative_to(path.parent.parent if path.suffix == ".py" else TEMPLATES)).encode())
            digest.update(path.read_bytes())
    digest.update((os.environ.get("SOURCE_DATE_EPOCH") or dt.date.today().isoformat()).encode())
    return digest.hexdigest()


def _cache_file(site_dir: Path) -> Path:
    return site_dir.with_name(f".{site_dir.name}.cache.json")


def _read_cache(site_dir: Path) -> dict[str, str]:
    """The fingerprints of the sites in site_dir, as the last build wrote them."""
    try:
        return json.loads(_cache_file(site_dir).read_text(encoding="utf-8")) if site_dir.exists() else {}
    except (OSError, ValueError):
        return {}


def _write_cache(site_dir: Path, prints: dict[str, str]) -> None:
    _cache_file(site_dir).write_text(json.dumps(prints, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def _reuse(site: SitePlan, site_dir: Path, stage: Path, sites: list[SitePlan]) -> bool:
    """Hard-link an unchanged site's last output into the stage; False if it is not there."""
    source = site_dir / site.brand / site.subdir if site.subdir else site_dir / site.brand
    if not source.is_dir():
        return False
    others = {p.subdir for p in sites if p.brand == site.brand and p.subdir and p is not site}
    target = stage / site.brand / site.subdir if site.subdir else stage / site.brand
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source, target, copy_function=os.link, dirs_exist_ok=True,
                    ignore=lambda folder, names: [n for n in names if Path(folder) == source and n in others])
    return True


@contextmanager
def _exclusive(site_dir: Path) -> Iterator[None]:
    """One build at a time writes a site folder; a second one stops with a clear message."""
    with open(site_dir.parent / f".{site_dir.name}.lock", "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError([Problem(site_dir.name, 0, "another policygen build is writing this folder",
                                      "Wait for it to finish, then build again.")]) from None
        yield


def _recover(site_dir: Path) -> None:
    """Clean up after a build that was killed: stale staging folders, a swap cut between its renames."""
    for stale in site_dir.parent.glob(f".{site_dir.name}.staging-*"):
        shutil.rmtree(stale, ignore_errors=True)  # we hold the lock: no other build owns them
    old = site_dir.with_name(f".{site_dir.name}.old")
    if old.exists() and not site_dir.exists():
        os.replace(old, site_dir)


def _swap(stage: Path, site_dir: Path, brands: list[str]) -> None:
    """Replace site_dir by the staged tree in two renames, keeping brands that were not rebuilt."""
    if site_dir.exists():
        for child in site_dir.iterdir():
            if child.name not in brands and not (stage / child.name).exists():
                os.replace(child, stage / child.name) if child.is_dir() else shutil.copy2(child, stage)
    old = site_dir.with_name(f".{site_dir.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if site_dir.exists():
        os.replace(site_dir, old)
    os.replace(stage, site_dir)
    shutil.rmtree(old, ignore_errors=True)
