"""Consent snippets bound to the exact policy versions (pure): fragment, manifest, notices."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

import jinja2
from markupsafe import Markup, escape

from ..content.config import SiteConfig
from ..content.model import Wording
from ..content.render import brand_values, language_url
from ..content.sandbox import EditorTemplateError, render
from ..errors import Collector
from ..history.versions import Key, Timeline, Version
from ..jinja_envs import editor_sandbox

LINK = "\x00"  # marks a policy link inside a rendered label: \x00policy-id\x00
BASIS_MEANINGS = {  # the values of a record's consent.<purpose>.basis (wording.Declared.record)
    "acknowledgement": "the person confirmed reading or accepting a document; no consent to a use of data",
    "contract": "needed to provide the service; the form may require it",
    "legal-obligation": "required by law",
    "consent": "given freely: never required, and it can be withdrawn at any time",
}


@dataclass(frozen=True)
class PolicyRef:
    """A policy version that a consent refers to."""

    id: str
    title: str
    version: str
    url: str
    sha256: str
    effective: str
    material: bool


@dataclass(frozen=True)
class Purpose:
    """One checkbox: its label as text and links, and the exact versions it refers to."""

    id: str
    required: bool
    segments: tuple[tuple[str, str], ...]  # ("text", words) or ("link", policy id)
    policies: tuple[PolicyRef, ...]
    basis: str  # acknowledgement, contract, legal-obligation or consent (wording.Declared.record)

    def text(self) -> str:
        """The label as plain text (links by their titles)."""
        titles = {p.id: p.title for p in self.policies}
        return "".join(value if kind == "text" else titles[value] for kind, value in self.segments)


@dataclass(frozen=True)
class Snippet:
    """What one form of one brand shows in one language."""

    brand: str
    form: str
    lang: str
    legend: str
    purposes: tuple[Purpose, ...]

    @property
    def text_sha256(self) -> str:
        """SHA-256 of the consent wording shown (legend and labels), to prove what was read."""
        shown = "\n".join([self.legend, *(p.text() for p in self.purposes)])
        return hashlib.sha256(shown.encode("utf-8")).hexdigest()


def snippets(config: SiteConfig, brand_id: str, lang: str, wording: Wording, timelines: dict[Key, Timeline],
             as_of: dt.date, errors: Collector) -> list[Snippet]:
    """Every form's snippet for one brand and language; problems (unknown purposes, links) go to errors."""
    env = editor_sandbox()
    result = []
    for form_id, form in config.brands[brand_id].forms.items():
        purposes = []
        for purpose in form.purposes:
            if purpose not in wording.labels:
                errors.add(wording.path, 1, f"consent purpose {purpose!r} (form {form_id!r} of {brand_id!r}) "
                           "has no wording", f"Add `{purpose}:` with a `label:` under `purposes:`.")
                continue
            template, line = wording.labels[purpose]
            segments = _segments(env, template, config, brand_id, lang, wording.path, line, errors)
            refs = tuple(_ref(config, brand_id, lang, pid, timelines, as_of, wording.path, line, errors)
                         for kind, pid in segments if kind == "link")
            found = tuple(ref for ref in refs if ref is not None)
            if len(found) == len(refs):  # each link names a published policy (else it was reported)
                purposes.append(Purpose(purpose, purpose in form.required, segments, found,
                                        wording.bases[purpose]))
        legend = _legend(env, wording, config, brand_id, lang, errors)
        result.append(Snippet(brand_id, form_id, lang, legend, tuple(purposes)))
    return result


def _legend(env: jinja2.Environment, wording: Wording, config: SiteConfig, brand_id: str, lang: str,
            errors: Collector) -> str:
    try:
        return render(env, wording.legend, {"brand": brand_values(config, brand_id, lang)})
    except EditorTemplateError as exc:
        errors.add(wording.path, wording.legend_line + exc.line - 1, f"consent legend: {exc.message}", exc.hint)
        return ""


def _segments(env: jinja2.Environment, template: str, config: SiteConfig, brand_id: str, lang: str, path: str,
              line: int, errors: Collector) -> tuple[tuple[str, str], ...]:
    """A label rendered with brand values, split into text and policy links."""
    context = {"brand": brand_values(config, brand_id, lang), "policy": lambda pid: f"{LINK}{pid}{LINK}"}
    try:
        text = render(env, template, context)
    except EditorTemplateError as exc:
        errors.add(path, line + exc.line - 1, f"consent wording: {exc.message}", exc.hint)
        return ()
    parts = text.split(LINK)
    return tuple(("link" if index % 2 else "text", part) for index, part in enumerate(parts) if part)


def _ref(config: SiteConfig, brand_id: str, lang: str, policy: str, timelines: dict[Key, Timeline],
         as_of: dt.date, path: str, line: int, errors: Collector) -> PolicyRef | None:
    """The version in force of a linked policy, with its permanent URL and hash."""
    timeline = timelines.get((brand_id, policy, lang))
    if timeline is None:
        errors.add(path, line, f"the consent links policy {policy!r}, which {brand_id!r} does not publish",
                   f"Link one of: {', '.join(config.brands[brand_id].policies)}.")
        return None
    version = timeline.in_force(as_of)
    return PolicyRef(policy, config.policies[policy].title[lang], version.id,
                     f"{language_url(config, brand_id, lang)}{policy}/{version.id}/", version.sha256,
                     version.meta.effective.isoformat(), version.meta.material)


