"""The data the fidelity reading runs on: the features (``data/fidelity/features.yaml``) and, one
file a language, the words and patterns that state them (``data/fidelity/<language>.yaml``).

::

    features()          -> (Feature("negation", compare="count", fewer=True, ...), ...)
    lexicon("de")       -> Lexicon: phrases (stemmed, longest first), subjects, quantity patterns

A phrase is a sequence of words separated by spaces; each word is matched against a token's
stem (:func:`policykit.i18n.segment.stem`, after the language's ``forms``) or its case-folded
text. ``*`` in a word stands for any letters (German compounds: ``*partner`` is Werbepartner);
``...`` stands for up to three words of any kind (``ander* ... als``); ``=`` before a word matches
it as written, case and all; ``!`` before a word matches it as written
but in any case, unstemmed (``!purchaser`` is not "purchases"). A phrase marked ``~`` states its
value weakly (see ``features.yaml``). Every file is read on first use, never at import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

from policykit.i18n.segment import base_language, stem

FEATURES = ("negation", "modality", "numbers", "durations", "dates", "ages", "bounds", "countries", "parties",
            "consent", "consent-quality", "exclusivity", "lists", "quantifiers", "conjunctions", "actions", "purposes",
            "conditions", "timing", "categories")
QUANTITIES = ("numbers", "durations", "dates", "ages")
# Sections of a language file whose words are read into the feature of the same name.
WORD_FEATURES = tuple(f for f in FEATURES if f not in QUANTITIES and f != "countries")


@dataclass(frozen=True)
class Feature:
    """How one feature is compared (``features.yaml`` says what each field means)."""

    name: str
    compare: Literal["count", "values"]
    fewer: bool = False
    value: str = ""
    contrary: tuple[tuple[str, str], ...] = ()
    near: int = 0
    reference: bool = False
    why: str = ""

    def contrary_of(self, value: str) -> set[str]:
        return {b if a == value else a for a, b in self.contrary if value in (a, b)}


@dataclass(frozen=True)
class Says:
    """One meaning of a phrase: the feature, its value, and whether the phrase states it only weakly."""

    feature: str
    value: str
    weak: bool = False


@dataclass(frozen=True)
class Phrase:
    parts: tuple[str, ...]
    says: tuple[Says, ...]


@dataclass(frozen=True, eq=False)  # one per language, compared (and cached) by identity
class Lexicon:
    language: str
    abbreviations: frozenset[str]
    phrases: tuple[Phrase, ...]  # longest first
    forms: dict[str, str]
    skip: frozenset[str]
    pronouns: frozenset[str]
    user: frozenset[str]
    company: frozenset[str]
    clauses: bool
    marked_by: tuple[str, ...]
    not_followed_by: frozenset[str]
    number_words: dict[str, int]
    roman: bool
    units: dict[str, float]
    durations: tuple[re.Pattern[str], ...]
    ages: tuple[tuple[str, re.Pattern[str]], ...]
    dates: tuple[re.Pattern[str], ...]
    months: dict[str, int]


def _read(name: str) -> Any:
    from policykit import yamlio

    file = resources.files("policykit").joinpath(f"data/fidelity/{name}.yaml")
    if not file.is_file():
        return {}
    return yamlio.parse(file.read_bytes(), f"policykit/data/fidelity/{name}.yaml")


# Read once per process: `diff` takes 95 CPU s without this module's caches, 3.9 s with
# (docs/architecture.md, "Caches").
@cache
def features() -> tuple[Feature, ...]:
    """The features in :data:`FEATURES` order, as ``features.yaml`` describes them."""
    raw = _read("features")
    if tuple(raw) != FEATURES:
        raise RuntimeError(f"data/fidelity/features.yaml lists {tuple(raw)}, the code {FEATURES}")
    return tuple(Feature(name=str(name), compare=spec["compare"], fewer=bool(spec.get("fewer", False)),
                         value=str(spec.get("value", "")),
                         contrary=tuple((str(a), str(b)) for a, b in spec.get("contrary") or ()),
                         near=int(spec.get("near", 0)), reference=bool(spec.get("reference", False)),
                         why=str(spec.get("why", "")))
                 for name, spec in raw.items())


@cache
def feature(name: str) -> Feature:
    return next(f for f in features() if f.name == name)


def data_language(tag: str) -> str:
    """The data file a locale reads: its base language (``zh-Hans`` -> ``zh``)."""
    return base_language(tag)


@cache
def lexicon(tag: str) -> Lexicon:
    """The words of ``tag``'s language; a language without a data file has none (only numbers are read)."""
    lang = data_language(tag)
    return _build(lang, tag, _read(lang) if re.fullmatch(r"[a-z]{2,3}", lang) else {})


