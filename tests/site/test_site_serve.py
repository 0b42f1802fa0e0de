"""``policyctl serve``: the server answers from the built site (404 page for missing paths) and the
watcher rebuilds when a file of the policy changes."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from policykit.commands.serve import make_server, watch
from policykit.site.build import Options, build_site

from ..conftest import REPO


def test_the_generation_long_poll_waits_for_the_next_build() -> None:
    from policykit.commands.serve import Generation

    generation = Generation()
    assert generation.wait("", timeout=0.01) == 0  # nothing seen yet: answered at once
    threading.Timer(0.1, generation.bump).start()
    started = time.monotonic()
    assert generation.wait("0", timeout=10) == 1 and time.monotonic() - started < 5


def test_built_pages_carry_no_script_and_the_server_adds_one_only_in_preview(released: Path) -> None:
    from policykit.commands.serve import Generation

    site = released / "build/site"
    build_site(released, Options(out=site, today=dt.date(2027, 2, 10), pdf=False, workers=0))
    for page in site.rglob("*.html"):
        if "compare/index.html" not in str(page):  # the compare form's few lines go to a built redline
            assert "<script" not in page.read_text("utf-8"), page
    for generation, scripted in ((None, False), (Generation(), True)):
        server = make_server(site, 0, generation)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            page = _get(f"http://127.0.0.1:{server.server_address[1]}/ja/")
            assert ("/_policyctl/generation" in page) is scripted
        finally:
            server.shutdown()
            server.server_close()


def test_server_serves_pages_feeds_and_the_404_page(released: Path) -> None:
    site = released / "build/site"
    build_site(released, Options(out=site, today=dt.date(2027, 2, 10), pdf=False, workers=0))
    server = make_server(site, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with urllib.request.urlopen(base + "ja/") as page:
            assert page.status == 200 and "プライバシーポリシー" in page.read().decode()
        with urllib.request.urlopen(base + "en/changes.atom") as feed:
            assert feed.headers["Content-Type"] == "application/atom+xml"
        try:
            urllib.request.urlopen(base + "en/7.0.0/")
            raise AssertionError("a missing page must be a 404")
        except urllib.error.HTTPError as exc:
            assert exc.code == 404 and "Page not found" in exc.read().decode()
    finally:
        server.shutdown()
        server.server_close()


def test_watcher_calls_rebuild_when_a_policy_file_changes(released: Path) -> None:
    changed = threading.Event()
    stop = threading.Event()
    templates: list[bool] = []

    def rebuild(package: bool) -> None:
        templates.append(package)
        changed.set()

    thread = threading.Thread(target=watch, args=(released, rebuild, stop, 0.05), daemon=True)
    thread.start()
    try:
        assert not changed.wait(0.3)  # nothing changed: no rebuild
        section = released / "policy/sections/contact.yaml"
        section.write_text(section.read_text("utf-8") + "\n", "utf-8")
        assert changed.wait(10) and templates == [False]  # the policy changed, not the templates
    finally:
        stop.set()
        thread.join(5)


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as page:
        text: str = page.read().decode("utf-8")
        return text


def _running_from(folder: Path) -> list[str]:
    """The command lines of the processes that mention ``folder`` (a fork server lists its path)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if str(folder) in text:
            found.append(text)
    return found


def _until(predicate: Callable[[], bool], seconds: float = 90) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_serve_rebuilds_when_the_policy_or_a_template_changes(released: Path, tmp_path: Path) -> None:
    # `policyctl serve` as a developer runs it, from a copy of the package whose templates this
    # test may edit: a template edit must reach the pages (the workers and this process forget
    # what they read, the cache keys change), not only a policy edit.
    package = tmp_path / "src"
    shutil.copytree(REPO / "src/policykit", package / "policykit", ignore=shutil.ignore_patterns("__pycache__"))
    env = {**os.environ, "PYTHONPATH": str(package), "CI": "1", "XDG_CACHE_HOME": str(tmp_path / "cache")}
    serve = subprocess.Popen([sys.executable, "-m", "policykit", "-C", str(released), "serve", "--port", "0",
                              "--no-pdf", "--today", "2027-02-10"], stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert serve.stderr is not None
        line = ""
        while "serving" not in line:
            line = serve.stderr.readline()
            assert line or serve.poll() is None, "serve stopped before serving"
        base = line.split(" at ", 1)[1].split()[0]
        assert "Privacy" in _get(base + "en/")
        # Served pages reload themselves after a rebuild; the files built carry no script.
        first = _get(base + "en/draft/")
        assert "/_policyctl/generation" in first and first.count("<script") == 1
        generation = _get(base + "_policyctl/generation?since=")

        section = released / "policy/sections/contact.yaml"
        section.write_text(section.read_text("utf-8").replace("Huawei", "Huawei Europe", 1), "utf-8")
        assert _until(lambda: "Huawei Europe" in _get(base + "en/draft/"))
        # A page waiting on the generation it saw is answered with the next one.
        assert int(_get(base + f"_policyctl/generation?since={generation}")) > int(generation)
        # Drafts never reach the folder that is published.
        assert not (released / "build/site").exists()

        template = package / "policykit/render/templates/policy.html"
        template.write_text(template.read_text("utf-8").replace("<main id=\"_main\">",
                                                                "<main id=\"_main\" data-edited=\"yes\">", 1),
                            "utf-8")
        stylesheet = package / "policykit/site/static/site.css"
        stylesheet.write_text(stylesheet.read_text("utf-8") + "\n.edited-rule { color: red }\n", "utf-8")
        assert _until(lambda: 'data-edited="yes"' in _get(base + "ja/1.0.0/"))
        for page in ("en/", "en/draft/", "en/versions/"):
            assert ".edited-rule" in _get(base + page), page
        assert 'data-edited="yes"' in _get(base + "en/draft/")
    finally:
        serve.terminate()  # SIGTERM, as a process manager stops it
        code = serve.wait(30)
        if serve.stderr is not None:
            serve.stderr.close()
    # It left through its clean-up: no worker, no fork server of that package copy still runs.
    assert code == 128 + 15
    assert _until(lambda: not _running_from(package), 10)