def fragment_html(snippet: Snippet) -> str:
    """The HTML fragment: works without JavaScript, no inline script or style, everything escaped."""
    prefix = f"pc-{snippet.brand}-{snippet.form}-{snippet.lang}"
    rows = [Markup('<fieldset class="policy-consent" data-brand="{}" data-form="{}" lang="{}">\n'
                   '  <legend>{}</legend>\n').format(snippet.brand, snippet.form, snippet.lang, snippet.legend)]
    for purpose in snippet.purposes:
        box = f"{prefix}-{purpose.id}"
        rows.append(Markup('  <div class="policy-consent__purpose">\n    <input type="checkbox" id="{}" '
                           'name="consent.{}" value="yes"{}>\n    <label for="{}">{}</label>\n  </div>\n')
                    .format(box, purpose.id, Markup(" required") if purpose.required else "", box, _label(purpose)))
    rows.append(_hidden("consent.form", snippet.form))
    rows.append(_hidden("consent.locale", snippet.lang))
    rows.append(_hidden("consent.text_sha256", snippet.text_sha256))
    for purpose in snippet.purposes:  # posted with every box, ticked or not: the record says on what basis
        rows.append(_hidden(f"consent.{purpose.id}.basis", purpose.basis))
    for ref in {ref.id: ref for purpose in snippet.purposes for ref in purpose.policies}.values():
        rows.append(_hidden(f"policy.{ref.id}.version", ref.version))
        rows.append(_hidden(f"policy.{ref.id}.sha256", ref.sha256))
    rows.append(Markup("</fieldset>\n"))
    return str(Markup("").join(rows))


def _label(purpose: Purpose) -> Markup:
    refs = {ref.id: ref for ref in purpose.policies}
    return Markup("").join(
        escape(value) if kind == "text" else Markup('<a href="{}" target="_blank" rel="noopener">{}</a>')
        .format(refs[value].url, refs[value].title) for kind, value in purpose.segments)


def _hidden(name: str, value: str) -> Markup:
    return Markup('  <input type="hidden" name="{}" value="{}">\n').format(name, value)


def manifest(config: SiteConfig, brand_id: str, snippets_by_lang: dict[str, list[Snippet]],
             timelines: dict[Key, Timeline], as_of: dt.date) -> str:
    """The JSON the signup back end (and the web component) reads: texts, links, versions, hashes."""
    forms: dict[str, Any] = {}
    for lang, items in snippets_by_lang.items():
        for snippet in items:
            form = forms.setdefault(snippet.form, {"languages": {}})
            form["languages"][lang] = {
                "legend": snippet.legend, "text_sha256": snippet.text_sha256,
                "purposes": [{"id": p.id, "required": p.required, "basis": p.basis, "text": p.text(),
                              "segments": [{"text": v} if k == "text" else {"policy": v} for k, v in p.segments],
                              "policies": [ref.__dict__ for ref in p.policies]} for p in snippet.purposes]}
    policies = {f"{policy}/{lang}": _versions(timeline, as_of)
                for (brand, policy, lang), timeline in sorted(timelines.items()) if brand == brand_id}
    data = {"brand": brand_id, "as_of": as_of.isoformat(), "forms": forms, "policies": policies}
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def _versions(timeline: Timeline, as_of: dt.date) -> dict[str, Any]:
    """Every version with its hash, and whether consent to it must be asked again."""
    reask = {id(v) for v in timeline.reask(as_of)}  # the one rule (Timeline.reask), shared with the banner
    entries = [{"version": version.id, "sha256": version.sha256, "effective": version.meta.effective.isoformat(),
                "material": version.meta.material, "reconsent": id(version) in reask} for version in timeline.versions]
    return {"current": timeline.in_force(as_of).id, "versions": entries}


def verify(timelines: dict[Key, Timeline], brand: str, policy: str, lang: str, version_id: str,
           sha256: str) -> tuple[bool, Version | None, str]:
    """Whether a consent record's (version, hash) matches a published version; the version; why not."""
    timeline = timelines.get((brand, policy, lang))
    if timeline is None:
        return False, None, f"{brand!r} publishes no {policy!r} in {lang!r}"
    version = next((v for v in timeline.versions if v.id == version_id), None)
    if version is None:
        return False, None, f"no published version {version_id} of {policy!r} ({lang})"
    if version.sha256 != sha256.lower():
        return False, version, f"the hash does not match version {version_id} (its SHA-256 is {version.sha256})"
    return True, version, "the record matches the published version"


def read_bases(recorded: tuple[str, ...], declared: dict[str, str], path: str) -> tuple[list[str], str | None]:
    """`consent verify --basis`: what each recorded basis means (and a declaration changed since), or why not."""
    lines = []
    for item in recorded:
        pid, sep, value = item.partition("=")
        if not sep or not pid or value not in BASIS_MEANINGS:
            return [], f"{item!r} is not PURPOSE=BASIS with a basis among {', '.join(BASIS_MEANINGS)}"
        line = f"{pid}: {value} ({BASIS_MEANINGS[value]})"
        if declared.get(pid, value) != value:
            line += f"; note: {path} now declares {declared[pid]}"
        lines.append(line if pid in declared else f"{line}; note: {path} no longer has {pid!r}")
    return lines, None
