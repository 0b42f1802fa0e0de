"""The fidelity reader tries a phrase only where it can start (by its first word, or behind one expression
joining the patterns that start phrases): on every sentence of the real translations it finds, at every
word, exactly the phrases that trying every phrase of the lexicon finds."""

from __future__ import annotations

import pytest
from i18n_helpers import load
from tests.conftest import REPO

from policykit.i18n.catalog import units
from policykit.i18n.lexicon import lexicon
from policykit.i18n.reading import _index, _match
from policykit.i18n.segment import sentences, tokens


@pytest.mark.parametrize("tag", ["de", "ja", "zh-Hans", "en"])
def test_the_index_offers_every_phrase_that_matches_and_only_those(tag: str) -> None:
    policy = load(REPO)
    lex = lexicon(tag)
    index = _index(lex)
    texts = [u.source if tag == "en" else u.translated.text for u in units(policy, "de" if tag == "en" else tag)
             if tag == "en" or u.translated is not None]
    words = wild = 0
    for text in texts:
        for sentence in sentences(text, tag, lex.abbreviations):
            toks = [t for t in tokens(sentence.text, tag, lex.forms) if t.lemma not in lex.skip]
            for i, tok in enumerate(toks):
                every = [p for p in lex.phrases if _match(p.parts, toks, i, lex.language) is not None]
                keys = {tok.lemma, tok.text.casefold(), "=" + tok.text, "!" + tok.text.casefold()}
                offered = [p for k in keys for p in index.words.get(k, ())] + index.patterned(tok, lex.language)
                found = [p for p in offered if _match(p.parts, toks, i, lex.language) is not None]
                assert sorted(map(repr, found)) == sorted(map(repr, every)), (tag, sentence.text, tok.text)
                words += 1
                wild += any("*" in p.parts[0] for p in every)
    assert words > 1000
    if tag == "de":  # the German compounds (Werbepartner, Auftragsverarbeiter) do start phrases here
        assert wild > 20
