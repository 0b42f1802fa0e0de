"""Per-locale glossaries: one place for the terms a translation must use consistently.

``locales/<tag>/glossary.yaml``::

    locale: de
    terms:
      - term: personal information          # source-language term, matched as whole words
        variants: [personal data]            # other source spellings of the same term, optional
        use: personenbezogene Daten          # the translation to use
        forms: [personenbezogenen Daten]     # other accepted forms (inflections), optional
        avoid: [persönliche Informationen]   # translations that must not be used, optional
        note: GDPR Art. 4(1)                 # for translators, optional

:func:`check_glossary` (registered with ``policykit.validate``) warns when a translated
title, block or fact label whose source contains a term uses a word from ``avoid``,
or none of ``use`` and ``forms``. Matching of translations is case-insensitive, at a
word start for Latin words and open at the end, so inflections (``Datenschutzbeauftragten``) and CJK
text without spaces match; list longer source terms (``personal information
protection``) to give a phrase its own accepted translations — inside a longer term's
match the shorter term is not checked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from policykit import yamlio
from policykit.diagnostics import Diagnostic, Pos, error, warning
from policykit.model import Policy, Term
from policykit.validate import register

FILE = "glossary.yaml"
_KEYS = ("term", "variants", "use", "forms", "avoid", "note")


def read_glossary(raw: Any, path: str, tag: str, diagnostics: list[Diagnostic]) -> tuple[Term, ...]:
    """The terms of a parsed glossary file; problems are appended to ``diagnostics``."""
    where = getattr(raw, "pos", Pos(path, 1, 1))
    if not isinstance(raw, yamlio.LMap):
        diagnostics.append(error(where, f"{path} must be a mapping with `locale` and `terms`", "glossary.schema"))
        return ()
    for key in raw:
        if key not in ("locale", "terms"):
            diagnostics.append(warning(raw.key_pos[key], f"unknown key {key!r} in {path}; it is ignored",
                                       "schema.unknown-key"))
    if raw.get("locale", tag) != tag:
        diagnostics.append(error(raw.where("locale"), f"locale {raw['locale']!r} does not match the folder "
                                 f"{tag!r}", "locale.mismatch"))
    items = raw.get("terms")
    if items is None:
        return ()
    if not isinstance(items, yamlio.LSeq):
        diagnostics.append(error(raw.where("terms"), "`terms` must be a list", "glossary.schema"))
        return ()
    terms: list[Term] = []
    seen: dict[str, Pos] = {}
    for item, pos in zip(items, items.item_pos, strict=True):
        term = _term(item, pos, diagnostics)
        if term is None:
            continue
        key = term.term.casefold()
        if key in seen:
            diagnostics.append(error(pos, f"glossary term {term.term!r} is listed twice (first at line "
                                     f"{seen[key].line})", "glossary.duplicate"))
            continue
        seen[key] = pos
        terms.append(term)
    return tuple(terms)


def _term(item: Any, pos: Pos, diagnostics: list[Diagnostic]) -> Term | None:
    if not isinstance(item, yamlio.LMap):
        diagnostics.append(error(pos, "a glossary term must be a mapping with `term` and `use`", "glossary.schema"))
        return None
    for key in item:
        if key not in _KEYS:
            diagnostics.append(warning(item.key_pos[key], f"unknown key {key!r} in a glossary term; known: "
                                       f"{', '.join(_KEYS)}", "schema.unknown-key"))
    ok = True
    for key in ("term", "use"):
        value = item.get(key)
        if not isinstance(value, str) or not value.strip():
            diagnostics.append(error(item.where(key), f"a glossary term needs {key!r} (text)", "glossary.schema"))
            ok = False
    lists: dict[str, tuple[str, ...]] = {}
    for key in ("variants", "forms", "avoid"):
        value = item.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            diagnostics.append(error(item.where(key), f"{key!r} must be a list of text", "glossary.schema"))
            ok = False
            continue
        lists[key] = tuple(value)
    if not ok:
        return None
    note = item.get("note", "")
    return Term(term=item["term"].strip(), use=item["use"].strip(), forms=lists["forms"], avoid=lists["avoid"],
                variants=lists["variants"], note=note if isinstance(note, str) else "", pos=pos)


@lru_cache(maxsize=1024)
def _pattern(term: str) -> re.Pattern[str]:
    """Whole words, case-insensitive; spaces and hyphens between words are interchangeable
    (``third party`` matches ``third-party``, ``non-PII`` matches ``non -PII``); a plural ``s`` matches."""
    words = [re.escape(w) for w in re.split(r"[\s-]+", term.strip()) if w]
    return re.compile(r"(?<!\w)" + r"\s*[\s-]\s*".join(words) + r"s?(?!\w)", re.IGNORECASE)


def terms_in(source: str, glossary: tuple[Term, ...]) -> list[Term]:
    """The glossary terms that occur in ``source``; inside a longer term's match, shorter ones do not count."""
    return [glossary[i] for i in _terms_in(source, glossary)]


@lru_cache(maxsize=8192)
def _terms_in(source: str, glossary: tuple[Term, ...]) -> tuple[int, ...]:
    # Remembered: validating many versions of a policy (a history, a case set) meets the same units again.
    # Indices, not terms: equal glossaries may stand at other lines (a term's position is no part of it).
    taken: list[tuple[int, int]] = []
    found: list[int] = []
    for index, term in sorted(enumerate(glossary), key=lambda it: -len(it[1].term)):
        spans = [m.span() for t in (term.term, *term.variants) for m in _pattern(t).finditer(source)]
        free = [s for s in spans if not any(a <= s[0] and s[1] <= b for a, b in taken)]
        taken.extend(spans)
        if free:
            found.append(index)
    return tuple(found)


def _contains(text: str, word: str) -> bool:
    """``word`` in ``text``, case-insensitive, starting at a word start when it starts with a Latin
    letter or digit (``Cookie`` is not in ``allaboutcookies``; it is in ``ブラウザのCookie``); the end is
    open, so inflections and compounds (``Datenschutzbeauftragten``) match."""
    start = r"(?<![A-Za-z0-9])" if word[:1].isascii() and word[:1].isalnum() else ""
    return re.search(start + re.escape(word), text, re.IGNORECASE) is not None


def problem(term: Term, translation: str) -> str | None:
    """Why ``translation`` does not use ``term`` as the glossary says, or None when it does."""
    used = [a for a in term.avoid if _contains(translation, a)]
    if used:
        return f"uses {used[0]!r} for {term.term!r}; the glossary says {term.use!r}"
    if not any(_contains(translation, f) for f in (term.use, *term.forms)):
        return f"the source says {term.term!r} but the translation has no {term.use!r}" + (
            f" (or {', '.join(repr(f) for f in term.forms)})" if term.forms else "")
    return None


@register
def check_glossary(policy: Policy) -> Iterator[Diagnostic]:
    """Warn where a translation does not use its locale's glossary term (see the module docstring)."""
    from policykit.i18n.catalog import units

    for tag, lt in policy.translations.items():
        if not lt.glossary:
            continue
        for unit in units(policy, tag):
            if unit.translated is None:
                continue
            for term in terms_in(unit.source, lt.glossary):
                why = problem(term, unit.translated.text)
                if why:
                    yield warning(unit.translated.pos, f"[{tag}] {unit.key}: {why} (glossary term at "
                                  f"{term.pos})", "glossary.term")
