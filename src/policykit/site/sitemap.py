"""``sitemap.xml`` (sitemaps.org 0.9) with ``hreflang`` alternates (``xhtml:link``).

Every HTML page is listed with its absolute URL; a page that exists in several
locales (the same path after the locale folder) lists each of them as an
alternate, itself included, as search engines ask. Needs the site's base URL.
"""

from __future__ import annotations

import io
from collections import defaultdict

from policykit.site.plan import SitePage, absolute

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"


def _pretty(path: str) -> str:
    return path.removesuffix("index.html")


def sitemap(spec: SitePage) -> bytes:
    import xml.etree.ElementTree as ET

    pages: tuple[str, ...] = dict(spec.extra)["pages"]
    locales = set(spec.locales)
    groups: dict[str, dict[str, str]] = defaultdict(dict)  # the path after the locale -> locale -> page
    for path in pages:
        head, _, rest = path.partition("/")
        if head in locales:
            groups[rest][head] = path
    ET.register_namespace("", SITEMAP)
    ET.register_namespace("xhtml", XHTML)
    urlset = ET.Element(f"{{{SITEMAP}}}urlset")
    for path in ["index.html", *sorted(pages)]:
        url = ET.SubElement(urlset, f"{{{SITEMAP}}}url")
        ET.SubElement(url, f"{{{SITEMAP}}}loc").text = absolute(spec.base_url, _pretty(path))
        head, _, rest = path.partition("/")
        same = groups.get(rest, {}) if head in locales else {}
        if len(same) > 1:
            for tag, other in sorted(same.items()):
                ET.SubElement(url, f"{{{XHTML}}}link", rel="alternate", hreflang=tag,
                              href=absolute(spec.base_url, _pretty(other)) or "")
            ET.SubElement(url, f"{{{XHTML}}}link", rel="alternate", hreflang="x-default",
                          href=absolute(spec.base_url, "") or "")
    buffer = io.BytesIO()
    ET.ElementTree(urlset).write(buffer, encoding="utf-8", xml_declaration=True)
    return buffer.getvalue() + b"\n"
