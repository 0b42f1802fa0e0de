"""The whole site from a real git repository with three releases (see conftest.py)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from policykit.errors import InvalidPolicy
from policykit.site.build import Options, SiteReport, build_site

from ..conftest import REPO
from .conftest import DRAFT_TEXT, FIXED_EN, NEW_RETENTION, NEW_RETENTION_JA, TYPO_EN, crawl, parse_page

BEFORE_EFFECTIVE = dt.date(2027, 2, 10)  # 2.0.0 published 2027-02-01, effective 2027-03-01
ATOM = "{http://www.w3.org/2005/Atom}"
SCHEMAS = REPO / "src/policykit/schemas"


def build(root: Path, today: dt.date = BEFORE_EFFECTIVE, **kw: object) -> SiteReport:
    options = Options(out=root / "build/site", today=today, pdf=bool(kw.pop("pdf", False)),
                      workers=kw.pop("workers", 0), **kw)  # type: ignore[arg-type]
    return build_site(root, options)


def text(path: Path) -> str:
    return path.read_text("utf-8")


def test_every_expected_page_exists(released: Path) -> None:
    report = build(released)
    site = released / "build/site"
    assert report.versions == ("1.0.0", "1.1.0", "2.0.0")
    for locale in ("en", "ja", "de", "zh-Hans"):
        for page in ("index.html", "current.json", "changes.atom", "versions/index.html", "compare/index.html",
                     "privacy-policy.json", "1.0.0/index.html", "1.1.0/index.html", "2.0.0/index.html",
                     "2.0.0/privacy-policy.json", "compare/1.0.0...1.1.0/index.html",
                     "compare/1.1.0...2.0.0/index.html"):
            assert (site / locale / page).is_file(), f"{locale}/{page}"
    for page in ("index.html", "404.html", "versions.json", "sitemap.xml", ".policyctl-build"):
        assert (site / page).is_file(), page
    assert not (site / "en/draft").exists()  # releases exist: the work tree is not published


def test_no_internal_link_or_fragment_is_broken(released: Path) -> None:
    build(released, draft=True)
    site = released / "build/site"
    broken = list(crawl(site))
    broken += [b for page in ("404.html", "en/compare/index.html") for b in crawl(site, page)]
    assert broken == []
    # and the crawl reached the deep pages
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    assert "ja/compare/1.1.0...2.0.0/index.html" in pages and "de/draft/index.html" in pages


def test_language_chooser_names_each_language_in_itself_without_javascript(released: Path) -> None:
    build(released)
    page = text(released / "build/site/index.html")
    for name in ("English", "日本語", "Deutsch", "中文"):
        assert name in page
    assert "<script" not in page
    assert 'hreflang="ja"' in page and 'href="ja/"' in page


def test_upcoming_notice_shows_exactly_while_the_effective_date_is_in_the_future(released: Path) -> None:
    site = released / "build/site"
    build(released, today=dt.date(2027, 2, 28))
    en, ja = text(site / "en/index.html"), text(site / "ja/index.html")
    assert "This policy changes on" in en and "compare/1.1.0...2.0.0/" in en
    assert "2027年3月1日" in ja and "に変更されます" in ja
    assert 'id="_upcoming"' in en and FIXED_EN in en  # the page still shows the version in force

    build(released, today=dt.date(2027, 3, 1))
    en = text(site / "en/index.html")
    assert 'id="_upcoming"' not in en and NEW_RETENTION in en

    build(released, today=dt.date(2026, 1, 1))  # 2.0.0 not even published yet
    en = text(site / "en/index.html")
    assert 'id="_upcoming"' not in en and not (site / "en/2.0.0").exists()


def test_old_versions_render_their_own_text_not_todays_files(released: Path) -> None:
    build(released, draft=True)
    site = released / "build/site"
    assert TYPO_EN in text(site / "en/1.0.0/index.html")
    assert FIXED_EN in text(site / "en/1.1.0/index.html") and TYPO_EN not in text(site / "en/1.1.0/index.html")
    assert NEW_RETENTION_JA in text(site / "ja/2.0.0/index.html")
    for page in site.glob("*/[0-9]*/index.html"):
        assert DRAFT_TEXT not in text(page), page
    assert DRAFT_TEXT in text(site / "en/draft/index.html")


def test_versions_json_and_current_json_follow_their_schemas(released: Path) -> None:
    import jsonschema

    build(released)
    site = released / "build/site"
    versions = json.loads(text(site / "versions.json"))
    jsonschema.validate(versions, json.loads(text(SCHEMAS / "versions.schema.json")),
                        format_checker=jsonschema.FormatChecker())
    assert [v["version"] for v in versions["versions"]] == ["1.0.0", "1.1.0", "2.0.0"]
    assert (versions["in_force"], versions["upcoming"]) == ("1.1.0", "2.0.0")
    assert [v["status"] for v in versions["versions"]] == ["superseded", "in-force", "upcoming"]
    for locale in ("en", "ja", "de", "zh-Hans"):
        current = json.loads(text(site / locale / "current.json"))
        jsonschema.validate(current, json.loads(text(SCHEMAS / "current.schema.json")),
                            format_checker=jsonschema.FormatChecker())
        assert current["in_force"]["version"] == "1.1.0" and current["upcoming"]["version"] == "2.0.0"
        # 2.0.0 adds a purpose (rule purpose.added: consent) → notify and re-prompt
        assert current["notify"] is True and current["consent"] is True


def test_a_typo_fix_never_asks_for_consent(released: Path) -> None:
    build(released, today=dt.date(2020, 1, 1))  # 1.1.0 (editorial) in force, nothing upcoming
    current = json.loads(text(released / "build/site/en/current.json"))
    assert current["in_force"]["level"] == "editorial" and current["in_force"]["consent"] is False
    assert current["upcoming"] is None and current["notify"] is False and current["consent"] is False


def test_the_feed_is_atom_with_significant_releases_marked(released: Path) -> None:
    build(released)
    feed = ET.parse(released / "build/site/en/changes.atom").getroot()
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 3
    ids = set()
    for entry in entries:
        for required in ("id", "title", "updated", "link", "summary"):
            assert entry.find(f"{ATOM}{required}") is not None, required
        updated = entry.findtext(f"{ATOM}updated") or ""
        dt.datetime.fromisoformat(updated.replace("Z", "+00:00"))  # RFC 3339
        ids.add(entry.findtext(f"{ATOM}id"))
    assert len(ids) == 3
    newest = entries[0]
    assert newest.find(f"{ATOM}category").get("term") == "significant"  # type: ignore[union-attr]
    assert "Significant change" in (newest.findtext(f"{ATOM}title") or "")
    assert entries[1].find(f"{ATOM}category").get("term") == "editorial"  # type: ignore[union-attr]


def test_sitemap_lists_pages_with_hreflang_and_pages_have_canonical_links(released: Path) -> None:
    build(released)
    site = released / "build/site"
    root = ET.parse(site / "sitemap.xml").getroot()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    urls = {u.findtext("s:loc", namespaces=ns): u for u in root.findall("s:url", ns)}
    assert "https://privacy.example.com/ja/1.1.0/" in urls
    langs = {link.get("hreflang") for link in urls["https://privacy.example.com/ja/1.1.0/"].findall("x:link", ns)}
    assert {"en", "ja", "de", "zh-Hans", "x-default"} <= langs
    for loc in urls:
        assert loc and loc.startswith("https://privacy.example.com/")
    assert '<link rel="canonical" href="https://privacy.example.com/ja/1.1.0/">' in text(site / "ja/1.1.0/index.html")
    assert '<link rel="canonical" href="https://privacy.example.com/ja/">' in text(site / "ja/index.html")


def test_compare_page_shows_classification_and_redline(released: Path) -> None:
    build(released)
    page = text(released / "build/site/en/compare/1.1.0...2.0.0/index.html")
    assert "purpose.added" in page and "A new purpose of processing" in page
    assert "<ins>" in page and "<del>" in page and "Some of these changes need your fresh consent" in page
    form = text(released / "build/site/en/compare/index.html")
    assert 'name="from"' in form and "1.1.0...2.0.0/" in form


def test_no_op_rebuild_renders_nothing_and_imports_no_renderer(released: Path) -> None:
    build(released)
    site = released / "build/site"
    before = {p: p.stat().st_ino for p in site.rglob("*") if p.is_file()}
    script = (
        "import sys, datetime as dt\n"
        "from pathlib import Path\n"
        "from policykit.site.build import Options, build_site\n"
        f"r = build_site(Path({str(released)!r}), Options(out=Path({str(site)!r}), today=dt.date(2027, 2, 10),"
        " pdf=False, workers=0))\n"
        "heavy = [m for m in ('jinja2', 'weasyprint', 'policykit.render.html', 'policykit.localise', 'rich', 'git',"
        " 'babel.dates') if m in sys.modules]\n"
        "print(r.noop, r.rendered, heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(REPO / "src")}).stdout
    assert out.strip() == "True 0 []"
    assert {p: p.stat().st_ino for p in site.rglob("*") if p.is_file()} == before  # not even re-linked


def test_changing_one_translated_block_rerenders_only_that_locales_draft_pages(released: Path) -> None:
    build(released, draft=True)
    ja = released / "locales/ja/security.yaml"
    ja.write_text(text(ja).replace("当社は、お客様の個人情報のセキュリティを重視しています。",
                                   "当社は、お客様の個人情報の安全を重視しています。"), "utf-8")
    report = build(released, draft=True)
    # The pages that contain the block: the ja draft (HTML, JSON) and the redlines that end at the
    # draft in ja (from 2.0.0, its neighbour, and from 1.1.0, the version in force).
    # Not en, de or zh-Hans; not a release; not the ja home page (1.1.0 is in force).
    assert report.made == ("ja/compare/1.1.0...draft/index.html", "ja/compare/2.0.0...draft/index.html",
                           "ja/draft/index.html", "ja/draft/privacy-policy.json")
    assert "個人情報の安全を重視" in text(released / "build/site/ja/draft/index.html")
    assert "個人情報の安全を重視" not in text(released / "build/site/ja/1.1.0/index.html")


def test_a_failed_build_leaves_the_previous_site_untouched(released: Path) -> None:
    build(released, draft=True)
    site = released / "build/site"
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    broken = released / "policy/sections/security.yaml"
    broken.write_text(text(broken).replace("id: retention\n", "id: Retention!\n", 1), "utf-8")
    with pytest.raises(InvalidPolicy):
        build(released, draft=True)
    assert {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    assert not [p for p in site.parent.iterdir() if p.name.startswith(".site-")]  # no staging left behind


def test_two_builds_of_the_same_inputs_are_byte_identical(released: Path, tmp_path: Path) -> None:
    # One renders in this process, the other in two workers started before it plans (the path
    # a first build takes): neither the order of work nor the planning shortcut shows.
    a = build_site(released, Options(out=tmp_path / "a/site", today=BEFORE_EFFECTIVE, pdf=False, workers=0,
                                     cache_dir=tmp_path / "a/cache"))
    b = build_site(released, Options(out=tmp_path / "b/site", today=BEFORE_EFFECTIVE, pdf=False, workers=2,
                                     cache_dir=tmp_path / "b/cache"))
    files_a = {p.relative_to(a.out): p.read_bytes() for p in a.out.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b.out): p.read_bytes() for p in b.out.rglob("*") if p.is_file()}
    assert files_a.keys() == files_b.keys() and files_a == files_b


def test_build_command_without_flags_builds_the_site(released: Path) -> None:
    run = subprocess.run([sys.executable, str(REPO / "policyctl.py"), "-C", str(released), "build", "--today",
                          "2027-02-10"], capture_output=True, text=True, env={**os.environ, "CI": "1"})
    assert run.returncode == 0, run.stderr
    assert "built the site" in run.stderr
    # No terminal (CI=1, output to a pipe): one plain line per stage, with its counts and time.
    stages = [line.split(":", 1)[0] for line in run.stderr.splitlines()
              if re.fullmatch(r"(versions|plan|render|publish): .+ \(\d+\.\d s\)", line)]
    assert stages == ["versions", "plan", "render", "publish"], run.stderr
    assert re.search(r"^plan: \d+ files, \d+ to render \(.*\d+ redline PDFs\)", run.stderr, re.M), run.stderr
    assert "\x1b[" not in run.stderr  # no terminal control codes in a log
    assert (released / "build/site/en/2.0.0/privacy-policy.pdf").read_bytes().startswith(b"%PDF")
    bad = subprocess.run([sys.executable, str(REPO / "policyctl.py"), "-C", str(released), "build", "--today",
                          "next week"], capture_output=True, text=True)
    assert bad.returncode == 2 and "--today next week: not a date" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_pages_say_what_version_they_are(released: Path) -> None:
    build(released)
    old = parse_page(released / "build/site/en/1.0.0/index.html")
    assert "_main" in old.ids
    page = text(released / "build/site/en/1.0.0/index.html")
    assert "it is no longer in force" in page and "Version 1.0.0" in page
    upcoming = text(released / "build/site/ja/2.0.0/index.html")
    assert "このバージョンは" in upcoming  # takes effect on …


def test_a_release_whose_commit_is_gone_is_a_clear_error(released: Path) -> None:

    import dataclasses

    from policykit.changelog import dump_entry, read_entries
    from policykit.errors import InvalidPolicy

    [entry] = [e for e in read_entries(released) if e.version == "1.1.0"]
    (released / entry.file).write_text(dump_entry(dataclasses.replace(entry, commit="ba" * 20)), "utf-8")
    with pytest.raises(InvalidPolicy, match=f"release 1.1.0 names commit {'ba' * 6}, which is not in this"):
        build(released)
    assert not (released / "build/site").exists()


def test_every_page_carries_each_stylesheet_once(released: Path) -> None:
    from policykit.render.html import stylesheet
    from policykit.site.pages import site_css

    build(released)
    policy_rules, site_rules = stylesheet("policy.css"), site_css()
    for path in ("en/1.0.0/index.html", "ja/index.html", "en/compare/1.0.0...1.1.0/index.html",
                 "en/versions/index.html"):
        page = text(released / "build/site" / path)
        assert page.count(policy_rules) == 1 and page.count(site_rules) == 1, path
