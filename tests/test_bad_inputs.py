"""The bad-input corpus: each case fails with its exact message, cleanly, touching nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.errors import PolicygenError
from generator.pipeline.build import BuildOptions, plan

CASES = sorted((Path(__file__).parent / "bad_inputs").glob("*.yml"))


def apply(repo, case: dict) -> None:
    """Write a case's edits and files over the fixture."""
    for path, old, new in case.get("edits", []):
        repo.edit(path, old, new)
    binary = set(case.get("binary", []))
    repo.write({path: (text.encode("latin-1") if path in binary else text)
                for path, text in case.get("files", {}).items()})
    for path, (prefix, text, times, suffix) in case.get("repeat", {}).items():
        repo.write({path: prefix + text * times + suffix})


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 40


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_case_fails_with_its_message(mini, path):
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    apply(mini, case)
    with pytest.raises(PolicygenError) as caught:
        plan(BuildOptions(root=mini.root, site_dir=mini.root / "site"))
    messages = [str(p) for p in caught.value.problems]
    assert any(m.startswith(case["error"]) for m in messages), messages


@pytest.mark.parametrize("path", CASES[::7], ids=[p.stem for p in CASES[::7]])
def test_cli_reports_without_a_traceback_and_keeps_the_site(mini, path):
    run = [sys.executable, "-m", "generator", "build", "--jobs", "1"]
    assert subprocess.run(run, cwd=mini.root, capture_output=True).returncode == 0
    before = sorted(p.read_bytes() for p in (mini.root / "site").rglob("*.html"))
    apply(mini, yaml.safe_load(path.read_text(encoding="utf-8")))
    result = subprocess.run(run, cwd=mini.root, capture_output=True, text=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and result.stderr.rstrip().endswith("site/ was left unchanged.")
    assert sorted(p.read_bytes() for p in (mini.root / "site").rglob("*.html")) == before
