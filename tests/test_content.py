"""The repository's own content (not its history): every seed policy is published and valid."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import ContentRepo

from generator.pipeline.build import BuildOptions, plan

ROOT = Path(__file__).resolve().parent.parent


def test_the_published_content_plans_without_problems(tmp_path):
    # The content as it stands, committed into a new repository: this test does not read our history.
    repo = ContentRepo(tmp_path)
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copy(ROOT / "site.yml", tmp_path / "site.yml")
    repo.commit("Content as it stands")
    plans = {(p.brand, p.lang): p for p in plan(BuildOptions(root=tmp_path, site_dir=tmp_path / "site")).sites}
    assert set(plans) == {(b, lang) for b in ("voip24h", "vietnamserver", "cloudspace") for lang in ("vi", "en")}
    assert set(plans[("voip24h", "vi")].pages) >= {"terms/index.md", "aup/index.md", "index.md"}
    assert set(plans[("cloudspace", "en")].pages) >= {"privacy/index.md", "aup/index.md"}
    assert set(plans[("vietnamserver", "vi")].pages) >= {"privacy/index.md", "aup/index.md"}


def test_no_typed_clause_numbers_in_the_content():
    typed = re.compile(r"\b(Điều|khoản|Article|clause|section|mục)\s+\d", re.IGNORECASE)
    found = [(path.name, n) for path in (ROOT / "content").rglob("*.md")
             for n, line in _body_lines(path) if typed.search(line)]
    assert found == []


def _body_lines(path: Path) -> list[tuple[int, str]]:
    """The numbered lines of a policy after its front matter (whose notes to confirm may quote a number)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    end = lines.index("---", 1) + 1 if lines and lines[0] == "---" else 0
    return [(n, line) for n, line in enumerate(lines, 1) if n > end]
