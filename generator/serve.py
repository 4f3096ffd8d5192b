"""Live preview for editors: build into a temporary folder, serve it, rebuild on save."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from .build import TEMPLATES, BuildOptions, build
from .errors import PolicygenError


def serve(root: Path, brands: tuple[str, ...], port: int, echo: Callable[[str], None]) -> None:
    """Serve the sites on localhost until interrupted; a broken edit shows its problems, not a crash."""
    from mkdocs.livereload import LiveReloadServer

    site_dir = Path(tempfile.mkdtemp(prefix="policygen-serve-")) / "site"
    # A preview shows drafts and records nothing: only `policygen build` publishes.
    options = BuildOptions(root=root, site_dir=site_dir, brands=brands, jobs=1, drafts=True, record=False)

    def rebuild() -> None:
        try:
            built = build(options)
            echo(f"Rebuilt {', '.join(built)}: http://127.0.0.1:{port}/{built[0]}/")
        except PolicygenError as exc:
            echo("\n".join(str(p) for p in exc.problems) + "\nNot rebuilt; fix the above and save again.")

    build(options)  # the first build must succeed, or there is nothing to show
    server = LiveReloadServer(builder=rebuild, host="127.0.0.1", port=port, root=str(site_dir))
    for path in (root / "site.yml", root / "content", TEMPLATES):
        server.watch(str(path))
    echo(f"Serving http://127.0.0.1:{port}/ (Ctrl+C to stop)")
    try:
        server.serve()  # type: ignore[no-untyped-call]  # mkdocs' own method, unannotated
    finally:
        server.shutdown()
