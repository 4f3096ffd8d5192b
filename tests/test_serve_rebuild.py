"""serve's rebuild after a save: the pages a fresh build makes, for every brand the saved file reaches."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import jinja2
import yaml
from conftest import ContentRepo
from mkdocs.config import load_config
from mkdocs.structure.files import Files

from generator.engines.mkdocs.livereload import PreviewServer
from generator.engines.mkdocs.theme_files import ThemeLoader, kept_theme_copies
from generator.serve import Preview, preview_options

PRIVACY = "content/{}/acme/privacy.md"


def preview(repo: ContentRepo, site: Path) -> Preview:
    """A preview as `policygen serve` runs it, its first build done."""
    shown = Preview(preview_options(repo.root, site), lambda _message: None)
    shown.rebuild()
    return shown


def publish(repo: ContentRepo, day: str, vi: str, en: str) -> None:
    """Commit a new version of acme's privacy policy, dated `day`, with these first paragraphs."""
    for lang, paragraph in (("vi", vi), ("en", en)):
        text = re.sub(r"updated: .*", f"updated: {day}", repo.read(PRIVACY.format(lang)), count=1)
        repo.write({PRIVACY.format(lang): re.sub(r"(\{#collection\}\n\n).*", rf"\g<1>{paragraph}", text, count=1)})
    repo.commit(f"Privacy of {day}")


def cold(repo: ContentRepo, site: Path) -> Path:
    """The site serve's first build makes of the content as it is now, built in a new process."""
    code = ("import pathlib, sys; from generator.pipeline.build import build; "
            "from generator.serve import preview_options; "
            "build(preview_options(pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])))")
    subprocess.run([sys.executable, "-c", code, str(repo.root), str(site)], check=True, capture_output=True)
    return site


def files(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def test_the_site_after_a_save_is_the_site_a_fresh_build_makes(mini: ContentRepo, tmp_path: Path):
    shown = preview(mini, tmp_path / "serve")
    mini.edit(PRIVACY.format("vi"), "thu thập tên và email.", "thu thập tên, email và số điện thoại.")
    shown.rebuild()  # a draft, as serve shows it: compared with a cold build like serve's first
    cold(mini, tmp_path / "cold")
    page = "acme/privacy/index.html"
    assert "số điện thoại" in (tmp_path / "serve" / page).read_text(encoding="utf-8")
    assert (tmp_path / "serve" / page).read_bytes() == (tmp_path / "cold" / page).read_bytes()
    assert files(tmp_path / "serve") == files(tmp_path / "cold")

    # Two new versions committed, then saved again unchanged: HEAD has moved, the history kept in memory is read on.
    publish(mini, "2026-11-25", "Chúng tôi thu thập tên, email và số điện thoại.", "We collect names and phones.")
    publish(mini, "2026-11-27", "Chúng tôi thu thập tên và địa chỉ.", "We collect names and addresses.")
    os.utime(mini.root / PRIVACY.format("vi"))
    shown.rebuild()
    subprocess.run([sys.executable, "-m", "generator", "build", "--no-pdf", "--jobs", "1", "--site-dir",
                    str(tmp_path / "built")], cwd=mini.root, check=True, capture_output=True)
    assert "địa chỉ" in (tmp_path / "serve" / page).read_text(encoding="utf-8")
    assert (tmp_path / "serve/acme/privacy/2026-11-25/index.html").is_file()
    assert (tmp_path / "serve" / page).read_bytes() == (tmp_path / "built" / page).read_bytes()
    assert files(tmp_path / "serve") == files(tmp_path / "built")


def test_a_save_to_a_shared_file_rebuilds_every_brand_that_publishes_it(mini: ContentRepo, tmp_path: Path):
    shown = preview(mini, tmp_path / "serve")
    mini.edit("content/en/aup.md", "Do not use our", "Never use our")
    shown.rebuild()
    cold(mini, tmp_path / "cold")
    for brand in ("acme", "beta"):
        page = f"{brand}/en/aup/index.html"
        assert "Never use our" in (tmp_path / "serve" / page).read_text(encoding="utf-8"), brand
    assert files(tmp_path / "serve") == files(tmp_path / "cold")


def test_the_theme_loader_gives_mkdocs_the_same_files_to_copy(mini: ContentRepo, tmp_path: Path):
    preview(mini, tmp_path / "serve")
    config = load_config(config_file=str(tmp_path / ".serve.cache/work/acme.vi/mkdocs.yml"))
    copied = []
    for loader in (jinja2.FileSystemLoader, ThemeLoader):
        env = jinja2.Environment(loader=loader(config.theme.dirs))
        theme = Files([])
        theme.add_files_from_theme(env, config)
        copied.append([(file.src_uri, file.abs_src_path) for file in theme])
    assert copied[0] == copied[1] and len(copied[0]) > 20


def test_the_theme_files_a_dirty_build_is_said_to_leave_alone_are_left_alone(mini: ContentRepo, tmp_path: Path):
    shown = preview(mini, tmp_path / "serve")
    project = tmp_path / ".serve.cache/work/acme.vi"
    docs = {path.relative_to(project / "docs").as_posix() for path in (project / "docs").rglob("*") if path.is_file()}
    kept = kept_theme_copies(project / "site", yaml.safe_load((project / "mkdocs.yml").read_text("utf-8")), docs)
    names = {path.relative_to(project / "site").as_posix() for path in kept}
    assert "assets/stylesheets/policy.css" in names and any(n.startswith("assets/javascripts/bundle.") for n in names)
    assert not names & {"404.html", "sitemap.xml", "search/search_index.json"}  # written by every build
    written = {path: path.stat().st_mtime_ns for path in kept}
    mini.edit(PRIVACY.format("vi"), "Khách hàng tự cung cấp.", "Khách hàng tự cung cấp thông tin.")
    shown.rebuild()  # published files are hard links: sites.py gives these no copy of their own, as mkdocs
    assert {path: path.stat().st_mtime_ns for path in kept} == written  # does not write them


def test_an_asset_that_did_not_change_is_not_sent_again(tmp_path: Path):
    site = tmp_path / "site"
    (site / "assets").mkdir(parents=True)
    (site / "assets/policy.css").write_text("a{color:red}")
    server = PreviewServer(Preview(preview_options(tmp_path, site), lambda _message: None), host="127.0.0.1", port=0,
                           root=str(site))

    def get(tag: str = "") -> tuple[str, dict[str, str], bytes]:
        said: list[tuple[str, dict[str, str]]] = []
        environ = {"PATH_INFO": "/assets/policy.css", "REQUEST_METHOD": "GET", "HTTP_IF_NONE_MATCH": tag}
        body = b"".join(server.serve_request(environ, lambda status, headers, *_: said.append((status, dict(headers)))))
        return said[0][0], said[0][1], body

    status, headers, body = get()
    assert status == "200 OK" and body == b"a{color:red}" and headers["Cache-Control"] == "no-cache"
    assert get(headers["ETag"]) == ("304 Not Modified", {"ETag": headers["ETag"], "Cache-Control": "no-cache"}, b"")
    (site / "assets/policy.css").write_text("a{color:tan}")  # same size, a later time
    os.utime(site / "assets/policy.css", ns=(1, (site / "assets/policy.css").stat().st_mtime_ns + 10**9))
    assert get(headers["ETag"])[0] == "200 OK" and get(headers["ETag"])[2] == b"a{color:tan}"
