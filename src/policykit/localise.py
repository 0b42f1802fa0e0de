"""Policy × locale → LocalisedPolicy: every string resolved through the fallback chain.

A translation may be partial. Each string (document title, section title, block
text, fact label) is looked up along the chain ``pt-BR → pt → source``: the first
locale that has it wins, and the result records which language it is in, so a
renderer can mark a fallback block visibly and with the right ``lang``.

The result is plain frozen data that pickles, so a worker process can render it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache, partial
from typing import Any

from policykit.errors import RenderError
from policykit.memo import ByIdentity
from policykit.model import LocaleTranslation, Policy, Section, SectionTranslation, Translated, source_hash

# Every locale checks its entries against the hashes of the same source texts; the hash is
# a pure function of the text, so each is computed once per process. With this module's section
# memos: `diff` 5.50 CPU s without, 4.37 s with (docs/architecture.md, "Caches").
_source_hash = lru_cache(maxsize=8192)(source_hash)


@dataclass(frozen=True)
class Text:
    """One string as shown in a locale: its value and the language it is written in."""

    value: str
    lang: str
    fallback: bool = False  # True when ``lang`` is not the locale asked for
    stale: bool = False  # translated from an older source text

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Value:
    """One value of a published attribute, in words (and where it links to, if anywhere)."""

    text: Text
    href: str | None = None


@dataclass(frozen=True)
class Cell:
    """A published attribute of a fact: its values as the reader sees them."""

    attr: str
    values: tuple[Value, ...]


@dataclass(frozen=True)
class Column:
    attr: str
    title: Text


@dataclass(frozen=True)
class LocalisedFact:
    kind: str
    id: str
    label: Text
    attrs: dict[str, Any] = field(default_factory=dict)
    cells: tuple[Cell, ...] = ()  # the published attributes, in vocabulary order

    def cell(self, attr: str) -> Cell | None:
        return next((c for c in self.cells if c.attr == attr), None)

    @property
    def anchor(self) -> str:
        """The fragment id of this item: ``facts.<kind>.<id>`` (as in the model)."""
        return f"facts.{self.kind}.{self.id}"


@dataclass(frozen=True)
class LocalisedBlock:
    """A block: prose (``text`` is Markdown) or a fact list (``list`` names the kind)."""

    section: str
    id: str
    text: Text | None = None
    list: str | None = None
    items: tuple[LocalisedFact, ...] = ()
    # A fact table's caption, the heading of its label column, and its attribute columns.
    caption: Text | None = None
    heading: Text | None = None
    columns: tuple[Column, ...] = ()

    @property
    def anchor(self) -> str:
        """The fragment id of this block: ``<section>.<block>``."""
        return f"{self.section}.{self.id}"

    @property
    def fallback_lang(self) -> str | None:
        """The language this block falls back to, or None when it is fully translated."""
        langs = [self.text] if self.text is not None else [i.label for i in self.items]
        return next((t.lang for t in langs if t.fallback), None)


@dataclass(frozen=True)
class LocalisedSection:
    id: str
    title: Text
    blocks: tuple[LocalisedBlock, ...] = ()
    facts: dict[str, tuple[LocalisedFact, ...]] = field(default_factory=dict)  # every fact, by kind

    @property
    def fallback_lang(self) -> str | None:
        """The language of the whole section when nothing of it is translated, else None."""
        if not self.title.fallback:
            return None
        langs = {self.title.lang} | {b.fallback_lang for b in self.blocks}
        return self.title.lang if len(langs) == 1 else None


@dataclass(frozen=True)
class LocalisedPolicy:
    """What a reader of one locale sees; the input of every renderer."""

    document: str
    locale: str
    direction: str  # "ltr" or "rtl", from CLDR
    source_locale: str
    authoritative_locale: str
    chain: tuple[str, ...]  # the locales strings were looked up in, in order
    title: Text
    controller_name: Text
    sections: tuple[LocalisedSection, ...]
    # Published in the page header, as the completeness checks cite them (APPI Art. 32(1)(i)).
    controller_address: Text | None = None  # as written: a postal address is not translated
    controller_representative: Text | None = None
    last_updated: dt.date | None = None
    base_url: str | None = None
    # Filled in by the versions stage (issue #6); None renders a "draft" marker.
    version: str | None = None
    effective_from: dt.date | None = None

    @property
    def fallback_count(self) -> int:
        """How many blocks (of all sections) are shown in another language."""
        return sum(b.fallback_lang is not None for s in self.sections for b in s.blocks)


# Localised sections by the model objects they are made of. The loader keeps one model object
# per distinct file, so consecutive versions share most sections; each (section, its
# translations, locale) is localised once per process and every version gets the same object.
_LOCALISED: ByIdentity[LocalisedSection] = ByIdentity(4096)
# Each localised section's content as bytes, for the renderers' caches of what they made from
# it; by identity first, so a section shared by many versions is pickled once.
_KEYS: ByIdentity[bytes] = ByIdentity(4096)


def content_key(section: LocalisedSection) -> bytes:
    """``section``'s whole content as bytes: equal bytes, equal section (a key for caches of
    anything rendered from it)."""
    import pickle

    return _KEYS.get((section,), lambda: pickle.dumps(section, protocol=pickle.HIGHEST_PROTOCOL))


Pick = Callable[[str, Iterable[tuple[str, Translated | None]]], Text]


@dataclass(frozen=True)
class _Facts:
    """What a section's fact tables need from the rest of the policy, as plain values (so they
    can key the memo of localised sections): the table words and the labels of the facts its
    facts refer to, both as read in the locale."""

    explicit: bool
    words: tuple[tuple[str, Text], ...]
    refs: tuple[tuple[str, Text], ...]  # facts.<kind>.<id> -> label
    emails: tuple[tuple[str, str], ...]  # contact path -> its e-mail address

    def __hash__(self) -> int:  # it keys every section's memo entry: hashed once, not per section
        return self._hash

    @cached_property
    def _hash(self) -> int:
        return hash((self.explicit, self.words, self.refs, self.emails))


def _section(section: Section, found: tuple[tuple[str, SectionTranslation], ...], pick: Pick,
             context: _Facts, locale: str, source_locale: str) -> LocalisedSection:
    """``section`` with each string from its translations ``found`` (in chain order)."""
    from policykit import factview

    sid = section.id
    words = dict(context.words)
    refs = dict(context.refs)
    emails = dict(context.emails)

    def word(key: str) -> Text:
        return words.get(key) or Text(key, source_locale, source_locale != locale)

    facts = {
        kind: tuple(
            LocalisedFact(item.kind, item.id,
                          pick(item.label, ((tag, st.labels.get((item.kind, item.id))) for tag, st in found)),
                          dict(item.attrs),
                          _cells(item, word, refs, emails, locale, source_locale))
            for item in items
        )
        for kind, items in section.facts.items()
    }
    by_id = {kind: {f.id: f for f in items} for kind, items in facts.items()}
    tables = {p.block: p for p in factview.placements(section, context.explicit)}
    blocks = []
    for block in section.blocks:
        if block.list is not None:
            blocks.append(_table(sid, block.id, block.list, tables.get(block.id), by_id, word))
        else:
            text = pick(block.text or "", ((tag, st.blocks.get(block.id)) for tag, st in found))
            blocks.append(LocalisedBlock(sid, block.id, text=text))
    for p in tables.values():
        if p.automatic:
            blocks.append(_table(sid, p.block, p.kind, p, by_id, word))
    title = pick(section.title, ((tag, st.title) for tag, st in found))
    return LocalisedSection(sid, title, tuple(blocks), facts)


def _table(sid: str, bid: str, kind: str, placement: Any, by_id: dict[str, dict[str, LocalisedFact]],
           word: Callable[[str], Text]) -> LocalisedBlock:
    from policykit import factview

    items = tuple(by_id.get(kind, {})[i.id] for i in placement.items) if placement is not None else ()
    columns = tuple(Column(a, word(factview.title_key(kind, a)))
                    for a in factview.columns(kind, placement.items if placement is not None else ()))
    return LocalisedBlock(sid, bid, list=kind, items=items, caption=word(factview.caption_key(kind)),
                          heading=word(factview.label_key(kind)), columns=columns)


def _cells(item: Any, word: Callable[[str], Text], refs: dict[str, Text], emails: dict[str, str],
           locale: str, source_locale: str) -> tuple[Cell, ...]:
    """The published attributes of ``item`` in words: phrases from the vocabulary, durations,
    numbers and countries from CLDR, references as the label of what they refer to."""
    from policykit import factview
    from policykit.vocabulary import fact_kinds, value_name

    kind = fact_kinds()[item.kind]
    cells = []
    for name, value in factview.shown_values(item):
        attr = kind.attributes[name]
        values = value if isinstance(value, tuple) else (value,)
        here = partial(Text, lang=locale)
        out: list[Value] = []
        if attr.type == "country":
            out.append(Value(here(factview.country_names(tuple(values), locale))))
        else:
            for v in values:
                if attr.type in ("enum", "bool") or (attr.type == "lifetime" and value_name(v) in attr.phrases):
                    out.append(Value(word(attr.phrase_key(item.kind, v))))
                elif attr.type in ("duration", "lifetime"):
                    try:
                        out.append(Value(here(factview.duration_words(str(v), locale))))
                    except ValueError:  # validate reports it; show the value as written
                        out.append(Value(Text(str(v), source_locale)))
                elif attr.type == "int":
                    out.append(Value(here(factview.number_words(int(v), locale))))
                elif attr.type == "email":
                    out.append(Value(here(str(v)), f"mailto:{v}"))
                elif attr.type == "url" or str(v).startswith(("http://", "https://")):
                    out.append(Value(here(str(v)), str(v)))
                elif attr.type.startswith("ref:") or attr.type == "contact-or-url":
                    target = attr.type.split(":", 1)[1] if attr.type.startswith("ref:") else "contacts"
                    path = f"facts.{target}.{v}"
                    out.append(Value(refs.get(path) or Text(str(v), source_locale), "#" + path))
                    if attr.type == "contact-or-url" and path in emails:
                        out.append(Value(here(emails[path]), f"mailto:{emails[path]}"))
                else:  # free text (an address, a telephone number, an article): as written
                    out.append(Value(Text(str(v), source_locale)))
        cells.append(Cell(name, tuple(out)))
    return tuple(cells)


def _context(policy: Policy, pick: Pick, tables: list[tuple[str, LocaleTranslation]]) -> _Facts:
    """The words and referred labels every section's tables are made with, for one locale."""
    from policykit import factview
    from policykit.vocabulary import fact_kinds

    words = tuple((key, pick(phrase, ((tag, lt.vocabulary.get(key)) for tag, lt in tables)))
                  for key, phrase in factview.vocabulary_units(policy))
    targets = {a.type.split(":", 1)[1] if a.type.startswith("ref:") else "contacts"
               for k in fact_kinds().values() for a in k.attributes.values()
               if a.type.startswith("ref:") or a.type == "contact-or-url"}
    refs = []
    emails = []
    for section in policy.sections:
        found = [(tag, lt.sections.get(section.id)) for tag, lt in tables]
        for kind in targets & section.facts.keys():
            for item in section.facts[kind]:
                refs.append((item.path, pick(item.label, ((tag, st.labels.get((kind, item.id)) if st else None)
                                                          for tag, st in found))))
                if kind == "contacts" and item.attrs.get("email"):
                    emails.append((item.path, str(item.attrs["email"])))
    return _Facts(factview.explicit(policy), words, tuple(refs), tuple(emails))


