"""What a sentence binds, read the same way in every language: the input of :mod:`policykit.i18n.fidelity`.

:func:`read` returns a :class:`Reading`: for each feature, the values the sentence states,
each with the words that state it::

    read("We do not sell your data to advertisers within 30 days.", "en").values("negation")
    -> ("not",)
    ... .values("parties") -> ("advertisers",);  .values("durations") -> ("30 days",)

Features (``FEATURES``): ``negation`` (each negating word), ``modality`` (``may``, ``must``, and
``user-may``: a may-word whose nearest subject is the user, a permission given to the user),
``numbers``, ``durations`` (normalised to days), ``dates`` (ISO, as precise as written),
``ages`` (with the comparison: ``<16``), ``countries`` (ISO 3166 codes; CLDR names in the
text's language through Babel, plus the aliases and demonyms of the data), ``parties``
(kinds of recipient) and ``consent`` (``consent`` or ``opt-out``).

The words are data, one file a language: ``policykit/data/fidelity/<language>.yaml``.
Quantities (dates, then ages, then durations, then numbers) are read from the text with the
patterns of that file; each claims its characters, so the 16 of "under 16" is an age and not
also a number, and a word inside a quantity (未満, 未满) is not read as a negation. Words are
read from the segmenter's tokens (:mod:`policykit.i18n.segment`), longest phrase first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from policykit.i18n.segment import Token, base_language, is_cjk, tokens

FEATURES = ("negation", "modality", "numbers", "durations", "dates", "ages", "countries", "parties", "consent")


@dataclass(frozen=True)
class Hit:
    """One value a sentence states, and the words that state it."""

    feature: str
    value: str
    words: str


@dataclass(frozen=True)
class Reading:
    text: str
    hits: tuple[Hit, ...] = field(default=())

    def values(self, feature: str) -> tuple[str, ...]:
        return tuple(h.value for h in self.hits if h.feature == feature)

    def words(self, feature: str) -> tuple[str, ...]:
        return tuple(h.words for h in self.hits if h.feature == feature)


# -- the data ----------------------------------------------------------------------------
@dataclass(frozen=True)
class _Phrase:
    parts: tuple[str, ...]
    says: tuple[tuple[str, str], ...]  # (feature, value)


@dataclass(frozen=True, eq=False)  # one per language, compared (and cached) by identity
class Lexicon:
    language: str
    abbreviations: frozenset[str]
    phrases: tuple[_Phrase, ...]  # longest first
    user: frozenset[str]
    company: frozenset[str]
    search: str
    clauses: bool
    marked_by: frozenset[str]
    not_followed_by: frozenset[str]
    number_words: dict[str, int]
    roman: bool
    units: dict[str, float]
    durations: tuple[re.Pattern[str], ...]
    ages: tuple[tuple[str, re.Pattern[str]], ...]
    dates: tuple[re.Pattern[str], ...]


def data_language(tag: str) -> str:
    """The data file a locale reads: its base language (``zh-Hans`` -> ``zh``)."""
    return base_language(tag)


@cache
def lexicon(tag: str) -> Lexicon:
    """The words of ``tag``'s language; a language without a data file has none (only numbers are read)."""
    from policykit import yamlio

    lang = data_language(tag)
    file = resources.files("policykit").joinpath(f"data/fidelity/{lang}.yaml")
    raw: Any = yamlio.load_roundtrip(file.read_text("utf-8"), f"policykit/data/fidelity/{lang}.yaml") \
        if file.is_file() else {}
    return _build(lang, tag, raw)


