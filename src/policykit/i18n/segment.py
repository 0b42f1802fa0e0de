"""Words, lemmas and sentences of the published languages: the one module that owns the segmenters.

::

    tokens(text, "ja")    -> [Token("当社", "当社", 0), Token("は", "は", 2), ...]
    sentences(text, "de") -> [SentenceSpan("Wir verkaufen ...", 0), ...]

- Japanese: SudachiPy with ``sudachidict-core``, split mode C (the longest units, so
  ``日本語`` is one word and does not name Japan, ``関連会社`` is one word). The lemma is the
  dictionary form (``ませ`` + ``ん`` -> ``ます`` + ``ぬ``).
- Chinese (``zh``, ``zh-Hans``): jieba's dictionary and algorithm through ``rjieba`` (the Rust
  port: the same words as jieba, a third of its cold cost, and no cache file written outside
  the project). The lemma is the word. The data file's ``forms`` splits what jieba glues: a
  one-character adverb and 应 (``可应`` -> ``可 应``), so 可应您的要求 is "on request" as 应您的要求 is.
- German and English (and any other language Snowball has): words by a regular expression
  (hyphenated compounds split at the hyphen, so ``EU-Vertreter`` has ``EU``); the lemma is the
  Snowball stem of the case-folded word (PyStemmer, the Snowball stemmers compiled: ``Behörden``
  and ``Behörde`` -> ``behord``). A language's irregular forms (``kann`` -> ``können``) are mapped by its data file
  before stemming (``forms``); the word lists are stemmed the same way (:func:`stem`), so both
  sides meet. A language Snowball lacks keeps the case-folded word.

Every dictionary is loaded on first use, never at import: ``policyctl --help`` imports none.
The evaluation of the candidates (fugashi with unidic-lite, Janome, jieba) is in
``docs/i18n.md`` and ``benchmarks/bench_fidelity.py``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

__all__ = ["SentenceSpan", "Token", "is_cjk", "sentences", "stem", "tokens"]


@dataclass(frozen=True)
class Token:
    """A word: as written, its lemma (a case-folded stem for alphabetic languages), where it starts,
    and for Japanese its part of speech (SudachiPy's first level: ``名詞``, ``助詞``, ...)."""

    text: str
    lemma: str
    start: int
    pos: str = ""

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(frozen=True)
class SentenceSpan:
    """A stretch of a text (a sentence) and where it starts in the text."""

    text: str
    start: int


def base_language(tag: str) -> str:
    """``zh-Hans`` -> ``zh``, ``de-CH`` -> ``de``."""
    return tag.split("-")[0].split("_")[0].lower()


def is_cjk(tag: str) -> bool:
    return base_language(tag) in ("ja", "zh")


def tokens(text: str, tag: str, forms: Mapping[str, str] | None = None) -> list[Token]:
    """The words of ``text`` in language ``tag`` (punctuation and spaces are not words); ``forms``
    maps an irregular case-folded word to the word it is stemmed as."""
    lang = base_language(tag)
    if lang == "ja":
        return _japanese(text)
    if lang == "zh":
        return _chinese(text, forms or {})
    return _alphabetic(text, lang, forms or {})


# -- sentences -------------------------------------------------------------------------
_CJK_END_RE = re.compile(r"[。！？；]+[」』）)]*|\n+")
# A full stop, question or exclamation mark followed by a space and a capital letter, an opening
# quote or bracket, or a list bullet, or glued to a capitalised word ("database.To exercise": a
# missing space); a semicolon and a space (as ； in Japanese and Chinese: the two sides are cut
# alike, and the aligner joins what one side cuts and the other does not); or a line break.
_LATIN_END_RE = re.compile(r"(?<=[.!?])[\"”“»«']?\s+(?=[\"„“«»(•\-–]?[A-ZÄÖÜ•])|(?<=[a-z)][.!?])(?=[A-Z][a-z])"
                           r"|(?<=;)\s+|\n+")


def sentences(text: str, tag: str, abbreviations: frozenset[str] = frozenset()) -> list[SentenceSpan]:
    """The sentences of ``text``: split after 。！？； in Japanese and Chinese; after . ! ? ; and a
    capitalised word elsewhere, unless the word before the stop is one of ``abbreviations``
    (``e.g.``, ``z. B.``, ``Co.``); and at every line break (a list item is a sentence)."""
    pattern = _CJK_END_RE if is_cjk(tag) else _LATIN_END_RE
    out: list[SentenceSpan] = []
    start = 0
    for m in pattern.finditer(text):
        end = m.end() if is_cjk(tag) else m.start()
        if not is_cjk(tag) and "\n" not in m.group(0) and _ends_with_abbreviation(text[start:end], abbreviations):
            continue
        _add(out, text, start, end)
        start = m.end()
    _add(out, text, start, len(text))
    return out


def _ends_with_abbreviation(chunk: str, abbreviations: frozenset[str]) -> bool:
    stripped = chunk.rstrip("\"”“»«'")
    return any(stripped.endswith(a) and (len(stripped) == len(a) or not stripped[-len(a) - 1].isalnum())
               for a in abbreviations)


def _add(out: list[SentenceSpan], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        out.append(SentenceSpan(stripped, start + piece.index(stripped)))


# -- the segmenters ----------------------------------------------------------------------
@cache
def _sudachi() -> Any:
    from sudachipy import Dictionary, SplitMode

    tokenizer = Dictionary(dict="core").tokenizer(mode=SplitMode.C)
    return tokenizer


def _japanese(text: str) -> list[Token]:
    out = []
    for m in _sudachi().tokenize(text):
        if m.part_of_speech()[0] in ("補助記号", "空白"):
            continue
        out.append(Token(m.surface(), m.dictionary_form(), m.begin(), m.part_of_speech()[0]))
    return out


@cache
def _jieba() -> Any:
    import rjieba

    return rjieba


def _chinese(text: str, forms: Mapping[str, str]) -> list[Token]:
    """jieba's words; one that ``forms`` maps to words separated by spaces is split into them (jieba
    glues a one-character adverb to the verb after it: 可应 is 可 + 应, "may, at [your request]")."""
    out = []
    for word, start, _ in _jieba().tokenize(text):
        if not _WORDLIKE_RE.search(word):
            continue
        at = start
        for part in forms.get(word, word).split():
            out.append(Token(part, part, at))
            at += len(part)
    return out


_WORDLIKE_RE = re.compile(r"\w")
_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


# Snowball's name of each language it stems (``Stemmer.algorithms()``).
_SNOWBALL = {"ar": "arabic", "ca": "catalan", "cs": "czech", "da": "danish", "de": "german", "el": "greek",
             "en": "english", "es": "spanish", "et": "estonian", "eu": "basque", "fi": "finnish", "fr": "french",
             "ga": "irish", "hi": "hindi", "hu": "hungarian", "hy": "armenian", "id": "indonesian",
             "it": "italian", "lt": "lithuanian", "ne": "nepali", "nl": "dutch", "no": "norwegian",
             "nb": "norwegian", "pl": "polish", "pt": "portuguese", "ro": "romanian", "ru": "russian",
             "sr": "serbian", "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish"}


@cache
def _stemmer(lang: str) -> Any:
    name = _SNOWBALL.get(lang)
    if name is None:
        return None
    import Stemmer  # PyStemmer: the Snowball project's stemmers, compiled

    return Stemmer.Stemmer(name) if name in Stemmer.algorithms() else None


@cache
def stem(word: str, tag: str) -> str:
    """The case-folded Snowball stem of ``word`` in ``tag``'s language (the word itself, case-folded,
    for a language Snowball has no stemmer for)."""
    folded = word.casefold()
    stemmer = _stemmer(base_language(tag))
    return str(stemmer.stemWord(folded)) if stemmer is not None else folded


def _alphabetic(text: str, lang: str, forms: Mapping[str, str]) -> list[Token]:
    out = []
    for m in _WORD_RE.finditer(text):
        folded = m.group(0).casefold()
        out.append(Token(m.group(0), stem(forms.get(folded, folded), lang), m.start()))
    return out
