"""The controlling-language notice on rendered pages (HTML and PDF), in the page's language."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from i18n_helpers import load

from policykit.i18n.notice import controlling_notice
from policykit.localise import localise
from policykit.render.html import Links, alternates, render_html


def test_every_translated_html_page_says_the_english_version_prevails_and_links_it(project: Path) -> None:
    policy = load(project)
    for tag in ("ja", "de", "zh-Hans"):
        html = render_html(localise(policy, tag), links=Links(languages=alternates(policy.all_locales, tag)))
        notice = controlling_notice(policy, tag)
        assert notice is not None and notice.lang == tag
        assert (f'<p class="controlling-language" role="note">{notice.text} '
                '<a href="../en/index.html" hreflang="en" lang="en">English</a></p>') in html


def test_the_authoritative_page_has_no_notice(project: Path) -> None:
    policy = load(project)
    assert "controlling-language" not in render_html(localise(policy, "en"))


def test_a_page_without_language_links_links_the_site(project: Path) -> None:
    html = render_html(localise(load(project), "de"))
    assert 'maßgeblich. <a href="https://privacy.example.com/" hreflang="en">' in html


def test_the_authoritative_locale_is_taken_from_policy_yaml(project: Path) -> None:
    path = project / "policy/policy.yaml"
    path.write_text(path.read_text("utf-8").replace("authoritative_locale: en", "authoritative_locale: ja"), "utf-8")
    policy = load(project)
    assert "controlling-language" not in render_html(localise(policy, "ja"))
    de = render_html(localise(policy, "de"), links=Links(languages=alternates(policy.all_locales, "de")))
    assert "ist die Fassung auf Japanisch maßgeblich. <a href=\"../ja/index.html\" hreflang=\"ja\"" in de
    en = render_html(localise(policy, "en"))
    assert "the Japanese version prevails" in en


@pytest.mark.slow
def test_the_pdf_carries_the_notice_in_its_language(project: Path) -> None:
    from pypdf import PdfReader

    from policykit.render.formats import FORMATS

    policy = load(project)
    pdf = FORMATS["pdf"].render(localise(policy, "ja"), links=Links())
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    notice = controlling_notice(policy, "ja")
    assert notice is not None
    assert re.sub(r"\s+", "", notice.text) in re.sub(r"\s+", "", text)
