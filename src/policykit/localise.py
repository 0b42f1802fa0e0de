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
from functools import lru_cache, partial
from typing import Any

from policykit.errors import RenderError
from policykit.memo import ByIdentity
from policykit.model import Policy, Section, SectionTranslation, Translated, source_hash

# Every locale checks its entries against the hashes of the same source texts; the hash is
# a pure function of the text, so each is computed once per process.
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
class LocalisedFact:
    kind: str
    id: str
    label: Text
    attrs: dict[str, Any] = field(default_factory=dict)

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


def _section(section: Section, found: tuple[tuple[str, SectionTranslation], ...],
             pick: Callable[[str, Iterable[tuple[str, Translated | None]]], Text]) -> LocalisedSection:
    """``section`` with each string from its translations ``found`` (in chain order)."""
    sid = section.id
    facts = {
        kind: tuple(
            LocalisedFact(item.kind, item.id,
                          pick(item.label, ((tag, st.labels.get((item.kind, item.id))) for tag, st in found)),
                          dict(item.attrs))
            for item in items
        )
        for kind, items in section.facts.items()
    }
    blocks = []
    for block in section.blocks:
        if block.list is not None:
            blocks.append(LocalisedBlock(sid, block.id, list=block.list, items=facts.get(block.list, ())))
        else:
            text = pick(block.text or "", ((tag, st.blocks.get(block.id)) for tag, st in found))
            blocks.append(LocalisedBlock(sid, block.id, text=text))
    title = pick(section.title, ((tag, st.title) for tag, st in found))
    return LocalisedSection(sid, title, tuple(blocks), facts)


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

    sections = []
    for section in policy.sections:
        # This section's translations, in chain order (most have one or none).
        found = tuple((tag, st) for tag, table in tables if (st := table.sections.get(section.id)) is not None)
        sections.append(_LOCALISED.get((section, *(st for _, st in found)),
                                       partial(_section, section, found, pick),
                                       tuple(tag for tag, _ in found), locale, source_locale))

    return LocalisedPolicy(
        document=policy.document,
        locale=locale,
        direction="rtl" if babel_locale.text_direction == "rtl" else "ltr",
        source_locale=policy.source_locale,
        authoritative_locale=policy.authoritative_locale or policy.source_locale,
        chain=chain,
        title=pick(policy.title, ((tag, t.title) for tag, t in tables)),
        controller_name=pick(policy.controller.name, ((tag, t.controller_name) for tag, t in tables)),
        sections=tuple(sections),
        last_updated=policy.last_updated,
        base_url=policy.base_url,
    )
