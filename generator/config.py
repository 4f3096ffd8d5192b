"""The typed schema of site.yml: brands, policies and languages."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import Collector, ConfigError
from .yamlsrc import YamlDoc

ID_RE = re.compile(r"^[a-z][a-z0-9-]{0,62}$")
ID_HINT = "Use lowercase ASCII letters, digits and hyphens, starting with a letter."
Id = Annotated[str, Field(pattern=ID_RE.pattern)]
Localized = dict[str, str]


class _Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class Language(_Schema):
    """A language the sites are published in."""

    code: Annotated[str, Field(pattern=r"^[a-z]{2,3}(_[A-Z]{2})?$")]
    """Language code (`vi`, `en`): the folder under content/ and the Babel locale."""
    name: str
    """The language's own name, shown in the language switcher."""


class PolicyDef(_Schema):
    """A kind of policy (privacy, terms, …) that brands may publish."""

    title: Localized
    """The policy's name in each language, used in navigation and links."""


class FormDef(_Schema):
    """A signup or request form of a brand, and the consents it asks for."""

    purposes: Annotated[list[Id], Field(min_length=1)]
    """Consent purposes (ids of content/<lang>/consent.yml), one unticked checkbox each."""
    required: list[Id] = []
    """Purposes the form cannot be sent without (never a marketing purpose)."""


class BannerDef(_Schema):
    """The consent banner of a brand's own website."""

    policy: Id
    """The policy the banner links to and records the version of (usually privacy)."""
    purposes: Annotated[list[Id], Field(min_length=1)]
    """Cookie purposes (ids of content/<lang>/banner.yml); `necessary` is always on, the others off."""


