"""CJK and locale polish: dates without spaces around them, fallback text marked with its
language, a 404 page in every language, and the version in every page's <title>."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from policykit.site.build import Options, build_site

from .conftest import parse_page


def _site(released: Path) -> Path:
    site = released / "build/site"
    build_site(released, Options(out=site, today=dt.date(2027, 2, 10), pdf=False, workers=0))
    return site


def test_cjk_banners_put_no_space_around_dates(released: Path) -> None:
    site = _site(released)
    ja = (site / "ja/index.html").read_text("utf-8")
    assert re.search(r'このポリシーは<time datetime="2027-03-01">2027年3月1日</time>に変更されます', ja)
    zh = (site / "zh-Hans/index.html").read_text("utf-8")
    assert re.search(r'本政策将于<time datetime="2027-03-01">2027年3月1日</time>变更', zh)
    for page in (site / "ja/versions/index.html", site / "zh-Hans/versions/index.html"):
        text = page.read_text("utf-8")
        assert not re.search(r"[\u3040-\u9fff] <time|</time> [\u3040-\u9fff]", text), page


def test_fallback_text_in_zh_hans_is_marked_as_english(released: Path) -> None:
    site = _site(released)
    home = (site / "zh-Hans/index.html").read_text("utf-8")
    toc = home[home.index('<nav class="toc"'):home.index("</nav>", home.index('<nav class="toc"'))]
    english = re.findall(r'<span lang="en">([^<]+)</span>', toc)
    assert english and all(re.fullmatch(r"[A-Za-z ,'()-]+", t) for t in english)
    assert not re.search(r'<a href="#[^"]+">[A-Za-z][A-Za-z ]+</a>', toc)  # no English title left unmarked
    compare = (site / "zh-Hans/compare/1.1.0...2.0.0/index.html").read_text("utf-8")
    for title in re.findall(r"<h3([^>]*)>([^<]+)</h3>", compare):
        if re.fullmatch(r"[A-Za-z ,'()-]+", title[1]):
            assert 'lang="en"' in title[0], title


def test_the_404_page_speaks_every_language(released: Path) -> None:
    site = _site(released)
    page = (site / "404.html").read_text("utf-8")
    for tag, words in (("en", "Page not found"), ("ja", "ページが見つかりません"), ("de", "Seite nicht gefunden"),
                       ("zh-Hans", "未找到页面")):
        assert re.search(rf'<li lang="{tag}"><p>[^<]+</p>', page), tag
        assert words in page, tag
    assert 'href="https://privacy.example.com/ja/"' in page  # absolute: served at any depth


def test_every_policy_page_title_names_its_version(released: Path) -> None:
    site = _site(released)
    for path, version in (("en/1.0.0/index.html", "Version 1.0.0"), ("ja/2.0.0/index.html", "バージョン 2.0.0"),
                          ("en/index.html", "Version 1.1.0"), ("de/1.1.0/index.html", "Fassung 1.1.0")):
        title = re.search(r"<title>([^<]+)</title>", (site / path).read_text("utf-8"))
        assert title and title.group(1).endswith(version), (path, title and title.group(1))
    assert "_main" in parse_page(site / "en/1.0.0/index.html").ids
