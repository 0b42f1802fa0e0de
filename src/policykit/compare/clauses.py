"""How one sentence is read: which terms it asserts, which it negates, and how alike two sentences are.

docs/legal-basis.md#reading-prose reads a prose change by its terms (processing
verbs, open lists, consent wording …) and its direction. A term alone is not enough:

- a term in the scope of a negation ("we do **not** sell or share", "without your
  consent") states what is *not* done: it narrows, it does not widen;
- a permission given to the user ("you can ask us to disclose the records …") is a
  right, not processing by us; the modal verb counts as protective;
- a term in quotation marks names something (see "International transfers"), it
  does not state it;
- a term listed in ``term_context`` means processing only next to one of its context
  words ("train" a model, not "train our employees");
- a processing term in a change-notice clause ("if we … share it with new kinds of
  recipients, we notify you") names a change that triggers notice, not processing;
- a ``fixed_phrases`` phrase is not read for terms ("at any time", "free of charge").

:func:`read` returns every term hit of a sentence with its *status* (``""`` for an
asserted term); :func:`similarity` compares two sentences by their content words,
for pairing an edited sentence with its old self, also across blocks. The word
lists are data: the ``lexicons`` of ``data/rules.yaml``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from policykit.compare.lexicons import Lexicons, ing_form, term_re, terms_re

_WORD_RE = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*|\d+(?:[.,]\d+)*")
_QUOTED_RE = re.compile(r'"[^"]*"')
CLAUSE_END_RE = re.compile(r"[.;:!?]")
LIST_ITEM_RE = re.compile(r"^(?:[-+]|\d+[.)])\s")
# Pseudo-features for the direction lists.
WIDENING, NARROWING = "+widening", "-narrowing"
PARTY_CONTEXT, TRANSFER_CONTEXT = "party-context", "transfer-context"


@dataclass(frozen=True)
class Hit:
    """One term found in a sentence."""

    feature: str  # a `terms` feature, or WIDENING / NARROWING
    term: str  # the lexicon term that matched
    key: str  # hits with the same key are the same term (inflections merged)
    start: int
    status: str = ""  # "" asserted | negated | user | quoted | hypothetical | context | illustration


@dataclass(frozen=True)
class Reading:
    """A normalised sentence and every term hit in it."""

    text: str
    hits: tuple[Hit, ...]
    words: tuple[tuple[int, int], ...]  # spans of the words, for windows
    negated: tuple[tuple[int, int], ...] = ()  # spans a negator governs ("we do not sell … to anyone")
    user: tuple[tuple[int, int], ...] = ()  # spans of a permission given to the user ("you can ask us …")

    def negates(self, pos: int) -> bool:
        """Whether the word at ``pos`` is in a negation's scope."""
        return _inside(pos, self.negated)

    def permits_user(self, pos: int) -> bool:
        """Whether the word at ``pos`` is in a permission given to the user ("you can ask us to …")."""
        return _inside(pos, self.user)

    def asserts(self, pos: int) -> bool:
        """Whether the word at ``pos`` is stated as done: in no negation's scope ("we do not sell …") and
        no permission given to the user ("you can ask us to disclose …")."""
        return not _inside(pos, self.negated) and not _inside(pos, self.user)

    def of(self, feature: str, *, statuses: Iterable[str] = ("",)) -> list[Hit]:
        wanted = set(statuses)
        return [h for h in self.hits if h.feature == feature and h.status in wanted]

    def keys(self, feature: str, *, statuses: Iterable[str] = ("",)) -> Counter[str]:
        return Counter(h.key for h in self.of(feature, statuses=statuses))

    def present(self, feature: str, *, statuses: Iterable[str] = ("",)) -> Counter[str]:
        """The keys of ``feature`` this sentence holds, once each (a sentence says a thing or does not)."""
        return Counter(set(self.keys(feature, statuses=statuses)))

    def display(self, feature: str, key: str) -> str:
        return next((h.term for h in self.hits if h.feature == feature and h.key == key), key)

    def word_at(self, pos: int) -> int:
        return next((i for i, (s, e) in enumerate(self.words) if s <= pos < e or s >= pos), len(self.words))

    def near(self, pos: int, feature: str, window: int) -> bool:
        """Whether an asserted hit of ``feature`` stands within ``window`` words of ``pos``."""
        at = self.word_at(pos)
        return any(abs(self.word_at(h.start) - at) <= window for h in self.of(feature))


