"""Right-to-left pages: the controlling-language notice and its URL keep their left-to-right order."""

from __future__ import annotations

import re
from pathlib import Path

from policykit.load.project import load_policy
from policykit.localise import localise
from policykit.render.html import render_html
from policykit.render.pdf import pdf_html


def _notice(html: str) -> str:
    found = re.search(r'<p class="controlling-language".*?</p>', html, re.S)
    assert found, "no controlling-language notice on the page"
    return found.group(0)


def test_the_notice_url_is_isolated_left_to_right_on_an_rtl_page(rtl_project: Path) -> None:
    policy = load_policy(rtl_project)
    assert policy.base_url
    ar = localise(policy, "ar")
    assert ar.direction == "rtl"
    for page in (render_html(ar), pdf_html(ar)):  # the screen page and the PDF's
        assert '<html lang="ar" dir="rtl">' in page
        notice = _notice(page)
        # No Arabic sentence yet: the English one is marked as such, and set left to right.
        assert notice.startswith('<p class="controlling-language" role="note" lang="en" dir="ltr">This is')
        link = re.search(r'<a href="([^"]*)"[^>]*><bdi dir="ltr">([^<]*)</bdi></a>', notice)
        assert link, notice
        assert link.group(1) == link.group(2) == policy.base_url
