"""`policygen serve` as an editor uses it: brands at /, a broken save shows the problem page, a fixed one the page."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import chromium
from conftest import ContentRepo

from generator.content.config import parse_config
from generator.content.yamlsrc import parse_yaml
from generator.errors import Problem
from generator.serve import problem_page, touched


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def serving(root: Path, *args: str) -> Iterator[str]:
    """`policygen serve` on a free port until the block ends; its base URL once it answers."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--port", str(port), *args], cwd=root,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.mark.browser
def test_brands_at_root_problem_page_then_the_page_again(mini: ContentRepo):
    override = "content/vi/acme/aup.override.md"
    with serving(mini.root) as base, chromium() as browser:
        page = browser.new_page()
        page.goto(base + "/")
        assert [a.get_attribute("href") for a in page.locator("main a").all()] == ["/acme/", "/beta/"]
        page.click("text=ACME")
        page.wait_for_url(base + "/acme/")
        page.goto(base + "/acme/aup/")
        assert page.title().startswith("Chính sách sử dụng")
        mini.edit(override, "{#termination}", "{#termination")  # a broken save
        page.wait_for_function("document.title === 'Problem in the content'", timeout=30000)  # reloaded by itself
        text = page.inner_text("main")
        assert f"{override}, line 1" in text and "Fix:" in text and "{#data-collection}" in text
        mini.edit(override, "{#termination", "{#termination}")  # fixed
        page.wait_for_function("document.title.startsWith('Chính sách sử dụng')", timeout=30000)


def test_a_save_rebuilds_only_the_brands_it_touches():
    config = parse_config(parse_yaml((Path(__file__).parent / "fixtures/mini/site.yml").read_text(), "site.yml"),
                          "site.yml")
    assert touched(["content/vi/acme/aup.override.md"], config) == {"acme"}
    assert touched(["content/en/aup.md"], config) == {"acme", "beta"}  # shared: every brand that publishes it
    assert touched(["content/vi/privacy.md"], config) == {"acme"}  # beta does not publish it
    assert touched(["site.yml"], config) == touched(["templates/theme/main.html"], config) == {"acme", "beta"}
    assert touched(["content/vi/banner.yml"], config) == {"acme", "beta"}


def test_the_problem_page_escapes_the_editors_text():
    page = problem_page([Problem("content/vi/a.md", 3, "heading '<script>x</script>' has no id", "Add {#id}.", 5)])
    assert "content/vi/a.md, line 3, column 5" in page and "&lt;script&gt;" in page and "<script>x" not in page
