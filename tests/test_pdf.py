"""Each published version as a PDF beside its page: its address, its content, the history's link, the cache."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
import unicodedata
import urllib.request
from pathlib import Path

import pytest
from conftest import ContentRepo, two_version_site

from generator.history.git import GitHistory
from generator.history.versions import read_versions
from generator.pipeline.build import BuildOptions, build
from generator.site import pdf

AS_OF = dt.date(2026, 11, 22)
# (brand, policy, language, version): every published version of the two-version mini site.
VERSIONS = [(brand, "aup", lang, version) for brand in ("acme", "beta") for lang in ("vi", "en")
            for version in ("2026-11-20", "2026-11-22")] + [("acme", "privacy", lang, "2026-11-21")
                                                             for lang in ("vi", "en")]


def _text(path: Path) -> str:
    """The PDF's text as pdftotext (poppler-utils, installed by the Makefile) reads it, NFC."""
    assert shutil.which("pdftotext"), "pdftotext is missing: make test installs poppler-utils"
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True)
    return unicodedata.normalize("NFC", out.stdout)


def _pdf_path(site: Path, brand: str, policy: str, lang: str, version: str) -> Path:
    folder = site / brand if lang == "vi" else site / brand / lang
    return folder / policy / version / f"{policy}-{version}.pdf"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return two_version_site(tmp_path_factory.mktemp("pdf") / "repo", pdf=True)


def test_every_version_has_its_pdf_beside_its_page(site: Path) -> None:
    hashes = {key: line for key, line in read_versions(GitHistory(site.parent).snapshots()).items()}
    for brand, policy, lang, version in VERSIONS:
        path = _pdf_path(site, brand, policy, lang, version)
        assert (path.parent / "index.html").is_file()  # beside the version's page
        assert path.read_bytes().startswith(b"%PDF-"), path
        text = _text(path)
        published = next(v for v in hashes[(brand, policy, lang)] if v.id == version)
        assert published.sha256 in re.sub(r"\s", "", text), f"{path}: no SHA-256"
        assert version in text, f"{path}: no version id"
        assert published.meta.title in text


def test_the_pdf_has_the_vietnamese_text_and_dates_in_embedded_fonts(site: Path) -> None:
    old, new = _pdf_path(site, "acme", "aup", "vi", "2026-11-20"), _pdf_path(site, "acme", "aup", "vi", "2026-11-22")
    assert "Khách hàng giữ bí mật mật khẩu mạnh." in _text(new)
    assert "Khách hàng giữ bí mật mật khẩu." in _text(old)
    assert "ngày 22 tháng 11 năm 2026" in _text(new)  # the version and effective dates, written out
    assert "Mã băm SHA-256 của văn bản đã công bố" in _text(new)
    assert "This text is a translation" in _text(_pdf_path(site, "acme", "aup", "en", "2026-11-22"))
    fonts = subprocess.run(["pdffonts", str(new)], check=True, capture_output=True, text=True).stdout.splitlines()[2:]
    assert fonts and all("DejaVu" in line and " yes yes yes " in line for line in fonts), fonts  # embedded, unicode
    info = subprocess.run(["pdfinfo", str(new)], check=True, capture_output=True, text=True).stdout
    assert re.search(r"Tagged:\s+yes", info), info  # for screen readers
    assert re.search(r"CreationDate:\s+\w+ Nov 21 17:00:00 2026 UTC", info), info  # the version's date, not now


def test_the_history_page_links_every_pdf(site: Path) -> None:
    for brand, policy, lang, version in VERSIONS:
        history = _pdf_path(site, brand, policy, lang, version).parents[1] / "history" / "index.html"
        html = history.read_text(encoding="utf-8")
        label = "Tải bản PDF" if lang == "vi" else "Download PDF"
        assert f'<a href="../{version}/{policy}-{version}.pdf">{label}<span class="visually-hidden">' in html


def test_a_rebuild_after_a_new_version_makes_only_its_pdfs(site: Path, tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(site.parent, root, symlinks=True)  # the repository, its site and the build's cache
    kept = {path: path.stat() for path in (root / ".site.cache" / "pdf").glob("*.pdf")}
    assert len(kept) == len(VERSIONS)
    repo = ContentRepo(root)
    for lang in ("vi", "en"):
        repo.edit(f"content/{lang}/aup.md", "updated: 2026-11-22", "updated: 2026-11-23")
    repo.edit("content/en/aup.md", "strong passwords", "strong, unique passwords")
    repo.edit("content/vi/aup.md", "mật khẩu mạnh.", "mật khẩu mạnh, riêng.")
    repo.commit("AUP: unique passwords")
    said: list[str] = []
    build(BuildOptions(root=root, site_dir=root / "site", jobs=1, as_of=AS_OF, pdf=True), report=said.append)
    assert "made 4 PDF(s)" in said  # the new AUP version of acme and beta, in two languages; no other
    for path, before in kept.items():  # each kept PDF is as it was, and is the one the site publishes
        after = path.stat()
        assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns), path
    inodes = {stat.st_ino for stat in kept.values()}
    for version in VERSIONS:
        assert _pdf_path(root / "site", *version).stat().st_ino in inodes, version
    for brand in ("acme", "beta"):
        assert "mạnh, riêng." in _text(_pdf_path(root / "site", brand, "aup", "vi", "2026-11-23"))


def test_policygen_build_no_pdf_takes_the_pdfs_and_their_links_away(site: Path, tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(site.parent, root, symlinks=True)
    run = [sys.executable, "-m", "generator", "build", "--jobs", "1", "--as-of", AS_OF.isoformat(), "--no-pdf"]
    result = subprocess.run(run, cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert not list((root / "site").rglob("*.pdf"))
    assert ".pdf" not in (root / "site/acme/aup/history/index.html").read_text(encoding="utf-8")


def test_a_pdf_is_the_same_bytes_every_time_and_fetches_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[object] = []

    def refuse(_self: object, url: object, *args: object, **kwargs: object) -> object:
        opened.append(url)
        raise OSError("no network in this test")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", refuse)
    labels = pdf.PdfLabels("Phiên bản", "Có hiệu lực từ", "SHA-256", "Địa chỉ", "")
    body = "Điều khoản.\n\n<img src=\"https://tracker.example/x.png\">\n\n[x](https://tracker.example/)\n"
    version = pdf.PdfVersion("p/2026-01-02/p-2026-01-02.pdf", "vi", "ACME", "Công ty ACME", "Chính sách",
                             "2026-01-02", "ngày 2 tháng 1 năm 2026", "ngày 2 tháng 1 năm 2026", "0" * 64,
                             "https://acme.example/p/2026-01-02/", "https://acme.example/", "articles", body, labels)
    html = pdf.version_html(version).replace("</body>", '<img src="https://tracker.example/y.png">'
                                             '<link rel="stylesheet" href="file:///etc/passwd"></body>')
    monkeypatch.setattr(pdf, "version_html", lambda _version: html)
    first = pdf.render_pdf(version)
    assert first == pdf.render_pdf(version)
    assert opened == []
