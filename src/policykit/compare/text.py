"""Reading a text: its plain and normalised forms, its sentences, and the patterns every reader shares.

The lowest layer of :mod:`policykit.compare`'s text reading: the modules that read
sentences (:mod:`~policykit.compare.hunks`, :mod:`~policykit.compare.terms`,
:mod:`~policykit.compare.statements`) and the one that reports what changed
(:mod:`~policykit.compare.prose`) all normalise and split a text the same way,
with the functions here. Normalised texts that are equal differ only in format
(white space, capitals, hyphen spacing, quotes, markup).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from policykit.compare import paraphrase
from policykit.compare.lexicons import Lexicons, term_re

CJK = "\u3005\u3006\u3007\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
# A sentence ends at a full stop (or ! ?) before a capital, a quotation mark or a parenthesis, or at the end;
# not before a lower-case word or a number ("e.g. the", "Art. 27", "Co., Ltd. and its affiliates").
SENTENCE_END_RE = re.compile(r"(?<=[.!?])(?=\s+[^\sa-z0-9]|\s*$|[A-Z\"'“(])|(?<=[。！？])|\n\s*\n"
                              r"|\n(?=\s*(?:[-*+]|\d+[.)])\s)")
# A bare web address is kept whole: an underscore in it is no emphasis (plain() of a plain text is itself).
_MARKUP_RE = re.compile(r"\[([^\]]*)\]\(([^)]*)\)|<(https?://[^>]+|[^@>\s]+@[^>\s]+)>|(https?://[^\s<>()\]]+)|[*_`#>]+")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"',
                         "–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-", "\u00a0": " "})
# (the text each needs, pattern, replacement): a pattern runs only on a text that holds its text.
_CONTRACTIONS = [(need, re.compile(p), r) for need, p, r in (
    ("won't", r"\bwon't\b", "will not"), ("can't", r"\bcan't\b", "can not"), ("cannot", r"\bcannot\b", "can not"),
    ("shan't", r"\bshan't\b", "shall not"), ("n't", r"n't\b", " not"),
)]
_MARKUP_CHARS = "[<*_`#>"  # every match of _MARKUP_RE starts with one of these
# "cookies -like", "e- mail": a hyphen spaced on one side only is machine-translation damage, not a dash.
_HYPHEN_SPACE_RE = re.compile(r"(?<=\w)[ \t]+-(?=\w)|(?<=\w)-[ \t]+(?=\w)")
_PUNCT_RE = re.compile(r"(?<!\d)[^\w\s]|[^\w\s](?!\d)")

# A reference to a provision: "Art. 27", "Article 6(1)(f)", "section 5", "11 CCR 7027(m)", "Decision (EU)
# 2019/419". Its numbers are no figures of the policy; a changed reference is a legal-citation update
# (docs/legal-basis.md#legal-citations), unless it names a legal basis (GDPR Art. 6(1), 9(2), 49(1)).
CITATION_RE = re.compile(
    r"\b(?:art(?:icle)?s?|sections?|sec|§+|para(?:graph)?s?|rules?|recitals?|chapters?)\.?\s*\d+[a-z]?"
    r"(?:\s*\(\s*[\da-z]+\s*\))*|\b\d+\s+(?:ccr|cfr|u\.?s\.?c)\.?\s*[\d.]+(?:\s*\(\s*[\da-z]+\s*\))*"
    r"|\(\s*e[uc]\s*\)\s*(?:no\.?\s*)?\d+/\d+|\b\d{4}/\d{2,4}\b", re.IGNORECASE)

NUMBER = r"(?:(?<![\d.,])(\d+(?:[.,]\d+)?)|\b([a-z]+))"


# -- normalisation ---------------------------------------------------------
# The four lru_caches of this module: `diff 1.0.1 HEAD` takes 5.00 CPU s without them, 4.53 s with
# (docs/architecture.md, "Caches"): the same sentences are compared many times.
@lru_cache(maxsize=4096)
def plain(text: str) -> str:
    """Markdown markup removed (link text and target kept), Unicode NFKC, quotes and dashes unified."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    if not any(c in text for c in _MARKUP_CHARS):
        return text
    return _MARKUP_RE.sub(lambda m: f"{m.group(1)} {m.group(2)}" if m.group(1) is not None
                          else (m.group(3) or m.group(4) or " "), text)


