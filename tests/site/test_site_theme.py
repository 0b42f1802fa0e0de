"""Theming as MkDocs' custom_dir: a project folder overrides templates and the stylesheet, and a
logo is inlined on every page; bad settings are located errors; no site.yaml, the shipped theme."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from policykit.errors import InvalidPolicy
from policykit.site.build import Options, build_site

from .conftest import parse_page

LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20"/></svg>'


def build(root: Path) -> Path:
    site = root / "build/site"
    build_site(root, Options(out=site, today=dt.date(2027, 2, 10), pdf=False, workers=0))
    return site


def test_custom_dir_overrides_templates_and_stylesheet_and_the_logo_shows_everywhere(released: Path) -> None:
    (released / "brand").mkdir()
    (released / "brand/logo.svg").write_text(LOGO, "utf-8")
    # An override replaces the shipped template of the same name, as in MkDocs; the others stay.
    (released / "brand/nav.html").write_text(
        '<nav class="site-nav" aria-label="Site"><a href="{{ rel(locale ~ \'/\') }}">Home</a></nav>'
        '<p class="brand-nav">Example Corp</p>\n', "utf-8")
    (released / "brand/extra.css").write_text(".brand-nav { color: #c00; }\n", "utf-8")
    (released / "site.yaml").write_text("theme:\n  custom_dir: brand\n  logo: brand/logo.svg\n"
                                        "  logo_alt: Example Corp\n", "utf-8")
    site = build(released)
    for page in ("en/index.html", "ja/1.0.0/index.html", "en/versions/index.html",
                 "ja/compare/1.1.0...2.0.0/index.html", "index.html"):
        html = (site / page).read_text("utf-8")
        assert 'class="site-logo" src="data:image/svg+xml;base64,' in html and 'alt="Example Corp"' in html, page
        assert ".brand-nav { color: #c00; }" in html, page
    for page in ("en/index.html", "en/versions/index.html", "ja/compare/1.1.0...2.0.0/index.html"):
        assert '<p class="brand-nav">Example Corp</p>' in (site / page).read_text("utf-8"), page
    assert "_main" in parse_page(site / "en/index.html").ids

    # Editing a theme file re-renders the pages that show it.
    (released / "brand/extra.css").write_text(".brand-nav { color: #00c; }\n", "utf-8")
    site = build(released)
    assert ".brand-nav { color: #00c; }" in (site / "en/versions/index.html").read_text("utf-8")


def test_without_site_yaml_the_shipped_theme_is_used(released: Path) -> None:
    site = build(released)
    html = (site / "en/index.html").read_text("utf-8")
    assert "site-logo" not in html.split("</style>")[-1] and "brand-nav" not in html


@pytest.mark.parametrize(("text", "message"), [
    ("theme:\n  custom_dir: brand\n  colour: red\n", "site.yaml:3:3: error: unknown key 'colour' in theme"),
    ("theme:\n  custom_dir: nowhere\n", "site.yaml:2:15: error: custom_dir nowhere: no such folder"),
    ("theme:\n  logo: brand/logo.gif\n", "site.yaml:2:9: error: logo brand/logo.gif: not an image"),
    ("theme:\n  logo: ../outside.svg\n", "site.yaml:2:9: error: logo must be a path inside the project"),
])
def test_bad_theme_settings_are_located_errors_and_the_site_is_kept(released: Path, text: str, message: str) -> None:
    site = build(released)
    before = (site / "en/index.html").read_bytes()
    (released / "brand").mkdir()
    (released / "site.yaml").write_text(text, "utf-8")
    with pytest.raises(InvalidPolicy) as caught:
        build(released)
    assert any(str(d).startswith(message) for d in caught.value.diagnostics), [str(d) for d in caught.value.diagnostics]
    assert (site / "en/index.html").read_bytes() == before