class BrandDef(_Schema):
    """A brand and the facts its policies are filled with."""

    name: str
    """Display name (VOIP24H)."""
    legal_name: Localized
    """The registered company name in each language."""
    services: Localized
    """What the brand provides, as a noun phrase in each language ("dịch vụ VoIP")."""
    website: Annotated[str, Field(pattern=r"^https://\S+$")]
    """The brand's main website (https)."""
    site_url: Annotated[str, Field(pattern=r"^https://\S+/$")]
    """Where this brand's policy site is published (https, ending with /)."""
    colour: Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")]
    """Primary colour of the site, as #rrggbb."""
    policies: list[Id]
    """Ids of the policies this brand publishes, in navigation order."""
    email: Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")] | None = None
    """Contact email, if the brand publishes one."""
    hotline: str | None = None
    """Customer hotline, if any."""
    address: Localized | None = None
    """Postal address in each language, if published."""
    logo: str | None = None
    """Path of the logo image, relative to the repository root (SVG or PNG)."""
    languages: list[str] | None = None
    """Languages this brand publishes (default: all site languages)."""
    authoritative_language: str | None = None
    """The language whose text prevails (default: the site's)."""
    forms: dict[Id, FormDef] = {}
    """The brand's forms that carry consent checkboxes, by id."""
    banner: BannerDef | None = None
    """The consent banner of the brand's website, if it has one."""

    @field_validator("policies")
    @classmethod
    def _non_empty(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("a brand must publish at least one policy")
        return value


class ChecksDef(_Schema):
    """Settings of `policygen check`."""

    foreign_names: list[str] = []
    """Names of other companies that must never appear in a policy (for example a former provider)."""
    material_notice_days: int = 0
    """Minimum days between `updated` and `effective` for a material change (0: no minimum)."""


class SiteConfig(_Schema):
    """The whole of site.yml."""

    languages: Annotated[list[Language], Field(min_length=1)]
    """Languages in order; the first is the default (served at the site root)."""
    authoritative_language: str
    """The language whose text prevails when translations differ."""
    policies: dict[Id, PolicyDef]
    """Every policy, by id."""
    brands: dict[Id, BrandDef]
    """Every brand, by id; each gets its own site under site/<brand>/."""
    checks: ChecksDef = ChecksDef()
    """Settings of the editor checks."""

    @property
    def codes(self) -> list[str]:
        """Language codes in order."""
        return [lang.code for lang in self.languages]

    def brand_languages(self, brand_id: str) -> list[str]:
        """Languages a brand publishes, default language first."""
        wanted = self.brands[brand_id].languages
        return [c for c in self.codes if wanted is None or c in wanted]

    def brand_authority(self, brand_id: str) -> str:
        """The authoritative language of a brand."""
        return self.brands[brand_id].authoritative_language or self.authoritative_language


def parse_config(doc: YamlDoc, path: str) -> SiteConfig:
    """Validate parsed site.yml; raise ConfigError listing every problem."""
    errors = Collector()
    if not isinstance(doc.data, dict):
        errors.add(path, 1, "site.yml must be a mapping with languages, policies and brands",
                   "See docs/site-yml.md for an example.")
        errors.raise_if_any(ConfigError)
    try:
        config = SiteConfig.model_validate(doc.data)
    except ValidationError as exc:
        for err in exc.errors():
            errors.add(path, doc.line_of(tuple(err["loc"])), *_describe(err))
        errors.raise_if_any(ConfigError)
    _check_references(config, doc, path, errors)
    _check_plain_text(config, doc, path, errors)
    errors.raise_if_any(ConfigError)
    return config


def _describe(err: Any) -> tuple[str, str]:
    """A message and a hint for one pydantic error."""
    if "[key]" in err["loc"]:  # a mapping key (a brand or policy id) that is not a valid id
        where = ".".join(str(p) for p in err["loc"] if p != "[key]")
        return f"{where}: {err['input']!r} is not a valid id", ID_HINT
    loc = ".".join(str(p) for p in err["loc"])
    field = str(err["loc"][-1]) if err["loc"] else ""
    if err["type"] == "missing":
        parent = ".".join(str(p) for p in err["loc"][:-1]) or "site.yml"
        return f"{parent}: required field {field!r} is missing", f"Add `{field}:` here."
    if err["type"] == "extra_forbidden":
        return f"{loc}: unknown field {field!r}", "Remove it or correct its spelling (see docs/site-yml.md)."
    if err["type"] == "string_pattern_mismatch":
        if field in ("policies",) or isinstance(err["loc"][-1], int) or len(err["loc"]) == 2:
            return f"{loc}: {err['input']!r} is not a valid id", ID_HINT
        return f"{loc}: {err['input']!r} is not valid", _PATTERN_HINTS.get(field, "See docs/site-yml.md.")
    return f"{loc}: {err['msg']}", "See docs/site-yml.md."


_PATTERN_HINTS = {
    "website": "Write a full https:// address.",
    "site_url": "Write a full https:// address ending with /.",
    "colour": "Write the colour as #rrggbb, for example #0b5cab.",
    "email": "Write a plain address such as support@example.vn.",
    "code": "Use a language code such as vi or en.",
}


def _check_plain_text(config: SiteConfig, doc: YamlDoc, path: str, errors: Collector) -> None:
    """Brand facts reach every page (mkdocs' templates print the site name unescaped): no markup."""
    for bid, brand in config.brands.items():
        for name in ("name", "legal_name", "services", "hotline", "address"):
            value = getattr(brand, name)
            texts = value.values() if isinstance(value, dict) else [value or ""]
            if any(ch in text for text in texts for ch in "<>"):
                errors.add(path, doc.line_of(("brands", bid, name)), f"brands.{bid}.{name} contains < or >",
                           "Brand facts are plain text: remove the angle brackets.")


def _check_references(config: SiteConfig, doc: YamlDoc, path: str, errors: Collector) -> None:
    """Check what the schema cannot: names that must refer to each other."""
    codes = config.codes
    if len(set(codes)) != len(codes):
        errors.add(path, doc.line_of(("languages",)), "a language is listed twice", "Keep one entry per code.")
    if config.authoritative_language not in codes:
        errors.add(path, doc.line_of(("authoritative_language",)),
                   f"authoritative language {config.authoritative_language!r} is not in languages",
                   f"Use one of: {', '.join(codes)}.")
    for pid, policy in config.policies.items():
        _check_localized(policy.title, ("policies", pid, "title"), codes, doc, path, errors)
    for bid, brand in config.brands.items():
        at = ("brands", bid)
        for pid in brand.policies:
            if pid not in config.policies:
                errors.add(path, doc.line_of((*at, "policies")), f"brand {bid!r} publishes unknown policy {pid!r}",
                           f"Define it under `policies:` or use one of: {', '.join(config.policies)}.")
        for code in (brand.languages or []) + [brand.authoritative_language or codes[0]]:
            if code not in codes:
                errors.add(path, doc.line_of((*at, "languages")), f"brand {bid!r} uses unknown language {code!r}",
                           f"Use one of: {', '.join(codes)}.")
        if brand.banner is not None and brand.banner.policy not in brand.policies:
            errors.add(path, doc.line_of((*at, "banner", "policy")),
                       f"the banner of {bid!r} links {brand.banner.policy!r}, which the brand does not publish",
                       f"Use one of: {', '.join(brand.policies)}.")
        for form_id, form in brand.forms.items():
            for purpose in form.required:
                if purpose not in form.purposes:
                    errors.add(path, doc.line_of((*at, "forms", form_id, "required")),
                               f"form {form_id!r} requires {purpose!r}, which is not one of its purposes",
                               "List it under `purposes:` too, or remove it from `required:`.")
        for name in ("legal_name", "services", "address"):
            value = getattr(brand, name)
            if value is not None:
                _check_localized(value, (*at, name), config.brand_languages(bid), doc, path, errors)


def _check_localized(value: Localized, at: tuple[str, ...], codes: list[str], doc: YamlDoc,
                     path: str, errors: Collector) -> None:
    """A localized text needs a non-empty value for each language."""
    for code in codes:
        if not str(value.get(code) or "").strip():
            errors.add(path, doc.line_of(at), f"{'.'.join(at)} has no {code!r} text",
                       f"Add `{code}: …` under `{at[-1]}:`.")
