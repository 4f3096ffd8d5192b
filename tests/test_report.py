"""`policygen diff`: clause-level changes between revisions, for pull requests and tools."""

from __future__ import annotations

import json
import subprocess
import sys


def diff(repo, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "diff", *args], cwd=repo.root,
                          capture_output=True, text=True)


def test_working_tree_against_head_in_markdown(mini):
    mini.edit("content/vi/aup.md", "Khách hàng giữ bí mật mật khẩu.", "Khách hàng giữ bí mật mật khẩu mạnh.")
    result = diff(mini)
    assert result.returncode == 0, result.stderr
    assert "### Chính sách sử dụng (`aup`)" in result.stdout
    assert "text changed WITHOUT a new `updated` date: not a new version" in result.stdout
    assert "- **2\\. Bảo mật** (changed): hàng giữ bí mật mật khẩu <ins>mạnh</ins>\\. Xem mục 1\\." in result.stdout
    assert "English" not in result.stdout


def test_revision_range_as_json(mini):
    base = subprocess.run(["git", "rev-parse", "HEAD"], cwd=mini.root, capture_output=True, text=True).stdout.strip()
    for lang in ("vi", "en"):
        mini.edit(f"content/{lang}/aup.md", "updated: 2026-11-20", "updated: 2026-11-22\nmaterial: true")
    mini.edit("content/en/aup.md", "## Termination {#termination}\n\n"
              "A breach of [[security]] may lead to termination.\n", "")
    mini.edit("content/vi/aup.md", "## Chấm dứt {#termination}\n\n"
              "Vi phạm [[security]] có thể dẫn tới chấm dứt dịch vụ.\n", "")
    mini.commit("AUP: remove termination")
    data = json.loads(diff(mini, f"{base}..HEAD", "--format", "json").stdout)
    beta_en = next(c for c in data["changes"] if (c["brand"], c["lang"]) == ("beta", "en"))
    assert beta_en["release"] == "new version 2026-11-22 (material change)"
    assert beta_en["counts"] == {"removed": 1} and beta_en["clauses"][0]["id"] == "termination"
    assert len(beta_en["new_sha256"]) == 64


def test_html_is_escaped_and_no_change_is_said(mini):
    assert diff(mini, "HEAD", "--format", "markdown").stdout == "No policy text changed.\n"
    mini.edit("content/en/aup.md", "Customers keep their passwords secret.", "Customers keep <script>x</script>.")
    page = diff(mini, "--format", "html").stdout
    assert "&lt;script&gt;" in page and "<script>" not in page


def test_unknown_revision_is_a_clean_error(mini):
    result = diff(mini, "nope..HEAD")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0] == (".: git ls-tree failed: fatal: Not a valid object name nope. "
                                             "Check the revision names: `git log --oneline` lists them.")
