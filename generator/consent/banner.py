"""The consent banner of each brand's website (pure): its configuration JSON and stylesheet."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from ..content.config import BannerDef, SiteConfig
from ..content.model import BannerWording
from ..content.render import brand_values, language_url, readable_colour
from ..content.sandbox import EditorTemplateError, render
from ..errors import Collector
from ..history.versions import Key, Timeline
from ..jinja_envs import editor_sandbox
from .snippets import LINK

UI_KEYS = ("title", "accept", "reject", "save", "reopen")



def banner_of(config: SiteConfig, brand_id: str) -> BannerDef:
    """The brand's banner (only brands with one get a banner built)."""
    banner = config.brands[brand_id].banner
    if banner is None:
        raise ValueError(f"brand {brand_id!r} has no banner")
    return banner


def banner_json(config: SiteConfig, brand_id: str, wording: dict[str, BannerWording],
                timelines: dict[Key, Timeline], as_of: dt.date, errors: Collector) -> str:
    """Everything the banner script needs: texts per language, purposes, the policy version and hash."""
    banner = banner_of(config, brand_id)
    languages = {}
    for lang in config.brand_languages(brand_id):
        if lang not in wording:
            errors.add(f"content/{lang}/banner.yml", 0, f"brand {brand_id!r} has a banner but there is no "
                       f"{lang!r} banner wording", "Write content/<lang>/banner.yml (see docs/banner.md).")
            continue
        languages[lang] = _texts(config, brand_id, lang, wording[lang], timelines, as_of, errors)
    timeline = timelines[(brand_id, banner.policy, config.brand_languages(brand_id)[0])]
    current = timeline.in_force(as_of)
    reask = [v.id for v in timeline.reask(as_of)]
    data = {"brand": brand_id, "policy": banner.policy, "version": current.id, "sha256": current.sha256,
            "reask": reask, "purposes": banner.purposes, "default_language": config.codes[0],
            "languages": languages}
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def _texts(config: SiteConfig, brand_id: str, lang: str, wording: BannerWording, timelines: dict[Key, Timeline],
           as_of: dt.date, errors: Collector) -> dict[str, Any]:
    """One language's texts, the policy link split out as a segment."""
    banner = banner_of(config, brand_id)
    rendered = _rendered(config, brand_id, lang, wording, errors)
    if rendered is None:
        return {}
    missing = [p for p in banner.purposes if p not in wording.purposes]
    for purpose in missing:
        errors.add(wording.path, 1, f"banner purpose {purpose!r} of {brand_id!r} has no wording",
                   f"Add `{purpose}:` with a `label:` and a `description:` under `purposes:`.")
    version = timelines[(brand_id, banner.policy, lang)].in_force(as_of)
    parts = rendered.get("text", "").split(LINK)
    return {**{k: rendered.get(k, "") for k in UI_KEYS},
            "text": [{"policy": True} if i % 2 else {"text": part} for i, part in enumerate(parts) if part],
            "policy_title": config.policies[banner.policy].title[lang],
            "version": version.id, "sha256": version.sha256,
            "policy_url": f"{language_url(config, brand_id, lang)}{banner.policy}/{version.id}/",
            "purposes": [{"id": p, "label": wording.purposes[p][0], "description": wording.purposes[p][1],
                          "required": p == "necessary", "basis": wording.bases.get(p, "")}
                         for p in banner.purposes if p in wording.purposes]}


def _rendered(config: SiteConfig, brand_id: str, lang: str, wording: BannerWording, errors: Collector
              ) -> dict[str, str] | None:
    """The wording's texts rendered in the sandbox with brand values and the policy link's mark."""
    values = {"brand": brand_values(config, brand_id, lang), "policy": f"{LINK}policy{LINK}"}
    rendered, failed = {}, False
    for key, text in wording.texts.items():
        try:
            rendered[key] = render(editor_sandbox(), text, values)
        except EditorTemplateError as exc:
            failed = True
            errors.add(wording.path, wording.lines.get(key, 1) + exc.line - 1, f"banner wording: {exc.message}",
                       exc.hint)
    return None if failed else rendered


def banner_css(colour: str) -> str:
    """The banner's stylesheet: accept and reject look alike; the brand colour, readable.

    At most 40 % of the screen's height: the text scrolls inside, the buttons stay in view. Never printed.
    """
    c = readable_colour(colour)
    return f""".policy-banner {{
  position: fixed; inset: auto 0 0 0; z-index: 10000; max-height: 40vh; max-height: 40dvh;
  display: flex; flex-direction: column; box-sizing: border-box;
  background: #fff; color: #1a1a1a; border-top: 4px solid {c}; box-shadow: 0 -2px 12px rgba(0, 0, 0, .25);
  padding: .75rem 1rem; font: 16px/1.5 system-ui, sans-serif;
}}
.policy-banner[hidden] {{ display: none; }}
.policy-banner-spacer {{ flex: none; }}
.policy-banner__inner {{
  display: flex; flex-direction: column; gap: .5rem; min-height: 0; width: 100%; max-width: 60rem; margin: 0 auto;
}}
.policy-banner__body {{ overflow: auto; min-height: 0; }}
.policy-banner h2 {{ font-size: 1.15rem; margin: 0 0 .25rem; }}
.policy-banner p {{ margin: 0 0 .5rem; }}
.policy-banner a {{ color: {c}; text-decoration: underline; }}
.policy-banner fieldset {{ border: 0; margin: 0; padding: 0; }}
.policy-banner label {{ display: block; margin: .25rem 0; }}
.policy-banner__description {{ display: block; margin-left: 1.6rem; color: #444; font-size: .9em; }}
.policy-banner__buttons {{ display: flex; flex-wrap: wrap; gap: .5rem; flex: none; }}
.policy-banner button {{
  flex: 1 1 6em; min-height: 44px; padding: .25rem .5rem; font: inherit; line-height: 1.25; cursor: pointer;
  border: 2px solid {c}; border-radius: 4px; background: {c}; color: #fff;
}}
.policy-banner button:focus-visible, .policy-banner a:focus-visible, .policy-banner input:focus-visible {{
  outline: 3px solid #1a1a1a; outline-offset: 2px;
}}
@media (max-width: 30rem) {{
  .policy-banner {{ padding: .5rem .75rem; font-size: 15px; }}
  .policy-banner h2 {{ font-size: 1rem; }}
}}
@media print {{
  .policy-banner, .policy-banner-spacer {{ display: none !important; }}
}}
"""
