"""The words around the policy text ("Contents", "Last updated"…), dates and language names.

Chrome strings live in gettext catalogs, ``messages/<tag>.po``, read with Babel at
run time (no compiled ``.mo`` files in the repository). A locale without a catalog
falls back along the same chain as the policy text (``pt-BR → pt``), then to the
English message ids. Dates and language names come from CLDR via Babel — never a
hand-written format.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from policykit.errors import RenderError
from policykit.templating import package_data

if TYPE_CHECKING:
    from babel import Locale
    from babel.support import NullTranslations

MESSAGES = "messages"


def babel_locale(tag: str) -> Locale:
    """The Babel locale of a BCP 47 tag (``zh-Hans`` → ``zh_Hans``)."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(tag, sep="-")
    except (ValueError, UnknownLocaleError) as exc:
        raise RenderError(f"locale {tag!r} is not a BCP 47 tag Babel (CLDR) knows: {exc}") from None


def catalog_tags() -> list[str]:
    """The locales that have a chrome catalog, sorted."""
    folder = resources.files("policykit.render").joinpath(MESSAGES)
    return sorted(p.name.removesuffix(".po") for p in folder.iterdir() if p.name.endswith(".po"))


@package_data
def translations(tag: str) -> NullTranslations:
    """gettext translations for ``tag``, with ``pt-BR → pt`` fallbacks and English ids last."""
    from policykit import templating

    return templating.chained(templating.catalog_chain("policykit.render", MESSAGES, tag))


# Dates, language names and directions are looked up for every page, and a site build makes
# thousands of pages from a few dozen distinct (date, locale) and (language, locale) pairs;
# each CLDR lookup parses a Locale again. The answers are strings: remembering them is safe. With
# the renderers' section memos: a cold HTML build takes 4.75 CPU s without, 4.38 s with (docs/architecture.md).
@lru_cache(maxsize=4096)
def format_date(date: dt.date, tag: str) -> str:
    """A date as CLDR writes it in ``tag`` (``May 1, 2018``, ``2018年5月1日``, ``1. Mai 2018``)."""
    from babel.dates import format_date as babel_format_date

    return babel_format_date(date, format="long", locale=babel_locale(tag))


@lru_cache(maxsize=4096)
def language_name(lang: str, in_tag: str) -> str:
    """The name of language ``lang`` written in ``in_tag`` (``en`` in ``ja`` → 英語)."""
    name: str = babel_locale(lang).get_display_name(babel_locale(in_tag)) or lang
    return name


@lru_cache(maxsize=1024)
def text_direction(tag: str) -> str:
    return "rtl" if babel_locale(tag).text_direction == "rtl" else "ltr"
