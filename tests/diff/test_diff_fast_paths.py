"""Two costs cut from `policyctl diff`: term alternations that share one word-start check (each gives what
the plain way gives), and attribute edits decided key by key, DeepDiff only for collections."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from policykit.compare.actions import vocabulary
from policykit.compare.diff import changed_keys
from policykit.compare.lexicons import term_pattern, terms_pattern
from policykit.compare.text import normalise
from tests.conftest import REPO


def _real_texts() -> list[str]:
    return [normalise(p.read_text("utf-8")) for p in sorted((REPO / "policy" / "sections").glob("*.yaml"))]


def test_a_shared_word_start_finds_what_one_check_per_term_finds_in_the_real_policy() -> None:
    terms = sorted(vocabulary().verbs, key=len, reverse=True)
    # Terms that start with a letter and terms that do not, interleaved: the order of the branches is kept.
    terms += ["-free", "data", "(s)", "e-mail*", "3rd part*"]
    plain = re.compile("(?:" + "|".join(term_pattern(t) for t in terms) + ")")
    shared = re.compile(terms_pattern(terms))
    found = 0
    for text in [*_real_texts(), "a cookie-free site; our 3rd party partners e-mailed the user(s)"]:
        expected = [(m.start(), m.group(0)) for m in plain.finditer(text)]
        assert [(m.start(), m.group(0)) for m in shared.finditer(text)] == expected
        found += len(expected)
    assert found > 200


@pytest.mark.parametrize(("before", "after", "expected"), [
    ({"period": "P30D", "basis": "fixed"}, {"period": "P90D", "basis": "fixed"}, ["period"]),  # edited in place
    ({"min_age": 16, "consent": True, "basis": "a"}, {"min_age": 16.0, "consent": 1, "basis": "b"},
     ["min_age", "consent", "basis"]),  # another type is another value
    ({"countries": ["JP", "DE"], "party": "first"}, {"countries": ["DE", "JP"], "party": "first"}, []),  # reordered
    ({"countries": ["JP"], "party": "first"}, {"countries": ["JP", "US"], "party": "third"}, ["countries", "party"]),
    ({"x": {"a": [1, 2]}}, {"x": {"a": [2, 1]}}, []),
    ({"channel": None}, {"channel": "dpo"}, ["channel"]),
    ({"basis": "fixed", "period": "P30D"}, {"basis": "fixed"}, ["period"]),
    # A mapping that gains most of its keys: DeepDiff over the whole mapping reports one change of its root and
    # names no key, so this retention fact's new period went unreported before each key was decided alone.
    ({"basis": "fixed"}, {"basis": "fixed", "period": "P30D", "from": "deletion", "applies_to": ("email",)},
     ["period", "from", "applies_to"]),
    ({"a": 1, "b": 2, "c": 3}, {"d": 4}, ["a", "b", "c", "d"]),
])
def test_changed_keys_names_every_key_whose_value_differs(
    before: dict[str, Any], after: dict[str, Any], expected: list[str]
) -> None:
    assert changed_keys(before, after) == expected


def test_an_attribute_edited_in_place_does_not_import_deepdiff() -> None:
    import subprocess
    import sys

    code = ("import sys; from policykit.compare.diff import changed_keys; "
            "assert changed_keys({'period': 'P30D'}, {'period': 'P90D'}) == ['period']; "
            "print('deepdiff' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


@pytest.mark.parametrize("language", ["en", "de", "en-GB"])
def test_the_dictionary_read_as_text_knows_what_the_spell_checker_knows(language: str) -> None:
    from spellchecker import SpellChecker

    from policykit.compare.observations import _dictionary

    words = {w for text in _real_texts() for w in re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", text)}
    words |= {w + "x" for w in sorted(words)[:300]}  # misspelt
    words |= {"Zürich", "Datenschutzerklärung", "Größe", "a's", "nan", "inf", "1.5", "12", "-", "a", "NEED",
              "weballinks", "anonymisation", "anonymization", "x" * 60, ""}
    plain = SpellChecker(language=language.split("-")[0]).known(words)
    known = _dictionary(language)(words)
    assert known == plain
    assert len(known) > 150 and len(words - known) > 300


def test_a_language_without_a_dictionary_knows_no_word() -> None:
    from policykit.compare.observations import _dictionary

    assert _dictionary("ja")({"データ", "data"}) == set()


def test_law_dates_skip_a_text_without_a_digit_and_find_what_the_full_scan_finds() -> None:
    """A text without a digit holds no date (every form of values._DATE_RE has one): its scan is skipped."""
    from policykit.compare import values

    def plain(text: str) -> set[str]:
        out = set()
        for m in values._DATE_RE.finditer(text):
            before = text[max(0, m.start() - 80):m.start()]
            if values._LAW_RE.search(before) and re.search(r"\b(?:of|since|from|on|dated)\s*$", before):
                out.add(m.group(0))
        return out

    made = ["Decision (EU) 2019/419 of 23 January 2019", "in force since 1 April 2022", "the act of May",
            "the law of March twenty", "adopted on 2022-04-01", "the regulation of ２０２２年３月", ""]
    texts = [*_real_texts(), *made]
    assert sum(bool(plain(t)) for t in texts) >= 2
    for text in texts:
        assert values._law_dates(text) == plain(text), text


def test_a_topic_skipped_for_want_of_its_first_words_counts_what_its_pattern_finds() -> None:
    """topics._count scans a text for a topic's words only when it holds one of their first words."""
    from policykit.compare import topics
    from policykit.compare.text import sentences

    translated = [p.read_text("utf-8") for p in sorted((REPO / "locales").rglob("*.yaml"))]
    made = ["Cookies and third-party beacons", "the thirdparty", "wir teilen Ihre Daten", "child-safe ages",
            "retained for 30 days", "no word of any topic", ""]
    texts = [s for t in [*_real_texts(), *translated] for s in sentences(t)] + made
    skipped = 0
    for text in texts:
        for topic, pattern, heads in topics.topics().words:
            plain = len(pattern.findall(text))
            assert topics._count(pattern, heads, text) == plain, (topic, text)
            skipped += not any(head in text for head in heads)
    assert skipped > len(texts)  # the fast path is taken, and not for every text
    assert sum(len(p.findall(t)) for t in texts for _, p, _ in topics.topics().words) > 500


