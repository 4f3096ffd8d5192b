"""A rendered redline: two versions of a clause as HTML, with <ins>/<del> inside its structure (pure).

The same rules run in the browser (templates/theme/assets/javascripts/redline.js, for compare.js),
on the same clause HTML, so the history page's "compare any two versions" marks what the changes
pages mark.
docs/architecture.md, "The rendered redline", states the rules; change both files together.

1. Each side is tokenized: tags (attributes in source order), words, runs of space, single marks;
   after a link's end tag, its target as a token of its own (so a changed target is shown).
2. The token lists are compared with Myers' O(ND) shortest edit script (his greedy forward search;
   where two paths reach as far, the one that deletes), first over whole top-level elements and the
   text between them, then token by token inside each run of differing elements (past MAX_EDITS, a
   run reads as all deleted, then all inserted). A one-sided change is then slid along equal tokens
   to where it holds whole elements (`slide`).
3. A clean-up pass turns a short run of unchanged words between two changes into part of the change
   (no tags, no line break, not longer than the changes on either side): a rewritten phrase reads
   as one deletion and one insertion, not as interleaved syllables.
4. The output keeps the new version's structure. Deleted text stays where it was, in <del>; a
   deleted element whose start and end are both deleted (a list item, a row, a paragraph) is kept,
   marked, where its parent allows it; other deleted tags are dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from .clause_text import Token, clause_html, escape, tokenize
from .myers import edit_script

CHILDREN = {"ul": {"li"}, "ol": {"li"}, "table": {"thead", "tbody", "tr"}, "thead": {"tr"}, "tbody": {"tr"},
            "tr": {"td", "th"}, "dl": {"dt", "dd"}}
FLOW = frozenset({"div", "li", "td", "th", "blockquote", "dd", "section"})  # may hold blocks and text
BLOCKS = frozenset({"p", "ul", "ol", "table", "blockquote", "pre", "dl", "div", "hr", "h1", "h2", "h3", "h4", "h5",
                    "h6"})
WRAPPERS = {"ul": ("li",), "ol": ("li",), "table": ("tr", "td"), "thead": ("tr", "td"), "tbody": ("tr", "td"),
            "tr": ("td",), "dl": ("dd",)}  # what holds deleted text found where only these elements may be
NO_TEXT = frozenset(WRAPPERS)
REMOVED_CLASS = "policy-removed"
MAX_EDITS = 2000  # Myers' search costs (tokens × edits): past this, a change is a rewrite


Op = tuple[str, Token]  # "=", "-" or "+"


@lru_cache(maxsize=8192)  # each version's clause is compared with the one before and the one after
def _prepared(html: str) -> tuple[list[Token], list[tuple[int, int]], list[tuple[Token, ...]]]:
    """A clause's tokens, its top-level units and their keys."""
    tokens = tokenize(html)
    units = _units(tokens)
    return tokens, units, [tuple(tokens[start:end]) for start, end in units]


def compare(a: list[Token], b: list[Token]) -> list[Op]:
    """The token-level differences from `a` to `b` (rule 2): whole blocks first, then tokens where blocks differ."""
    units_a, units_b = _units(a), _units(b)
    return _compare(a, b, units_a, units_b, [tuple(a[s:e]) for s, e in units_a], [tuple(b[s:e]) for s, e in units_b])


def _compare(a: list[Token], b: list[Token], units_a: list[tuple[int, int]], units_b: list[tuple[int, int]],
             old_keys: list[tuple[Token, ...]], new_keys: list[tuple[Token, ...]]) -> list[Op]:
    ops: list[Op] = []
    old_run: list[Token] = []
    new_run: list[Token] = []
    i = j = 0
    for op in edit_script(old_keys, new_keys, len(old_keys) + len(new_keys)) or []:
        if op == "=":
            ops += _tokens_diff(old_run, new_run) + [("=", t) for t in a[slice(*units_a[i])]]
            old_run, new_run, i, j = [], [], i + 1, j + 1
        elif op == "-":
            old_run, i = old_run + a[slice(*units_a[i])], i + 1
        else:
            new_run, j = new_run + b[slice(*units_b[j])], j + 1
    return ops + _tokens_diff(old_run, new_run)


def _units(tokens: list[Token]) -> list[tuple[int, int]]:
    """The spans of the top-level elements and of the text between them."""
    spans, depth, start = [], 0, 0
    for index, token in enumerate(tokens):
        depth += 1 if token.kind == "<" else -1 if token.kind == "/" else 0
        if depth <= 0:
            spans.append((start, index + 1))
            depth, start = 0, index + 1
    if start < len(tokens):
        spans.append((start, len(tokens)))
    return spans


