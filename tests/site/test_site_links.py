"""What a policy page of the site links to: one way to every version, not two."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from policykit.site.build import Options, build_site

from .conftest import parse_page, resolve


def test_a_policy_page_links_the_version_list_once(released: Path) -> None:
    build_site(released, Options(out=released / "build/site", today=dt.date(2027, 2, 10), pdf=False, workers=0))
    site = released / "build/site"
    for page in ("en/index.html", "en/1.0.0/index.html", "ja/2.0.0/index.html"):
        hrefs = parse_page(site / page).links
        to_versions = [h for h in hrefs if (found := resolve(site, page, h)) is not None
                       and found[0] == site / page.split("/")[0] / "versions/index.html"]
        assert len(to_versions) == 1, (page, to_versions)
        html = (site / page).read_text("utf-8")
        assert "Previous versions" not in html
        assert 'class="site-nav"' in html
