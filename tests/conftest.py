"""Shared fixtures: small content repositories committed into temporary git repos."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
# The template cache's signing key (generator/engines/mkdocs/hooks.py) goes to a folder of the test run,
# not the home folder.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="policygen-tests-cache-")
GIT_ENV = {"GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "editor@example.invalid",
           "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "editor@example.invalid",
           "GIT_AUTHOR_DATE": "2026-11-21T10:00:00+07:00", "GIT_COMMITTER_DATE": "2026-11-21T10:00:00+07:00",
           "HOME": "/nonexistent", "GIT_CONFIG_NOSYSTEM": "1", "PATH": "/usr/bin:/bin"}


def git(repo: Path, *args: str) -> str:
    """Run git in `repo` with a fixed identity and date."""
    result = subprocess.run(["git", *args], cwd=repo, env=GIT_ENV, check=True, capture_output=True, text=True)
    return result.stdout


class ContentRepo:
    """A content repository under test: write files, commit them, read them back."""

    def __init__(self, root: Path) -> None:
        self.root = root
        git(root, "init", "-q", "-b", "main")

    def write(self, files: dict[str, str | bytes]) -> ContentRepo:
        """Write (or, with None, delete) files relative to the repo root."""
        for rel, text in files.items():
            path = self.root / rel
            if text is None:
                path.unlink()
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(text, encoding="utf-8")
        return self

    def commit(self, message: str = "Update content") -> str:
        """Commit everything; return the commit id."""
        git(self.root, "add", "-A")
        git(self.root, "commit", "-q", "-m", message)
        return git(self.root, "rev-parse", "HEAD").strip()

    def read(self, rel: str) -> str:
        """The text of a file in the repo."""
        return (self.root / rel).read_text(encoding="utf-8")

    def edit(self, rel: str, old: str, new: str) -> ContentRepo:
        """Replace `old` (which must be present) by `new` in a file."""
        text = self.read(rel)
        assert old in text, f"{old!r} not in {rel}"
        return self.write({rel: text.replace(old, new, 1)})


def problems_of(error: type[Exception], call: Callable[..., object], *args: object) -> list[str]:
    """The located messages of the error that `call(*args)` must raise (ConfigError, ContentError: `.problems`)."""
    with pytest.raises(error) as caught:
        call(*args)
    return [str(problem) for problem in caught.value.problems]  # type: ignore[attr-defined]


@pytest.fixture
def make_repo(tmp_path: Path) -> Callable[[str], ContentRepo]:
    """Copy a fixture site from tests/fixtures/<case>/ into a new git repo and commit it."""

    def make(case: str = "mini") -> ContentRepo:
        root = tmp_path / "repo"
        shutil.copytree(FIXTURES / case, root)
        repo = ContentRepo(root)
        repo.commit(f"Fixture {case}")
        return repo

    return make


@pytest.fixture
def mini(make_repo) -> ContentRepo:
    """The two-brand mini site, committed."""
    return make_repo("mini")


def two_version_site(root: Path, pdf: bool = False) -> Path:
    """The mini fixture at `root`, with a second version of the shared AUP (so there are a version selector,
    archived, changes and history pages), built as of 2026-11-22 (with each version's PDF if `pdf`); the site
    folder."""
    import datetime as dt

    from generator.pipeline.build import BuildOptions, build

    _strong_passwords(root, "updated: 2026-11-22")
    build(BuildOptions(root=root, site_dir=root / "site", jobs=1, as_of=dt.date(2026, 11, 22), pdf=pdf))
    return root / "site"


# A material AUP version, by language: (the heading its new clause goes before, the clause, the summary).
MATERIAL_AUP = {"vi": ("## Chấm dứt", "## Báo cáo {#reporting}\n\nBáo cáo sự cố ngay.",
                       "Bổ sung nghĩa vụ báo cáo sự cố."),
                "en": ("## Termination", "## Reporting {#reporting}\n\nReport incidents.",
                       "Incidents must be reported.")}


def material_aup_version(repo: ContentRepo) -> None:
    """Commit a material AUP version (2026-11-25, in effect 2026-12-25) adding a clause: one with customer notices."""
    for lang, (before, clause, summary) in MATERIAL_AUP.items():
        path = f"content/{lang}/aup.md"
        repo.edit(path, before, f"{clause}\n\n{before}")
        repo.edit(path, "updated: 2026-11-20", f"updated: 2026-11-25\neffective: 2026-12-25\nsummary: {summary}\n"
                  "material: true")
    repo.commit("AUP: incident reporting (material)")


def _strong_passwords(root: Path, updated: str) -> ContentRepo:
    """The mini fixture committed at `root`, then its AUP's second version (strong passwords), `updated` as given."""
    shutil.copytree(FIXTURES / "mini", root)
    repo = ContentRepo(root)
    repo.commit("Fixture mini")
    repo.edit("content/en/aup.md", "Customers keep their passwords secret.", "Customers keep strong passwords secret.")
    repo.edit("content/vi/aup.md", "Khách hàng giữ bí mật mật khẩu.", "Khách hàng giữ bí mật mật khẩu mạnh.")
    for lang in ("vi", "en"):
        repo.edit(f"content/{lang}/aup.md", "updated: 2026-11-20", updated)
    repo.commit("AUP: strong passwords")
    return repo


def translated_version_site(root: Path) -> Path:
    """The mini fixture at `root` with a second AUP version in both languages (2026-11-21) and a third in
    English only (2026-11-22, a corrected translation), built as of 2026-11-22; the site folder.

    So the Vietnamese AUP in force (2026-11-21) is archived in English, and English has a version
    and a changes page that Vietnamese has not: the cases hreflang must leave out.
    """
    import datetime as dt

    from generator.pipeline.build import BuildOptions, build

    repo = _strong_passwords(root, "updated: 2026-11-21\nsummary: Strong passwords.")
    repo.edit("content/en/aup.md", "keep strong passwords", "keep their strong passwords")
    repo.edit("content/en/aup.md", "updated: 2026-11-21", "updated: 2026-11-22")
    repo.commit("AUP (en): translation corrected")
    build(BuildOptions(root=root, site_dir=root / "site", jobs=1, as_of=dt.date(2026, 11, 22)))
    return root / "site"


def accept_check_errors(root: Path, reason: str) -> dict[Path, bytes]:
    """Accept each error `policygen check` finds in the working tree of `root`, with `reason`, as an editor would
    (a marker at the end of its line, which changes no published text); the files as they were before."""
    from generator.checks.check import CheckOptions, run_check

    saved: dict[Path, bytes] = {}
    for finding in run_check(CheckOptions(root=root, base=None, history=False)):
        if finding.severity != "error":
            continue
        path = root / finding.path
        saved.setdefault(path, path.read_bytes())
        lines = path.read_text(encoding="utf-8").split("\n")
        lines[finding.line - 1] += f'{{##- policygen: accept {finding.rule} "{reason}" ##}}'
        path.write_text("\n".join(lines), encoding="utf-8")
    return saved
