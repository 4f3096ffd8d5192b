"""The typed schema of site.yml: brands, policies and languages."""

from __future__ import annotations

import re
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from ..errors import Collector, ConfigError
from . import characters
from .yamlsrc import YamlDoc

ID_RE = re.compile(r"^[a-z][a-z0-9-]{0,62}$")
ID_HINT = "Use lowercase ASCII letters, digits and hyphens, starting with a letter."
Id = Annotated[str, Field(pattern=ID_RE.pattern)]
Localized = dict[str, str]

# A DNS name with at least one dot: the sites and websites are public.
HOST_RE = re.compile(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?")
EMAIL_PATTERN = (r"^[A-Za-z0-9_%+-]+(\.[A-Za-z0-9_%+-]+)*@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
                 r"[A-Za-z]{2,63}$")
# A git branch name, in the plain form the docs ask for (no `..`, no leading or trailing dot or slash).
BRANCH_RE = r"^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*(/[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*)*$"
HOTLINE_PATTERN = r"^\+?\(?[0-9][0-9 ().-]{1,28}[0-9]$"
# Line breaks would end a Markdown heading or table cell that a value is printed in.
ONE_LINE_RE = re.compile("[\t\n\u2028\u2029]")
# Square brackets make Markdown links: a title is printed as `[title](…)`, brand facts in policy text.
LINK_RE = re.compile(r"[\[\]]")
# mkdocs-material prints the site name unescaped inside attributes (aria-label="…"), where these end the value.
ATTRIBUTE_RE = re.compile('["`]')
INVISIBLE_HINT = "Delete it (it is invisible, or changes the direction of the text)."
URL_CHARACTER_HINT = ("Remove it, or percent-encode it (a space is %20; a domain with accents is written in its "
                      "xn-- form).")
def _text_problem(text: str, kind: str) -> tuple[str, str] | None:
    """What keeps a display text from being plain, visible, one-line text: (problem, hint), or None."""
    if (what := characters.describe(text)) is not None:
        return f"{what} is not allowed", INVISIBLE_HINT
    if (match := ONE_LINE_RE.search(text)) is not None:
        return f"{characters.at(text, match.start())} is not allowed", "Write the text on one line, with plain spaces."
    if "<" in text or ">" in text:  # worded as before: "<field> contains < or >" (see _describe)
        return "contains < or >", f"{kind} are plain text: remove the angle brackets."
    if (match := LINK_RE.search(text)) is not None:
        return (f"{characters.at(text, match.start())} is not allowed",
                "Square brackets make Markdown links in the pages: use parentheses instead.")
    return None


def _attribute_problem(text: str) -> tuple[str, str] | None:
    """A quote or backtick would end the HTML attribute the site name is printed in."""
    if (match := ATTRIBUTE_RE.search(text)) is not None:
        return (f"{characters.at(text, match.start())} is not allowed",
                "The name is printed inside HTML attributes, where it would end the value: "
                "use typographic quotes (“ ”) or leave it out.")
    return None


def _script_problem(text: str) -> tuple[str, str] | None:
    """A name that mixes alphabets holds a look-alike letter ("Acmе" with a Cyrillic е): name it."""
    if (mixed := characters.mixed_scripts(text)) is None or (odd := characters.odd_letter(text)) is None:
        return None
    return (f"{text!r} mixes {mixed} letters: {characters.at(text, odd)} is the odd one",
            "Retype it: a look-alike letter from another alphabet makes a different name.")


def _refuse(problem: tuple[str, str]) -> PydanticCustomError:
    """A validation error that _describe reports with our own message and hint."""
    return PydanticCustomError("policygen", "{problem}", {"problem": problem[0], "hint": problem[1]})


def _display(kind: str, *, name: bool = False, attribute: bool = False) -> AfterValidator:
    """The validator of one kind of display text: plain text; a name in one alphabet; no quotes in attributes."""

    def check(value: str) -> str:
        problem = (_text_problem(value, kind) or (_attribute_problem(value) if attribute else None)
                   or (_script_problem(value) if name else None))
        if problem is not None:
            raise _refuse(problem)
        return value

    return AfterValidator(check)


def _url_character(value: str) -> str | None:
    """The first character that has no place in a plain URL: controls, spaces, quotes, <>, \\, `, non-ASCII."""
    for index, char in enumerate(value):
        if ord(char) <= 0x20 or ord(char) >= 0x7F or char in "\"'<>\\`":
            return characters.at(value, index)
    return None


def _url_problem(value: str, field: str) -> tuple[str, str] | None:
    """What keeps a value from being a public https:// address (site_url: a folder, ending with /)."""
    if (what := _url_character(value)) is not None:
        return f"{value!r} contains {what}", URL_CHARACTER_HINT
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - reading it checks the port
    except ValueError:
        return f"{value!r} is not valid", _PATTERN_HINTS[field]
    if parts.scheme != "https" or not value.startswith("https://"):
        return f"{value!r} is not valid", _PATTERN_HINTS[field]
    if "@" in parts.netloc:
        return (f"{value!r} contains a user name or password",
                "Remove the part before @: a published address must not carry credentials.")
    if not HOST_RE.fullmatch(parts.hostname or ""):
        return f"{value!r} has no valid host name", "Write the domain after https://, for example https://example.vn."
    if field == "site_url" and (parts.query or parts.fragment or "?" in value or "#" in value):
        return f"{value!r} has a query or fragment (?… or #…)", "Remove it: the pages' addresses are made from it."
    if field == "site_url" and not value.endswith("/"):
        return f"{value!r} does not end with /", "Add / at the end: the pages' addresses are made from it."
    return None


def _url(field: str) -> AfterValidator:
    """The validator of an https:// address field."""

    def check(value: str) -> str:
        if (problem := _url_problem(value, field)) is not None:
            raise _refuse(problem)
        return value

    return AfterValidator(check)


BrandName = Annotated[str, _display("Brand facts", name=True, attribute=True)]
LegalName = Annotated[str, _display("Brand facts", name=True)]
BrandText = Annotated[str, _display("Brand facts")]
Title = Annotated[str, _display("Titles")]
LanguageName = Annotated[str, _display("Language names")]


class _Schema(BaseModel):
    # Without use_attribute_docstrings: nothing reads field descriptions, and extracting them (inspect and
    # ast on every model's source) cost each command ~30 ms. The docstrings document the fields here.
    model_config = ConfigDict(extra="forbid", frozen=True)


class Language(_Schema):
    """A language the sites are published in."""

    code: Annotated[str, Field(pattern=r"^[a-z]{2,3}(_[A-Z]{2})?$")]
    """Language code (`vi`, `en`): the folder under content/ and the Babel locale."""
    name: LanguageName
    """The language's own name, shown in the language switcher (plain text)."""


class PolicyDef(_Schema):
    """A kind of policy (privacy, terms, …) that brands may publish."""

    title: dict[str, Title]
    """The policy's name in each language, used in navigation and links (plain text)."""


class FormDef(_Schema):
    """A signup or request form of a brand, and the consents it asks for."""

    purposes: Annotated[list[Id], Field(min_length=1)]
    """Boxes (ids of content/<lang>/consent.yml), one unticked checkbox each, in this order."""
    required: list[Id] = []
    """Boxes the form cannot be sent without: never one whose basis is consent (checked with consent.yml)."""


class BannerDef(_Schema):
    """The consent banner of a brand's own website."""

    policy: Id
    """The policy the banner links to and records the version of (usually privacy)."""
    purposes: Annotated[list[Id], Field(min_length=1)]
    """Cookie purposes (ids of content/<lang>/banner.yml); `necessary` is always on, the others off."""


class BrandDef(_Schema):
    """A brand and the facts its policies are filled with."""

    name: BrandName
    """Display name (VOIP24H): plain text in one alphabet, no quotes."""
    legal_name: dict[str, LegalName]
    """The registered company name in each language: plain text in one alphabet."""
    services: dict[str, BrandText]
    """What the brand provides, as a noun phrase in each language ("dịch vụ VoIP")."""
    website: Annotated[str, _url("website")]
    """The brand's main website: https://, a host name, no credentials."""
    site_url: Annotated[str, _url("site_url")]
    """Where this brand's policy site is published: https://, a host name, ending with /."""
    colour: Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")]
    """Primary colour of the site, as #rrggbb."""
    policies: list[Id]
    """Ids of the policies this brand publishes, in navigation order."""
    email: Annotated[str, Field(pattern=EMAIL_PATTERN)] | None = None
    """Contact email, if the brand publishes one (a plain address: name@domain.tld)."""
    hotline: Annotated[str, Field(pattern=HOTLINE_PATTERN)] | None = None
    """Customer hotline, if any: digits, spaces, + - ( ) and dots."""
    address: dict[str, BrandText] | None = None
    """Postal address in each language, if published."""
    logo: str | None = None
    """Path of the logo image, relative to the repository root (SVG or PNG)."""
    favicon: str | None = None
    """Path of the browser tab icon, relative to the repository root (SVG or PNG; default: the logo)."""
    languages: list[str] | None = None
    """Languages this brand publishes (default: all site languages)."""
    authoritative_language: str | None = None
    """The language whose text prevails (default: the site's)."""
    forms: dict[Id, FormDef] = {}
    """The brand's forms that carry consent checkboxes, by id."""
    banner: BannerDef | None = None
    """The consent banner of the brand's website, if it has one."""
    unconfirmed: list[Annotated[str, Field(pattern=r"^[a-z_]+(\.[a-z]{2,3}(_[A-Z]{2})?)?$")]] = []
    """Facts above that a person must still confirm (legal_name.vi, website): check reports each one."""
    require_confirmed: bool = False
    """True: on the publishing branch, anything still to confirm in this brand's texts and facts is an error."""

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
    material_notice_days: Annotated[int, Field(ge=0)] = 30
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
    publishing_branch: Annotated[str, Field(pattern=BRANCH_RE)] = "main"
    """The git branch that publishes: a version is published once its `updated` date is merged into it."""

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
    errors.raise_if_any(ConfigError)
    return config


def _describe(err: Any) -> tuple[str, str]:
    """A message and a hint for one pydantic error."""
    if "[key]" in err["loc"]:  # a mapping key (a brand or policy id) that is not a valid id
        where = ".".join(str(p) for p in err["loc"] if p != "[key]")
        return f"{where}: {err['input']!r} is not a valid id", ID_HINT
    loc = ".".join(str(p) for p in err["loc"])
    field = str(err["loc"][-1]) if err["loc"] else ""
    if err["type"] == "policygen":  # our own validators: the problem and its fix
        problem = err["ctx"]["problem"]
        return f"{loc}{' ' if problem.startswith('contains') else ': '}{problem}", err["ctx"]["hint"]
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
    "hotline": "Write digits, spaces, + - ( ) and dots only, for example 1900 1234 or +84 28 1234 5678.",
    "code": "Use a language code such as vi or en.",
    "publishing_branch": "Write the name of a git branch, such as main.",
}


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
