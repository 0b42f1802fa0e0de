"""LocalisedPolicy → one self-contained HTML page (jinja2, autoescape on).

The page carries its stylesheet inline and loads nothing from elsewhere: no CDN,
no remote fonts, no scripts. Block text goes through :mod:`policykit.markdown`
(raw HTML off, only http(s)/mailto links). The PDF renderer uses the same
template with ``paged=True``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

from policykit import markdown
from policykit.localise import LocalisedPolicy, LocalisedSection, Text, content_key
from policykit.memo import LRU
from policykit.render import chrome
from policykit.templating import package_data, when_package_data_changes

if TYPE_CHECKING:
    from jinja2 import Template
    from markupsafe import Markup

TEMPLATE = "policy.html"
SECTION_TEMPLATE = "policy_section.html"  # one section of TEMPLATE
# Block Markdown headings nest under the page's h1 (title) and h2 (sections).
HEADING_OFFSET = 2


@dataclass(frozen=True)
class Alternate:
    """A link to the same page in another locale."""

    tag: str
    name: str  # the language's name in its own language (CLDR)
    href: str
    current: bool = False


@dataclass(frozen=True)
class Links:
    """Where the page links to besides itself; empty by default (a standalone page)."""

    languages: tuple[Alternate, ...] = ()
    pdf: str | None = None
    versions: str | None = None


def alternates(tags: Sequence[str], current: str, href: str = "../{tag}/index.html") -> tuple[Alternate, ...]:
    """Language links for a page in ``current``: each language named in itself (CLDR)."""
    return tuple(Alternate(tag, chrome.language_name(tag, tag), href.format(tag=tag), tag == current)
                 for tag in tags)


@package_data
def stylesheet(name: str) -> str:
    return resources.files("policykit.render").joinpath("static", name).read_text(encoding="utf-8")


@package_data
def _template() -> Template:
    """The page template, loaded once per process and shared by every locale: the locale's
    words are passed at render time (:func:`_gettext`)."""
    from policykit import templating

    return templating.environment("policykit.render", i18n=True, trim_blocks=False).get_template(TEMPLATE)


@package_data
def _section_template() -> Template:
    return _template().environment.get_template(SECTION_TEMPLATE)


@package_data
def _gettext(tag: str) -> dict[str, object]:
    """The chrome catalog of ``tag`` as the template's gettext functions."""
    from policykit import templating

    return templating.gettext_functions(chrome.translations(tag))


def _globals(localised: LocalisedPolicy) -> dict[str, object]:
    from markupsafe import Markup, escape

    from policykit.i18n.notice import ControllingNotice, notice_for

    page_lang = localised.locale
    page_dir = localised.direction

    def lang_attr(text: Text | ControllingNotice) -> Markup:
        """` lang=".."` (and `dir`) when a string (or the notice) is not in the page's language."""
        if text.lang == page_lang:
            return Markup("")
        attrs = f' lang="{escape(text.lang)}"'
        direction = chrome.text_direction(text.lang)
        if direction != page_dir:
            attrs += f' dir="{direction}"'
        return Markup(attrs)

    def time(date: dt.date) -> Markup:
        return Markup('<time datetime="{}">{}</time>').format(date.isoformat(),
                                                               chrome.format_date(date, page_lang))

    def render_markdown(text: str) -> Markup:
        # markdown.to_html escapes raw HTML and drops unsafe links: its output is safe.
        return Markup(markdown.to_html(text, heading_offset=HEADING_OFFSET))

    def language_name(lang: str) -> str:
        return chrome.language_name(lang, page_lang)

    def controlling_notice() -> ControllingNotice | None:  # issue #8: which language version prevails
        return notice_for(page_lang, localised.authoritative_locale)

    helpers = {"lang_attr": lang_attr, "markdown": render_markdown, "language_name": language_name,
               **_gettext(page_lang)}

    def section_html(section: LocalisedSection) -> Markup:
        return _section_html(section, page_lang, page_dir, helpers)

    return {**helpers, "time": time, "controlling_notice": controlling_notice, "section_html": section_html}


# Rendered sections by (the section's content as bytes, locale, direction): a site build renders
# every version in every locale, and consecutive versions share most sections. The key is the
# whole section (every field the fragment could read; localise.content_key), so a hit is the
# same input.
_SECTIONS: LRU[tuple[bytes, str, str], str] = LRU(4096)
when_package_data_changes(_SECTIONS.clear)  # made with the templates


def _section_html(section: LocalisedSection, lang: str, direction: str, helpers: dict[str, object]) -> Markup:
    from markupsafe import Markup

    key = (content_key(section), lang, direction)
    html = _SECTIONS.get(key)
    if html is None:
        html = "\n" + _section_template().render(s=section, **helpers).rstrip()
        _SECTIONS.put(key, html)
    return Markup(html)


def render_page(localised: LocalisedPolicy, *, paged: bool, css: str, links: Links) -> str:
    """The page for screen (``paged=False``) or for WeasyPrint (``paged=True``)."""
    from markupsafe import Markup

    # The stylesheet is ours, not user input; "</style" cannot occur in it (checked).
    if "</" in css:
        raise ValueError("a stylesheet must not contain '</'")
    return _template().render(p=localised, paged=paged, css=Markup(css), links=links, **_globals(localised))


def render_html(localised: LocalisedPolicy, *, links: Links = Links()) -> str:
    """The self-contained HTML page of ``localised``."""
    return render_page(localised, paged=False, css=stylesheet("policy.css"), links=links)