def _build(lang: str, tag: str, raw: Any) -> Lexicon:
    says: dict[str, list[tuple[str, str]]] = {}

    def add(phrase: str, feature: str, value: str) -> None:
        says.setdefault(str(phrase), []).append((feature, value))

    for word in raw.get("negation") or ():
        add(word, "negation", "not")
    for word in raw.get("neutral") or ():
        add(word, "neutral", "")
    for value, words in (raw.get("modality") or {}).items():
        for word in words:
            add(word, "modality", str(value))
    for phrase, meanings in (raw.get("compounds") or {}).items():
        for meaning in meanings:
            feature, _, value = str(meaning).partition(":")
            add(phrase, feature, value or "not")
    for group in ("parties", "consent"):
        for value, words in (raw.get(group) or {}).items():
            for word in words:
                add(word, group, str(value))
    countries = raw.get("countries") or {}
    # Names in English too: an address or a proper name often keeps them in Latin script.
    for name, code in {**_country_names("en"), **_country_names(tag)}.items():
        add(name, "countries", code)
    for name, code in {**(countries.get("aliases") or {}), **(countries.get("demonyms") or {})}.items():
        add(name, "countries", str(code))
    phrases = [_Phrase(_parts(p, lang), tuple(dict.fromkeys(s))) for p, s in says.items()]
    phrases.sort(key=lambda p: (-len(p.parts), -sum(len(x) for x in p.parts)))
    subjects = raw.get("subjects") or {}
    numbers = raw.get("numbers") or {}
    words = {str(k).casefold(): int(v) for k, v in (numbers.get("words") or {}).items()}
    n = _number_pattern(words, lang)
    months = _month_pattern(tag)
    fill = {"n": n, "month": months, "year": r"(?P<year>(?:19|20)\d\d)", "day": r"(?P<day>[0-3]?\d)",
            "month_n": r"(?P<month_n>[01]?\d)"}
    durations_raw = raw.get("durations") or {}
    return Lexicon(
        language=lang, abbreviations=frozenset(str(a) for a in raw.get("abbreviations") or ()),
        phrases=tuple(phrases),
        user=frozenset(str(s) for s in subjects.get("user") or ()),
        company=frozenset(str(s) for s in subjects.get("company") or ()),
        search=str(subjects.get("search", "before")), clauses=bool(subjects.get("clauses", False)),
        marked_by=frozenset(str(s) for s in subjects.get("marked_by") or ()),
        not_followed_by=frozenset(str(s) for s in subjects.get("not_followed_by") or ()),
        number_words=words, roman=bool(numbers.get("roman", False)),
        units={str(k).casefold(): float(v) for k, v in (durations_raw.get("units") or {}).items()},
        durations=tuple(re.compile(_fill(p, fill)) for p in durations_raw.get("patterns") or ()),
        ages=tuple((str(op), re.compile(_fill(p, fill))) for op, p in (raw.get("ages") or {}).get("patterns") or ()),
        dates=tuple(re.compile(_fill(p, fill)) for p in (raw.get("dates") or {}).get("patterns") or ()),
    )


def _parts(phrase: str, lang: str) -> tuple[str, ...]:
    """A phrase as the token patterns it matches: lemmas, case-folded except ``=As-written`` ones."""
    parts = phrase.split() if " " in phrase else [phrase]
    if lang not in ("ja", "zh"):
        # Multi-word names of the data ("united states") are matched word by word, as tokens are.
        parts = [w for p in parts for w in ([p] if p.startswith("=") else re.findall(r"[^\W_]+|\*", p)
                                             if "*" not in p else [p])]
    return tuple(p if p.startswith("=") else p.casefold() for p in parts)


@cache
def _country_names(tag: str) -> dict[str, str]:
    """CLDR territory names in ``tag``'s language (two-letter codes only, as in ``data/countries.json``)."""
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return {}
    return {str(name): str(code) for code, name in locale.territories.items() if len(code) == 2 and code.isalpha()}


def _month_pattern(tag: str) -> str:
    from babel import Locale, UnknownLocaleError
    from babel.dates import get_month_names

    try:
        locale = Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return r"(?P<month>(?!))"
    names = {str(v): k for width in ("wide", "abbreviated") for k, v in get_month_names(width, locale=locale).items()}
    _MONTHS[tag] = {k.casefold().rstrip("."): v for k, v in names.items()}
    alternatives = "|".join(re.escape(n.rstrip(".")) for n in sorted(names, key=len, reverse=True))
    return rf"(?P<month>{alternatives})\.?"


_MONTHS: dict[str, dict[str, int]] = {}
_CJK_DIGITS = "〇零一二两三四五六七八九十百千万"


def _number_pattern(words: dict[str, int], lang: str) -> str:
    spelled = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    digits = r"\d+(?:[.,\u202f ]\d{3})*(?:[.,]\d+)?"
    cjk = rf"[{_CJK_DIGITS}]+" if lang in ("ja", "zh") else ""
    options = "|".join(x for x in (digits, cjk, rf"(?i:\b(?:{spelled})\b)" if spelled else "") if x)
    return rf"(?P<n>{options})"


def _fill(pattern: str, fill: dict[str, str]) -> str:
    out = str(pattern)
    for key, value in fill.items():
        out = out.replace("{" + key + "}", value, 1)
        # A second {n} in one pattern needs its own group name.
        out = out.replace("{" + key + "}", value.replace(f"?P<{key}>", "?:"))
    return out


