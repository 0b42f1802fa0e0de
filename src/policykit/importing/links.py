"""Which links of an input survive the import, shared by every reader.

A policy block may link only to http(s) and mailto targets (DESIGN invariant 2):
a relative link, an in-page anchor (``#contact``) or a ``javascript:`` URL is not
carried over; its words stay, and the reader reports the link it dropped.
"""

from __future__ import annotations

from policykit.vocabulary import url_problem


def kept_link(target: str, base: str = "") -> tuple[str, str]:
    """``(href to keep or "", why it was dropped or "")`` for a link target found in an input.

    ``base`` is the page's own address (``<base href>`` of an HTML page), against which
    relative links are made absolute.
    """
    href = target.strip()
    if not href:
        return "", ""
    if href.startswith("#"):
        return "", ""  # a table of contents or a heading's own anchor: the sections are the policy's own now
    if base and "://" not in href and not href.lower().startswith("mailto:"):
        from urllib.parse import urljoin

        href = urljoin(base, href)
    problem = url_problem(href)
    if problem is None:
        return href, ""
    return "", f"link to {target[:80]!r} dropped, its words kept: {problem}"