def _tokens_diff(old: list[Token], new: list[Token]) -> list[Op]:
    """Token by token where blocks differ; a change too large to align reads as all deleted, all inserted."""
    script = edit_script(old, new, MAX_EDITS)
    if script is None:
        return [("-", t) for t in old] + [("+", t) for t in new]
    ops: list[Op] = []
    i = j = 0
    for op in script:
        if op == "+":
            ops.append(("+", new[j]))
            j += 1
        else:
            ops.append((op, old[i]))
            i += 1
            j += op == "="
    return ops


def _groups(ops: list[Op]) -> list[list[Op]]:
    """Runs of unchanged tokens and runs of changes, alternating."""
    groups: list[list[Op]] = []
    for op in ops:
        if groups and (groups[-1][0][0] == "=") == (op[0] == "="):
            groups[-1].append(op)
        else:
            groups.append([op])
    return groups


def _size(group: list[Op]) -> int:
    """How much a change changes: the longer of its deleted and inserted text."""
    return max(sum(len(t.text) for op, t in group if op == side and t.kind == "w") for side in "-+")


def _absorbable(group: list[Op]) -> bool:
    return all(t.kind == "w" and "\n" not in t.text for _, t in group)


def _unbalanced(tokens: list[Token]) -> int:
    """How many of the tags in `tokens` have no partner among them."""
    stack: list[str] = []
    alone = 0
    for token in tokens:
        if token.kind == "<":
            stack.append(token.name)
        elif token.kind == "/":
            if stack and stack[-1] == token.name:
                stack.pop()
            else:
                alone += 1
    return alone + len(stack)


def slide(ops: list[Op]) -> list[Op]:
    """Move each one-sided change along equal tokens to where it holds whole elements (rule 2's ties).

    "<li>a</li><li>b</li>" -> "<li>a</li>" may come out as a deletion of "a</li><li>" (the first
    match wins); the same deletion, moved by one item, is the element "<li>a</li>".
    """
    ops = list(ops)
    start = 0
    while start < len(ops):
        if ops[start][0] == "=":
            start += 1
            continue
        end = start
        while end < len(ops) and ops[end][0] != "=":
            end += 1
        side = ops[start][0]
        if all(op == side for op, _ in ops[start:end]):
            while start > 0 and ops[start - 1][0] == "=" and ops[start - 1][1] == ops[end - 1][1]:
                ops[start - 1], ops[end - 1] = (side, ops[start - 1][1]), ("=", ops[end - 1][1])
                start, end = start - 1, end - 1
            best, best_start = _unbalanced([t for _, t in ops[start:end]]), start
            while end < len(ops) and ops[end][0] == "=" and ops[end][1] == ops[start][1]:
                ops[start], ops[end] = ("=", ops[start][1]), (side, ops[end][1])
                start, end = start + 1, end + 1
                if (score := _unbalanced([t for _, t in ops[start:end]])) < best:
                    best, best_start = score, start
            while start > best_start:
                ops[start - 1], ops[end - 1] = (side, ops[start - 1][1]), ("=", ops[end - 1][1])
                start, end = start - 1, end - 1
        start = end
    return ops


def clean_up(ops: list[Op]) -> list[Op]:
    """Rule 3, then each change as its deletions followed by its insertions."""
    groups = _groups(slide(ops))
    merged: list[list[Op]] = []
    index = 0
    while index < len(groups):
        group = groups[index]
        if group[0][0] == "=" and merged and index + 1 < len(groups) and _absorbable(group) and \
                sum(len(t.text) for _, t in group) <= min(_size(merged[-1]), _size(groups[index + 1])):
            as_change = [("-", t) for _, t in group] + [("+", t) for _, t in group]
            merged[-1] = merged[-1] + as_change + groups[index + 1]
            index += 2
            continue
        merged.append(group)
        index += 1
    result: list[Op] = []
    for group in merged:
        result.extend(group if group[0][0] == "=" else
                      [op for op in group if op[0] == "-"] + [op for op in group if op[0] == "+"])
    return result


def diff_html(old: str, new: str) -> list[Op]:
    """The cleaned-up token differences between two clause texts' HTML."""
    (a, units_a, keys_a), (b, units_b, keys_b) = _prepared(old), _prepared(new)
    return clean_up(_compare(a, b, units_a, units_b, keys_a, keys_b))


def _pairs(ops: list[Op]) -> dict[int, int]:
    """Deleted start and end tags that belong together within one change (rule 4), both ways."""
    pairs: dict[int, int] = {}
    open_tags: list[int] = []
    for index, (op, token) in enumerate(ops):
        if op != "-":
            open_tags = []  # a change ends: its deleted elements are complete within it, or not at all
        elif token.kind == "<":
            open_tags.append(index)
        elif token.kind == "/" and open_tags and ops[open_tags[-1]][1].name == token.name:
            start = open_tags.pop()
            pairs[start], pairs[index] = index, start
    return pairs