def _build(lang: str, tag: str, raw: Any) -> Lexicon:
    forms = {str(k).casefold(): str(v).casefold() for k, v in (raw.get("forms") or {}).items()}
    says = _meanings(raw, tag)
    phrases = [Phrase(_parts(p, lang, forms), tuple(dict.fromkeys(s))) for p, s in says.items()]
    phrases.sort(key=lambda p: (-len(p.parts), -sum(len(x) for x in p.parts)))
    subjects = raw.get("subjects") or {}
    numbers = raw.get("numbers") or {}
    words = {str(k).casefold(): int(v) for k, v in (numbers.get("words") or {}).items()}
    months = _months(tag)
    month_names = "|".join(re.escape(n) for n in sorted(months, key=len, reverse=True)) or "(?!)"
    fill = {"n": _number_pattern(words, lang), "month": rf"(?P<month>{month_names})\.?",
            "year": r"(?P<year>(?:19|20)\d\d)", "day": r"(?P<day>[0-3]?\d)", "month_n": r"(?P<month_n>[01]?\d)"}
    durations = raw.get("durations") or {}

    def subject_words(key: str) -> frozenset[str]:
        return frozenset(_parts(str(s), lang, forms)[0] for s in subjects.get(key) or ())

    return Lexicon(
        language=lang, abbreviations=frozenset(str(a) for a in raw.get("abbreviations") or ()),
        phrases=tuple(phrases), forms=forms,
        skip=frozenset(_parts(str(s), lang, forms)[0] for s in raw.get("skip") or ()),
        pronouns=frozenset(_parts(str(s), lang, forms)[0] for s in raw.get("pronouns") or ()),
        user=subject_words("user"), company=subject_words("company"),
        clauses=bool(subjects.get("clauses", False)),
        marked_by=tuple(str(s) for s in subjects.get("marked_by") or ()),
        not_followed_by=frozenset(str(s) for s in subjects.get("not_followed_by") or ()),
        number_words=words, roman=bool(numbers.get("roman", False)),
        units={str(k).casefold(): float(v) for k, v in (durations.get("units") or {}).items()},
        durations=tuple(re.compile(_fill(p, fill)) for p in durations.get("patterns") or ()),
        ages=tuple((str(op), re.compile(_fill(p, fill))) for op, p in (raw.get("ages") or {}).get("patterns") or ()),
        dates=tuple(re.compile(_fill(p, fill)) for p in (raw.get("dates") or {}).get("patterns") or ()),
        months={name.casefold(): number for name, number in months.items()},
    )


def _meanings(raw: Any, tag: str) -> dict[str, list[Says]]:
    """Every phrase of the file with what it says: ``~word`` weakly."""
    says: dict[str, list[Says]] = {}

    def add(phrase: object, feature: str, value: str) -> None:
        text = str(phrase)
        weak = text.startswith("~")
        says.setdefault(text.lstrip("~"), []).append(Says(feature, value, weak))

    for word in raw.get("neutral") or ():
        add(word, "neutral", "")
    for name in WORD_FEATURES:
        section = raw.get(name) or ()
        if isinstance(section, dict):
            for value, words in section.items():
                for word in words or ():
                    add(word, name, str(value))
        else:
            for word in section:
                add(word, name, feature(name).value)
    for phrase, meanings in (raw.get("compounds") or {}).items():
        for meaning in meanings:
            text = str(meaning)
            name, _, value = text.lstrip("~").partition(":")
            add(("~" if text.startswith("~") else "") + str(phrase), name, value or feature(name).value)
    countries = raw.get("countries") or {}
    # Names in English too: an address or a proper name often keeps them in Latin script.
    for name, code in {**_country_names("en"), **_country_names(tag)}.items():
        add(name, "countries", code)
    for key in ("aliases", "demonyms"):
        for name, code in (countries.get(key) or {}).items():
            add(name, "countries", str(code))
    return says


def _parts(phrase: str, lang: str, forms: dict[str, str]) -> tuple[str, ...]:
    """A phrase as the token patterns it matches: stems, except ``=As-written`` words and ``*`` patterns
    (kept as written, case-folded)."""
    parts = phrase.split() if " " in phrase else [phrase]
    if lang not in ("ja", "zh"):
        # Multi-word names of the data ("united states") are matched word by word, as tokens are.
        parts = [w for p in parts
                 for w in ([p] if p.startswith(("=", "!")) or "*" in p or p == "..." else re.findall(r"[^\W_]+", p))]
    out = []
    for p in parts:
        if p.startswith(("=", "!")) or "*" in p or p == "...":
            out.append(p if p.startswith("=") else p.casefold())
        else:
            folded = p.casefold()
            out.append(stem(forms.get(folded, folded), lang) if lang not in ("ja", "zh") else folded)
    return tuple(out)


@cache
def wildcard(part: str) -> re.Pattern[str]:
    """A ``*`` word as a pattern on the case-folded word as written (German compounds: ``*partner``
    is Werbepartner; a plural needs its own pattern, ``*partnern``): a stem would join words the
    pattern must keep apart (Dienstleister and Dienstleistung share the stem ``dienstleist``)."""
    return re.compile(".*".join(re.escape(p) for p in part.split("*")))


@cache
def _country_names(tag: str) -> dict[str, str]:
    """CLDR territory names in ``tag``'s language (two-letter codes only, as in ``data/countries.json``)."""
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return {}
    return {str(name): str(code) for code, name in locale.territories.items() if len(code) == 2 and code.isalpha()}


def _months(tag: str) -> dict[str, int]:
    """CLDR month names, wide and abbreviated (without the abbreviation's full stop), and their numbers."""
    from babel import Locale, UnknownLocaleError
    from babel.dates import get_month_names

    try:
        locale = Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return {}
    return {str(v).rstrip("."): int(k) for width in ("wide", "abbreviated")
            for k, v in get_month_names(width, locale=locale).items()}


CJK_DIGITS = "〇零一二两三四五六七八九十百千万"


def _number_pattern(words: dict[str, int], lang: str) -> str:
    spelled = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    digits = r"\d+(?:[.,\u202f ]\d{3})*(?:[.,]\d+)?"
    cjk = rf"[{CJK_DIGITS}]+" if lang in ("ja", "zh") else ""
    options = "|".join(x for x in (digits, cjk, rf"(?i:\b(?:{spelled})\b)" if spelled else "") if x)
    return rf"(?P<n>{options})"


def _fill(pattern: str, fill: dict[str, str]) -> str:
    out = str(pattern)
    for key, value in fill.items():
        out = out.replace("{" + key + "}", value, 1)
        # A second {n} in one pattern needs its own group name.
        out = out.replace("{" + key + "}", value.replace(f"?P<{key}>", "?:"))
    return out
