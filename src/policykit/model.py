"""The typed policy model: what the loader builds and every later stage reads.

Frozen dataclasses, no raw dicts past the loader. Every node keeps the
``Pos`` it was read from; positions do not take part in equality, so the same
policy read from the work tree and from a git commit compares equal.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from policykit.diagnostics import Pos

NOWHERE = Pos("")


def source_hash(text: str) -> str:
    """The hash a translation records of the source text it was made from."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class FactItem:
    kind: str
    id: str
    label: str
    attrs: dict[str, Any] = field(default_factory=dict)
    section: str = ""
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)
    attr_pos: dict[str, Pos] = field(default_factory=dict, compare=False, repr=False)

    @property
    def path(self) -> str:
        """Stable address used by diffs, evidence and translations: ``facts.<kind>.<id>``."""
        return f"facts.{self.kind}.{self.id}"

    def where(self, attr: str) -> Pos:
        return self.attr_pos.get(attr, self.pos)


@dataclass(frozen=True)
class Block:
    id: str
    text: str | None = None
    list: str | None = None  # a fact kind of the same section, published as a table
    items: tuple[str, ...] = ()  # with ``list``: the ids it shows, in order (empty: all of the kind)
    states: tuple[str, ...] = ()  # with ``text``: the facts the text states (``facts.<kind>.<id>``)
    satisfies: tuple[str, ...] = ()
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)
    text_pos: Pos = field(default=NOWHERE, compare=False, repr=False)
    items_pos: tuple[Pos, ...] = field(default=(), compare=False, repr=False)
    states_pos: tuple[Pos, ...] = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    blocks: tuple[Block, ...] = ()
    facts: dict[str, tuple[FactItem, ...]] = field(default_factory=dict)
    file: str = field(default="", compare=False, repr=False)
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)
    title_pos: Pos = field(default=NOWHERE, compare=False, repr=False)

    def block(self, block_id: str) -> Block | None:
        return next((b for b in self.blocks if b.id == block_id), None)


@dataclass(frozen=True)
class Controller:
    name: str
    country: str | None = None
    address: str | None = None
    representative: str | None = None


@dataclass(frozen=True)
class Waiver:
    requirement: str
    reason: str
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Translated:
    """One translated string and the hash of the source text it was made from."""

    text: str
    source_hash: str
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class SectionTranslation:
    section: str
    title: Translated | None = None
    blocks: dict[str, Translated] = field(default_factory=dict)
    labels: dict[tuple[str, str], Translated] = field(default_factory=dict)  # (kind, id) -> label
    file: str = field(default="", compare=False, repr=False)
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Term:
    """A glossary entry of a locale: a source term and the translation to use for it.

    ``variants`` are other source spellings of the term; ``forms`` other accepted
    spellings of the translation (inflections); ``avoid`` translations that must not
    be used for this term.
    """

    term: str
    use: str
    forms: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()
    variants: tuple[str, ...] = ()
    note: str = ""
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class LocaleTranslation:
    tag: str
    title: Translated | None = None
    controller_name: Translated | None = None
    controller_representative: Translated | None = None
    sections: dict[str, SectionTranslation] = field(default_factory=dict)
    glossary: tuple[Term, ...] = ()  # locales/<tag>/glossary.yaml
    # locales/<tag>/vocabulary.yaml: the words of the fact tables (captions, headings, values),
    # by vocabulary key (``transfers``, ``transfers.mechanism``, ``transfers.mechanism.adequacy``)
    vocabulary: dict[str, Translated] = field(default_factory=dict)
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Policy:
    document: str
    title: str
    source_locale: str
    locales: tuple[str, ...]
    notice_period: str
    controller: Controller
    sections: tuple[Section, ...]
    authoritative_locale: str = ""
    fallback_locales: tuple[str, ...] = ()
    jurisdictions: tuple[str, ...] = ()
    base_url: str | None = None
    last_updated: dt.date | None = None
    waivers: tuple[Waiver, ...] = ()
    # What happens to facts no `list` block shows: "end-of-section" (shown there) or "error".
    unplaced_facts: str = "end-of-section"
    translations: dict[str, LocaleTranslation] = field(default_factory=dict)
    # Listed sections whose file could not be read: references into them cannot be checked.
    unloaded_sections: tuple[str, ...] = field(default=(), compare=False, repr=False)
    # Files that exist but could not be read (malformed YAML, wrong shape): sections and
    # translations alike. Checks of the whole (completeness, translation coverage) wait for them.
    unreadable: tuple[str, ...] = field(default=(), compare=False, repr=False)
    unusable_locales: tuple[str, ...] = field(default=(), compare=False, repr=False)  # tags that failed their check
    pos: Pos = field(default=NOWHERE, compare=False, repr=False)
    field_pos: dict[str, Pos] = field(default_factory=dict, compare=False, repr=False)

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def facts(self, kind: str | None = None) -> Iterator[FactItem]:
        """Every fact item (of ``kind``), in document order."""
        for section in self.sections:
            for k, items in section.facts.items():
                if kind is None or k == kind:
                    yield from items

    def fact(self, kind: str, item_id: str) -> FactItem | None:
        return next((f for f in self.facts(kind) if f.id == item_id), None)

    def where(self, name: str) -> Pos:
        return self.field_pos.get(name, self.pos)

    @property
    def source_locale_ok(self) -> bool:
        """Whether ``source_locale`` is a usable tag (when not, its error is reported, and checks that
        compare locales with it wait: one mistake, one message)."""
        return self.source_locale not in self.unusable_locales

    @property
    def all_locales(self) -> tuple[str, ...]:
        """Published and fallback locales, source first, without repeats."""
        seen: dict[str, None] = dict.fromkeys((self.source_locale, *self.locales, *self.fallback_locales))
        return tuple(seen)
