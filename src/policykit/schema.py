"""The keys each kind of file may hold, their types, and their canonical order.

The loader checks against these; ``fmt`` sorts keys into this order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Key:
    type: type | tuple[type, ...]
    required: bool = False
    type_name: str = ""


TEXT = Key(str, type_name="text")
LIST = Key(list, type_name="a list")
MAP = Key(dict, type_name="a mapping")

POLICY: dict[str, Key] = {
    "document": Key(str, True, "an id"),
    "title": Key(str, True, "text"),
    "source_locale": Key(str, True, "a locale tag"),
    "authoritative_locale": Key(str, False, "a locale tag"),
    "locales": Key(list, True, "a list of locale tags"),
    "fallback_locales": Key(list, False, "a list of locale tags"),
    "jurisdictions": Key(list, False, "a list of jurisdiction ids"),
    "base_url": Key(str, False, "a URL"),
    "notice_period": Key(str, True, "an ISO 8601 duration"),
    "last_updated": Key(dt.date, False, "a date (YYYY-MM-DD)"),
    "controller": Key(dict, True, "a mapping"),
    "waivers": LIST,
    "unplaced_facts": Key(str, False, "`end-of-section` or `error`"),
    "sections": Key(list, True, "a list of section ids"),
}
CONTROLLER: dict[str, Key] = {
    "name": Key(str, True, "text"),
    "country": Key(str, False, "an ISO 3166-1 alpha-2 code"),
    "address": TEXT,
    "representative": TEXT,
}
WAIVER: dict[str, Key] = {
    "requirement": Key(str, True, "a requirement id"),
    "reason": Key(str, True, "text"),
}
SECTION: dict[str, Key] = {
    "id": Key(str, True, "an id"),
    "title": Key(str, True, "text"),
    "blocks": Key(list, True, "a list of blocks"),
    "facts": MAP,
}
BLOCK: dict[str, Key] = {
    "id": Key(str, True, "an id"),
    "text": TEXT,
    "list": Key(str, False, "a fact kind"),
    "items": Key(list, False, "a list of fact ids"),
    "states": Key(list, False, "a list of facts (facts.<kind>.<id>)"),
    "satisfies": Key(list, False, "a list of requirement ids"),
}
FACT_ITEM_BASE: dict[str, Key] = {
    "id": Key(str, True, "an id"),
    "label": Key(str, True, "text"),
}
TRANSLATED: dict[str, Key] = {
    "text": Key(str, True, "text"),
    "source_hash": Key(str, True, "a 12-digit hex hash"),
}
TRANSLATED_LABEL: dict[str, Key] = {
    "label": Key(str, True, "text"),
    "source_hash": Key(str, True, "a 12-digit hex hash"),
}
LOCALE_POLICY: dict[str, Key] = {
    "locale": Key(str, True, "a locale tag"),
    "title": MAP,
    "controller_name": MAP,
    "controller_representative": MAP,
}
LOCALE_VOCABULARY: dict[str, Key] = {
    "locale": Key(str, True, "a locale tag"),
    "terms": MAP,
}
LOCALE_SECTION: dict[str, Key] = {
    "section": Key(str, True, "a section id"),
    "title": MAP,
    "blocks": MAP,
    "facts": MAP,
}
