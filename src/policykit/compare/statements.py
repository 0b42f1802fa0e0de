"""What a text states that the facts must hold: durations and their role, ages, countries,
recipients and data categories, each with where it stands in the text.

The policy's facts are what the classifier and the completeness checks reason about; the
prose is what people read. :mod:`policykit.prosefacts` holds one to the other with what
this module reads. It reads English (the source locale); a translation is held to the
source by the judgement of translations, not here.

A statement in the scope of a negation ("we do **not** collect your precise location") or
of a permission given to the user ("you can ask us to disclose …") states nothing that is
done: it is not ``asserted``. The word lists are data (``data/statements.yaml``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from policykit.compare import clauses
from policykit.compare.countries import as_place, countries_in, country_names
from policykit.compare.lexicons import Lexicons, term_pattern, terms_pattern
from policykit.compare.text import NUMBER, normalise, number_value


@dataclass(frozen=True)
class Statement:
    """One thing a text states: ``kind`` is duration, age, country, recipient or data_category."""

    kind: str
    value: Any  # days (float), an age (int), an ISO country code, a recipient role or key word, a taxonomy key
    words: str  # as written
    start: int  # offset in the text
    role: str = ""  # durations: retention, lifetime, notice or other; recipients: general or specific;
    # countries: place ("in Germany"), origin ("from Japan") or mention
    asserted: bool = True  # False in a negation's scope or a permission given to the user: not stated as done


@dataclass(frozen=True)
class StatementVocabulary:
    roles: tuple[tuple[str, re.Pattern[str]], ...]
    age_markers: re.Pattern[str]
    age_patterns: tuple[re.Pattern[str], ...]
    recipient_verbs: re.Pattern[str]
    recipients: Mapping[str, tuple[str, str]]  # phrase -> (general | specific, role or key word)
    recipient_re: re.Pattern[str]
    category_verbs: re.Pattern[str]
    categories: Mapping[str, str]  # phrase -> taxonomy key
    category_re: re.Pattern[str]


def _alternation(terms: list[str]) -> re.Pattern[str]:
    ordered = sorted(terms, key=len, reverse=True)
    return re.compile(terms_pattern(ordered))


@cache
def vocabulary() -> StatementVocabulary:
    from policykit import yamlio

    raw = yamlio.parse(resources.files("policykit").joinpath("data/statements.yaml").read_bytes(),
                       "statements.yaml")
    recipients: dict[str, tuple[str, str]] = {}
    for role, phrases in raw["recipients"]["general"].items():
        recipients |= {str(p): ("general", str(role)) for p in phrases}
    recipients |= {str(p): ("specific", str(word)) for p, word in raw["recipients"]["specific"].items()}
    categories = {str(p): str(k) for p, k in raw["data_categories"]["phrases"].items()}
    return StatementVocabulary(
        roles=tuple((str(role), _alternation([str(w) for w in words]))
                    for role, words in raw["durations"]["roles"].items()),
        age_markers=_alternation([str(w) for w in raw["ages"]["markers"]]),
        age_patterns=tuple(re.compile(str(p)) for p in raw["ages"]["patterns"]),
        recipient_verbs=_alternation([str(w) for w in raw["recipients"]["verbs"]]),
        recipients=recipients,
        recipient_re=_alternation(list(recipients)),
        category_verbs=_alternation([str(w) for w in raw["data_categories"]["verbs"]]),
        categories=categories,
        category_re=_alternation(list(categories)),
    )


def same_place(named: str, listed: set[str], lex: Lexicons) -> bool:
    """Whether a country or region named in a text is one of ``listed``, a region of one of them, or a
    member of one of them (the ``country_groups`` of the lexicons: "the European Union" is stated by a
    transfer to Germany, and "Germany" by one to the EU)."""
    groups = lex.country_groups
    return named in listed or bool(set(groups.get(named, ())) & listed) or any(
        named in groups.get(code, ()) for code in listed)


_SPLIT_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“(*])|\n\s*\n|\n(?=\s*(?:[-*+]|\d+[.)])\s)")
_FROM_RE = re.compile(r"\bfrom\s+(?:the\s+)?$")
_ADDRESS_RE = re.compile(r"\S+@\S+|https?://\S+|www\.\S+")


def _sentences(text: str) -> Iterator[tuple[int, str]]:
    """The sentences and list items of ``text`` with their offsets (markup kept: offsets are the file's)."""
    at = 0
    for m in _SPLIT_RE.finditer(text):
        yield at, text[at:m.start()]
        at = m.end()
    yield at, text[at:]


def read(text: str, lex: Lexicons) -> list[Statement]:
    """Everything ``text`` states that a fact holds, in text order."""
    out: list[Statement] = []
    for offset, raw in _sentences(text):
        norm = normalise(raw)
        if not re.search(r"\w", norm):
            continue
        reading = clauses.read(norm, lex)
        locate = _Locator(raw, norm, offset)
        found = [*_durations(norm, lex), *_ages(norm), *_countries(norm, lex, reading), *_recipients(norm),
                 *_categories(norm)]
        for kind, value, words, at, role in sorted(found, key=lambda f: f[3]):
            out.append(Statement(kind, value, locate.words(words, at), locate.offset(words, at), role,
                                 reading.asserts(at)))
    return out


class _Locator:
    """Maps a place in the normalised sentence back to the text (normalising shifts offsets a little)."""

    def __init__(self, raw: str, norm: str, offset: int) -> None:
        self.raw, self.lower, self.norm, self.offset_base = raw, raw.casefold(), norm, offset
        self.cursor = 0

    def _find(self, words: str) -> int:
        at = self.lower.find(words, self.cursor)
        if at < 0:
            at = self.lower.find(words)
        return at

    def offset(self, words: str, at: int) -> int:
        found = self._find(words)
        if found < 0:  # the words were respelled by normalising: keep the sentence's start
            return self.offset_base
        self.cursor = found + len(words)
        return self.offset_base + found

    def words(self, words: str, at: int) -> str:
        found = self._find(words)
        return self.raw[found:found + len(words)] if found >= 0 else words


_Found = tuple[str, Any, str, int, str]  # kind, value, words, position in the normalised sentence, role


def _durations(norm: str, lex: Lexicons) -> Iterator[_Found]:
    if not lex.units:
        return
    voc = vocabulary()
    units = "|".join(sorted((re.escape(u) for u in lex.units), key=len, reverse=True))
    role = next((name for name, pattern in voc.roles if pattern.search(norm)), "other")
    is_age = bool(voc.age_markers.search(norm))
    for m in re.compile(rf"{NUMBER}\s*-?\s*({units})(?![a-z])").finditer(norm):
        n = number_value(m.group(1) or m.group(2), lex)
        if n is None or (is_age and lex.units[m.group(3)] >= 365):
            continue  # "16 years of age" is an age, read by _ages
        yield "duration", n * lex.units[m.group(3)], m.group(0), m.start(), role


def _ages(norm: str) -> Iterator[_Found]:
    voc = vocabulary()
    if not voc.age_markers.search(norm):
        return
    seen = set()
    for pattern in voc.age_patterns:
        for m in pattern.finditer(norm):
            if m.start(1) not in seen:
                seen.add(m.start(1))
                yield "age", int(m.group(1)), m.group(0), m.start(), ""


def _countries(norm: str, lex: Lexicons, reading: clauses.Reading) -> Iterator[_Found]:
    """Countries named as places ("in Germany", "to China"); ``origin`` where data comes from one."""
    names = country_names()
    blanked = _ADDRESS_RE.sub(lambda m: " " * len(m.group(0)), norm)  # "eu-representative@…" names no place
    for code, at in countries_in(blanked, lex):
        spellings = [names.get(code, code).casefold(), *(a for a, c in lex.country_aliases.items() if c == code)]
        words = max((n for n in spellings if norm.startswith(n, at)), key=len, default=norm[at:at + 2])
        if _FROM_RE.search(norm[:at]):
            role = "origin"
        elif as_place(reading, at, lex):
            role = "place"
        else:
            role = "mention"
        yield "country", code, words, at, role


def _recipients(norm: str) -> Iterator[_Found]:
    voc = vocabulary()
    for verb in voc.recipient_verbs.finditer(norm):
        end = clauses.CLAUSE_END_RE.search(norm, verb.end())
        stop = end.start() if end else len(norm)
        for m in voc.recipient_re.finditer(norm, verb.end(), stop):
            phrase = m.group(0)
            how, value = voc.recipients.get(phrase) or voc.recipients[_phrase_of(phrase, voc.recipients)]
            yield "recipient", value, phrase, m.start(), how


def _categories(norm: str) -> Iterator[_Found]:
    voc = vocabulary()
    seen: set[int] = set()
    for verb in voc.category_verbs.finditer(norm):
        end = clauses.CLAUSE_END_RE.search(norm, verb.end())
        stop = end.start() if end else len(norm)
        for m in voc.category_re.finditer(norm, verb.end(), stop):
            if m.start() in seen or _FROM_RE.search(norm[verb.end():m.start()]):
                continue  # "from your IP address" names where data comes from, not what is collected
            seen.add(m.start())
            phrase = m.group(0)
            key = voc.categories.get(phrase) or voc.categories[_phrase_of(phrase, voc.categories)]
            yield "data_category", key, phrase, m.start(), ""


def _phrase_of(matched: str, phrases: Mapping[str, Any]) -> str:
    """The phrase of the vocabulary a match stands for (white space inside a match may differ)."""
    flat = " ".join(matched.split())
    return next(p for p in phrases if " ".join(p.split()) == flat or re.fullmatch(term_pattern(p), matched))
