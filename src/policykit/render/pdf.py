"""LocalisedPolicy → PDF bytes with WeasyPrint: the only module that imports it.

The PDF is the HTML page (same template, ``paged=True``) with the paged-media
stylesheet: A4, running header, page numbers, a table of contents with page
numbers, bookmarks from the headings, title/language/author metadata, fonts
embedded (WeasyPrint subsets and embeds every font it uses). It is tagged
(PDF/UA-1 as far as WeasyPrint implements it).

Nothing is fetched while rendering (the page is self-contained and the URL fetcher
refuses everything), and no wall-clock time is written: the same input gives the
same bytes. WeasyPrint is imported on the first call, never at start-up; a worker
process that renders many PDFs pays the import once.
"""

from __future__ import annotations

import logging
from typing import Any, NoReturn

from policykit.localise import LocalisedPolicy
from policykit.render.fonts import check_fonts
from policykit.render.html import Links, render_page, stylesheet

# pdf/ua-1 implies tagging (pdf_tags) and PDF 1.7; "None" gives an untagged PDF.
DEFAULT_VARIANT = "pdf/ua-1"
LOG = logging.getLogger(__name__)


def _refuse(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    # A policy page needs nothing from outside; fetching would make builds depend on the network.
    raise ValueError(f"policyctl does not fetch {url!r} while rendering a PDF")


def pdf_html(localised: LocalisedPolicy) -> str:
    """The page WeasyPrint lays out for ``localised`` (what benchmarks compare against)."""
    css = stylesheet("policy.css") + "\n" + stylesheet("pdf.css")
    return render_page(localised, paged=True, css=css, links=Links())


def render_pdf(localised: LocalisedPolicy, *, variant: str | None = DEFAULT_VARIANT) -> bytes:
    """The PDF of ``localised``.

    Raises :class:`~policykit.errors.RenderError` when a character of the page has
    no glyph in any installed font (naming the locale, the characters and the fix).
    """
    page = pdf_html(localised)
    check_fonts(page, localised.locale)
    return write_pdf(page, variant=variant)


def write_pdf(page: str, *, variant: str | None = DEFAULT_VARIANT) -> bytes:
    """Lay out an HTML page with WeasyPrint (no fetching, no font check)."""
    from weasyprint import HTML

    _quiet_css_warnings()
    document = HTML(string=page, url_fetcher=_refuse, base_url="about:blank")
    pdf: bytes = document.write_pdf(pdf_variant=variant)
    return pdf


def _quiet_css_warnings() -> None:
    # policy.css also serves browsers: WeasyPrint logs each property it does not know
    # (text-size-adjust, …) and the small-screen @media rule (it knows media types only)
    # as warnings on every render, for whoever configures logging. Those are expected.
    logger = logging.getLogger("weasyprint")
    if not any(isinstance(f, _IgnoredCss) for f in logger.filters):
        logger.addFilter(_IgnoredCss())


class _IgnoredCss(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(
            ("Ignored `", "Unsupported", "Expected a media type", "Invalid media type"))
