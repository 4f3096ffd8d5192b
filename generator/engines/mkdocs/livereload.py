"""Live reload for `serve`: mkdocs' server, which rebuilds when a watched file changes and reloads the browser."""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from mkdocs.livereload import LiveReloadServer

from .. import LivePreview


class PreviewServer(LiveReloadServer):
    """mkdocs' live-reloading server, with the preview's own pages (a brand list, the problems) in place of files."""

    def __init__(self, preview: LivePreview, **kwargs: Any) -> None:
        super().__init__(builder=preview.rebuild, **kwargs)
        self.preview = preview

    def serve_request(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        """The preview's own pages: ours; assets: mkdocs', with an ETag; the rest: mkdocs'."""
        path = environ.get("PATH_INFO", "/")
        html = None if path.startswith("/livereload/") else self.preview.own_page(path)
        if html is not None:
            # mkdocs' script that polls for the next build, so the page reloads after a save
            body = self._inject_js_into_html(html.encode(), self._visible_epoch)  # type: ignore[no-untyped-call]
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                      ("Content-Length", str(len(body)))])
            return [body]
        if path.endswith(("/", ".html")) or path.startswith("/livereload/"):
            return super().serve_request(environ, start_response)
        return self._asset(path, environ, start_response)

    def _asset(self, path: str, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        """A file that is not a page, with an ETag: the reload after a save gets `304` for those that did not change.

        mkdocs sends no validator, so each reload fetched every stylesheet and script again.
        """
        with self._epoch_cond:  # as mkdocs does: not while a build is writing the site
            self._epoch_cond.wait_for(lambda: self._visible_epoch == self._wanted_epoch)
        name = path.encode("latin-1").decode("utf-8", "ignore")  # PATH_INFO's bytes, as mkdocs reads them
        tag = etag(Path(self.root, posixpath.normpath("/" + name).lstrip("/")))
        if tag is None:  # mkdocs says 404, or redirects a folder
            return super().serve_request(environ, start_response)
        cache = [("ETag", tag), ("Cache-Control", "no-cache")]  # no-cache: asked again each time, but cheaply
        if environ.get("HTTP_IF_NONE_MATCH") == tag:
            start_response("304 Not Modified", cache)
            return []
        return super().serve_request(environ, lambda status, headers, *rest: start_response(status, [*headers, *cache],
                                                                                           *rest))


def etag(path: Path) -> str | None:
    """A file's validator: a save or a build that changes it changes its inode, time or size; None if no file."""
    try:
        info = path.stat()
    except OSError:
        return None
    return f'"{info.st_ino:x}-{info.st_mtime_ns:x}-{info.st_size:x}"' if path.is_file() else None


def serve(preview: LivePreview, site_dir: Path, port: int, poll: float, started: Callable[[], None]) -> None:
    """Serve `site_dir` on localhost until interrupted; each change to what `preview` watches rebuilds it."""
    server = PreviewServer(preview, host="127.0.0.1", port=port, root=str(site_dir), polling_interval=poll)
    server.build_delay = 0.01  # livereload's own wait: serve.settled does it
    for path in preview.watched():
        server.watch(str(path))
    started()
    try:
        server.serve()  # type: ignore[no-untyped-call]  # mkdocs' own method, unannotated
    finally:
        server.shutdown()
