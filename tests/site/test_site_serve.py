"""``policyctl serve``: the server answers from the built site (404 page for missing paths) and the
watcher rebuilds when a file of the policy changes."""

from __future__ import annotations

import datetime as dt
import threading
import urllib.error
import urllib.request
from pathlib import Path

from policykit.commands.serve import make_server, watch
from policykit.site.build import Options, build_site


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
    thread = threading.Thread(target=watch, args=(released, changed.set, stop, 0.05), daemon=True)
    thread.start()
    try:
        assert not changed.wait(0.3)  # nothing changed: no rebuild
        section = released / "policy/sections/contact.yaml"
        section.write_text(section.read_text("utf-8") + "\n", "utf-8")
        assert changed.wait(10)
    finally:
        stop.set()
        thread.join(5)
