"""Clause alignment by id and the word-level redline."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from generator.diff.sections import Section, apply, diff_sections, normalize, sections, word_diff

LONG = ("Khách hàng có trách nhiệm bảo đảm an toàn cho tài khoản của mình và cho dịch vụ của chúng tôi, "
        "sử dụng mật khẩu mạnh và thay đổi mật khẩu định kỳ, không chia sẻ thông tin đăng nhập với bất kỳ ai "
        "và không truyền tải thông tin nhạy cảm khi chưa áp dụng biện pháp mã hóa phù hợp.")


def s(clause_id: str, text: str, title: str = "", level: int = 2) -> Section:
    return Section(clause_id, level, title or clause_id.upper(), normalize(text))


def test_one_word_change_in_a_long_vietnamese_clause_is_a_one_word_redline():
    changed = LONG.replace("mật khẩu mạnh", "mật khẩu rất mạnh")
    ops = word_diff(LONG, changed)
    assert [(op, text.strip()) for op, text in ops if op != "="] == [("+", "rất")]
    assert apply(ops) == (LONG, changed)
    replaced = LONG.replace("định kỳ", "thường xuyên")
    assert [op for op in word_diff(LONG, replaced) if op[0] != "="] == [("-", "định kỳ"), ("+", "thường xuyên")]


def test_diacritics_stay_whole_in_tokens():
    ops = word_diff("bảo mật", "bảo mặt")
    assert ops == [("=", "bảo "), ("-", "mật"), ("+", "mặt")]


def test_alignment_added_removed_moved_changed():
    old = [s("a", "alpha"), s("b", "beta"), s("c", "gamma"), s("d", "delta")]
    new = [s("a", "alpha two"), s("c", "gamma"), s("b", "beta"), s("e", "epsilon")]
    result = diff_sections(old, new)
    assert [(c.id, c.status) for c in result.changes] == [
        ("a", "changed"), ("c", "moved"), ("d", "removed"), ("b", "unchanged"), ("e", "added")]
    assert result.counts() == {"changed": 1, "moved": 1, "removed": 1, "added": 1}


def test_inserting_a_clause_changes_nothing_else():
    # Numbers are generated, so the clauses after an insert differ in number only: not a change.
    old = [s("a", "alpha"), s("b", "beta see [[a]]")]
    new = [s("new", "inserted"), s("a", "alpha"), s("b", "beta see [[a]]")]
    assert [(c.id, c.status) for c in diff_sections(old, new).changed] == [("new", "added")]


def test_unicode_form_and_spacing_are_not_changes():
    decomposed = unicodedata.normalize("NFD", LONG)
    old, new = [s("a", LONG)], [s("a", "  " + decomposed.replace(" ", "   ") + "\n")]
    assert diff_sections(old, new).changed == ()


def test_title_change_is_shown_in_the_redline():
    result = diff_sections([s("a", "text", "Bảo mật")], [s("a", "text", "An toàn thông tin")])
    [change] = result.changed
    assert change.status == "changed" and change.old_title == "Bảo mật"
    assert ("-", "Bảo mật") in change.words and ("+", "An toàn thông tin") in change.words


def test_sections_pair_chunks_with_the_outline():
    chunks = ("Lời mở đầu.", "## Một {#a}\nVăn bản A.", "### {#a1}\nVăn bản A1.")
    result = sections(chunks, (("a", 2, "Một"), ("a1", 3, "")))
    assert [(x.id, x.level, x.title, x.text) for x in result] == [
        ("", 0, "", "Lời mở đầu."), ("a", 2, "Một", "Văn bản A."), ("a1", 3, "", "Văn bản A1.")]


WORDS = st.lists(st.sampled_from(["bảo", "mật", "khách", "hàng", "dữ", "liệu", ",", ".", " ", "\n", "đ"]),
                 max_size=40).map("".join)


@given(WORDS, WORDS)
def test_the_redline_of_a_to_b_applied_gives_a_and_b(a, b):
    assert apply(word_diff(a, b)) == (a, b)


def test_a_paragraph_anchor_is_not_compared_nor_shown():
    assert normalize("We collect data.\n{: #telemetry }\n\nMore.") == "We collect data.\n\nMore."
    old, new = [s("a", "We collect data.\n{: #telemetry }")], [s("a", "We collect data.\n{: #usage }")]
    assert not diff_sections(old, new).changed