def _allowed(parent: str, child: str) -> bool:
    """Whether HTML allows `child` in `parent` (for the deleted elements kept in the new structure)."""
    if parent in CHILDREN:
        return child in CHILDREN[parent]
    if parent in FLOW:
        return True
    return child not in BLOCKS and not any(child in kids for kids in CHILDREN.values())


@dataclass
class _Writer:
    """The redline's HTML, written token by token with the elements open (rule 4)."""

    said: dict[str, str]  # "-"/"+" -> "deleted:"/"inserted:" for screen readers
    out: list[str]
    stack: list[str]
    mark: str = ""  # the <del> or <ins> open, if any: "-" or "+", "-s" or "+s" if it holds only space so far
    opened: int = 0  # where in `out` its start tag is
    wrapped: list[str] = field(default_factory=list)  # elements opened to hold deleted text where none may be

    def close(self) -> None:
        if self.mark:
            self.out.append("</del>" if self.mark.startswith("-") else "</ins>")
            self.mark = ""

    def text(self, op: str, text: str, tag: str = "") -> None:
        space = not text.strip()
        if op == "=" or (space and self.stack[-1] in NO_TEXT):  # where only whitespace may be, it means nothing
            self.close()
            if op != "-":
                self.out.append(escape(text))
            return
        if self.stack[-1] in NO_TEXT:  # deleted text between items or rows: in an item or cell of its own
            self.close()
            for name in WRAPPERS[self.stack[-1]]:
                self.out.append(f'<{name} class="{REMOVED_CLASS}">')
                self.stack.append(name)
                self.wrapped.append(name)
        if self.mark == op + "s" and not space and not tag:  # the change goes on with words: announce it
            self.out[self.opened] = f'<{"del" if op == "-" else "ins"}><span class="visually-hidden">' \
                                    f'{escape(self.said[op])} </span>'
            self.mark = op
        if self.mark.rstrip("s") != op or tag:
            self.close()
            self.opened = len(self.out)
            # A change that starts with a line break or a space is not announced or painted for it alone.
            name, kind = ("del" if op == "-" else "ins"), (' class="policy-space"' if space and not tag else tag)
            said = "" if space and not tag else f'<span class="visually-hidden">{escape(self.said[op])} </span>'
            self.out.append(f"<{name}{kind}>{said}")
            self.mark = op + ("s" if space and not tag else "")
        self.out.append(escape(text))

    def unwrap(self) -> None:
        self.close()
        while self.wrapped:
            self.out.append(f"</{self.wrapped.pop()}>")
            self.stack.pop()

    def tag(self, token: Token, removed: bool = False) -> None:
        self.unwrap()
        if token.kind == "/":
            self.out.append(token.text)
            if self.stack[-1] == token.name:
                self.stack.pop()
            return
        html = token.text
        if removed and ' class="' not in html:  # not in an attribute's value: its quotes are escaped
            html = f'{html[:-1]} class="{REMOVED_CLASS}">'
        self.out.append(html)
        if token.kind == "<":
            self.stack.append(token.name)


def render(ops: list[Op], said: dict[str, str]) -> str:
    """The redline as HTML in the new version's structure (rule 4)."""
    pairs, kept = _pairs(ops), set[int]()
    writer = _Writer(said, [], ["div"])
    index = 0
    while index < len(ops):
        op, token = ops[index]
        if op == "=" and token.kind == "w":  # a run of unchanged text: written at once (most of a clause)
            end = index + 1
            while end < len(ops) and ops[end][0] == "=" and ops[end][1].kind == "w":
                end += 1
            writer.close()
            writer.out.append(escape("".join(t.text for _, t in ops[index:end])))
            index = end
            continue
        at, index = index, index + 1
        if token.kind == "w":
            writer.text(op, token.text)
        elif token.kind == "h":
            if op != "=":
                writer.text(op, token.text, ' class="policy-href"')
                writer.close()
        elif op != "-":
            writer.tag(token)
        elif at in pairs and token.kind == "<" and _allowed(writer.stack[-1], token.name):
            kept.add(at)
            writer.tag(token, removed=True)
        elif at in pairs and pairs[at] in kept:
            writer.tag(token)
        elif token.kind == ">" and _allowed(writer.stack[-1], token.name):
            writer.tag(token, removed=True)
    writer.unwrap()
    return "".join(writer.out)


def clause_redline(old: str, new: str, said: dict[str, str]) -> str:
    """A clause's rendered redline, from the Markdown of its two versions ("" for none)."""
    return render(diff_html(clause_html(old) if old else "", clause_html(new) if new else ""), said)


def text_redline(old: str, new: str, said: dict[str, str]) -> str:
    """A plain text's redline (a clause title): its words marked, escaped."""
    return render(clean_up(compare(tokenize(escape(old)), tokenize(escape(new)))), said)
