"""``policyctl serve``: the site on http://127.0.0.1:PORT/, rebuilt when the policy changes.

It builds once, serves the output folder (``404.html`` for missing pages), and
polls ``policy/``, ``locales/``, ``changelog/`` and the site's templates twice a
second; a change triggers an incremental rebuild with the same pool of workers.
A failed rebuild prints its error and keeps serving the last good site (the
build is atomic). The draft (the work tree's unreleased text) is on by default.
"""

from __future__ import annotations

import functools
import sys
import threading
from collections.abc import Callable, Iterable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

WATCHED = ("policy", "locales", "changelog")


def snapshot(folders: Iterable[Path]) -> dict[str, tuple[int, int]]:
    """(mtime, size) of every file under ``folders``: what a rebuild depends on."""
    out: dict[str, tuple[int, int]] = {}
    for folder in folders:
        if folder.is_dir():
            for path in folder.rglob("*"):
                try:
                    st = path.stat()
                except OSError:
                    continue
                if path.is_file():
                    out[str(path)] = (st.st_mtime_ns, st.st_size)
    return out


def watched_folders(root: Path) -> list[Path]:
    import policykit.render
    import policykit.site

    package = [Path(p) / sub for m in (policykit.render, policykit.site) for p in m.__path__
               for sub in ("templates", "static", "messages")]
    return [root / name for name in WATCHED] + package


class _Handler(SimpleHTTPRequestHandler):
    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # a preview server need not log every request


def make_server(out: Path, port: int) -> ThreadingHTTPServer:
    handler = functools.partial(_Handler, directory=str(out))
    _Handler.extensions_map = {**_Handler.extensions_map, ".atom": "application/atom+xml",
                               ".json": "application/json"}
    return ThreadingHTTPServer(("127.0.0.1", port), handler)


def watch(root: Path, rebuild: Callable[[], None], stop: threading.Event, interval: float = 0.5) -> None:
    """Call ``rebuild`` whenever a watched file changes, until ``stop`` is set."""
    folders = watched_folders(root)
    last = snapshot(folders)
    while not stop.wait(interval):
        now = snapshot(folders)
        if now != last:
            last = now
            rebuild()


def serve(*, root: Path, port: int = 8000, out: Path | None = None, today: str | None = None, draft: bool = True,
          pdf: bool = True) -> int:
    """Build, serve on 127.0.0.1:``port`` and rebuild on change, until interrupted."""
    from policykit.errors import PolicyError
    from policykit.site.console import build_command, resolve_out
    from policykit.site.workers import Pool

    site = resolve_out(root, out)
    with Pool(pdf=pdf) as pool:
        def rebuild() -> None:
            try:
                build_command(root=root, out=out, today=today, draft=draft, pdf=pdf, pool=pool)
            except PolicyError as exc:
                print(f"policyctl serve: {exc} (still serving the last good build)", file=sys.stderr, flush=True)

        build_command(root=root, out=out, today=today, draft=draft, pdf=pdf, pool=pool)
        server = make_server(site, port)
        bound = server.server_address[1]
        print(f"serving {site} at http://127.0.0.1:{bound}/ (Ctrl-C stops)", file=sys.stderr, flush=True)
        stop = threading.Event()
        watcher = threading.Thread(target=watch, args=(root, rebuild, stop), daemon=True)
        watcher.start()
        try:
            server.serve_forever()
        finally:
            stop.set()
            server.server_close()
            watcher.join(timeout=5)
    return 0
