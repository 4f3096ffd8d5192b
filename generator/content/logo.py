"""Whether a logo file is a plain picture: an SVG with no script and no reference outside itself, a real PNG."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # only ever given text without a DOCTYPE (see svg_problem)

# A logo is published as a file of the site (assets/logo.svg); a reader who opens its address gets
# it as a document, where an SVG's scripts run and its references load. So an SVG may only draw:
# no script, event handler, HTML, DOCTYPE or entity, and no reference but `#id` inside the file.

MAX_LOGO_BYTES = 1_000_000
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_HINT = "Export the logo again as a plain picture: no scripts, event handlers, links or outside files."
PNG_HINT = "Export the logo as a real PNG image (or as an SVG) and point `logo:` at that file."
XHTML_NS = "http://www.w3.org/1999/xhtml"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
# Elements that run script or embed a document (handler and listener: SVG Tiny's scripting).
ACTIVE = {"script": "a <script> element", "foreignobject": "a <foreignObject> (HTML inside the picture)",
          "handler": "a <handler> element (script)", "listener": "a <listener> element (script)"}
ANIMATIONS = {"animate", "set", "animatemotion", "animatetransform", "animatecolor"}
FRAGMENT_RE = re.compile(r"#[A-Za-z_][\w.:-]*")
# DTDs declare entities (which expand into markup, or read files); refused before any parsing.
DTD_RE = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
# Processing instructions other than the XML declaration, such as <?xml-stylesheet href="…"?>.
PI_RE = re.compile(r"<\?(?!xml[\s?])")
CSS_URL_RE = re.compile(r"url\(\s*['\"]?([^'\")\s]*)", re.IGNORECASE)


def logo_problem(suffix: str, data: bytes) -> tuple[str, str] | None:
    """Why a logo file (.svg or .png, by `suffix`) cannot be published, with the fix; None if it can."""
    if len(data) > MAX_LOGO_BYTES:
        return f"it is larger than 1 MB ({len(data):,} bytes)", "Export it smaller: a logo needs a few kilobytes."
    if suffix.lower() == ".png":
        reason = png_problem(data)
        return (reason, PNG_HINT) if reason else None
    reason = svg_problem(data)
    return (reason, SVG_HINT) if reason else None


def png_problem(data: bytes) -> str | None:
    """A .png must be one by its content (its signature), not only by its name."""
    if data.startswith(PNG_SIGNATURE):
        return None
    if data.lstrip()[:1] == b"<":
        return "it is not a PNG image but text (HTML or XML) with a .png name"
    return "it is not a PNG image (it does not start with the PNG signature)"


def svg_problem(data: bytes) -> str | None:
    """The first thing in an SVG that is more than a picture, or None."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "it is not UTF-8 text"
    if DTD_RE.search(text):
        return ("it has a DOCTYPE or ENTITY declaration (entities can expand into markup or read other files; "
                "an SVG needs none: delete the <!DOCTYPE …> line)")
    if PI_RE.search(text):
        return "it has a processing instruction such as <?xml-stylesheet …?>, which loads another file"
    try:
        root = ET.fromstring(text)
    except (ET.ParseError, ValueError) as exc:
        return f"it is not well-formed XML ({exc})"
    if _local(root.tag) != "svg":
        return f"it is not an SVG (its root element is <{_local(root.tag)}>)"
    for element in root.iter():
        if (reason := _element_problem(element)) is not None:
            return reason
    return None


def _local(name: str) -> str:
    """A tag or attribute name without its {namespace}."""
    return name.rpartition("}")[2]


def _element_problem(element: ET.Element) -> str | None:
    """What in one element (or its attributes) is more than drawing."""
    tag = _local(element.tag)
    if element.tag.startswith("{" + XHTML_NS + "}"):
        return f"it contains an HTML element <{tag}>"
    if tag.lower() in ACTIVE:
        return f"it contains {ACTIVE[tag.lower()]}"
    if tag.lower() == "style" and (why := _css_problem(element.text or "")) is not None:
        return f"its <style> {why}"
    target = _local(element.get("attributeName", "")).lower()
    if tag.lower() in ANIMATIONS and (target == "href" or target.startswith("on")):
        return f"its <{tag}> changes the {target} attribute (it can make a link to a script)"
    for name, value in element.attrib.items():
        if (why := _attribute_problem(name, value)) is not None:
            return f"its <{tag}> {why}"
    return None


def _attribute_problem(name: str, value: str) -> str | None:
    """An event handler, a reference outside the file, or CSS that loads something."""
    local = _local(name).lower()
    shown = ("xlink:" if name.startswith("{" + XLINK_NS + "}") else "") + _local(name)
    if local.startswith("on"):
        return f"has an event handler attribute {shown}= (script)"
    if local == "href" and not FRAGMENT_RE.fullmatch(value.strip()):
        return f"has {shown}={value[:80]!r}, a reference outside the file (only #id inside it is allowed)"
    if name == "{" + XML_NS + "}base":
        return "has xml:base, which points its references elsewhere"
    if local == "style" or "url(" in value.lower():
        why = _css_problem(value)
        return f"has a {shown} attribute that {why}" if why else None
    return None


def _css_problem(css: str) -> str | None:
    """CSS that loads another file: @import, url(…) to anything but #id, image-set(); escapes could hide them."""
    lowered = css.lower()
    if "@import" in lowered:
        return "imports another stylesheet (@import)"
    if "\\" in css:
        return "uses CSS escapes (\\), which can hide url( or @import"
    if "image-set(" in lowered:
        return "loads an image with image-set()"
    for target in CSS_URL_RE.findall(css):
        if not FRAGMENT_RE.fullmatch(target):
            return f"loads {target[:80]!r} with url() (only url(#id) inside the file is allowed)"
    return None
