"""sitemap.xml: every page once, alternates per locale, and any path or URL character escaped."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from policykit.site.sitemap import sitemap
from policykit.site.specs import SitePage

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def _spec(locales: tuple[str, ...], pages: tuple[str, ...], base: str = "https://p.example/a&b/") -> SitePage:
    return SitePage(name="sitemap", locale=None, records=(), document="privacy-policy", source_locale=locales[0],
                    locales=locales, base_url=base, today=dt.date(2027, 1, 1), here="sitemap.xml",
                    extra=(("pages", pages),))


def test_pages_and_their_alternates_read_back_exactly() -> None:
    hostile = 'x&y<z>"\'\n\t/index.html'
    pages = ("en/index.html", "ja/index.html", f"en/{hostile}", f"ja/{hostile}", "en/only/index.html")
    data = sitemap(_spec(("en", "ja"), pages))
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>\n<urlset ") and data.endswith(b"</urlset>\n")
    root = ET.fromstring(data)
    urls = {u.findtext("s:loc", "", namespaces=NS): u for u in root.findall("s:url", NS)}
    base = "https://p.example/a&b/"
    assert sorted(urls) == sorted([base, base + "en/", base + "ja/", base + "en/" + hostile.removesuffix("index.html"),
                                   base + "ja/" + hostile.removesuffix("index.html"), base + "en/only/"])
    links = urls[base + "ja/" + hostile.removesuffix("index.html")].findall("x:link", NS)
    assert [(link.get("hreflang"), link.get("href")) for link in links] == [
        ("en", base + "en/" + hostile.removesuffix("index.html")),
        ("ja", base + "ja/" + hostile.removesuffix("index.html")), ("x-default", base)]
    assert not urls[base + "en/only/"].findall("x:link", NS)  # a page in one locale has no alternates


def test_a_single_locale_site_declares_no_xhtml_namespace() -> None:
    data = sitemap(_spec(("en",), ("en/index.html", "en/1.0.0/index.html")))
    assert b"xmlns:xhtml" not in data and b"<xhtml:link" not in data
    assert len(ET.fromstring(data).findall("s:url", NS)) == 3