# -- reading -----------------------------------------------------------------------------
def read(text: str, tag: str) -> Reading:
    """What ``text`` (one sentence, or any stretch of text) in language ``tag`` states."""
    lex = lexicon(tag)
    hits: list[Hit] = []
    masked = _quantities(text, tag, lex, hits)
    toks = tokens(masked, tag)
    hits += _words(toks, lex, masked)
    hits += _numbers(masked, lex)
    return Reading(text, tuple(hits))


def _quantities(text: str, tag: str, lex: Lexicon, hits: list[Hit]) -> str:
    """Dates, ages and durations, each blanked out of the text once read (so nothing reads them twice)."""
    chars = list(text)

    def claim(m: re.Match[str]) -> bool:
        if any(c == "\0" for c in chars[m.start():m.end()]):
            return False
        chars[m.start():m.end()] = "\0" * (m.end() - m.start())
        return True

    current = "".join(chars)
    for pattern in lex.dates:
        for m in pattern.finditer(current):
            value = _date(m, tag)
            if value and claim(m):
                hits.append(Hit("dates", value, m.group(0)))
    current = "".join(chars)
    for op, pattern in lex.ages:
        for m in pattern.finditer(current):
            n = _number(m.group("n"), lex)
            if n is not None and claim(m):
                hits.append(Hit("ages", f"{'' if op == '=' else op}{_fmt(n)}", m.group(0)))
        current = "".join(chars)
    for pattern in lex.durations:
        for m in pattern.finditer(current):
            raw_n = m.groupdict().get("n")
            n = _number(raw_n, lex) if raw_n else 1.0
            unit = lex.units.get(m.group("unit").casefold())
            if n is None or unit is None:
                continue
            if unit == 365 and n >= 1000:  # "2012年": a calendar year, not 2,012 years
                if claim(m):
                    hits.append(Hit("dates", _fmt(n), m.group(0)))
                continue
            if claim(m):
                hits.append(Hit("durations", f"{_fmt(n * unit)} days", m.group(0)))
        current = "".join(chars)
    # A blanked quantity reads as a space: no word is glued across it.
    return "".join(" " if c == "\0" else c for c in chars)


def _date(m: re.Match[str], tag: str) -> str | None:
    groups = m.groupdict()
    year, day = groups.get("year"), groups.get("day")
    month: int | None = None
    if groups.get("month"):
        month = _MONTHS.get(tag, {}).get(groups["month"].casefold().rstrip("."))
    elif groups.get("month_n"):
        month = int(groups["month_n"])
    if month is None or not 1 <= month <= 12 or (day and not 1 <= int(day) <= 31):
        return None
    return "-".join(x for x in (year, f"{month:02d}", f"{int(day):02d}" if day else None) if x)


_ROMAN_RE = re.compile(r"\((i{1,3}|iv|v|vi{1,3}|ix|x)\)")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}


def _numbers(text: str, lex: Lexicon) -> list[Hit]:
    """Numbers not read as a quantity: digits, the language's number words, CJK numerals before 次/回 (once)."""
    out = []
    for m in re.finditer(r"\d+(?:[.,\u202f]\d{3})*(?:[.,]\d+)?", text):
        n = _number(m.group(0), lex)
        if n is None:
            continue
        # A year on its own is a date in every language ("Act 2012", "2012年"), so they compare.
        if re.fullmatch(r"(?:19|20)\d\d", m.group(0)):
            out.append(Hit("dates", m.group(0), m.group(0)))
        else:
            out.append(Hit("numbers", _fmt(n), m.group(0)))
    if lex.number_words:
        for m in re.finditer(r"[^\W\d_]+", text):
            value = lex.number_words.get(m.group(0).casefold())
            if value is not None:
                out.append(Hit("numbers", str(value), m.group(0)))
    if lex.roman:
        out += [Hit("numbers", str(_ROMAN[m.group(1)]), m.group(0)) for m in _ROMAN_RE.finditer(text)]
    if lex.language in ("ja", "zh"):
        for m in re.finditer(rf"([{_CJK_DIGITS}]+)(?=[次回倍])", text):
            n = _cjk_number(m.group(1))
            if n is not None:
                out.append(Hit("numbers", _fmt(n), m.group(0)))
    return out


def _number(raw: str | None, lex: Lexicon) -> float | None:
    if raw is None:
        return None
    word = lex.number_words.get(raw.casefold())
    if word is not None:
        return float(word)
    if raw[0] in _CJK_DIGITS:
        return _cjk_number(raw)
    digits = re.sub(r"[.,\u202f ](?=\d{3}\b)", "", raw).replace(",", ".")
    try:
        return float(digits)
    except ValueError:
        return None


