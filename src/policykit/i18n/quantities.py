"""Numbers, durations, dates and ages read from a text with the patterns of its language's data file.

::

    quantities("Wir löschen sie innerhalb von 30 Tagen.", lexicon("de"))
    -> ([Quantity("durations", "30 days", "30 Tagen", 26, 34)], "Wir löschen sie innerhalb von         .")

Dates are read first, then ages, then durations; each claims its characters, which are blanked out
of the text returned (as spaces, so no word is glued across them): the 16 of "under 16" is an age
and not also a number, and a word inside a quantity (未満, 未满) is not read as a negation. Numbers
are read last from what is left: digits, the language's number words, CJK numerals before 次/回/倍.
Durations are in days (a month is 30); a date is ISO, as precise as written; an age carries its
comparison (``<16``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policykit.i18n.lexicon import CJK_DIGITS, Lexicon


@dataclass(frozen=True)
class Quantity:
    feature: str  # numbers, durations, dates or ages
    value: str
    words: str
    start: int
    end: int


def quantities(text: str, lex: Lexicon) -> tuple[list[Quantity], str]:
    """Every quantity of ``text``, and the text with them blanked out."""
    found: list[Quantity] = []
    chars = list(text)
    # Each pattern reads the text as the claims before it left it; joined again only after a claim
    # (most sentences hold no quantity, and a language has dozens of patterns).
    current = [text]

    def claim(m: re.Match[str], feature: str, value: str) -> None:
        if "\0" in chars[m.start():m.end()]:
            return
        chars[m.start():m.end()] = "\0" * (m.end() - m.start())
        current[0] = ""
        found.append(Quantity(feature, value, m.group(0), m.start(), m.end()))

    def masked_so_far() -> str:
        if not current[0] and chars:
            current[0] = "".join(chars)
        return current[0]

    for pattern in lex.dates:
        for m in pattern.finditer(masked_so_far()):
            value = _date(m, lex)
            if value:
                claim(m, "dates", value)
    for op, pattern in lex.ages:
        for m in pattern.finditer(masked_so_far()):
            n = _number(m.group("n"), lex)
            if n is not None:
                claim(m, "ages", f"{'' if op == '=' else op}{_fmt(n)}")
    for pattern in lex.durations:
        for m in pattern.finditer(masked_so_far()):
            raw_n = m.groupdict().get("n")
            n = _number(raw_n, lex) if raw_n else 1.0
            unit = lex.units.get(m.group("unit").casefold())
            if n is None or unit is None:
                continue
            if unit == 365 and n >= 1000:  # "2012年": a calendar year, not 2,012 years
                claim(m, "dates", _fmt(n))
            else:
                claim(m, "durations", f"{_fmt(n * unit)} days")
    masked = "".join(" " if c == "\0" else c for c in chars)
    return found + _numbers(masked, lex), masked


def _date(m: re.Match[str], lex: Lexicon) -> str | None:
    groups = m.groupdict()
    year, day = groups.get("year"), groups.get("day")
    month: int | None = None
    if groups.get("month"):
        month = lex.months.get(groups["month"].casefold().rstrip("."))
    elif groups.get("month_n"):
        month = int(groups["month_n"])
    if month is None or not 1 <= month <= 12 or (day and not 1 <= int(day) <= 31):
        return None
    return "-".join(x for x in (year, f"{month:02d}", f"{int(day):02d}" if day else None) if x)


_ROMAN_RE = re.compile(r"\((i{1,3}|iv|v|vi{1,3}|ix|x)\)")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}
# A CJK numeral counting times (一次, 两回, 三倍), not 最后一次 / 上一次 (the last time), 第一次 (an ordinal);
# or numbering a provision (第二十七条, 第五項): Article 27 in any script.
_CJK_TIMES_RE = re.compile(rf"(?<![后上下这每第])([{CJK_DIGITS}]+)(?=[次回倍])"
                           rf"|(?<=第)([{CJK_DIGITS}]+)(?=[条條項项款号號章節节])")


def _numbers(text: str, lex: Lexicon) -> list[Quantity]:
    """Numbers not read as a quantity: digits, the language's number words, CJK numerals before 次/回/倍."""
    out = []
    for m in re.finditer(r"\d+(?:[.,\u202f]\d{3})*(?:[.,]\d+)?", text):
        n = _number(m.group(0), lex)
        if n is None:
            continue
        # A year on its own is a date in every language ("Act 2012", "2012年"), so they compare.
        if re.fullmatch(r"(?:19|20)\d\d", m.group(0)):
            out.append(Quantity("dates", m.group(0), m.group(0), m.start(), m.end()))
        else:
            out.append(Quantity("numbers", _fmt(n), m.group(0), m.start(), m.end()))
    if lex.number_words:
        for m in re.finditer(r"[^\W\d_]+", text):
            value = lex.number_words.get(m.group(0).casefold())
            if value is not None:
                out.append(Quantity("numbers", str(value), m.group(0), m.start(), m.end()))
    if lex.roman:
        out += [Quantity("numbers", str(_ROMAN[m.group(1)]), m.group(0), m.start(), m.end())
                for m in _ROMAN_RE.finditer(text)]
    if lex.language in ("ja", "zh"):
        for m in _CJK_TIMES_RE.finditer(text):
            n = _cjk_number(m.group(1) or m.group(2))
            if n is not None:
                out.append(Quantity("numbers", _fmt(n), m.group(0), m.start(), m.end()))
    return out


def _number(raw: str | None, lex: Lexicon) -> float | None:
    if raw is None:
        return None
    word = lex.number_words.get(raw.casefold())
    if word is not None:
        return float(word)
    if raw[0] in CJK_DIGITS:
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
