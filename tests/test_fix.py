"""`policygen fix`: pasted-text defects rewritten, words never touched (issue #19)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from generator.checks.fix import fix_text

FRONT = "---\ntitle: Chính sách\nupdated: 2026-11-30\n---\n\n"


@pytest.mark.parametrize(("before", "after"), [
    ("Khách\u00a0hàng đồng ý.", "Khách hàng đồng ý."),
    ("Khách\u202fhàng đồng ý.", "Khách hàng đồng ý."),
    ("Khách\thàng đồng ý.", "Khách hàng đồng ý."),
    ("Khách   hàng đồng ý.", "Khách hàng đồng ý."),
    ("Khách hàng đồng ý,, và tiếp tục..", "Khách hàng đồng ý, và tiếp tục."),
    ("Còn nữa... và hết.", "Còn nữa... và hết."),  # an ellipsis is not a doubled full stop
    ("gọi là “Chính sách“ này.", "gọi là “Chính sách” này."),
    ("gọi là ”Chính sách” này.", "gọi là “Chính sách” này."),
    ("\tKhách hàng đồng ý.", "Khách hàng đồng ý."),  # a paragraph the site would show as code
    ("    Khách hàng đồng ý.", "Khách hàng đồng ý."),
])
def test_pasted_text_is_fixed(before, after):
    text, said = fix_text(FRONT + before + "\n")
    assert text == FRONT + after + "\n"
    assert said == [] if before == after else said and all(item.line == 6 for item in said)


@pytest.mark.parametrize("kept", [
    "- một\n    - hai\n",  # a nested list's indentation
    "*   một\n1.  hai\n",  # the spaces after a list marker
    "| A  | B   |\n|----|-----|\n| a  | b   |\n",  # a table's aligned columns
    "Dòng một  \nDòng hai.\n",  # two spaces at the end: a line break
    "Xem `a  b\tc` và [trang](https://x.example/a..b).\n",  # code and link targets
    "```\ncode\t\twith  tabs..\n```\n",  # fenced code
    "Gọi {{ brand.hotline }}, xem {% if brand.email %}thư{% endif %}.\n",
    "## Tiêu đề {#a-b}\n",
])
def test_what_is_not_pasted_debris_stays(kept):
    assert fix_text(FRONT + kept) == (FRONT + kept, [])


def test_front_matter_is_not_touched():
    text = "---\ntitle: A\u00a0B\n---\n\nA\u00a0B.\n"
    assert fix_text(text)[0] == "---\ntitle: A\u00a0B\n---\n\nA B.\n"


def test_the_command_fixes_in_place_keeps_windows_line_endings_and_says_where(tmp_path):
    page = tmp_path / "content" / "vi" / "aup.md"
    page.parent.mkdir(parents=True)
    page.write_bytes((FRONT + "Khách\u00a0hàng.\n").replace("\n", "\r\n").encode())
    dry = subprocess.run([sys.executable, "-m", "generator", "fix", "--dry-run", "--root", str(tmp_path)],
                         capture_output=True, text=True)
    assert dry.returncode == 1 and f"{page}:6: replaced a no-break" in dry.stdout
    assert "\u00a0" in page.read_text(encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "generator", "fix", "--root", str(tmp_path)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert page.read_bytes() == (FRONT + "Khách hàng.\n").replace("\n", "\r\n").encode()
