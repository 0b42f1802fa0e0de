"""The built site in a real browser: Debian's chromium, headless, driven by Playwright
(``executable_path``: Playwright never brings a browser of its own here).

- The compare page in en and ja at 1280 and 390 px: the redline starts on the first screen,
  its reasons sit beside it (wide) or under it (narrow), the editors' part is closed, and
  nothing is wider than the screen. Screenshots go to ``build/screenshots/`` for a person.
- axe-core (from the npm registry, pinned by ``tools/package-lock.json`` and installed by
  ``make setup`` into ``tools/node_modules``) finds no violation on any kind of page.
- Japanese headings and contents never leave one character alone on a line.
"""

from __future__ import annotations

import datetime as dt
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from policykit.commands.serve import make_server
from policykit.site.build import Options, build_site

from ..conftest import REPO

CHROMIUM = shutil.which("chromium")
AXE = REPO / "tools/node_modules/axe-core/axe.min.js"
SHOTS = REPO / "build" / "screenshots"
WIDTHS = {1280: 900, 390: 844}
COMPARE = "compare/1.1.0...2.0.0/"

pytestmark = [pytest.mark.browser, pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium "
                                                      "(system-packages.txt; `make setup` installs it)")]


@pytest.fixture(scope="module")
def site_url(released_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("browser") / "repo"
    shutil.copytree(released_template, root, symlinks=True)
    site = root / "build/site"
    # 2.0.0 is published and not yet in force: the home pages carry the notice, 404 its languages.
    build_site(root, Options(out=site, today=dt.date(2027, 2, 10), pdf=False, workers=0))
    server = make_server(site, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                     args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        try:
            yield launched
        finally:
            launched.close()


def _page(browser: Any, width: int) -> Any:
    page = browser.new_page(viewport={"width": width, "height": WIDTHS[width]})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.problems = problems
    return page


_LAYOUT = """() => {
  const top = el => el ? el.getBoundingClientRect().top + window.scrollY : null;
  const firstChange = document.querySelector('.red-block.changed, .red-block.added, .red-block.removed');
  const why = document.querySelector(".red-pair > .why");
  const block = why && why.parentElement.querySelector('.red-block');
  const details = document.querySelector('details.for-editors');
  return {
    redline: top(document.getElementById('_redline')),
    change: top(firstChange),
    scrollWidth: document.documentElement.scrollWidth,
    whyBeside: why && block ? why.getBoundingClientRect().left >= block.getBoundingClientRect().right - 1 : null,
    whyBelow: why && block ? why.getBoundingClientRect().top >= block.getBoundingClientRect().bottom - 1 : null,
    editorsOpen: details ? details.open : null,
    editorsTableShown: !!(details && details.querySelector('table') &&
                          details.querySelector('table').checkVisibility()),
    title: document.title,
  };
}"""


@pytest.mark.parametrize("locale", ["en", "ja"])
@pytest.mark.parametrize("width", [1280, 390])
def test_the_compare_page_reads_redline_first_at_desktop_and_phone_width(
        site_url: str, browser: Any, locale: str, width: int) -> None:
    page = _page(browser, width)
    page.goto(f"{site_url}{locale}/{COMPARE}")
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = SHOTS / f"compare-{locale}-{width}.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 5000
    layout = page.evaluate(_LAYOUT)
    height = WIDTHS[width]
    # The redline's first change is on the first screen (it was about 2,900 px down).
    assert layout["redline"] < height and layout["change"] < height * (1 if width > 1000 else 1.6), layout
    assert layout["scrollWidth"] <= width, layout  # no word, id or table wider than the screen
    assert layout["whyBeside"] is (width > 1000) and layout["whyBelow"] is (width < 1000), layout
    assert layout["editorsOpen"] is False and layout["editorsTableShown"] is False, layout
    assert "1.1.0" in layout["title"] and "2.0.0" in layout["title"]
    assert page.problems == []
    page.close()


PAGES = ["", "en/", "ja/", "zh-Hans/", "en/1.0.0/", "ja/versions/", "en/compare/", f"en/{COMPARE}", f"ja/{COMPARE}",
         "de/compare/1.0.0...1.1.0/", "en/missing-page/"]


def test_axe_finds_no_accessibility_violation(site_url: str, browser: Any) -> None:
    assert AXE.is_file(), "axe-core is installed by `make setup` (scripts/install-test-tools)"
    found = {}
    for path in PAGES:
        page = _page(browser, 1280)
        page.goto(site_url + path)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => { const r = await axe.run(document); return r.violations.map("
                               "v => [v.id, v.impact, v.nodes.length, v.nodes[0].target.join(' ')]); }")
        if result:
            found[path] = result
        page.close()
    assert found == {}


_LONELY = """(selector) => {
  // For each element: the number of characters on its last line, when it wraps.
  const out = [];
  for (const el of document.querySelectorAll(selector)) {
    const range = document.createRange();
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const tops = [];
    let node;
    while ((node = walker.nextNode())) {
      for (let i = 0; i < node.length; i++) {
        if (!node.data[i].trim()) continue;
        range.setStart(node, i); range.setEnd(node, i + 1);
        const rect = range.getBoundingClientRect();
        if (rect.width) tops.push(Math.round(rect.top));
      }
    }
    const lines = [...new Set(tops)];
    if (lines.length > 1) out.push([el.textContent.trim(), tops.filter(t => t === lines[lines.length - 1]).length]);
  }
  return out;
}"""


def test_japanese_headings_and_contents_leave_no_character_alone_on_a_line(site_url: str, browser: Any) -> None:
    page = _page(browser, 390)
    for path in ("ja/", f"ja/{COMPARE}", "ja/versions/"):
        page.goto(site_url + path)
        wrapped = page.evaluate(_LONELY, ".toc a, h1, h2, h3, .site-notice p")
        assert [w for w in wrapped if w[1] < 2] == [], (path, wrapped)
    page.close()
