"""Reading site.yml and the content tree from disk."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from ..consent.wording import Basis, Declared, WordingSchema, check_forms, check_language, check_languages
from ..errors import Collector, ConfigError, ContentError, Problem
from .config import ID_RE, SiteConfig, parse_config
from .logo import logo_problem
from .model import BannerWording, Content, Wording
from .parse import MAX_FILE_BYTES, decode, parse_document
from .yamlsrc import YamlDoc, YamlProblem, parse_yaml

OVERRIDE_SUFFIX = ".override.md"
WORDING_FILE = "consent.yml"
BANNER_FILE = "banner.yml"


M = TypeVar("M", bound=BaseModel)


def _load_per_language(config: SiteConfig, content_dir: Path, root: Path, name: str, schema: type[M],
                       doc_page: str) -> dict[str, tuple[str, YamlDoc, M]]:
    """content/<lang>/<name> of every language that has one, validated; ContentError lists every problem."""
    errors = Collector()
    result = {}
    for lang in config.codes:
        path = content_dir / lang / name
        if not path.exists():
            continue
        rel = _rel(path, root)
        try:
            raw = read_file(path, rel, errors)
            if raw is None:
                continue
            doc = parse_yaml(decode(raw, rel, errors) or "", rel)
            result[lang] = (rel, doc, schema.model_validate(doc.data or {}))
        except YamlProblem as exc:
            errors.extend([exc.problem])
        except ValidationError as exc:
            for err in exc.errors():
                errors.add(rel, doc.line_of(tuple(err["loc"])), f"{'.'.join(map(str, err['loc']))}: {err['msg']}",
                           f"See {doc_page} for the format.")
    errors.raise_if_any(ContentError)
    return result


def load_wording(config: SiteConfig, content_dir: Path, root: Path, errors: Collector | None = None
                 ) -> dict[str, Wording]:
    """The consent wording (consent.yml) of every language that has one.

    The consent rules (consent/wording.py) report to `errors`, with the build's other problems; without it, they raise.
    """
    found = _load_per_language(config, content_dir, root, WORDING_FILE, WordingSchema, "docs/consent.md")
    rules = Collector() if errors is None else errors
    for rel, doc, data in found.values():
        check_language(rel, doc, data, rules)
    check_languages(found, rules)
    check_forms(config, found, _site_doc(root), rules)
    if errors is None:
        rules.raise_if_any(ContentError)
    return {lang: Wording(rel, data.legend, {pid: (p.label, doc.line_of(("purposes", pid, "label")))
                                             for pid, p in data.purposes.items()}, doc.line_of(("legend",)),
                          {pid: Declared(rel, doc, p).record for pid, p in data.purposes.items()})
            for lang, (rel, doc, data) in found.items()}


def declared_bases(root: Path, lang: str) -> tuple[str, dict[str, str]]:
    """What content/<lang>/consent.yml declares today for each box (`consent verify`): its path, the bases."""
    config = load_config(root / "site.yml", root)
    wording = load_wording(config, root / "content", root, Collector()).get(lang)  # rules: the build's business
    return (wording.path, wording.bases) if wording is not None else (f"content/{lang}/{WORDING_FILE}", {})


def _site_doc(root: Path) -> YamlDoc:
    """site.yml's key lines, to place the problems of its forms (load_config has already read it whole)."""
    try:
        return parse_yaml(decode((root / "site.yml").read_bytes(), "site.yml", Collector()) or "", "site.yml")
    except (OSError, YamlProblem):
        return YamlDoc(None)


def load_config(path: Path, root: Path) -> SiteConfig:
    """Read and validate site.yml."""
    rel = _rel(path, root)
    errors = Collector()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError([Problem(rel, 0, f"cannot read site.yml ({exc.strerror})",
                                   "Run policygen from the repository root, or pass --root.")]) from None
    text = decode(raw, rel, errors)
    errors.raise_if_any(ConfigError)
    try:
        doc = parse_yaml(text or "", rel)
    except YamlProblem as exc:
        raise ConfigError([exc.problem]) from None
    config = parse_config(doc, rel)
    errors = Collector()
    for brand_id, brand in config.brands.items():
        for field in ("logo", "favicon"):
            picture = getattr(brand, field)
            if picture is not None and (problem := _logo_problem(picture, root, field)) is not None:
                errors.add(rel, doc.line_of(("brands", brand_id, field)), *problem)
    errors.raise_if_any(ConfigError)
    return config


def _logo_problem(logo: str, root: Path, field: str = "logo") -> tuple[str, str] | None:
    """Why a brand's logo or favicon (`field`) cannot be published (message, hint): where, its type, its content."""
    path = root / logo
    if not path.resolve().is_relative_to(root.resolve()):
        return (f"{field} {logo!r} is outside the repository",
                "Put the logo in the repository and give its path relative to the root.")
    if not path.is_file():
        return (f"{field} file {logo!r} does not exist",
                "Give a path relative to the repository root, such as assets/logo.svg.")
    if path.suffix.lower() not in (".svg", ".png"):
        return f"the {field} must be an SVG or PNG file", "Convert it to SVG or PNG."
    try:
        data = path.read_bytes()
    except OSError as exc:
        return f"cannot read {field} {logo!r} ({exc.strerror})", "Check that the file is readable."
    problem = logo_problem(path.suffix, data)
    return (f"{field} {logo!r} is refused: {problem[0]}", problem[1]) if problem else None


