"""The quantity reader joins the sentence again only after a quantity was claimed, not once per pattern: on
every sentence of the real policy and its translations it finds exactly what joining before every pattern
finds (the way it read before), quantities, words and the text they leave."""

from __future__ import annotations

import re

import pytest
from i18n_helpers import load
from tests.conftest import REPO

from policykit.i18n import quantities as q
from policykit.i18n.catalog import units
from policykit.i18n.lexicon import Lexicon, lexicon
from policykit.i18n.segment import sentences


def _plain(text: str, lex: Lexicon) -> tuple[list[q.Quantity], str]:
    """quantities() as it was: the text joined afresh before each pattern."""
    found: list[q.Quantity] = []
    chars = list(text)

    def claim(m: re.Match[str], feature: str, value: str) -> None:
        if any(c == "\0" for c in chars[m.start():m.end()]):
            return
        chars[m.start():m.end()] = "\0" * (m.end() - m.start())
        found.append(q.Quantity(feature, value, m.group(0), m.start(), m.end()))

    for pattern in lex.dates:
        for m in pattern.finditer("".join(chars)):
            value = q._date(m, lex)
            if value:
                claim(m, "dates", value)
    for op, pattern in lex.ages:
        for m in pattern.finditer("".join(chars)):
            n = q._number(m.group("n"), lex)
            if n is not None:
                claim(m, "ages", f"{'' if op == '=' else op}{q._fmt(n)}")
    for pattern in lex.durations:
        for m in pattern.finditer("".join(chars)):
            raw_n = m.groupdict().get("n")
            n = q._number(raw_n, lex) if raw_n else 1.0
            unit = lex.units.get(m.group("unit").casefold())
            if n is None or unit is None:
                continue
            if unit == 365 and n >= 1000:
                claim(m, "dates", q._fmt(n))
            else:
                claim(m, "durations", f"{q._fmt(n * unit)} days")
    masked = "".join(" " if c == "\0" else c for c in chars)
    return found + q._numbers(masked, lex), masked


# Quantities that overlap and follow each other: a claim must hide its words from every later pattern.
_MADE = {"en": ["Within 30 days, and no later than 1 January 2025, we delete data of users under 16 kept 2 years.",
                "", "\0 3 months"],
         "de": ["Binnen 30 Tagen, spätestens am 1. Januar 2025, löschen wir Daten von Nutzern unter 16 Jahren."],
         "ja": ["2025年1月1日までに、16歳未満の利用者のデータを30日以内に削除します。"],
         "zh-Hans": ["我们在2025年1月1日前于30天内删除未满16岁用户的数据，保留两年。"]}


@pytest.mark.parametrize("tag", ["en", "de", "ja", "zh-Hans"])
def test_joining_after_a_claim_reads_what_joining_before_each_pattern_reads(tag: str) -> None:
    policy = load(REPO)
    lex = lexicon(tag)
    texts = [u.source if tag == "en" else u.translated.text for u in units(policy, "de" if tag == "en" else tag)
             if tag == "en" or u.translated is not None]
    read = claimed = 0
    for text in texts:
        for sentence in [s.text for s in sentences(text, tag, lex.abbreviations)] + [text]:
            assert q.quantities(sentence, lex) == _plain(sentence, lex), (tag, sentence)
            read += 1
            claimed += bool(q.quantities(sentence, lex)[0])
    for sentence in _MADE[tag]:
        assert q.quantities(sentence, lex) == _plain(sentence, lex), (tag, sentence)
    assert read > 100 and claimed > 10
