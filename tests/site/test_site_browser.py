"""Debian's chromium, headless, loads the built site from a local HTTP server.

No page may log anything to the console (errors, failed loads); screenshots of
the English and Japanese pages at desktop and phone widths are written to
``build/screenshots/`` for a person to look at.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from policykit.commands.serve import make_server
from policykit.site.build import Options, build_site

from ..conftest import REPO

CHROMIUM = shutil.which("chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--enable-logging=stderr", "--v=0", "--hide-scrollbars"]
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}
CONSOLE = re.compile(r":CONSOLE[:(]\d*\)?\] (.*)")
SHOTS = REPO / "build" / "screenshots"

pytestmark = [pytest.mark.browser, pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium "
                                                      "(system-packages.txt; `make setup` installs it)")]


@pytest.fixture
def served(released: Path) -> Iterator[str]:
    site = released / "build/site"
    build_site(released, Options(out=site, today=dt.date(2027, 2, 10), pdf=False, workers=0))
    server = make_server(site, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def chromium(url: str, tmp_path: Path, size: tuple[int, int], screenshot: Path | None = None) -> list[str]:
    """Load ``url``; return what the page logged to the console."""
    profile = tmp_path / f"profile-{size[0]}"  # a fresh profile: nothing from a previous run
    args = [CHROMIUM or "chromium", *FLAGS, f"--user-data-dir={profile}", f"--window-size={size[0]},{size[1]}"]
    if screenshot is not None:
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        args.append(f"--screenshot={screenshot}")
    else:
        args.append("--dump-dom")
    run = subprocess.run([*args, url], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert "Page load failed" not in run.stderr, run.stderr[-2000:]
    return [m.group(1) for m in CONSOLE.finditer(run.stderr)]


PAGES = {
    "chooser": "",
    "en-home": "en/",
    "ja-home": "ja/",
    "en-old": "en/1.0.0/",
    "ja-versions": "ja/versions/",
    "en-compare": "en/compare/1.1.0...2.0.0/",
    "ja-compare": "ja/compare/1.1.0...2.0.0/",
    "ja-compare-form": "ja/compare/?from=1.0.0&to=2.0.0",
    "missing": "en/9.9.9/",
}


def test_pages_load_without_console_messages_and_are_photographed(served: str, tmp_path: Path) -> None:
    problems = {}
    for name, path in PAGES.items():
        for size_name, size in SIZES.items():
            shot = SHOTS / f"{name}-{size_name}.png" if name in (
                "en-home", "ja-home", "en-compare", "ja-compare", "chooser", "ja-versions") else None
            logged = chromium(served + path, tmp_path, size, shot)
            if logged:
                problems[f"{path} at {size_name}"] = logged
            if shot is not None:
                assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 5000
    assert problems == {}


def test_the_compare_form_goes_to_a_built_redline_or_says_it_is_not_built(served: str, tmp_path: Path) -> None:
    built = chromium(served + "en/compare/?from=1.1.0&to=2.0.0", tmp_path, SIZES["desktop"])
    assert built == []
    args = [CHROMIUM or "chromium", *FLAGS, f"--user-data-dir={tmp_path / 'p2'}", "--dump-dom"]
    dom = subprocess.run([*args, served + "en/compare/?from=1.1.0&to=2.0.0"], capture_output=True, text=True,
                         timeout=120).stdout
    assert "Classified changes" in dom  # followed the form to the redline page
    dom = subprocess.run([*args, served + "en/compare/?from=1.0.0&to=2.0.0"], capture_output=True, text=True,
                         timeout=120).stdout
    assert re.search(r'<p class="not-built" id="_not-built">', dom)  # shown (no hidden attribute)
