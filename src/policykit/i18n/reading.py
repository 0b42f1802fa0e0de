"""What a sentence binds, read the same way in every language: the input of :mod:`policykit.i18n.fidelity`.

:func:`read` returns a :class:`SentenceReading`: for each feature (:data:`policykit.i18n.lexicon.FEATURES`),
the values the sentence states, each with the words that state it::

    read("We do not sell your data to advertisers within 30 days.", "en").values("negation")
    -> ("not",)
    ... .values("parties") -> ("advertisers",);  .values("durations") -> ("30 days",)
    ... .values("bounds") -> ("max",)   # "within", weakly: it answers "at most" and is not required

Quantities are read first (:mod:`policykit.i18n.quantities`), then words from the segmenter's
tokens (:mod:`policykit.i18n.segment`), longest phrase first: a found phrase claims its words, so
"advertising partner" is an advertiser and not also a purpose, and "no more than" is a bound and
not a negation. The words are data, one file a language (:mod:`policykit.i18n.lexicon`).

Modality depends on who acts: a may-word is the company's discretion (``may``) unless its subject
is the user (``user-may``, a permission given to the reader, stated weakly: "you can reach us" and
"Sie erreichen uns" say the same). A can-word is an ability: the user's is ``user-may``, anyone
else's a weak ``may``, and one whose subject is not found (a Japanese sentence without one) is weakly
either. The subject is the nearest user or company word before the verb in its clause; in Japanese
the nearest noun marked as topic (は), else as subject (が).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from policykit.i18n.lexicon import QUANTITIES, Lexicon, Phrase, Says, feature, lexicon, wildcard
from policykit.i18n.quantities import quantities
from policykit.i18n.segment import Token, tokens


@dataclass(frozen=True)
class StatedValue:
    """One value a sentence states, the words that state it, and whether they state it only weakly."""

    feature: str
    value: str
    words: str
    weak: bool = False
    start: int = field(default=0, compare=False)


@dataclass(frozen=True)
class SentenceReading:
    text: str
    hits: tuple[StatedValue, ...] = field(default=())
    refers: bool = False  # a pronoun refers back to something named before ("it", "diese", "これ")

    def values(self, feature: str) -> tuple[str, ...]:
        """Every value of ``feature`` the text states, firmly or weakly, in order (with repeats)."""
        return tuple(h.value for h in self.hits if h.feature == feature)

    def firm(self, feature: str) -> tuple[str, ...]:
        """The values of ``feature`` the text states firmly."""
        return tuple(h.value for h in self.hits if h.feature == feature and not h.weak)

    def words(self, feature: str) -> tuple[str, ...]:
        return tuple(h.words for h in self.hits if h.feature == feature)


def read(text: str, tag: str) -> SentenceReading:
    """What ``text`` (one sentence, or any stretch of text) in language ``tag`` states."""
    lex = lexicon(tag)
    found, masked = quantities(text, lex)
    hits = [StatedValue(q.feature, q.value, q.words, start=q.start) for q in found]
    toks = [t for t in tokens(masked, tag, lex.forms) if t.lemma not in lex.skip]
    hits += _near_quantities(_words(toks, lex, masked), [q.start for q in found] + [q.end for q in found])
    hits.sort(key=lambda h: h.start)
    refers = any(t.lemma in lex.pronouns or t.text.casefold() in lex.pronouns for t in toks)
    return SentenceReading(text, tuple(hits), refers)


def _near_quantities(hits: list[StatedValue], edges: list[int]) -> list[StatedValue]:
    """The hits, less those of a feature read only near a quantity that have none near them."""
    out = []
    for h in hits:
        near = feature(h.feature).near if h.feature not in ("neutral", *QUANTITIES) else 0
        end = h.start + len(h.words)
        if near and not any(max(h.start - edge, edge - end) <= near for edge in edges):
            continue
        out.append(h)
    return out


# -- words ---------------------------------------------------------------------------------
def matches_part(part: str, token: Token, lang: str) -> bool:
    if part.startswith("="):
        return token.text == part[1:]
    if part.startswith("!"):
        return token.text.casefold() == part[1:]
    if "*" in part:
        return bool(wildcard(part).fullmatch(token.text.casefold()))
    return part in (token.lemma, token.text.casefold())


GAP = "..."  # in a phrase: up to GAP_SIZE words of any kind ("ander* ... als": anderen Rechtsgrundlage als)
GAP_SIZE = 3


def _words(toks: list[Token], lex: Lexicon, text: str) -> list[StatedValue]:
    """Every phrase found, the longest first; a found phrase claims its words (not those of a gap)."""
    index = _index(lex)
    candidates: list[tuple[int, int, Phrase, tuple[int, ...]]] = []
    for i, tok in enumerate(toks):
        keys = {tok.lemma, tok.text.casefold(), "=" + tok.text, "!" + tok.text.casefold()}
        for phrase in [p for k in keys for p in index.words.get(k, ())] + index.patterned(tok, lex.language):
            at = _match(phrase.parts, toks, i, lex.language)
            if at is not None:
                candidates.append((-len(at), i, phrase, at))
    candidates.sort(key=lambda c: (c[0], -sum(len(x) for x in c[2].parts), c[1]))
    claimed = [False] * len(toks)
    found: list[StatedValue] = []
    for _, i, phrase, at in candidates:
        if any(claimed[k] for k in at):
            continue
        words = _join((toks[k] for k in at), lex)
        for says in phrase.says:
            if says.feature != "neutral":
                found += _meaning(says, words, toks, i, lex, text)
        for k in at:
            claimed[k] = True
    return found


def _match(parts: tuple[str, ...], toks: list[Token], i: int, lang: str) -> tuple[int, ...] | None:
    """The positions of the words ``parts`` matches from ``toks[i]`` on (a gap as short as it can be)."""
    if not parts:
        return ()
    if parts[0] == GAP:
        for skip in range(GAP_SIZE + 1):
            rest = _match(parts[1:], toks, i + skip, lang)
            if rest is not None:
                return rest
        return None
    if i >= len(toks) or not matches_part(parts[0], toks[i], lang):
        return None
    rest = _match(parts[1:], toks, i + 1, lang)
    return None if rest is None else (i, *rest)


def _meaning(says: Says, words: str, toks: list[Token], at: int, lex: Lexicon, text: str) -> list[StatedValue]:
    """What a found phrase states where it stands: a may- or can-word depends on its subject."""
    start = toks[at].start
    if says.feature != "modality" or says.value not in ("may", "can", "possibly"):
        return [StatedValue(says.feature, says.value, words, says.weak, start)]
    if says.value == "possibly":  # a possibility, whoever is the subject
        return [StatedValue("modality", "may", words, says.weak, start)]
    who = _subject(toks, at, lex, text)
    if who == "user":
        return [StatedValue("modality", "user-may", words, True, start)]
    if says.value == "may":
        return [StatedValue("modality", "may", words, says.weak, start)]
    if who == "company":
        return [StatedValue("modality", "may", words, True, start)]
    return [StatedValue("modality", "may", words, True, start), StatedValue("modality", "user-may", words, True, start)]


@dataclass(frozen=True)
class _Index:
    """A lexicon's phrases by their first word, so that a token is tried only against the phrases that can
    start at it: ``words`` by the word as it must be written; ``patterns`` (first words with ``*``, in
    lexicon order) behind ``any_pattern``, all of them in one expression, so the many words that start
    no pattern cost one match instead of one per pattern (62 in German)."""

    words: dict[str, tuple[Phrase, ...]]
    patterns: tuple[Phrase, ...]
    any_pattern: re.Pattern[str] | None

    def patterned(self, token: Token, lang: str) -> list[Phrase]:
        """The phrases of ``patterns`` whose first word matches ``token``, in lexicon order."""
        if not self.patterns:
            return []
        if self.any_pattern is not None and not self.any_pattern.fullmatch(token.text.casefold()):
            return []
        return [p for p in self.patterns if matches_part(p.parts[0], token, lang)]


@cache
def _index(lex: Lexicon) -> _Index:
    words: dict[str, list[Phrase]] = {}
    patterns = []
    for phrase in lex.phrases:
        first = phrase.parts[0]
        if "*" in first:
            patterns.append(phrase)
        else:
            words.setdefault(first, []).append(phrase)
    # Only plain patterns can be joined (a pattern after = or ! is matched otherwise): else no filter.
    plain = [p.parts[0] for p in patterns]
    joined = (re.compile("|".join(f"(?:{wildcard(x).pattern})" for x in dict.fromkeys(plain)))
              if plain and not any(x.startswith(("=", "!")) for x in plain) else None)
    return _Index({k: tuple(v) for k, v in words.items()}, tuple(patterns), joined)


def _join(toks: Iterable[Token], lex: Lexicon) -> str:
    return ("" if lex.language in ("ja", "zh") else " ").join(t.text for t in toks)


# -- who acts --------------------------------------------------------------------------------
_CLAUSE_RE = re.compile(r"[,;:()–，；：（）]")
_NOUNS = ("名詞", "代名詞")


def _subject(toks: list[Token], at: int, lex: Lexicon, text: str) -> str:
    """``user``, ``company`` or ``""`` (someone else, or not found): who acts at the token at ``at``."""
    if lex.marked_by:
        return _marked_subject(toks, at, lex)
    for i in range(at - 1, -1, -1):
        t = toks[i]
        if lex.clauses and _CLAUSE_RE.search(text, t.start, toks[at].start):
            return ""
        after = toks[i + 1].text if i + 1 < len(toks) else ""
        if after in lex.not_followed_by:
            continue
        who = _who(t, lex)
        if who:
            return who
    return ""


def _marked_subject(toks: list[Token], at: int, lex: Lexicon) -> str:
    """The nearest noun before ``at`` marked by the first particle of ``marked_by`` that has one (the
    topic は, then the subject が): whoever it names (``""`` for anything but the user or the company)."""
    for marker in lex.marked_by:
        for i in range(at - 1, -1, -1):
            if toks[i + 1].text == marker and (toks[i].pos in _NOUNS or _who(toks[i], lex)):
                return _who(toks[i], lex)
    return ""


def _who(token: Token, lex: Lexicon) -> str:
    if _any(lex.user, token, lex.language):
        return "user"
    if _any(lex.company, token, lex.language):
        return "company"
    return ""


def _any(words: frozenset[str], token: Token, lang: str) -> bool:
    return any(matches_part(w, token, lang) for w in words)
