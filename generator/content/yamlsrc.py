"""Safe YAML parsing that remembers the line of every key (for error messages)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from ..errors import Problem

Path = tuple[str | int, ...]
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it: 10 × faster
MAX_YAML_BYTES = 1_000_000  # site.yml and front matter are small; refuse anything huge
STANDARD_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
}


@dataclass
class YamlDoc:
    """Parsed YAML data with the source line of each key and item."""

    data: Any
    lines: dict[Path, int] = field(default_factory=dict)

    def line_of(self, path: Path, default: int = 1) -> int:
        """The line of `path`, or of its nearest parent that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return default


class YamlProblem(Exception):  # noqa: N818 - carries a Problem; caught inside the package
    """A YAML text could not be used; carries a located Problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def parse_yaml(text: str, path: str, first_line: int = 1) -> YamlDoc:
    """Parse `text` (from `path`, starting at `first_line`) into data and key lines."""
    offset = first_line - 1
    if len(text.encode("utf-8")) > MAX_YAML_BYTES:
        raise YamlProblem(Problem(path, first_line, "the YAML is larger than 1 MB",
                                  "Split it or remove what does not belong there."))
    try:
        _refuse_aliases(text, path, offset)
        loader = LOADER(text)
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + offset) if mark else first_line
        raise YamlProblem(Problem(path, line, f"malformed YAML: {exc.problem or exc}",
                                  "Check the indentation, colons and quotes on this line.")) from None
    except RecursionError:  # [[[[… or {{{{… thousands deep: PyYAML's composer recurses per level
        raise YamlProblem(Problem(path, first_line, "the YAML is nested too deeply",
                                  "Remove the runs of [ or { (a value with brackets goes in quotes).")) from None
    except yaml.YAMLError as exc:  # e.g. a control character the YAML reader refuses
        line = text.count("\n", 0, getattr(exc, "position", 0)) + first_line
        raise YamlProblem(Problem(path, line, f"unreadable YAML: {str(exc).splitlines()[0]}",
                                  "Remove control characters and save the file as plain UTF-8 text.")) from None
    if node is None:
        return YamlDoc(None)
    doc = YamlDoc(None)
    _check_tree(node, (), doc, path, offset)
    doc.data = loader.construct_document(node)
    loader.dispose()
    return doc


def _refuse_aliases(text: str, path: str, offset: int) -> None:
    """Aliases can multiply a small file into a huge structure (a "billion laughs"); refuse them."""
    if "*" not in text:  # an alias is written *name: without a star there is none to find
        return
    for event in yaml.parse(text, Loader=LOADER):
        if isinstance(event, yaml.AliasEvent):
            line = event.start_mark.line if event.start_mark is not None else 0
            raise YamlProblem(Problem(path, line + 1 + offset,
                                      "YAML anchors and aliases (&name, *name) are not allowed",
                                      "Write the value out in full."))


def _check_tree(node: yaml.Node, at: Path, doc: YamlDoc, path: str, offset: int) -> None:
    """Record key lines; reject custom tags and duplicate keys."""
    line = node.start_mark.line + 1 + offset
    if node.tag not in STANDARD_TAGS:
        raise YamlProblem(Problem(path, line, f"unsupported YAML tag {node.tag!r}",
                                  "Remove the tag; plain strings, numbers, dates, lists and mappings are allowed."))
    if isinstance(node, yaml.MappingNode):
        keys: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            key_line = key_node.start_mark.line + 1 + offset
            if key in keys:
                raise YamlProblem(Problem(path, key_line, f"duplicate key {key!r} (first on line {keys[key]})",
                                          "Remove one of them."))
            keys[key] = key_line
            doc.lines[(*at, key)] = key_line
            _check_tree(value_node, (*at, key), doc, path, offset)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            doc.lines[(*at, index)] = item.start_mark.line + 1 + offset
            _check_tree(item, (*at, index), doc, path, offset)