@pytest.mark.parametrize("version", ["1.0.0", "1.0.1"])
def test_moves_weighed_only_against_sentences_sharing_a_stem_are_the_moves_of_every_pair(
        version: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """find_moves weighs an arrival only against the departures that share a content stem with it: on
    the real history (a release against the working tree, every translation) it finds what weighing
    every pair finds."""
    from policykit.compare import moves
    from policykit.compare.classify import shipped_rules
    from policykit.compare.diff import diff_policies
    from tests.conftest import materialise_release
    from tests.diff.realedits import copy_real, load

    before, after = load(materialise_release(version, tmp_path / "before")), load(copy_real(tmp_path / "now"))
    changes = diff_policies(before, after, locales=[t for t in after.all_locales if t != after.source_locale])
    lex = shipped_rules().lexicons
    fast = moves.find_moves(changes, lex)
    weighed: list[int] = []

    def every_pair(new: str, left: list[tuple[str, str]], index: object, lex: object) -> list[tuple[str, str]]:
        weighed.append(len(left))
        return list(left)

    monkeypatch.setattr(moves, "_sharing_a_stem", every_pair)
    plain = moves.find_moves(changes, lex)
    assert (fast.moved, fast.lent, fast.borrowed) == (plain.moved, plain.lent, plain.borrowed)
    assert sum(weighed) > 1000 and (plain.borrowed or plain.lent)  # the history moves sentences between blocks
