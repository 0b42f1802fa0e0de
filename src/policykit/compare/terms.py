"""The term findings of a prose change, read per sentence pair: what is new, what is gone, and which way it points.

:mod:`policykit.compare.prose` pairs each edited sentence with its old self (also when it
came from another block). This module compares the *asserted* terms of each pair
(:mod:`policykit.compare.clauses`: a negated, quoted, hypothetical or user-permission
term is not asserted) and reports, per feature of the ``terms`` lexicon, a
:class:`~policykit.compare.findings.Finding` with its direction:

- processing verbs, joint use, hurdles to exercising rights, retroactivity, a
  weakened change notice: new ones widen;
- consent wording and hedges: added consent narrows (the user is asked), a hedge
  removed narrows ("will try to delete" → "delete"); removed consent widens;
- a legal basis (legitimate interests …) newly relied on widens, unless it is named
  as the condition of a right ("where we rely on legitimate interests, you have the
  right to object");
- an open list widens only as a *transition*: a paired sentence that was closed and
  is now open ("such as" where the old sentence had none) — not a new sentence, and
  not a sentence whose old self was already open;
- a processing term that is newly *negated* ("we do not sell") narrows: it states
  what is not done; a negated statement that is gone widens.

Named parties and countries are read in context by :mod:`policykit.compare.parties`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from policykit.compare import actions, clauses, statements
from policykit.compare.clauses import NARROWING, WIDENING
from policykit.compare.findings import Finding
from policykit.compare.lexicons import literal_head
from policykit.compare.text import sentences

if TYPE_CHECKING:
    from policykit.compare.lexicons import Lexicons

# Features with a direction of their own: new terms widen, gone ones narrow (inverted for anonymity qualifiers,
# hedges and consent wording). The others (modal verbs, negations) take the direction of the whole change.
_OWN = ("processing", "anonymity", "retroactive", "hedge", "open-list", "change-notice", "consent",
        "legal-basis", "joint-use", "rights-exercise", "limit")
_SEEN = ("", "negated", "user", "hypothetical", "context", "illustration")  # every hit that is not quoted


def direction(olds: Sequence[str], news: Sequence[str], lex: Lexicons) -> str:
    """widening, narrowing or neutral: the signed direction words of the new sentences minus the old ones."""
    score = sum(_score(s, lex) for s in news) - sum(_score(s, lex) for s in olds)
    return "widening" if score > 0 else "narrowing" if score < 0 else "neutral"


def _score(sentence: str, lex: Lexicons) -> int:
    r = clauses.read(sentence, lex)
    score = 0
    for h in r.hits:
        if h.feature == WIDENING:
            # "we do not share" points the other way; "you can …" is the user's permission: protective.
            score += {"": 1, "negated": -1, "user": -1 if h.term in lex.permissions else 0}.get(h.status, 0)
        elif h.feature == NARROWING:
            score += {"": -1, "negated": 1, "user": -1}.get(h.status, 0)
    return score


def promises(sentence: str, lex: Lexicons, restated_in: Sequence[str] = ()) -> bool:
    """Whether a sentence is a promise to the user: it obliges us and points the protective way
    ("we will not share", "we will delete"), as opposed to a permission ("we may share"); and is not
    restated by one of ``restated_in`` (a sentence holding all its protective terms: "we may notify
    customers" → "we notify you at least 30 days before")."""
    if not (obliges(sentence, lex) and _score(sentence, lex) < 0):
        return False
    return not any(_protective(sentence, lex) <= _protective(other, lex) for other in restated_in)


def _protective(sentence: str, lex: Lexicons) -> set[tuple[str, str]]:
    r = clauses.read(sentence, lex)
    return ({(NARROWING, h.key) for h in r.of(NARROWING)}
            | {("processing", h.key) for h in r.of("processing", statuses=("negated",))})


def obliges(sentence: str, lex: Lexicons) -> bool:
    """Whether a sentence obliges or permits *us*: a modal verb that is not the user's permission."""
    return any(h.status not in ("user", "quoted") for h in clauses.read(sentence, lex).of("modal", statuses=_SEEN))


def informational(sentence: str, lex: Lexicons) -> bool:
    """Whether a sentence only informs: it obliges or permits us nothing, names no processing, consent,
    legal basis, right or hurdle, no handling of data (collect, keep, share …), no period, age, recipient
    or data category (``In Japan, the regulator is the PPC.``, ``We take your privacy seriously.``).
    Added, such a sentence clarifies; it changes nothing that is done. (A country or a name it gives is
    judged by :func:`policykit.compare.parties.party_findings`, on its own.)"""
    if not names_nothing_done(sentence, lex):
        return False
    # Nothing done with data, no protection, hurdle or right, no condition or negation, and nothing a
    # modal verb permits or promises: a description ("A cookie is a small text file.").
    if any((a.kind != "handling" or a.about_data) and not a.mention for a in actions.read(sentence, lex)):
        return False
    if _PARTIES_OR_MINORS.search(sentence):
        return False  # who is concerned (affiliates, partners, children) is never only a description
    if obliges(sentence, lex) or clauses.read(sentence, lex).of("negation", statuses=_SEEN):
        return False
    return not actions.vocabulary().conditions.search(sentence)


_PARTIES_OR_MINORS = re.compile(
    r"\b(?:affiliat\w*|subsidiar\w*|partners?|compan(?:y|ies)|group|third part\w*|recipients?|processors?|"
    r"vendors?|controllers?|children|child|minors?|famil\w*|teen\w*|parents?|guardians?|adults?|consumers?|"
    r"customers?|users?|control)\b")


def names_nothing_done(sentence: str, lex: Lexicons) -> bool:
    """Whether a sentence names no processing, consent, legal basis or hurdle to a right (the terms of the
    lexicons), and no period, age, recipient or data category (:mod:`policykit.compare.statements`)."""
    reading = clauses.read(sentence, lex)
    # (`limit` words, "unless", "subject to", are read in a right's label only: a limit, not a thing done)
    if any(h.feature in _OWN and h.feature != "limit" and h.status not in ("quoted", "context") for h in reading.hits):
        return False
    return not any(st.kind != "country" for st in statements.read(sentence, lex))



def is_open(sentence: str, lex: Lexicons) -> bool:
    """Whether a sentence already holds an open list or an example ("such as", "for example, …")."""
    return bool(clauses.read(sentence, lex).of("open-list", statuses=("", "illustration")))


def term_findings(pairs: Sequence[tuple[str, str]], alone: Sequence[str], new: Sequence[str], lex: Lexicons,
                  block_direction: str, *, fact: str = "", was_open: bool = False, stated: str = "") -> list[Finding]:
    """One finding per feature whose terms differ, compared pair by pair (a sentence holds a term or does
    not: "not" twice in an edited sentence is still a negation). ``was_open``: the old text already held
    an open list (then a new one is no closed → open transition). ``stated``: the old version's whole text,
    against which a processing term listed in a definition is checked (:func:`_defined_and_stated`)."""

    out: list[Finding] = []
    # A feature no sentence holds a term of can have no finding: only the others are compared.
    held = {h.feature for s in (*(s for pair in pairs for s in pair), *new, *alone)
            for h in clauses.read(s, lex).hits}
    for feature in (f for f in lex.terms if (f != "limit" or fact == "rights") and f in held):
        tally = _tally(feature, pairs, alone, new, lex, was_open=was_open)
        if feature == "processing":
            out.extend(_negated_processing(tally))
            added = [*(cur for _, cur in pairs), *new]
            for key in [k for k in tally.came if _defined_and_stated(k, added, stated, lex)]:
                del tally.came[key]
        found = _feature_finding(feature, tally, pairs, new, lex)
        if found:
            out.append(found)
    return out


def _defined_and_stated(key: str, added: Sequence[str], stated: str, lex: Lexicons) -> bool:
    """Whether a processing term an edit adds only lists what a defined term covers ("how we collect, use, share
    and protect your information (together, "handle" it)") and the old version already states that processing
    as done elsewhere: a definition names what the policy says, it adds no processing."""
    holding = [s for s in added if key in _keys(clauses.read(s, lex), "processing", ("",))]
    if not stated or not holding or not all(actions.defines_term(s) for s in holding):
        return False
    return any(key in _keys(clauses.read(s, lex), "processing", ("",))
               for s in sentences(stated) if literal_head(key) in s)


@dataclass
class _Tally:
    """What the terms of one feature did across a change: the keys gone and come, the keys stated as not
    done gone and come, and how each key reads for a person."""

    gone: Counter[str] = field(default_factory=Counter)
    came: Counter[str] = field(default_factory=Counter)
    neg_gone: Counter[str] = field(default_factory=Counter)
    neg_came: Counter[str] = field(default_factory=Counter)
    shown: dict[str, str] = field(default_factory=dict)


def _tally(feature: str, pairs: Sequence[tuple[str, str]], alone: Sequence[str], new: Sequence[str],
           lex: Lexicons, *, was_open: bool) -> _Tally:
    """The keys of ``feature`` that went and came: in each edited sentence, then in the sentences added or
    removed whole."""
    statuses = ("",) if feature in _OWN else _SEEN
    tally = _Tally()
    readings = _count_pairs(tally, feature, statuses, pairs, lex, was_open=was_open)
    readings += _count_unpaired(tally, feature, statuses, alone, new, lex, was_open=was_open)
    for r in readings:
        tally.shown.update({_key(h): _shown(h) for h in r.hits if h.feature == feature})
    return tally


def _count_pairs(tally: _Tally, feature: str, statuses: Sequence[str], pairs: Sequence[tuple[str, str]],
                 lex: Lexicons, *, was_open: bool) -> list[clauses.Reading]:
    """Add to ``tally`` what each edited sentence gained and lost; the readings of its sentences."""
    readings = []
    for old, cur in pairs:
        ro, rn = clauses.read(old, lex), clauses.read(cur, lex)
        readings += [ro, rn]
        ko, kn = _keys(ro, feature, statuses), _keys(rn, feature, statuses)
        if feature == "open-list":
            # Only a transition counts: a closed sentence that is now open, or the reverse.
            if kn and not ko and not was_open:
                tally.came += kn
            elif ko and not kn:
                tally.gone += ko
        else:
            tally.gone += ko - kn
            tally.came += kn - ko
        no, nn = ro.present(feature, statuses=("negated",)), rn.present(feature, statuses=("negated",))
        tally.neg_gone += no - nn
        tally.neg_came += nn - no
    return readings


def _count_unpaired(tally: _Tally, feature: str, statuses: Sequence[str], alone: Sequence[str],
                    new: Sequence[str], lex: Lexicons, *, was_open: bool) -> list[clauses.Reading]:
    """Add to ``tally`` what the sentences added (``new``) or removed (``alone``) whole hold; their readings."""
    # A modal verb or a negation *changes* only in an edited sentence; a whole sentence added or
    # removed is judged as such (sentence-added, sentence-removed: a promise that is gone).
    edits_only = feature not in _OWN
    readings = []
    for s in new:
        r = clauses.read(s, lex)
        readings.append(r)
        if not edits_only and (feature != "open-list" or not was_open):
            tally.came += r.present(feature, statuses=statuses)
        tally.neg_came += r.present(feature, statuses=("negated",))
    for s in alone:
        r = clauses.read(s, lex)
        readings.append(r)
        if not edits_only and feature != "open-list":
            tally.gone += r.present(feature, statuses=statuses)
        tally.neg_gone += r.present(feature, statuses=("negated",))
    if edits_only:
        # A term an unpaired sentence held or holds was there before (or still is), just elsewhere.
        for s in alone:
            tally.came -= _keys(clauses.read(s, lex), feature, statuses)
        for s in new:
            tally.gone -= _keys(clauses.read(s, lex), feature, statuses)
    return readings


def _negated_processing(tally: _Tally) -> list[Finding]:
    """A processing term newly stated as not done narrows; one no longer stated as not done widens."""
    neg_gone, neg_came = tally.neg_gone - tally.neg_came, tally.neg_came - tally.neg_gone
    shown = tally.shown
    words = _was([shown.get(k, k) for k in sorted(neg_gone)], [shown.get(k, k) for k in sorted(neg_came)])
    if neg_came and not neg_gone:
        return [Finding("negated-processing", "narrowing", f"now stated as not done: {words}")]
    if neg_gone and not neg_came:
        return [Finding("negated-processing", "widening", f"no longer stated as not done: {words}")]
    return []


def _feature_finding(feature: str, tally: _Tally, pairs: Sequence[tuple[str, str]], new: Sequence[str],
                     lex: Lexicons) -> Finding | None:
    """The finding of one feature whose terms differ, with its direction, or None when none differ."""
    # What moved between pairs of the same text is neither gone nor come.
    gone, came = tally.gone - tally.came, tally.came - tally.gone
    if not gone and not came:
        return None
    g, n = sorted(gone), sorted(came)
    detail = _was([tally.shown.get(k, k) for k in g], [tally.shown.get(k, k) for k in n])
    if feature not in _OWN:
        return Finding(feature, _weighed(g, n, tally.shown, lex), detail)
    own = "widening" if n and not g else "narrowing" if g and not n else "neutral"
    if feature == "processing" and n:
        own = "widening"  # "share" → "sell": a processing verb that was not there is new processing
    if feature in ("anonymity", "consent"):
        own = {"widening": "narrowing", "narrowing": "widening"}.get(own, own)
    if feature == "legal-basis" and own == "widening" and _in_rights_sentences(pairs, new, lex):
        return Finding(feature, "neutral", detail, {"trend": "right-condition"})
    return Finding(feature, own, detail)


def _key(h: clauses.Hit) -> str:
    # The user's permission ("you can", "you may": one thing) is another thing than ours ("we can"); a modal
    # verb under a negation ("may not", "must not") is a prohibition, not a permission.
    if h.status == "user" and h.feature == "modal":
        return "user:permission"
    if h.status == "negated" and h.feature == "modal":
        return f"advise-not:{h.key}" if h.key in ("should", "ought") else f"prohibit:{h.key}"
    return h.key


def _shown(h: clauses.Hit) -> str:
    return "you can" if h.status == "user" and h.feature == "modal" else h.term


_CHOICE_RE = re.compile(r"\b(?:(?:is|are) (?:your choice|optional|up to you)|you (?:decide|choose)|at your choice)\b")


_PEOPLE = re.compile(r"\b(?:we|you|us|minors?|children|child|users?|customers?|parents?|guardians?|partners?|"
                     r"third part\w*|recipients?|processors?|employees|staff|huawei|company|anyone|no one)\b")


def _possibly(key: str, h: clauses.Hit, reading: clauses.Reading) -> str:
    """"This policy may not cover every situation" is a possibility, not a prohibition: "may not" forbids only
    someone (a person, a company) from doing something."""
    if key.startswith("prohibit:may") and not _PEOPLE.search(" ".join(reading.text[:h.start].split()[-5:])):
        return "possibly-not:may"
    return key


def _keys(reading: clauses.Reading, feature: str, statuses: Sequence[str]) -> Counter[str]:
    """The keys of ``feature`` a sentence holds, once each; a user's permission keyed apart ("it is your
    choice", "… is optional" grant what "you can" grants). A negation inside a permission given to the
    user is the user's choice ("you can choose not to provide"), not a negation of ours."""
    if feature == "negation":
        statuses = tuple(s for s in statuses if s != "user")
    keys = {_possibly(_key(h), h, reading) for h in reading.of(feature, statuses=statuses)}
    if feature == "modal" and _CHOICE_RE.search(reading.text):
        keys.add("user:permission")
    return Counter(keys)


def _weighed(gone: Sequence[str], came: Sequence[str], shown: dict[str, str], lex: Lexicons) -> str:
    """The direction of a change of modal verbs or negations, from the terms that changed alone:
    "will" → "may", a negation dropped or an exception added widen; the reverse narrows. A permission
    given to the user ("you can") is protective."""
    def weight(key: str) -> int:
        if key.startswith(("user:", "prohibit:")):
            return -1
        if key.startswith(("advise-not:", "possibly-not:")):
            return 0  # "should not" advises, "this policy may not cover" is a possibility: neither forbids
        term = shown.get(key, key)
        if term in lex.loose_modals or term in lex.exceptions:
            return 1
        if term in lex.narrowing or term in lex.negators:
            return -1
        return 0

    score = sum(weight(k) for k in came) - sum(weight(k) for k in gone)
    return "widening" if score > 0 else "narrowing" if score < 0 else "neutral"


def _in_rights_sentences(pairs: Sequence[tuple[str, str]], new: Sequence[str], lex: Lexicons) -> bool:
    """Whether every sentence that newly names a legal basis states a right (it is the right's condition),
    and none says we process (or go on processing) on it ("if you withdraw your consent, we may continue
    the processing on the basis of our legitimate interests" relies on a new basis)."""
    sentences = [cur for _, cur in pairs] + list(new)
    naming = [s for s in sentences if clauses.read(s, lex).of("legal-basis")]
    relies = re.compile(r"\b(?:continue|rely|relies|carry on|keep processing|go on)\b")
    return bool(naming) and all(_has(s, lex.rights_markers) and not relies.search(s) and not any(
        a.kind == "handling" and a.asserted and not a.mention and not a.by_user for a in actions.read(s, lex))
        for s in naming)


def _has(sentence: str, terms: Iterable[str]) -> bool:
    from policykit.compare.lexicons import count_terms

    return bool(count_terms(sentence, terms))


def _was(gone: Sequence[str], new: Sequence[str]) -> str:
    def show(values: Sequence[str]) -> str:
        return ", ".join(f"“{v}”" for v in values)

    if gone and new:
        return f"{show(gone)} → {show(new)}"
    return f"added {show(new)}" if new else f"removed {show(gone)}"
