"""Property tests: generated input never crashes the loader or the diff, and diffs are exact."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.content.parse import parse_document
from generator.content.render import JINJA_RE, content_environment
from generator.content.yamlsrc import YamlProblem, parse_yaml
from generator.diff.sections import Section, apply, diff_sections, normalize, word_diff
from generator.errors import Collector

LINES = st.sampled_from([
    "## Tiêu đề {#a}", "## Title {#b}", "### {#a-1}", "#### Điểm {#a-1-x}", "# H1", "##### deep {#z}",
    "## No id", "## Bad {#Bad_Id}", "Văn bản [[a]] và [[b]].", "[[Not an id]]", "```", "<b>html</b>",
    "[x](javascript:alert(1))", "{{ brand.name }}", "{% if %}", "- mục", "", "Đoạn văn thường.", "---",
    "\u00a0 \u2022 – ", "title: x", "{#a}", "[[a]", "## Dup {#a}"])
FRONT = st.sampled_from([
    "title: Chính sách", "updated: 2026-11-21", "updated: 21/11/2026", "effective: 2026-11-01",
    "effective: 2027-01-01", "summary: Thay đổi", "material: true", "material: maybe", "numbering: sections",
    "numbering: roman", "author: x", "title:", "[broken", "a: &x 1", "b: *x", "title: !!python/none ''",
    "updated: 2026-11-21\nupdated: 2026-11-22", "- list", "title: <b>x</b>"])


@settings(max_examples=300, deadline=None)
@given(st.lists(FRONT, max_size=6), st.lists(LINES, max_size=25), st.booleans(), st.booleans())
def test_the_loader_either_loads_or_reports_never_crashes(front, body, fenced, override):
    text = ("---\n" + "\n".join(front) + "\n---\n" if fenced else "") + "\n".join(body)
    errors = Collector()
    doc = parse_document(text.encode("utf-8"), "content/vi/aup.md", "vi", "aup", None, override, errors)
    assert doc is not None or errors.problems or override
    for problem in errors.problems:
        assert str(problem).startswith("content/vi/aup.md")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_arbitrary_bytes_are_reported_not_raised(raw):
    errors = Collector()
    parse_document(raw, "content/en/aup.md", "en", "aup", None, False, errors)
    assert all(str(p).startswith("content/en/aup.md") for p in errors.problems)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
def test_yaml_text_is_parsed_or_reported(text):
    try:
        parse_yaml(text, "site.yml")
    except YamlProblem as exc:
        assert str(exc.problem).startswith("site.yml")


WORDS = st.lists(st.sampled_from(["bảo", "mật", "dữ", "liệu", "khách", "hàng", "đ", ",", ".", " ", "\n"]),
                 max_size=15).map("".join)
SECTIONS = st.lists(st.tuples(st.sampled_from("abcdefgh"), st.sampled_from(["T", "U"]), WORDS), max_size=8)


@settings(max_examples=300, deadline=None)
@given(SECTIONS, SECTIONS)
def test_the_clause_diff_of_a_to_b_applied_to_a_gives_b(old_raw, new_raw):
    old = list({cid: Section(cid, 2, title, normalize(text)) for cid, title, text in old_raw}.values())
    new = list({cid: Section(cid, 2, title, normalize(text)) for cid, title, text in new_raw}.values())
    result = diff_sections(old, new)
    by_id = {c.id: c for c in result.changes}
    before = {s.id: s for s in old}
    assert {c.id for c in result.changes} == {s.id for s in old} | {s.id for s in new}
    for section in new:
        change = by_id[section.id]
        if change.status == "added":
            assert section.id not in before
        elif before[section.id].title == section.title:
            assert apply(change.words) == (before[section.id].text, section.text)
    for section in old:
        if section.id not in {s.id for s in new}:
            assert by_id[section.id].status == "removed"
        elif by_id[section.id].status != "moved":  # kept in place: changed exactly when its text or title did
            after = next(s for s in new if s.id == section.id)
            changed = (section.text, section.title) != (after.text, after.title)
            assert by_id[section.id].status == ("changed" if changed else "unchanged")
    # The site's pages ask for no word-level redline: the statuses must be the same without it.
    assert [(c.id, c.status) for c in diff_sections(old, new, words=False).changes] == \
        [(c.id, c.status) for c in result.changes]


def token_word_diff(old: str, new: str) -> list:
    """word_diff as it was first written: common head and tail counted in tokens (the reference)."""
    from difflib import SequenceMatcher

    from generator.diff.sections import _join_equal, _merge_across_spaces, tokens

    if old == new:
        return [("=", old)] if old else []
    a, b = tokens(old), tokens(new)
    limit, head, tail = min(len(a), len(b)), 0, 0
    while head < limit and a[head] == b[head]:
        head += 1
    while tail < limit - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    middle_a, middle_b = a[head: len(a) - tail], b[head: len(b) - tail]
    ops = [("=", "".join(a[:head]))] if head else []
    for tag, i1, i2, j1, j2 in SequenceMatcher(a=middle_a, b=middle_b, autojunk=False).get_opcodes():
        if tag == "equal":
            ops.append(("=", "".join(middle_a[i1:i2])))
            continue
        if i2 > i1:
            ops.append(("-", "".join(middle_a[i1:i2])))
        if j2 > j1:
            ops.append(("+", "".join(middle_b[j1:j2])))
    if tail:
        ops.append(("=", "".join(a[len(a) - tail:])))
    return _merge_across_spaces(_join_equal(ops))


TEXT = st.lists(st.sampled_from(["bảo", "mật", "dữ", "liệu", "đ", "a", "ab", "_", "1", ",", ".", "(", ")", " ",
                                 "  ", "\n", "\u00a0", "\u1c00"]), max_size=20).map("".join)


@settings(max_examples=500, deadline=None)
@given(TEXT, TEXT, TEXT, TEXT)
def test_word_diff_finds_common_ends_on_characters_as_it_did_on_tokens(head, old, new, tail):
    before, after = head + old + tail, head + new + tail
    assert word_diff(before, after) == token_word_diff(before, after)


def test_dates_are_dates():
    # A guard for the strategies above: YAML dates load as dates, as the front matter schema expects.
    assert parse_yaml("updated: 2026-11-21", "x").data == {"updated": dt.date(2026, 11, 21)}


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from([*"{}#%-+ ab\n\t\\'\"\u0110", "{#c1}", "}}", "%}", "##}", "{{", "{%"]),
                max_size=40).map("".join))
def test_a_chunk_without_template_syntax_renders_as_itself(source):
    """render._render_chunk skips Jinja when JINJA_RE finds nothing: Jinja would give the text back unchanged."""
    if JINJA_RE.search(source):
        return
    assert content_environment().from_string(source).render() == source
