"""``policyctl serve``: the site on http://127.0.0.1:PORT/, rebuilt when the policy changes.

It builds once into a temporary folder of its own (never ``build/site``: drafts must not
reach the folder that is published; the site cache in ``build/.cache/site`` is shared,
so only what changed is rendered), serves it (``404.html`` for missing pages), and
polls ``policy/``, ``locales/``, ``changelog/`` and the site's templates twice a
second; a change triggers an incremental rebuild with the same pool of workers.
A failed rebuild prints its error and keeps serving the last good site (the
build is atomic). The draft (the work tree's unreleased text) is on by default.

Pages open in a browser reload themselves when a rebuild finishes: the server adds a
few lines of script to each HTML page *as it serves it* (the built files, like the
published ones, carry no script), which long-poll ``/_policyctl/generation``.
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


def snapshot(folders: Iterable[Path], files: Iterable[Path] = ()) -> dict[str, tuple[int, int]]:
    """(mtime, size) of every file under ``folders``, and of ``files``: what a rebuild depends on."""
    out: dict[str, tuple[int, int]] = {}
    paths = [*(p for folder in folders if folder.is_dir() for p in folder.rglob("*")), *files]
    for path in paths:
        try:
            st = path.stat()
        except OSError:
            continue
        if path.is_file():
            out[str(path)] = (st.st_mtime_ns, st.st_size)
    return out


RELOAD_PATH = "/_policyctl/generation"
# Long-polls the server; reloads the page when the generation (one per finished build) changes.
RELOAD_SCRIPT = (
    "<script>(function(){var seen=null;function poll(){fetch('" + RELOAD_PATH + "?since='+(seen||''))"
    ".then(function(r){return r.text();}).then(function(g){if(seen!==null&&g!==seen){location.reload();return;}"
    "seen=g;setTimeout(poll,10);}).catch(function(){setTimeout(poll,2000);});}poll();})();</script>"
)


class Generation:
    """How many builds have finished; a request can wait for the next one."""

    def __init__(self) -> None:
        self.value = 0
        self._changed = threading.Condition()

    def bump(self) -> None:
        with self._changed:
            self.value += 1
            self._changed.notify_all()

    def wait(self, since: str, timeout: float = 25.0) -> int:
        with self._changed:
            self._changed.wait_for(lambda: str(self.value) != since, timeout=timeout)
            return self.value


class _Handler(SimpleHTTPRequestHandler):
    """The site folder's files, and nothing else: a path that resolves outside the folder (a
    link, ``..``), that is not a regular file, or that cannot be a path (``%00``) is answered
    with a status, never followed and never a dropped connection; folders are not listed."""

    # A request too broken to name its version is answered as HTTP/1.0, with a status line
    # (the default, HTTP/0.9, answers with a bare page and no status).
    default_request_version = "HTTP/1.0"

    def send_head(self) -> Any:
        try:
            path = self.translate_path(self.path)
            if any(ord(c) < 0x20 for c in path):
                self.send_error(400, "Bad request: control character in the path")
                return None
            problem = self._outside(path)
            if problem:
                self.send_error(404, problem)
                return None
            return super().send_head()
        except (ValueError, UnicodeError):
            self.send_error(400, "Bad request")
            return None
        except OSError:
            self.send_error(404)
            return None

    def _outside(self, path: str) -> str | None:
        """Why ``path`` must not be served (None when it may)."""
        import os
        import stat

        base = os.path.realpath(self.directory)
        real = os.path.realpath(path)
        candidates = [real]
        if os.path.isdir(real):
            candidates = [os.path.join(real, "index.html")]  # what SimpleHTTPRequestHandler serves
        for candidate in candidates:
            found = os.path.realpath(candidate)
            if found != base and not found.startswith(base + os.sep):
                return "Not found"
            try:
                mode = os.stat(found).st_mode
            except FileNotFoundError:
                return None if candidate == real else "Not found"  # the 404 page; no folder listing
            if not stat.S_ISREG(mode) and not (candidate == real and stat.S_ISDIR(mode)):
                return "Not found"
        return None

    def list_directory(self, path: Any) -> Any:
        self.send_error(404)
        return None

    generation: Generation | None = None

    def do_GET(self) -> None:  # the name http.server dispatches to
        path = self.path.split("?", 1)[0]
        if self.generation is not None and path == RELOAD_PATH:
            since = self.path.partition("since=")[2]
            self._send(200, "text/plain; charset=utf-8", str(self.generation.wait(since)).encode())
            return
        if self.generation is not None:
            # A page of the preview gets the reload script; whatever send_head would refuse
            # (outside the folder, not a regular file, not a path) is left to it to answer.
            try:
                found = self.translate_path(self.path)
                allowed = not any(ord(c) < 0x20 for c in found) and self._outside(found) is None
            except (ValueError, UnicodeError, OSError):
                allowed = False
            target = Path(found) / "index.html" if allowed and path.endswith("/") else Path(found) if allowed else None
            if target is not None and target.suffix == ".html" and target.is_file() and not target.is_symlink():
                self._send(200, "text/html; charset=utf-8", with_reload(target.read_bytes()))
                return
        super().do_GET()

    def _send(self, code: int, kind: str, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file() and not page.is_symlink():
            body = page.read_bytes()
            if self.generation is not None:
                body = with_reload(body)
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


def with_reload(page: bytes) -> bytes:
    """``page`` with the reload script before ``</body>`` (served by ``serve`` only, never built)."""
    at = page.rfind(b"</body>")
    return page if at < 0 else page[:at] + RELOAD_SCRIPT.encode() + page[at:]


def make_server(out: Path, port: int, generation: Generation | None = None) -> ThreadingHTTPServer:
    """A server of the site in ``out``; with ``generation``, pages reload after each build."""
    handler = functools.partial(type("Handler", (_Handler,), {"generation": generation}), directory=str(out))
    _Handler.extensions_map = {**_Handler.extensions_map, ".atom": "application/atom+xml",
                               ".json": "application/json"}
    return ThreadingHTTPServer(("127.0.0.1", port), handler)


State = tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]]]


def watched(root: Path) -> State:
    """What the site depends on: the policy's files, and the package's (templates, stylesheets,
    catalogs, code: what the site cache's template hash covers)."""
    from policykit.cachekey import package_files
    from policykit.errors import PolicyError
    from policykit.site.theme import CONFIG, load_theme

    try:
        theme = load_theme(root)
    except PolicyError:
        theme = None  # the build reports it; the watcher sees the fix in site.yaml
    folders = [root / name for name in WATCHED] + ([Path(theme.folder)] if theme and theme.folder else [])
    return snapshot(folders, [root / CONFIG]), snapshot((), package_files())


def watch(root: Path, rebuild: Callable[[bool], None], stop: threading.Event, interval: float = 0.5,
          since: State | None = None) -> None:
    """Call ``rebuild(templates)`` whenever a watched file changes (after ``since``, taken before
    the first build, so that an edit made while it ran is not missed), until ``stop`` is set;
    ``templates`` is True when a file of the package changed, not only the policy."""
    last = since or watched(root)
    while not stop.wait(interval):
        now = watched(root)
        if now != last:
            templates = now[1] != last[1]
            last = now
            rebuild(templates)


def serve(*, root: Path, port: int = 8000, today: str | None = None, draft: bool = True, pdf: bool = True) -> int:
    """Build into a temporary folder, serve it on 127.0.0.1:``port`` and rebuild on change, until interrupted."""
    import shutil
    import tempfile

    from policykit.cachestore import site_folder
    from policykit.errors import PolicyError
    from policykit.site.console import build_command
    from policykit.site.workers import Pool
    from policykit.templating import forget_package_data

    folder = Path(tempfile.mkdtemp(prefix="policyctl-serve-"))
    site = folder / "site"
    cache_dir = site_folder(root / "build" / "site")  # build's own cache: shared with `policyctl build`
    generation = Generation()
    pools = [Pool(pdf=pdf)]
    stopped = _stop_on_sigterm()
    try:
        def build() -> None:
            build_command(root=root, out=site, today=today, draft=draft, pdf=pdf, pool=pools[0], cache_dir=cache_dir)
            generation.bump()

        def rebuild(templates: bool = False) -> None:
            if templates:
                # A developer edited a template, stylesheet or catalog: this process forgets
                # what it read from them, and new workers start without it; every page is then
                # keyed on the new files and made again.
                forget_package_data()
                pools[0].close()
                pools[0] = Pool(pdf=pdf)
            try:
                build()
            except PolicyError as exc:
                print(f"policyctl serve: {exc} (still serving the last good build)", file=sys.stderr, flush=True)

        since = watched(root)
        build()
        server = make_server(site, port, generation)
        bound = server.server_address[1]
        print(f"serving a preview (drafts included; not the published build/site) at http://127.0.0.1:{bound}/ "
              "(Ctrl-C stops)", file=sys.stderr, flush=True)
        stop = threading.Event()
        watcher = threading.Thread(target=watch, args=(root, rebuild, stop, 0.5, since), daemon=True)
        watcher.start()
        try:
            server.serve_forever()
        finally:
            stop.set()
            server.server_close()
            watcher.join(timeout=5)
    finally:
        pools[0].close()
        stopped()
        from policykit.site.cache import Store, forget_manifest

        forget_manifest(Store(cache_dir), site)
        shutil.rmtree(folder, ignore_errors=True)
    return 0


def _stop_on_sigterm() -> Callable[[], None]:
    """Make SIGTERM (a process manager's stop) leave like Ctrl-C does, through the ``finally``
    blocks: killed outright, serve left its workers and their fork server running. Returns what
    puts the previous handler back (a no-op outside the main thread, where none can be set)."""
    import signal

    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def stop(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)

    def restore() -> None:
        signal.signal(signal.SIGTERM, previous)

    return restore
