"""Named parties and countries in a prose change, escalated only in context.

A new name widens in a sentence that shares, transfers, processes or tracks (the ``PARTY_CONTEXT``
terms of :mod:`policykit.compare.clauses`); a new country widens within a few words of a transfer,
storage or processing term, or in a list item introduced by one ("We transfer personal information to
these countries:"). Named anywhere else, a name or a country is a neutral finding of its own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from policykit.compare import actions, clauses, paraphrase
from policykit.compare.clauses import PARTY_CONTEXT, TRANSFER_CONTEXT
from policykit.compare.countries import after_transfer_colon, as_place, countries_in, country_name_words, country_names
from policykit.compare.findings import Delta, Finding, Known
from policykit.compare.lexicons import Lexicons
from policykit.compare.text import CITATION_RE, SENTENCE_END_RE, normalise


def party_findings(d: Delta, olds: Sequence[str], lex: Lexicons, known: Known, *, fact: str = "",
                   governed: frozenset[str] = frozenset()) -> list[Finding]:
    """New countries (one finding each) and new names, escalated only in context. In the label of a
    transfer (``fact == "transfers"``) every country is a destination, and so is every country of a list
    item in ``governed`` (see :func:`policykit.compare.countries.transfer_items`)."""
    return [*_country_findings(d, olds, lex, fact, governed), *_name_findings(d, lex, known)]


def _country_findings(d: Delta, olds: Sequence[str], lex: Lexicons, fact: str,
                      governed: frozenset[str]) -> list[Finding]:
    """A finding per country the new text names and the old did not: widening where data goes there."""
    out: list[Finding] = []
    gone_codes = {code for s in olds for code, _ in countries_in(s, lex)}
    context: dict[str, bool] = {}
    names: dict[str, str] = {}
    intro = False
    for s in d.added:
        item = bool(clauses.LIST_ITEM_RE.match(s))
        reading = clauses.read(s, lex)
        for code, at in countries_in(s, lex):
            if code in gone_codes:
                continue
            near = (fact == "transfers" or (item and intro) or s in governed or after_transfer_colon(s, at, lex)
                    or (as_place(reading, at, lex) and reading.near(at, TRANSFER_CONTEXT, lex.context_window)))
            names.setdefault(code, country_names().get(code, code))
            context[code] = context.get(code, False) or near
        if s.endswith(":"):
            intro = bool(reading.of(TRANSFER_CONTEXT))
    for code in sorted(context):
        if context[code]:
            out.append(Finding("country", "widening", f"new country named in a transfer context: {names[code]}",
                               {"value": code}))
        else:
            out.append(Finding("country", "neutral", f"{names[code]} is named, not as a place data goes to",
                               {"value": code, "trend": "mentioned"}))
    return out


def _name_findings(d: Delta, lex: Lexicons, known: Known) -> list[Finding]:
    """New capitalised names (not a country, a stop word, a name the old version used): widening where a
    sentence shares, transfers, processes or tracks with them."""
    out: list[Finding] = []
    country_words = country_name_words() | set(lex.country_aliases)
    new_names: dict[str, bool] = {}
    stop = {s.casefold() for s in lex.stop_names}

    removed_names = {w.casefold() for w in _capitalised(d.removed_raw)}
    # A reference to a provision ("Art. 27") names no party; read before the text is split at its full stop.
    for raw in SENTENCE_END_RE.split(CITATION_RE.sub(" ", paraphrase.one_statute_style(d.added_raw))):
        if not raw.strip():
            continue
        # What the old version names is read last: only for a word that is no stop word, country or removed name.
        found = [w for w in _capitalised(raw, known.owner) if (k := w.casefold()) not in stop and k not in removed_names
                 and k not in country_words and k not in known.names]
        if not found:
            continue

        sentence = normalise(raw)
        in_context = bool(clauses.read(sentence, lex).of(PARTY_CONTEXT)) and not _readers_own(sentence, lex)
        for w in found:
            new_names[w] = new_names.get(w, False) or in_context
    if new_names:
        escalate = sorted(w for w, c in new_names.items() if c)
        if escalate:
            out.append(Finding("named-party", "widening", "added " + ", ".join(f"“{w}”" for w in escalate)))
        else:
            out.append(Finding("named-party", "neutral", ", ".join(f"“{w}”" for w in sorted(new_names))
                               + " named, not as someone who receives, processes or tracks data",
                               {"trend": "mentioned"}))
    return out


def _readers_own(sentence: str, lex: Lexicons) -> bool:
    """Whether every handling of data the sentence states is the reader's own ("information you provide to The
    Meet Group as part of Tumblr Live"): a party the reader gives data to is no recipient of ours. A sentence
    where no action is read keeps its context."""
    handled = [a for a in actions.read(sentence, lex) if a.kind == "handling"]
    return bool(handled) and all(a.by_user for a in handled)


_LAW_NAME_RE = re.compile(r"(?:\b[A-Z][\w'-]*\s+){0,7}(?:Law|Act|Regulations?|Directive|Code|Rules|Ordinance|"
                          r"Decree|Convention)\b")


def _capitalised(raw: str, owner: str = "") -> list[str]:
    """Capitalised words that are not the first of a sentence, without a possessive ('s); not in quotation
    marks (a quoted heading or term names no party), nor in a reference to a provision ("Art. 27"), nor
    in a name that begins with the publisher's own (``owner``: "Twitch Support Portal" is Twitch's)."""

    out = []
    raw = _LAW_NAME_RE.sub(" ", raw)  # "Network Data Security Management Regulations" names a law, no party
    unquoted = paraphrase.one_statute_style(re.sub(r'"[^"]*"', " ", raw))  # "Cal. Code Regs." names no one
    for sentence in SENTENCE_END_RE.split(CITATION_RE.sub(" ", unquoted)):
        owned = False
        for i, w in enumerate(re.findall(r"[A-Za-z][\w&'-]*", sentence)):
            w = re.sub(r"'s?$", "", w)
            if not w[:1].isupper():
                owned = False
                continue
            owned = owned or (bool(owner) and w.casefold() == owner)
            if i and not owned:
                out.append(w)
    return out
