"""The pull request comment (`policygen diff --format markdown`): one section per policy, escaped, within limits.

Golden: after a change made on purpose, `UPDATE_GOLDEN=1 pytest tests/test_comment.py`, then review the diff
of tests/golden/pr-comment.md.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import markdown
from conftest import ContentRepo

from generator.diff.comment import LIMIT, _fit, md_text

GOLDEN = Path(__file__).parent / "golden" / "pr-comment.md"


def diff(repo: ContentRepo, *args: str) -> str:
    result = subprocess.run([sys.executable, "-m", "generator", "diff", *args], cwd=repo.root,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


def base_of(repo: ContentRepo) -> str:
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo.root, capture_output=True, text=True).stdout.strip()


def release(repo: ContentRepo) -> None:
    """A material new version of the shared AUP in both languages, with a summary and a later effective date."""
    repo.edit("content/vi/aup.md", "Khách hàng giữ bí mật mật khẩu.",
              "Khách hàng giữ bí mật mật khẩu mạnh, xem [hướng dẫn](https://acme.example/help).")
    repo.edit("content/en/aup.md", "Customers keep their passwords secret.",
              "Customers keep strong passwords secret, see [the guide](https://acme.example/help).")
    repo.edit("content/vi/aup.md", "updated: 2026-11-20",
              "updated: 2026-11-22\neffective: 2026-12-23\nmaterial: true\nsummary: Mật khẩu phải mạnh.")
    repo.edit("content/en/aup.md", "updated: 2026-11-20",
              "updated: 2026-11-22\neffective: 2026-12-23\nmaterial: true\nsummary: Passwords must be strong.")


def test_golden_comment_for_a_shared_policy(mini):
    base = base_of(mini)
    release(mini)
    mini.commit("AUP: strong passwords")
    actual = diff(mini, f"{base}..HEAD")
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(actual, encoding="utf-8")
    assert actual == GOLDEN.read_text(encoding="utf-8")


def test_shared_policy_once_authoritative_first_summary_on_top(mini):
    release(mini)
    comment = diff(mini)
    assert comment.count("\n### ") == 1 and "**Brands:** acme, beta" in comment  # not once per brand and language
    assert comment.index("> **Summary:** Mật khẩu phải mạnh") < comment.index("#### Tiếng Việt (authoritative)")
    assert comment.index("Tiếng Việt (authoritative)") < comment.index("<details><summary>English</summary>")
    assert "**effective** 2026-12-23 · **material change**" in comment
    assert "[[" not in comment and "Xem mục 1" in comment  # a reference reads as the clause's number
    assert "[acme](https://acme.example/policies/aup/2026-11-22/)" in comment  # its permanent address
    assert "[hướng dẫn](https://acme.example/help)" in comment  # a link in the text stays a link


HOSTILE = '</details><script>alert(1)</script> [x](javascript:alert(1)) @octocat #12 | a | b | ``` <!--'


def test_hostile_titles_and_text_stay_text(mini):
    mini.edit("content/vi/aup.md", "## Bảo mật {#security}", f"## Bảo mật {HOSTILE} {{#security}}")
    mini.edit("content/vi/aup.md", "Khách hàng giữ bí mật mật khẩu.", f"Khách hàng giữ bí mật mật khẩu. {HOSTILE}")
    mini.edit("content/en/aup.md", "Customers keep their passwords secret.", f"Customers keep. {HOSTILE}")
    comment = diff(mini)
    page = markdown.markdown(comment)
    assert "<script" not in page and 'href="javascript' not in page
    assert "<script" not in comment and "<!--" not in comment and "```" not in comment
    assert page.count("<details>") == page.count("</details>") == 1  # ours, opened and closed once
    assert "@octocat" not in comment and "#12" not in comment  # no mention, no issue link
    assert not re.search(r"(?<!\\)\|", comment)  # a pipe cannot start a table cell
    assert not re.search(r"\]\(javascript", comment)


def test_md_text_escapes_every_mark():
    assert md_text("a_b *c* [d](e) <i>&</i> `f` ~g~ | h # i @j") == (
        "a\\_b \\*c\\* \\[d\\]\\(e\\) &lt;i&gt;&amp;&lt;/i&gt; \\`f\\` \\~g\\~ \\| h \\#\u200b i @\u200bj")


def test_a_long_comment_is_cut_at_a_line_with_a_note():
    lines = ["<details><summary>English</summary>", ""] + [f"- clause {n} " + "x" * 100 for n in range(1000)]
    cut = _fit(lines, LIMIT)
    assert len(cut) <= LIMIT and cut.rstrip().endswith("`policygen diff origin/main..HEAD`.**")
    assert cut.count("</details>") == 1 and "more line(s)" in cut
    assert _fit(["short"], LIMIT) == "short\n"
