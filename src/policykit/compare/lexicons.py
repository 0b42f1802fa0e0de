"""The lexicons of ``data/rules.yaml``: the word lists that drive the prose findings, and how a term is matched.

A term is matched on normalised text (:func:`policykit.compare.text.normalise`), as a
whole word or phrase: ``such as`` matches across any white space, and a trailing
``*`` makes a prefix (``disclos*`` matches "disclose", "disclosure"). The pattern
of each term is compiled only when a text could hold it (its first word is in
the text), so a fresh process pays for the few terms a change uses, not for all
of them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from itertools import groupby
from typing import Any


@dataclass(frozen=True)
class Lexicons:
    """Word lists that drive the prose findings. Terms are matched on normalised text, as words."""

    terms: Mapping[str, tuple[str, ...]]  # feature name -> terms (a trailing * is a prefix)
    widening: tuple[str, ...] = ()
    narrowing: tuple[str, ...] = ()
    synonyms: tuple[tuple[str, ...], ...] = ()  # each group: first is the canonical form
    units: Mapping[str, float] = field(default_factory=dict)  # duration unit -> days
    number_words: Mapping[str, int] = field(default_factory=dict)
    updated_markers: tuple[str, ...] = ()  # a sentence with one is the "last updated" line
    notice_markers: tuple[str, ...] = ()  # a duration in such a sentence is a notice period
    age_markers: tuple[str, ...] = ()
    stop_names: tuple[str, ...] = ()  # capitalised words that are not named parties
    inflections: tuple[tuple[str, str], ...] = ()  # (suffix, replacement): parties -> party (policykit.compare.hunks)
    agreement: tuple[tuple[str, ...], ...] = ()  # irregular forms of one verb in one tense: (is, are), (has, have)
    articles: tuple[str, ...] = ()  # adding, dropping or swapping only these is editorial
    function_words: tuple[str, ...] = ()  # words that carry no content of their own (for definitions)
    definition_markers: tuple[str, ...] = ()  # a sentence with one defines a term ("means", "refers to")
    # How a sentence is read (policykit.compare.clauses): negation and permission scopes, context.
    negators: tuple[str, ...] = ()  # open a negated scope: "not", "never", "without"
    auxiliaries: tuple[str, ...] = ()  # "do not", "does not": the auxiliary is negated too
    scope_breaks: tuple[str, ...] = ()  # end a scope: "but", "however", "unless"
    clause_starts: tuple[str, ...] = ()  # after a comma, start a new clause (and end a scope): "we", "you"
    permissions: tuple[str, ...] = ()  # modal verbs that grant: "can", "may"
    user_subjects: tuple[str, ...] = ()  # "you can …" is a permission of the user
    our_subjects: tuple[str, ...] = ()  # "we may …" is a permission of the company
    conditionals: tuple[str, ...] = ()  # "if", "before": with a notice marker, a change-notice clause
    fixed_phrases: tuple[str, ...] = ()  # phrases not read for terms: "at any time"
    illustration_starts: tuple[str, ...] = ()  # "for example, you …": an example clause, not a list
    term_context: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # term -> words it needs nearby
    party_context: tuple[str, ...] = ()  # a new name escalates only in a sentence with one of these
    transfer_context: tuple[str, ...] = ()  # a new country escalates only near one of these
    context_window: int = 6  # words between a country and its transfer context
    rights_markers: tuple[str, ...] = ()  # a sentence with one states a right
    cap_markers: tuple[str, ...] = ()  # "up to", "at most": a period that is a maximum
    locatives: tuple[str, ...] = ()  # "in", "to": a country after one is named as a place
    similarity_stopwords: tuple[str, ...] = ()  # left out when sentences are compared for pairing
    change_notice_markers: tuple[str, ...] = ()  # with a conditional: a clause that promises notice of a change
    exceptions: tuple[str, ...] = ()  # "except", "unless": added, an exception widens
    list_heads: tuple[str, ...] = ()  # an open list widens only after one of these (data, parties, purposes)
    loose_modals: tuple[str, ...] = ()  # "may", "should": in place of a firmer word, they widen
    country_aliases: Mapping[str, str] = field(default_factory=dict)  # "eu" -> EU, "uk" -> GB
    country_groups: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # EU -> its member states
    # language -> its commonest words: which language a whole text is written in (policykit.compare.moves)
    language_markers: Mapping[str, frozenset[str]] = field(default_factory=dict)
    term_keys: Mapping[str, str] = field(default_factory=dict)  # terms that say the same: "with your consent"

    @staticmethod
    def from_data(data: Mapping[str, Any]) -> Lexicons:
        terms = {k: tuple(str(t) for t in v) for k, v in (data.get("terms") or {}).items()}
        return Lexicons(
            terms=terms,
            widening=tuple(data.get("widening", ())),
            narrowing=tuple(data.get("narrowing", ())),
            synonyms=tuple(tuple(g) for g in data.get("synonyms", ())),
            units={str(k): float(v) for k, v in (data.get("units") or {}).items()},
            number_words={str(k): int(v) for k, v in (data.get("number_words") or {}).items()},
            updated_markers=tuple(data.get("updated_markers", ())),
            notice_markers=tuple(data.get("notice_markers", ())),
            age_markers=tuple(data.get("age_markers", ())),
            stop_names=tuple(data.get("stop_names", ())),
            inflections=tuple((str(a), str(b or "")) for a, b in data.get("inflections", ())),
            agreement=tuple(tuple(str(w) for w in g) for g in data.get("agreement", ())),
            articles=tuple(data.get("articles", ())),
            function_words=tuple(data.get("function_words", ())),
            definition_markers=tuple(data.get("definition_markers", ())),
            negators=tuple(data.get("negators", ())),
            auxiliaries=tuple(data.get("auxiliaries", ())),
            scope_breaks=tuple(data.get("scope_breaks", ())),
            clause_starts=tuple(data.get("clause_starts", ())),
            permissions=tuple(data.get("permissions", ())),
            user_subjects=tuple(data.get("user_subjects", ())),
            our_subjects=tuple(data.get("our_subjects", ())),
            conditionals=tuple(data.get("conditionals", ())),
            fixed_phrases=tuple(data.get("fixed_phrases", ())),
            illustration_starts=tuple(data.get("illustration_starts", ())),
            term_context={str(k): tuple(str(w) for w in v) for k, v in (data.get("term_context") or {}).items()},
            party_context=tuple(data.get("party_context", ())),
            transfer_context=tuple(data.get("transfer_context", ())),
            context_window=int(data.get("context_window", 6)),
            rights_markers=tuple(data.get("rights_markers", ())),
            cap_markers=tuple(data.get("cap_markers", ())),
            locatives=tuple(data.get("locatives", ())),
            similarity_stopwords=tuple(data.get("similarity_stopwords", ())),
            change_notice_markers=tuple(data.get("change_notice_markers", ())),
            exceptions=tuple(data.get("exceptions", ())),
            list_heads=tuple(data.get("list_heads", ())),
            loose_modals=tuple(data.get("loose_modals", ())),
            country_aliases={str(k).casefold(): str(v) for k, v in (data.get("country_aliases") or {}).items()},
            country_groups={str(k): tuple(str(c) for c in v) for k, v in (data.get("country_groups") or {}).items()},
            language_markers={str(k): frozenset(str(w) for w in v)
                              for k, v in (data.get("language_markers") or {}).items()},
            term_keys={str(k): str(v) for k, v in (data.get("term_keys") or {}).items()},
        )


def term_pattern(term: str) -> str:
    """The regular expression (source) of one lexicon term: a word or phrase, or a prefix with a trailing ``*``."""
    body = re.escape(term.rstrip("*")).replace(r"\ ", r"\s+")
    if term.endswith("*") and " " not in term and ing_form(term.rstrip("*")):
        body = body[:-1] + "(?:e|ing)"  # "strive*" matches "striving" as it matches "strives" (see ing_form)
    tail = r"\w*" if term.endswith("*") else r"(?!\w)"
    head = r"(?<!\w)" if term[:1].isalnum() else ""
    return head + body + tail


def ing_form(prefix: str) -> str:
    """The "-ing" form a prefix term ending in a silent "e" also stands for ("strive" -> "striving", "share" ->
    "sharing"), or '' when it has none: an inflection must not hide the term ("is striving" = "strives")."""
    return prefix[:-1] + "ing" if prefix.endswith("e") and len(prefix) > 3 and prefix[:-1].isalpha() else ""


@cache
def term_re(term: str) -> re.Pattern[str]:
    """The compiled :func:`term_pattern` of ``term`` (once per process)."""
    return re.compile(term_pattern(term))


def terms_pattern(terms: Iterable[str]) -> str:
    r"""The regular expression (source) of any of ``terms``, tried in the order given, as the alternation of
    their :func:`term_pattern` would be. A run of terms that start with a letter shares one word-start check,
    ``(?<!\w)(?:collect(?!\w)|sell(?!\w)|…)``: each branch then starts with a literal, which the regular
    expression engine compares before it enters the branch (30 times faster on the 567 verbs of
    ``data/actions.yaml`` than a check in every branch)."""
    out = []
    for headed, run in groupby(terms, key=lambda t: t[:1].isalnum()):
        if headed:
            out.append(r"(?<!\w)(?:" + "|".join(term_pattern(t).removeprefix(r"(?<!\w)") for t in run) + ")")
        else:
            out += [term_pattern(t) for t in run]
    return "(?:" + "|".join(out) + ")"


def terms_re(terms: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern for any of ``terms`` (the longest first), or None when there are none."""
    parts = sorted(set(terms), key=len, reverse=True)
    if not parts:
        return None
    return re.compile(terms_pattern(parts))


@cache
def literal_head(term: str) -> str:
    """The text every match of ``term`` starts with: its first word (a prefix term: the prefix's first word, without
    the silent "e" its "-ing" form drops: "shar" for "share*", which matches "sharing")."""
    head = term.rstrip("*").split(" ", 1)[0]
    return head[:-1] if term.endswith("*") and " " not in term and ing_form(head) else head


def count_terms(text: str, terms: Iterable[str]) -> Counter[str]:
    """How often each term occurs in normalised ``text``."""
    out: Counter[str] = Counter()
    for term in terms:
        if literal_head(term) not in text:
            continue  # cannot match: no need to compile its pattern
        n = len(term_re(term).findall(text))
        if n:
            out[term] = n
    return out
