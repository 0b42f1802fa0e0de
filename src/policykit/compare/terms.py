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

Named parties and countries escalate only in context (:func:`party_findings`): a
new name in a sentence that shares, transfers, processes or tracks; a country
within a few words of a transfer, storage or processing term, or in a list item
introduced by one ("We transfer personal information to these countries:").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from policykit.compare import actions, clauses, statements
from policykit.compare.clauses import NARROWING, PARTY_CONTEXT, TRANSFER_CONTEXT, WIDENING
from policykit.compare.countries import as_place, countries_in, country_name_words, country_names
from policykit.compare.findings import Delta, Finding, Known
from policykit.compare.text import CITATION_RE, SENTENCE_END_RE, normalise

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
    judged by :func:`party_findings`, on its own.)"""
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
                  block_direction: str, *, fact: str = "", was_open: bool = False) -> list[Finding]:
    """One finding per feature whose terms differ, compared pair by pair (a sentence holds a term or does
    not: "not" twice in an edited sentence is still a negation). ``was_open``: the old text already held
    an open list (then a new one is no closed → open transition)."""

    out: list[Finding] = []
    # A feature no sentence holds a term of can have no finding: only the others are compared.
    held = {h.feature for s in (*(s for pair in pairs for s in pair), *new, *alone)
            for h in clauses.read(s, lex).hits}
    for feature in (f for f in lex.terms if (f != "limit" or fact == "rights") and f in held):
        statuses = ("",) if feature in _OWN else _SEEN
        gone: Counter[str] = Counter()
        came: Counter[str] = Counter()
        neg_gone: Counter[str] = Counter()
        neg_came: Counter[str] = Counter()
        shown: dict[str, str] = {}
        readings = []
        for old, cur in pairs:
            ro, rn = clauses.read(old, lex), clauses.read(cur, lex)
            readings += [ro, rn]
            ko, kn = _keys(ro, feature, statuses), _keys(rn, feature, statuses)
            if feature == "open-list":
                # Only a transition counts: a closed sentence that is now open, or the reverse.
                if kn and not ko and not was_open:
                    came += kn
                elif ko and not kn:
                    gone += ko
            else:
                gone += ko - kn
                came += kn - ko
            no, nn = ro.present(feature, statuses=("negated",)), rn.present(feature, statuses=("negated",))
            neg_gone += no - nn
            neg_came += nn - no
        # A modal verb or a negation *changes* only in an edited sentence; a whole sentence added or
        # removed is judged as such (sentence-added, sentence-removed: a promise that is gone).
        edits_only = feature not in _OWN
        for s in new:
            r = clauses.read(s, lex)
            readings.append(r)
            if not edits_only and (feature != "open-list" or not was_open):
                came += r.present(feature, statuses=statuses)
            neg_came += r.present(feature, statuses=("negated",))
        for s in alone:
            r = clauses.read(s, lex)
            readings.append(r)
            if not edits_only and feature != "open-list":
                gone += r.present(feature, statuses=statuses)
            neg_gone += r.present(feature, statuses=("negated",))
        if edits_only:
            # A term an unpaired sentence held or holds was there before (or still is), just elsewhere.
            for s in alone:
                came -= _keys(clauses.read(s, lex), feature, statuses)
            for s in new:
                gone -= _keys(clauses.read(s, lex), feature, statuses)
        for r in readings:
            shown.update({_key(h): _shown(h) for h in r.hits if h.feature == feature})
        if feature == "processing":
            neg_gone, neg_came = neg_gone - neg_came, neg_came - neg_gone
            words = _was([shown.get(k, k) for k in sorted(neg_gone)], [shown.get(k, k) for k in sorted(neg_came)])
            if neg_came and not neg_gone:
                out.append(Finding("negated-processing", "narrowing", f"now stated as not done: {words}"))
            elif neg_gone and not neg_came:
                out.append(Finding("negated-processing", "widening", f"no longer stated as not done: {words}"))
        gone, came = gone - came, came - gone  # what moved between pairs of the same text is neither
        if not gone and not came:
            continue
        g, n = sorted(gone), sorted(came)
        detail = _was([shown.get(k, k) for k in g], [shown.get(k, k) for k in n])
        if feature in _OWN:
            own = "widening" if n and not g else "narrowing" if g and not n else "neutral"
            if feature == "processing" and n:
                own = "widening"  # "share" → "sell": a processing verb that was not there is new processing
            if feature in ("anonymity", "consent"):
                own = {"widening": "narrowing", "narrowing": "widening"}.get(own, own)
            if feature == "legal-basis" and own == "widening" and _in_rights_sentences(pairs, new, lex):
                out.append(Finding(feature, "neutral", detail, {"trend": "right-condition"}))
                continue
            out.append(Finding(feature, own, detail))
        else:
            out.append(Finding(feature, _weighed(g, n, shown, lex), detail))
    return out


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


# -- named parties and countries ----------------------------------------------------
def party_findings(d: Delta, olds: Sequence[str], lex: Lexicons, known: Known, *, fact: str = "") -> list[Finding]:
    """New countries (one finding each) and new names, escalated only in context. In the label of a
    transfer (``fact == "transfers"``) every country is a destination."""

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
            near = (fact == "transfers" or (item and intro)
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
    country_words = country_name_words() | set(lex.country_aliases)
    new_names: dict[str, bool] = {}
    stop = {s.casefold() for s in lex.stop_names}

    removed_names = {w.casefold() for w in _capitalised(d.removed_raw)}
    # A reference to a provision ("Art. 27") names no party; read before the text is split at its full stop.
    for raw in SENTENCE_END_RE.split(CITATION_RE.sub(" ", d.added_raw)):
        if not raw.strip():
            continue
        # What the old version names is read last: only for a word that is no stop word, country or removed name.
        found = [w for w in _capitalised(raw) if (k := w.casefold()) not in stop and k not in removed_names
                 and k not in country_words and k not in known.names]
        if not found:
            continue

        in_context = bool(clauses.read(normalise(raw), lex).of(PARTY_CONTEXT))
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


_LAW_NAME_RE = re.compile(r"(?:\b[A-Z][\w'-]*\s+){0,7}(?:Law|Act|Regulations?|Directive|Code|Rules|Ordinance|"
                          r"Decree|Convention)\b")


def _capitalised(raw: str) -> list[str]:
    """Capitalised words that are not the first of a sentence, without a possessive ('s); not in quotation
    marks (a quoted heading or term names no party), nor in a reference to a provision ("Art. 27")."""

    out = []
    raw = _LAW_NAME_RE.sub(" ", raw)  # "Network Data Security Management Regulations" names a law, no party
    for sentence in SENTENCE_END_RE.split(CITATION_RE.sub(" ", re.sub(r'"[^"]*"', " ", raw))):
        for w in re.findall(r"[A-Za-z][\w&'-]*", sentence)[1:]:
            w = re.sub(r"'s?$", "", w)
            if w[:1].isupper():
                out.append(w)
    return out


def _was(gone: Sequence[str], new: Sequence[str]) -> str:
    def show(values: Sequence[str]) -> str:
        return ", ".join(f"“{v}”" for v in values)

    if gone and new:
        return f"{show(gone)} → {show(new)}"
    return f"added {show(new)}" if new else f"removed {show(gone)}"