def _parse(tag: str) -> Any:
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(tag, sep="-")
    except (ValueError, UnknownLocaleError) as exc:
        raise RenderError(f"locale {tag!r} is not a BCP 47 tag Babel (CLDR) knows: {exc}") from None


def fallback_chain(policy: Policy, locale: str) -> tuple[str, ...]:
    """Where strings for ``locale`` come from: the tag, its shorter forms that have
    translations, then the source locale (``pt-BR → pt → en``)."""
    chain = [locale]
    parts = locale.split("-")
    for n in range(len(parts) - 1, 0, -1):
        shorter = "-".join(parts[:n])
        if shorter in policy.translations:
            chain.append(shorter)
    if policy.source_locale not in chain:
        chain.append(policy.source_locale)
    return tuple(chain)


def localise(policy: Policy, locale: str) -> LocalisedPolicy:
    """The policy as shown in ``locale``: each string from the first locale of the chain
    that has it."""
    babel_locale = _parse(locale)
    chain = fallback_chain(policy, locale)
    # The translations to search, in chain order; the source locale ends the search.
    tables = [
        (tag, policy.translations[tag])
        for tag in chain[: chain.index(policy.source_locale)]
        if tag in policy.translations
    ]

    source_locale = policy.source_locale

    def pick(source: str, found: Iterable[tuple[str, Translated | None]]) -> Text:
        """The first translation ``found`` along the chain, else the source text."""
        for tag, entry in found:
            if entry is not None:
                return Text(entry.text, tag, tag != locale, entry.source_hash != _source_hash(source))
        return Text(source, source_locale, source_locale != locale)

    context = _context(policy, pick, tables)
    sections = []
    for section in policy.sections:
        # This section's translations, in chain order (most have one or none).
        found = tuple((tag, st) for tag, table in tables if (st := table.sections.get(section.id)) is not None)
        sections.append(_LOCALISED.get((section, *(st for _, st in found)),
                                       partial(_section, section, found, pick, context, locale, source_locale),
                                       tuple(tag for tag, _ in found), locale, source_locale, context))

    return LocalisedPolicy(
        document=policy.document,
        locale=locale,
        direction="rtl" if babel_locale.text_direction == "rtl" else "ltr",
        source_locale=policy.source_locale,
        authoritative_locale=policy.authoritative_locale or policy.source_locale,
        chain=chain,
        title=pick(policy.title, ((tag, t.title) for tag, t in tables)),
        controller_name=pick(policy.controller.name, ((tag, t.controller_name) for tag, t in tables)),
        controller_address=(Text(policy.controller.address, source_locale) if policy.controller.address else None),
        controller_representative=(pick(policy.controller.representative,
                                        ((tag, t.controller_representative) for tag, t in tables))
                                   if policy.controller.representative else None),
        sections=tuple(sections),
        last_updated=policy.last_updated,
        base_url=policy.base_url,
    )