def _stem(word: str) -> str:
    """A crude stem for telling inflections apart from other words: sharing/shares/shared -> shar."""
    for suffix in ("ing", "ed", "es", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            root = word[: -len(suffix)]
            if suffix != "e" and len(root) >= 4 and root[-1] == root[-2] and root[-1] not in "aeiouls":
                root = root[:-1]  # transferred -> transfer
            return root
    return word


def _term_key(term: str, matched: str) -> str:
    return term if term.endswith("*") or " " in term else _stem(matched)


_RUN_RE = re.compile(r"\w+")  # a run of word characters: a word as the term index sees it


class _Compiled:
    """The lexicon's word index and scope patterns, built once per Lexicons.

    Terms are indexed by their first word (or, for a prefix term like "disclos*", by that prefix), so that a
    sentence is scanned once, word by word, instead of once per feature. A term that is one word (or one
    prefix) of word characters matches exactly the word it is indexed under, so it needs no pattern; any
    other term's pattern is compiled the first time a sentence holds its first word.
    """

    def __init__(self, lex: Lexicons) -> None:
        features: dict[str, Sequence[str]] = {**lex.terms, WIDENING: lex.widening, NARROWING: lex.narrowing,
                                              PARTY_CONTEXT: lex.party_context,
                                              TRANSFER_CONTEXT: lex.transfer_context}
        # (feature, term, simple): ``simple`` when the term is the whole word (prefix) it is indexed under.
        self.by_word: dict[str, list[tuple[str, str, bool]]] = {}
        self.by_prefix: dict[str, list[tuple[str, str, bool]]] = {}
        for name, terms in features.items():
            for term in set(terms):
                first = re.split(r"[\s]+", term, maxsplit=1)[0]
                simple = _RUN_RE.fullmatch(term.rstrip("*")) is not None
                if first.endswith("*"):
                    self.by_prefix.setdefault(first.rstrip("*"), []).append((name, term, simple))
                    if ing_form(first.rstrip("*")) and " " not in term:
                        self.by_prefix.setdefault(ing_form(first.rstrip("*")), []).append((name, term, simple))
                else:
                    head = re.match(r"\w*", first)
                    self.by_word.setdefault((head.group(0) if head else "") or first, []).append(
                        (name, term, simple))
        self.prefix_lengths = sorted({len(k) for k in self.by_prefix})
        self.negators = terms_re(lex.negators)
        self.fixed = terms_re(lex.fixed_phrases)
        self.breaks = terms_re(lex.scope_breaks)
        self.permissions = terms_re(lex.permissions)
        self.notice = terms_re(lex.change_notice_markers)
        self.conditionals = terms_re(lex.conditionals)
        self.auxiliaries = set(lex.terms.get("modal", ())) | set(lex.auxiliaries)
        self.user_subjects = set(lex.user_subjects)
        self.our_subjects = set(lex.our_subjects)
        self.clause_starts = set(lex.clause_starts)
        self.term_context = lex.term_context
        self._context: dict[str, re.Pattern[str] | None] = {}
        self.illustration = set(lex.illustration_starts)
        self.list_heads = terms_re(lex.list_heads) if lex.list_heads else None
        self.term_keys = dict(lex.term_keys)
        self.key_targets = set(lex.term_keys.values())
        self.function = (frozenset(lex.function_words) | frozenset(lex.negators) | frozenset(lex.similarity_stopwords)
                         | frozenset(t for t in lex.terms.get("modal", ()) if " " not in t))
        self.cache: dict[str, Reading] = {}
        self.stems: dict[str, frozenset[str]] = {}

    def context(self, term: str) -> re.Pattern[str] | None:
        """The pattern of the words ``term`` needs nearby, or None when it needs none."""
        if term not in self.term_context:
            return None
        if term not in self._context:
            self._context[term] = terms_re(self.term_context[term])
        return self._context[term]


def _compiled(lex: Lexicons) -> _Compiled:
    found = lex.__dict__.get("_compiled")
    if found is None:
        found = _Compiled(lex)
        object.__setattr__(lex, "_compiled", found)
    return found


def read(sentence: str, lex: Lexicons) -> Reading:
    """Every term hit of a normalised sentence, with its status."""
    comp = _compiled(lex)
    found = comp.cache.get(sentence)
    if found is None:
        if len(comp.cache) > 50_000:
            comp.cache.clear()
        found = comp.cache[sentence] = _read(sentence, comp)
    return found


def _read(text: str, comp: _Compiled) -> Reading:
    words = tuple(m.span() for m in _WORD_RE.finditer(text))
    tokens = [text[s:e] for s, e in words]
    fixed = [m.span() for m in comp.fixed.finditer(text)] if comp.fixed else []
    quoted = [m.span() for m in _QUOTED_RE.finditer(text)]
    user = _permission_scopes(text, words, tokens, comp)
    # A negation inside the user's permission is the user's choice ("you can choose not to disclose").
    cues, negated = _negation_scopes(text, words, tokens, comp, user)
    hypothetical = bool(comp.notice and comp.conditionals and comp.notice.search(text)
                        and comp.conditionals.search(text))
    hits = []
    for feature, term, at, end, matched in _matches(text, comp):
        if _inside(at, fixed):
            continue
        status = ""
        needs = comp.context(term)
        if _inside(at, quoted):
            status = "quoted"
        elif _inside(at, negated) and at not in cues:
            status = "negated"
        elif _inside(at, user):
            status = "user"
        elif needs is not None and not needs.search(text):
            status = "context"
        elif hypothetical and feature in ("processing", "open-list", "party-context", WIDENING):
            status = "hypothetical"
        elif feature == "open-list" and (_illustrates(text, end, comp) or not _heads_a_list(text, at, end, comp)):
            status = "illustration"
        key = comp.term_keys.get(term) or (term if term in comp.key_targets else _term_key(term, matched))
        hits.append(Hit(feature, term, key, at, status))
    return Reading(text, tuple(hits), words, tuple(negated), tuple(user))


def _matches(text: str, comp: _Compiled) -> list[tuple[str, str, int, int, str]]:
    """Every term match as (feature, term, start, end, matched text), per feature the longest at each place and
    none overlapping (as one regex would)."""
    found: dict[str, list[tuple[int, int, str, int, str]]] = {}
    for w in _RUN_RE.finditer(text):
        word, at = w.group(0), w.start()
        candidates = list(comp.by_word.get(word, ()))
        for n in comp.prefix_lengths:
            if n > len(word):
                break
            candidates.extend(comp.by_prefix.get(word[:n], ()))
        for feature, term, simple in candidates:
            if simple:  # the term is this word (or a prefix of it): its pattern would match the whole word
                found.setdefault(feature, []).append((at, -len(word), term, w.end(), word))
                continue
            m = term_re(term).match(text, at)
            if m:
                found.setdefault(feature, []).append((at, -(m.end() - at), term, m.end(), m.group(0)))
    out = []
    for feature, ms in found.items():
        end = -1
        for at, negative_length, term, stop, matched in sorted(ms, key=lambda x: (x[0], x[1], x[2])):
            if at >= end:
                out.append((feature, term, at, stop, matched))
                end = at - negative_length
    return out


_QUANTIFIERS = frozenset(("any", "all"))


def _heads_a_list(text: str, at: int, end: int, comp: _Compiled) -> bool:
    """Whether an open-list term opens a list of what a policy lists (data, parties, purposes): one of
    ``list_heads`` in the six words before it, or, for a quantifier ("any", "all"), in the three after. A
    quantifier quantifies what follows it: "your information, and we treat any combination of the two as …"
    opens no list of information (the head before it belongs to another clause)."""
    if comp.list_heads is None:
        return True
    before = text[:at].split()
    following = re.match(r"\s+(\w+)", text[end:])
    quantifier = text[at:end] in _QUANTIFIERS and following is not None and following.group(1) not in ("and", "or")
    if not quantifier and comp.list_heads.search(" ".join(before[-6:])):
        return True
    if set(before[-4:]) & comp.user_subjects:
        return False  # "before you give any personal information": the user's doing, no list of ours
    return bool(comp.list_heads.search(" ".join(text[end:].split()[:3])))


def _inside(at: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(s <= at < e for s, e in spans)


def _clause_end(text: str, words: Sequence[tuple[int, int]], tokens: Sequence[str], start: int,
                comp: _Compiled) -> int:
    """Where the clause that goes on at ``start`` ends: a stop, a scope break word, or a comma before a new subject."""
    m = CLAUSE_END_RE.search(text, start)
    end = m.start() if m else len(text)
    if comp.breaks:
        b = comp.breaks.search(text, start, end)
        if b:
            end = b.start()
    for i, (s, _) in enumerate(words):
        if s <= start or s >= end:
            continue
        gap = text[words[i - 1][1]:s] if i else ""
        if "," in gap:
            first = tokens[i]
            second = tokens[i + 1] if i + 1 < len(tokens) else ""
            if first in comp.clause_starts or (first in ("and", "or", "but") and second in comp.clause_starts):
                return text.rindex(",", words[i - 1][1], s)
    return end


def _negation_scopes(text: str, words: Sequence[tuple[int, int]], tokens: Sequence[str], comp: _Compiled,
                     user: Sequence[tuple[int, int]]) -> tuple[set[int], list[tuple[int, int]]]:
    """Where the negators stand, and the spans they govern: from the auxiliary before one ("may not") to the
    end of its clause. A negator in the user's permission governs nothing of ours."""
    if comp.negators is None:
        return set(), []
    out = []
    cues = set()
    fixed = [m.span() for m in comp.fixed.finditer(text)] if comp.fixed else []
    for m in comp.negators.finditer(text):
        if _inside(m.start(), fixed):
            continue  # "no more than 30 days" is a cap, not a negation
        cues.add(m.start())
        if _inside(m.start(), user):
            continue
        i = next((k for k, (s, _) in enumerate(words) if s == m.start()), None)
        start = m.end()
        if i is not None and i > 0 and tokens[i - 1] in comp.auxiliaries:
            start = words[i - 1][0]
        out.append((start, _clause_end(text, words, tokens, m.end(), comp)))
    return cues, out


_READER_MEANS_RE = re.compile(r"\s+(?:also\s+|still\s+)?be\s+(?:contacted|reached)\b")


def _permission_scopes(text: str, words: Sequence[tuple[int, int]], tokens: Sequence[str],
                       comp: _Compiled) -> list[tuple[int, int]]:
    """Spans of a permission given to the user ("you can …"): the modal and the rest of its clause."""
    if comp.permissions is None or not comp.user_subjects:
        return []
    out = []
    for m in comp.permissions.finditer(text):
        i = next((k for k, (s, _) in enumerate(words) if s == m.start()), None)
        if i is None:
            continue
        # (far enough back for a subject with a phrase after it: "users in the European Economic Area may …")
        before = tokens[max(0, i - 8):i]
        subject = next((w for w in reversed(before) if w in comp.user_subjects or w in comp.our_subjects), None)
        # "Our Data Protection Officer can also be contacted at …": a means the reader is given to reach someone
        reached = subject not in comp.our_subjects and _READER_MEANS_RE.match(text, m.end()) is not None
        if subject in comp.user_subjects or (reached and subject is None):
            out.append((m.start(), _clause_end(text, words, tokens, m.end(), comp)))
    return out


def _illustrates(text: str, at: int, comp: _Compiled) -> bool:
    """Whether an open-list marker introduces an example clause ("for example, you need …"), not list items."""
    m = _WORD_RE.search(text, at)
    return bool(m and m.group(0) in comp.illustration)


# -- similarity of sentences ----------------------------------------------------
def content_stems(sentence: str, lex: Lexicons) -> frozenset[str]:
    """The stems of a sentence's content words (function words left out), six letters at most."""
    comp = _compiled(lex)
    found = comp.stems.get(sentence)
    if found is None:
        if len(comp.stems) > 50_000:
            comp.stems.clear()
        found = frozenset(_stem(w)[:6] for w in _WORD_RE.findall(sentence)
                          if w not in comp.function and w.isalpha())
        comp.stems[sentence] = found
    return found


def similarity(a: str, b: str, lex: Lexicons, *, part_of_a: bool = False) -> float:
    """How alike two sentences are: the Dice overlap of their content stems, or how much of the shorter
    the longer holds (when the shorter has five content words or more: a sentence split in two, or two
    merged). With ``part_of_a``, only ``b`` as a part of ``a`` counts (a piece of an old sentence that
    moved elsewhere), not ``a`` swallowed by a long ``b``."""
    sa, sb = content_stems(a, lex), content_stems(b, lex)
    if not sa or not sb:
        return 0.0
    common = len(sa & sb)
    dice = 2 * common / (len(sa) + len(sb))
    small = len(sb) if part_of_a else min(len(sa), len(sb))
    return max(dice, common / small if small >= 5 else 0.0)
