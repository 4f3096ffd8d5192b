"""Reading site.yml and the content tree from disk."""

from __future__ import annotations

from pathlib import Path

from .config import ID_RE, SiteConfig, parse_config
from .errors import Collector, ConfigError, ContentError
from .model import Content
from .parse import decode, parse_document
from .yamlsrc import YamlProblem, parse_yaml

OVERRIDE_SUFFIX = ".override.md"


def load_config(path: Path, root: Path) -> SiteConfig:
    """Read and validate site.yml."""
    rel = _rel(path, root)
    errors = Collector()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError([_problem(rel, f"cannot read site.yml ({exc.strerror})",
                                    "Run policygen from the repository root or pass --config.")]) from None
    text = decode(raw, rel, errors)
    errors.raise_if_any(ConfigError)
    try:
        doc = parse_yaml(text or "", rel)
    except YamlProblem as exc:
        raise ConfigError([exc.problem]) from None
    config = parse_config(doc, rel)
    errors = Collector()
    for brand_id, brand in config.brands.items():
        if brand.logo is not None and not (root / brand.logo).is_file():
            errors.add(rel, doc.line_of(("brands", brand_id, "logo")), f"logo file {brand.logo!r} does not exist",
                       "Give a path relative to the repository root, such as assets/logo.svg.")
        elif brand.logo is not None and Path(brand.logo).suffix.lower() not in (".svg", ".png"):
            errors.add(rel, doc.line_of(("brands", brand_id, "logo")), "the logo must be an SVG or PNG file",
                       "Convert it to SVG or PNG.")
    errors.raise_if_any(ConfigError)
    return config


def load_content(config: SiteConfig, content_dir: Path, root: Path) -> Content:
    """Read every policy file under content/; raise ContentError listing every problem."""
    errors = Collector()
    documents = {}
    for path in sorted(content_dir.rglob("*")):
        if path.is_dir() or path.name.startswith("."):
            continue
        place = _place(path, content_dir, config, _rel(path, root), errors)
        if place is None:
            continue
        lang, brand, policy, override = place
        doc = parse_document(path.read_bytes(), _rel(path, root), lang, policy, brand, override, errors)
        if doc is not None:
            documents[(lang, brand, policy, override)] = doc
    errors.raise_if_any(ContentError)
    return Content(documents)


def _place(path: Path, content_dir: Path, config: SiteConfig, rel: str, errors: Collector
           ) -> tuple[str, str | None, str, bool] | None:
    """Where a file sits: (lang, brand or None, policy, is override), or None if misplaced."""
    parts = path.relative_to(content_dir).parts
    if len(parts) not in (2, 3) or not path.name.endswith(".md"):
        errors.add(rel, 0, "unexpected file in content/",
                   "Policies are content/<lang>/<policy>.md or content/<lang>/<brand>/<policy>.md.")
        return None
    lang, brand = parts[0], (parts[1] if len(parts) == 3 else None)
    if lang not in config.codes:
        errors.add(rel, 0, f"unknown language folder {lang!r}",
                   f"Use one of: {', '.join(config.codes)}, or add the language to site.yml.")
        return None
    if brand is not None and brand not in config.brands:
        errors.add(rel, 0, f"unknown brand folder {brand!r}", f"Use one of: {', '.join(config.brands)}.")
        return None
    override = path.name.endswith(OVERRIDE_SUFFIX)
    policy = path.name[: -len(OVERRIDE_SUFFIX if override else ".md")]
    if not ID_RE.match(policy) or policy not in config.policies:
        errors.add(rel, 0, f"unknown policy {policy!r}",
                   f"Name the file after a policy id of site.yml: {', '.join(config.policies)}.")
        return None
    if override and brand is None:
        errors.add(rel, 0, "an override file must be inside a brand folder",
                   f"Move it to content/{lang}/<brand>/{path.name}.")
        return None
    return lang, brand, policy, override


def _rel(path: Path, root: Path) -> str:
    """A path as the editor sees it: relative to the repository root."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _problem(path: str, message: str, hint: str):
    from .errors import Problem

    return Problem(path, 0, message, hint)