def _cjk_number(raw: str) -> float | None:
    """一 2, 十五 15, 三十 30, 二〇二六 2026, 一百二十 120."""
    values = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2}
    if all(c in values for c in raw):
        return float("".join(str(values[c]) for c in raw))
    total, current = 0, 0
    for c in raw:
        if c in values:
            current = values[c]
        elif c in "十百千万":
            scale = {"十": 10, "百": 100, "千": 1000, "万": 10000}[c]
            if scale == 10000:
                total = (total + (current or 0)) * scale
            else:
                total += (current or 1) * scale
            current = 0
    return float(total + current)


def _fmt(n: float) -> str:
    return str(int(n)) if n == int(n) else f"{n:.2f}".rstrip("0")


# -- words ---------------------------------------------------------------------------------
def _matches(part: str, token: Token) -> bool:
    if part.startswith("="):
        return token.text == part[1:]
    if "*" in part:
        rx = _pattern(part)
        return bool(rx.fullmatch(token.lemma) or rx.fullmatch(token.text.casefold()))
    return part in (token.lemma, token.text.casefold())


def _words(toks: list[Token], lex: Lexicon, text: str) -> list[Hit]:
    """Every phrase found, the longest first; a found phrase claims its words."""
    index, wild = _index(lex)
    candidates: list[tuple[int, int, _Phrase]] = []
    for i, tok in enumerate(toks):
        keys = {tok.lemma, tok.text.casefold(), "=" + tok.text}
        phrases = [p for k in keys for p in index.get(k, ())] + list(wild)
        for phrase in phrases:
            size = len(phrase.parts)
            if i + size <= len(toks) and all(_matches(p, toks[i + k]) for k, p in enumerate(phrase.parts)):
                candidates.append((-size, i, phrase))
    candidates.sort(key=lambda c: (c[0], -sum(len(x) for x in c[2].parts), c[1]))
    claimed = [False] * len(toks)
    found: list[tuple[int, Hit]] = []
    for negsize, i, phrase in candidates:
        size = -negsize
        if any(claimed[i:i + size]):
            continue
        words = _join(toks[i:i + size], lex)
        for feature, value in phrase.says:
            if feature == "neutral":
                continue
            if feature == "modality" and value in ("may", "can"):
                # A permission given to the user; an ability of anyone else binds nothing.
                value = "user-may" if _subject(toks, i, lex, text) == "user" else value
                if value == "can":
                    continue
            found.append((i, Hit(feature, value, words)))
        for k in range(i, i + size):
            claimed[k] = True
    found.sort(key=lambda x: x[0])
    return [h for _, h in found]


@cache
def _index(lex: Lexicon) -> tuple[dict[str, tuple[_Phrase, ...]], tuple[_Phrase, ...]]:
    """The phrases by their first word (as it must be written), and those whose first word is a pattern."""
    index: dict[str, list[_Phrase]] = {}
    wild = []
    for phrase in lex.phrases:
        first = phrase.parts[0]
        if "*" in first:
            wild.append(phrase)
        else:
            index.setdefault(first, []).append(phrase)
    return {k: tuple(v) for k, v in index.items()}, tuple(wild)


@cache
def _pattern(part: str) -> re.Pattern[str]:
    return re.compile(re.escape(part).replace(r"\*", ".*"))


def _join(toks: Iterable[Token], lex: Lexicon) -> str:
    return ("" if lex.language in ("ja", "zh") else " ").join(t.text for t in toks)


def _subject(toks: list[Token], at: int, lex: Lexicon, text: str) -> str:
    """``user`` or ``company``: the nearest subject word to the token at ``at`` (``""`` if none)."""
    def kind(i: int) -> str:
        t = toks[i]
        lo, hi = sorted((t.start, toks[at].start))
        if lex.clauses and _CLAUSE_RE.search(text, lo, hi):
            return ""
        who = "user" if _any(lex.user, t) else "company" if _any(lex.company, t) else ""
        if not who:
            return ""
        after = toks[i + 1].text if i + 1 < len(toks) else ""
        if lex.marked_by and after not in lex.marked_by:
            return ""
        if after in lex.not_followed_by:
            return ""
        return who

    for distance in range(1, len(toks)):
        for i in (at - distance, at + distance if lex.search == "both" else -1):
            if 0 <= i < len(toks) and (who := kind(i)):
                return who
    return ""


_CLAUSE_RE = re.compile(r"[,;:()–]")


def _any(words: frozenset[str], token: Token) -> bool:
    return any(_matches(_parts(w, "")[0] if w.startswith("=") else w.casefold(), token) for w in words)


def cjk(tag: str) -> bool:
    return is_cjk(tag)
