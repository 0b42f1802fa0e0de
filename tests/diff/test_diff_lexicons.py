"""Lexicon terms are matched without compiling every term: the shortcuts find what each term's pattern finds."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from policykit.compare import clauses
from policykit.compare.classify import shipped_rules
from policykit.compare.lexicons import count_terms, term_pattern, term_re
from policykit.compare.text import _CONTRACTIONS, _HYPHEN_SPACE_RE, _MARKUP_RE, _QUOTES, normalise, plain

LEX = shipped_rules().lexicons
_TERMS = sorted({t for ts in LEX.terms.values() for t in ts} | set(LEX.widening) | set(LEX.narrowing)
                | set(LEX.party_context) | set(LEX.transfer_context) | set(LEX.updated_markers)
                | set(LEX.notice_markers) | set(LEX.age_markers) | set(LEX.definition_markers))
_WORDS = sorted({w for t in _TERMS for w in t.rstrip("*").split()} | {"we", "you", "data", "the", "sharing",
                                                                     "disclosures", "transferred", "更新日"})
_GLUE = st.sampled_from([" ", "  ", ", ", ". ", "-", "", "\n", "s ", "ed "])
_SPACE = st.sampled_from([" ", "  ", "\n", " \t"])
# Whole terms too, their words apart by any white space: "such \n as" is "such as".
_PIECES = st.one_of(st.sampled_from(_WORDS), st.tuples(st.sampled_from(_TERMS), _SPACE).map(
    lambda ts: ts[0].rstrip("*").replace(" ", ts[1])))
sentences = st.lists(st.tuples(_PIECES, _GLUE), min_size=1, max_size=12).map(
    lambda parts: "".join(w + g for w, g in parts))


def test_a_term_pattern_is_a_word_a_phrase_across_white_space_or_a_prefix() -> None:
    assert term_re("such as").findall("examples such \n as these, not suchas") == ["such \n as"]
    assert term_re("disclos*").findall("we disclose disclosures; undisclosed") == ["disclose", "disclosures"]
    assert term_re("share").findall("we share, shared, sharing") == ["share"]
    assert term_pattern("e-mail") == r"(?<!\w)e\-mail(?!\w)"


@settings(max_examples=300, deadline=None)
@given(sentences)
def test_count_terms_skips_only_terms_that_cannot_match(text: str) -> None:
    expected = {t: n for t in _TERMS if (n := len(re.findall(term_pattern(t), text)))}
    assert dict(count_terms(text, _TERMS)) == expected


def _compiled_without_shortcuts() -> clauses._Compiled:
    comp = clauses._Compiled(LEX)
    comp.by_word = {k: [(f, t, False) for f, t, _ in v] for k, v in comp.by_word.items()}
    comp.by_prefix = {k: [(f, t, False) for f, t, _ in v] for k, v in comp.by_prefix.items()}
    return comp


SLOW = _compiled_without_shortcuts()


@settings(max_examples=300, deadline=None)
@given(sentences)
def test_a_one_word_term_matches_its_word_as_its_pattern_would(text: str) -> None:
    fast = clauses._Compiled(LEX)
    assert any(simple for v in fast.by_word.values() for _, _, simple in v)
    assert any(simple for v in fast.by_prefix.values() for _, _, simple in v)
    assert clauses._matches(text, fast) == clauses._matches(text, SLOW)


def _normalise_every_step(text: str) -> str:
    """``normalise`` running every substitution on every text (what it did before it skipped any)."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = _MARKUP_RE.sub(lambda m: f"{m.group(1)} {m.group(2)}" if m.group(1) is not None
                                else (m.group(3) or " "), text)
    text = _HYPHEN_SPACE_RE.sub("-", text.casefold())
    for _, pattern, repl in _CONTRACTIONS:
        text = pattern.sub(repl, text)
    return " ".join(text.split())


_PROSE = st.lists(st.sampled_from([*"ab cn't-wosh\t[]()<>*_`#@.:/", "won't", "cannot", "Can’t", "e -mail",
                                    "[x](y)", "<a@b.c>", "**", "— "]), max_size=30).map("".join)


@settings(max_examples=500, deadline=None)
@given(_PROSE)
def test_normalise_skips_only_substitutions_that_cannot_apply(text: str) -> None:
    normalise.cache_clear()
    plain.cache_clear()
    assert normalise(text) == _normalise_every_step(text)