@lru_cache(maxsize=8192)
def normalise(text: str) -> str:
    """Case-folded, white space collapsed, hyphens unspaced, contractions spelled out: equal means "only format
    changed"."""
    text = plain(text).casefold()
    if "code" in text or "ccr" in text:  # "cal. code regs. tit. 11, § 7027(m)" is "11 ccr 7027(m)": one style
        text = paraphrase.one_statute_style(text)
    if "-" in text:
        text = _HYPHEN_SPACE_RE.sub("-", text)
    for need, pattern, repl in _CONTRACTIONS:
        if need in text:
            text = pattern.sub(repl, text)
    return " ".join(text.split())


@lru_cache(maxsize=4096)
def strip_punctuation(text: str) -> str:
    """``normalise(text)`` without punctuation (a dot or comma inside a number stays)."""
    return " ".join(_PUNCT_RE.sub(" ", normalise(text)).split())


@lru_cache(maxsize=4096)
def sentences(text: str) -> tuple[str, ...]:
    """The sentences (and list items) of ``text``, normalised, empty ones dropped."""
    parts = SENTENCE_END_RE.split(plain(text))
    return tuple(s for s in (normalise(p) for p in parts) if s and re.search(r"\w", s))


def canonical(text: str, lex: Lexicons) -> str:
    text = strip_punctuation(text)
    for group in lex.synonyms:
        for term in group[1:]:
            if term.rstrip("*") in text:  # a substring test first: most synonyms are absent
                text = term_re(term).sub(group[0], text)
    return " ".join(text.split())


def number_value(text: str, lex: Lexicons) -> float | None:
    if text[:1].isdigit():
        try:
            return float(text.replace(",", ""))
        except ValueError:
            return None
    return float(lex.number_words[text]) if text in lex.number_words else None


def short(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def language_of(words: Sequence[tuple[str, str]], lex: Lexicons, *, least: int = 20) -> str:
    """The language most of ``words`` are written in, or ``""`` when no language clearly leads (a short or
    mixed text): Japanese by its kana, Chinese by Han characters without kana, the others by their
    commonest words (at least ``least`` of them, twice as many as the next language's)."""
    text = "".join(w for w, _ in words)
    kana = len(_KANA_RE.findall(text))
    han = len(_HAN_RE.findall(text))
    if kana + han > len(text) / 3:
        return "ja" if kana > han / 10 else "zh"
    counts = Counter({lang: 0 for lang in lex.language_markers})
    for w, _ in words:
        for lang, markers in lex.language_markers.items():
            if w in markers:
                counts[lang] += 1
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < least or (len(ranked) > 1 and ranked[0][1] < 2 * ranked[1][1]):
        return ""
    return ranked[0][0]


def foreign_sentences(before: str, after: str, language: str, lex: Lexicons) -> list[str]:
    """The sentences ``after`` adds that are clearly written in another language than ``language`` (the
    policy's): "Wir verkaufen deine Daten an Werbepartner." added to an English text is not English."""
    if not lex.language_markers or language.split("-")[0] not in lex.language_markers:
        return []
    own = language.split("-")[0]
    out = []
    for s in set(sentences(after)) - set(sentences(before)):
        found = language_of([(w, "") for w in re.findall(r"\w+", s)], lex, least=2)
        if found and found != own:
            out.append(s)
    return out


_KANA_RE = re.compile(r"[\u3040-\u30ff]")
_HAN_RE = re.compile(r"[\u4e00-\u9fff]")
