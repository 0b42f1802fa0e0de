"""The word hunks of a prose change, and which of them are editorial.

docs/legal-basis.md#reading-prose asks to classify a prose change *per hunk*
and let the most severe hunk decide. A whole-text test ("is everything a typo
fix?") fails as soon as a block has one typo fix and one inflection fix, and a
block-level flag (the block is a definition) fires for a hyphen moved anywhere
in it. So :func:`hunks` aligns the words of the two texts (letters, numbers and
single CJK characters; punctuation, white space and case do not count) and
labels each run of changed words:

``inflection``
    the same word in another form: share → shares, partys → parties, cookies →
    cookie, is → are (a small suffix stemmer, :func:`same_lemma`, driven by the
    ``inflections`` and ``agreement`` of the lexicons). Modal verbs and negations
    never count.
``typo``
    misspelt words the dictionary does not know turned into words it knows, one
    or two letters away, also when a word is split (weballinks → web links).
``word-spacing``
    the same letters split or joined (web site → website).
``article``
    only articles (a, an, the) added, removed or swapped.
``synonym``
    a listed synonym (utilise → use), read with the words around it.
``""``
    anything else: a substantive hunk, for the prose features to read.

:func:`apply_editorial` takes the editorial hunks into the "before" text, so the
features see only the substantive changes; :func:`definition_hit` says whether a
substantive hunk changed content words of a defining sentence.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from policykit.compare.lexicons import Lexicons, count_terms
from policykit.compare.text import CJK, SENTENCE_END_RE, canonical, normalise, short

_WORD_RE = re.compile(rf"\d+|[{CJK}]|(?:(?![{CJK}])[^\W\d_])+")
EDITORIAL_KINDS = ("typo", "inflection", "word-spacing", "article", "synonym")


@dataclass(frozen=True)
class Hunk:
    """One run of changed words: the words on each side, where they stand, and what kind of edit it is."""

    before: tuple[str, ...]
    after: tuple[str, ...]
    span_before: tuple[int, int]  # characters of the plain "before" text the hunk replaces
    span_after: tuple[int, int]  # characters of the plain "after" text that replace them
    kind: str = ""  # one of EDITORIAL_KINDS, or "" for a substantive change

    @property
    def editorial(self) -> bool:
        return bool(self.kind)

    def __str__(self) -> str:
        return f"{' '.join(self.before) or '∅'} → {' '.join(self.after) or '∅'}"


def _words(text: str) -> list[re.Match[str]]:
    return list(_WORD_RE.finditer(text))


def hunks(before: str, after: str, lex: Lexicons,
          known_words: Callable[[set[str]], set[str]] | None = None) -> list[Hunk]:
    """The changed runs of words between two *plain* texts (:func:`policykit.compare.text.plain`), each labelled."""
    wa, wb = _words(before), _words(after)
    ka, kb = [m.group(0).casefold() for m in wa], [m.group(0).casefold() for m in wb]
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, ka, kb, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        a, b = tuple(ka[i1:i2]), tuple(kb[j1:j2])
        kind = _kind(a, b, lex, known_words) or _synonym(ka, kb, (i1, i2, j1, j2), lex)
        out.append(Hunk(tuple(m.group(0) for m in wa[i1:i2]), tuple(m.group(0) for m in wb[j1:j2]),
                        _span(wa, i1, i2, len(before)), _span(wb, j1, j2, len(after)), kind))
    return out


def _span(words: Sequence[re.Match[str]], i: int, j: int, end: int) -> tuple[int, int]:
    """Characters of words ``i:j``; an empty run sits where word ``i`` starts (with no words: the end)."""
    if i == j:
        at = words[i].start() if i < len(words) else end
        return at, at
    return words[i].start(), words[j - 1].end()


def _kind(a: tuple[str, ...], b: tuple[str, ...], lex: Lexicons,
          known_words: Callable[[set[str]], set[str]] | None) -> str:
    articles = set(lex.articles)
    if set(a) <= articles and set(b) <= articles:
        return "article"
    bare_a, bare_b = tuple(w for w in a if w not in articles), tuple(w for w in b if w not in articles)
    if (bare_a, bare_b) != (a, b) and bare_a and bare_b:
        return _kind(bare_a, bare_b, lex, known_words)  # "the purpose" → "purposes"
    if a and b and "".join(a) == "".join(b):
        return "word-spacing"
    if not (a and b) or not all(w.isalpha() for w in (*a, *b)):
        return ""
    if len(a) == len(b):
        pairs = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
        if all(same_lemma(x, y, lex) for x, y in pairs):
            return "inflection"
        fixes = [(x, y) for x, y in pairs if not same_lemma(x, y, lex)]
        if all(_within(x, y, 2) for x, y in fixes) and _misspelt_to_known(
                {x for x, _ in fixes}, {y for _, y in fixes}, known_words):
            return "typo"
        return ""
    # A word split or joined, and misspelt on the way (weballinks → web links).
    if _within("".join(a), "".join(b), 2) and _misspelt_to_known(set(a), set(b), known_words):
        return "typo"
    return ""


def _misspelt_to_known(olds: set[str], news: set[str],
                       known_words: Callable[[set[str]], set[str]] | None) -> bool:
    if known_words is None or not olds or not news:
        return False
    known = known_words(olds | news)
    return news <= known and not (olds & known)


def _synonym(ka: Sequence[str], kb: Sequence[str], at: tuple[int, int, int, int], lex: Lexicons) -> str:
    """``synonym`` when the hunk, read with three words either side, is a listed synonym swap."""
    if not lex.synonyms:
        return ""
    i1, i2, j1, j2 = at
    a = " ".join(ka[max(0, i1 - 3):i2 + 3])
    b = " ".join(kb[max(0, j1 - 3):j2 + 3])
    return "synonym" if canonical(a, lex) == canonical(b, lex) else ""


def _forms(word: str, lex: Lexicons) -> set[str]:
    """The word and the stems its suffixes allow (cookies → cookie, cooky; shared → share, shar)."""
    out = {word}
    for suffix, base in lex.inflections:
        root = word[: len(word) - len(suffix)]
        if not word.endswith(suffix) or len(root) < 2 or len(root + base) < 3:
            continue
        out.add(root + base)
        if not base and len(root) >= 4 and root[-1] == root[-2] and root[-1] not in "aeiouls":
            out.add(root[:-1])  # transferred → transferr → transfer
    return out


def same_lemma(a: str, b: str, lex: Lexicons) -> bool:
    """Whether two words are forms of one word (share/shares, partys/parties); modal verbs and negations never are."""
    a, b = a.casefold(), b.casefold()
    if a == b:
        return True
    if not (a.isalpha() and b.isalpha()) or {a, b} & _protected(lex):
        return False
    if any(a in group and b in group for group in lex.agreement):
        return True
    return bool(_forms(a, lex) & _forms(b, lex))


def _protected(lex: Lexicons) -> frozenset[str]:
    cached = lex.__dict__.get("_protected")
    if cached is None:
        terms = [t for f in ("modal", "negation") for t in lex.terms.get(f, ())]
        cached = frozenset(t for t in terms if t.isalpha())
        object.__setattr__(lex, "_protected", cached)
    return cached


def _within(a: str, b: str, limit: int) -> bool:
    """Whether the edit distance (Levenshtein) of ``a`` and ``b`` is at most ``limit``.

    Only the diagonal band of cells within ``limit`` of the corner-to-corner diagonal
    can stay within the limit, so a long hunk (a paragraph rewritten) costs its length
    times the band, not its length squared; a row that is all over the limit ends it.
    """
    if abs(len(a) - len(b)) > limit:
        return False
    over = limit + 1
    prev = [j if j <= limit else over for j in range(len(b) + 1)]
    for i, ca in enumerate(a, 1):
        cur = [over] * (len(b) + 1)
        cur[0] = i if i <= limit else over
        lo, hi = max(1, i - limit), min(len(b), i + limit)
        for j in range(lo, hi + 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != b[j - 1]), over)
        if min(cur[max(0, lo - 1):hi + 1]) > limit:
            return False
        prev = cur
    return prev[-1] <= limit


def apply_editorial(before: str, after: str, found: Sequence[Hunk]) -> str:
    """``before`` with each editorial hunk replaced by its ``after`` words: what is left to compare is substantive."""
    out, at = [], 0
    for h in found:
        if not h.editorial:
            continue
        (s, e), (sa, ea) = h.span_before, h.span_after
        if not h.before:  # words inserted: take them and the separator that follows them
            ea = _next_word(after, ea)
        elif not h.after:  # words deleted: drop them and the separator that follows them
            e = _next_word(before, e)
        out.append(before[at:s])
        out.append(after[sa:ea])
        at = e
    out.append(before[at:])
    return "".join(out)


def _next_word(text: str, at: int) -> int:
    m = _WORD_RE.search(text, at)
    return m.start() if m else len(text)


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    spans, at = [], 0
    for m in SENTENCE_END_RE.finditer(text):
        if m.start() > at:
            spans.append((at, m.start()))
        at = m.end()
    spans.append((at, len(text)))
    return spans


def _defining(text: str, lex: Lexicons, definition_block: bool) -> list[tuple[int, int]]:
    """The spans of the sentences of ``text`` that define a term."""
    spans = [s for s in _sentence_spans(text) if re.search(r"\w", text[s[0]:s[1]])]
    out = [s for s in spans if count_terms(normalise(text[s[0]:s[1]]), lex.definition_markers)]
    if definition_block and spans and spans[0] not in out:
        out.insert(0, spans[0])
    return out


def definition_hit(found: Sequence[Hunk], before: str, after: str, lex: Lexicons, *,
                   definition_block: bool = False) -> str:
    """A description of the first substantive hunk that changes content words of a defining sentence, or ``""``.

    A defining sentence holds one of the ``definition_markers`` ("means", "refers to",
    "hereinafter referred to as"), or opens a block that is a definition.
    """
    function_words = set(lex.function_words)
    da, db = _defining(before, lex, definition_block), _defining(after, lex, definition_block)
    for h in found:
        if h.editorial:
            continue
        content = {w.casefold() for w in (*h.before, *h.after)} - function_words
        if not content:
            continue
        for spans, (s, e), text in ((da, h.span_before, before), (db, h.span_after, after)):
            for start, end in spans:
                if start <= s and e <= end:
                    return f"“{h}” in “{short(normalise(text[start:end]), 60)}”"
    return ""