def load_content(config: SiteConfig, content_dir: Path, root: Path) -> Content:
    """Read every policy file under content/; raise ContentError listing every problem."""
    errors = Collector()
    documents = {}
    for path in sorted(content_dir.rglob("*")):
        if path.is_dir() or path.name.startswith("."):
            continue
        rel = "content/" + path.relative_to(content_dir).as_posix()
        if path.name in (WORDING_FILE, BANNER_FILE) and path.parent.parent == content_dir:
            continue  # consent and banner wording: see load_wording and load_banner_wording
        place = place_of(rel, config)
        if isinstance(place, Problem):
            errors.extend([Problem(_rel(path, root), place.line, place.message, place.hint)])
            continue
        lang, brand, policy, override = place
        raw = read_file(path, _rel(path, root), errors)
        doc = parse_document(raw, _rel(path, root), lang, policy, brand, override, errors) if raw is not None else None
        if doc is not None:
            documents[(lang, brand, policy, override)] = doc
    errors.raise_if_any(ContentError)
    return Content(documents)


def place_of(rel: str, config: SiteConfig) -> tuple[str, str | None, str, bool] | Problem:
    """Where a content file sits: (lang, brand or None, policy, is override), or why it cannot be there."""
    parts = PurePosixPath(rel).parts[1:]  # without "content"
    name = parts[-1] if parts else ""
    if len(parts) not in (2, 3) or not name.endswith(".md"):
        return Problem(rel, 0, "unexpected file in content/",
                       "Policies are content/<lang>/<policy>.md or content/<lang>/<brand>/<policy>.md.")
    lang, brand = parts[0], (parts[1] if len(parts) == 3 else None)
    if lang not in config.codes:
        return Problem(rel, 0, f"unknown language folder {lang!r}",
                       f"Use one of: {', '.join(config.codes)}, or add the language to site.yml.")
    if brand is not None and brand not in config.brands:
        return Problem(rel, 0, f"unknown brand folder {brand!r}", f"Use one of: {', '.join(config.brands)}.")
    override = name.endswith(OVERRIDE_SUFFIX)
    policy = name[: -len(OVERRIDE_SUFFIX if override else ".md")]
    if not ID_RE.match(policy) or policy not in config.policies:
        return Problem(rel, 0, f"unknown policy {policy!r}",
                       f"Name the file after a policy id of site.yml: {', '.join(config.policies)}.")
    if override and brand is None:
        return Problem(rel, 0, "an override file must be inside a brand folder",
                       f"Move it to content/{lang}/<brand>/{name}.")
    return lang, brand, policy, override


def read_file(path: Path, rel: str, errors: Collector) -> bytes | None:
    """A content file's bytes: a regular file (a link could point anywhere), read no further than a policy can be."""
    if path.is_symlink() or not path.is_file():
        errors.add(rel, 1, "the file is a link, or not a regular file", "Commit the file itself, not a link to it.")
        return None
    with open(path, "rb") as handle:
        return handle.read(MAX_FILE_BYTES + 1)  # decode() reports a file over the limit


def _rel(path: Path, root: Path) -> str:
    """A path as the editor sees it: relative to the repository root."""
    try:  # the folder resolved, not the file: a link is named where it is, not where it points
        return (path.parent.resolve() / path.name).relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)




class _BannerPurpose(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: str
    description: str
    basis: Basis  # `necessary` is always on: not consent; every other purpose starts off: consent


ALWAYS_ON = "necessary"  # the banner purpose the script keeps on (policy-banner.js)


class _BannerSchema(BaseModel):
    """content/<lang>/banner.yml."""

    model_config = ConfigDict(extra="forbid")
    title: str
    text: str
    accept: str
    reject: str
    save: str
    reopen: str
    purposes: dict[str, _BannerPurpose]


def load_banner_wording(config: SiteConfig, content_dir: Path, root: Path) -> dict[str, BannerWording]:
    """The banner wording (banner.yml) of every language that has one."""
    found = _load_per_language(config, content_dir, root, BANNER_FILE, _BannerSchema, "docs/banner.md")
    errors = Collector()
    for rel, doc, data in found.values():
        for pid, purpose in data.purposes.items():
            if (pid == ALWAYS_ON) == (purpose.basis == "consent"):
                errors.add(rel, doc.line_of(("purposes", pid, "basis")), *_banner_basis_problem(pid, purpose.basis))
    errors.raise_if_any(ContentError)
    return {lang: BannerWording(rel, data.model_dump(exclude={"purposes"}),
                                {p: (v.label, v.description) for p, v in data.purposes.items()},
                                {key: doc.line_of((key,)) for key in data.model_dump(exclude={"purposes"})},
                                {p: v.basis for p, v in data.purposes.items()})
            for lang, (rel, doc, data) in found.items()}


def _banner_basis_problem(pid: str, basis: str) -> tuple[str, str]:
    """Why a banner purpose's basis does not fit how the banner treats it (message, fix)."""
    if pid == ALWAYS_ON:
        return (f"banner purpose {pid!r} is always on, so its basis cannot be consent",
                "Write `basis: contract` (the website cannot work without it); move any cookie the visitor "
                "may refuse to a purpose of its own.")
    return (f"banner purpose {pid!r} has basis {basis}, but the banner leaves it off until the visitor ticks it",
            f"Write `basis: consent`; a cookie the website cannot work without belongs under `{ALWAYS_ON}`.")
