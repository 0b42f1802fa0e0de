"""Who does what, under which condition, with which modality and polarity: the actions a sentence states.

A word list alone misreads a policy: "we do not collect your precise location" and "we collect your
precise location only for these purposes" share their words and mean the opposite; "we delete it as
soon as possible" and "we delete it if the parent asks us to" share the verb and differ in what binds.
This module reads each sentence (normalised, as :mod:`policykit.compare.clauses` reads it) into
:class:`Action` s: a verb of the vocabulary (``data/actions.yaml``) with its kind (handling,
protective, hurdle, right), whether it is asserted or negated, its modality (firm: "will", "must", the
present tense; loose: "may", "can"), whether a condition, our discretion or "only" limits it, and who
does it. How the actions of an old and a new text differ, and which way each change points, is
:mod:`policykit.compare.actionchanges`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from policykit.compare import clauses
from policykit.compare.lexicons import Lexicons, term_pattern, terms_pattern

KINDS = ("handling", "protective", "hurdle", "right")
_IRREGULAR = {"keep": ("kept",), "sell": ("sold",), "hold": ("held",), "send": ("sent",), "give": ("gave", "given"),
              "buy": ("bought",), "read": ("read",), "tell": ("told",), "seek": ("sought",), "pay": ("paid",),
              "deny": ("denied",), "stop": ("stopped", "stopping"), "ship": ("shipped",)}
_LOOSE = ("may", "might", "can", "could", "should", "would")
_FIRM = ("will", "shall", "must", "is required to", "are required to")


@dataclass(frozen=True)
class Action:
    verb: str  # the vocabulary's base form of its sense (erase → delete)
    kind: str  # handling | protective | hurdle | right
    asserted: bool  # False in the scope of a negation
    firm: bool  # "will", "must", the present tense; False for "may", "can" …
    conditions: tuple[str, ...]  # the conditions and "only" that bound it, as written ("if", "unless", "only")
    discretion: bool  # left to us ("where we consider it appropriate", "decide whether")
    by_user: bool  # the user does it (a right, a choice), not us
    about_data: bool  # its clause names personal information (or "it", "them")
    start: int
    mention: bool = False  # named, not stated as done: "such as sharing …", "information we collect", "if we …"
    purposes: tuple[str, ...] = ()  # what a handling action is for: the words of "to …" / "for …" after it
    subject: str = ""  # who does it, as read: "ours", "user", or "" (someone else, or not said)
    end: int = 0  # where the verb (or phrase) ends in the sentence
    noun: bool = False  # a noun, not a verb: "the terms of use", "such transfers", "deletion"
    adjective: bool = False  # a state, not an action: "we keep your account secure", "it is correct"


@dataclass(frozen=True)
class ActionVocabulary:
    verbs: dict[str, tuple[str, str]]  # an inflected form, a noun of it (or a phrase) -> (base form, kind)
    nouns: frozenset[str]  # the nouns among them ("deletion", "anonymisation"): they name an action
    verb_re: re.Pattern[str]
    subjects_user: frozenset[str]
    subjects_ours: frozenset[str]
    conditions: re.Pattern[str]
    discretion: re.Pattern[str]
    exclusive: re.Pattern[str]
    general_data: re.Pattern[str]
    not_data: frozenset[str]
    adjectives: frozenset[str] = frozenset()  # verbs that are as often adjectives ("secure", "correct")
    deadlines: frozenset[str] = frozenset()  # conditions that say when a protection is owed ("before")
    assurances: frozenset[str] = frozenset()  # protective verbs that assure a state of affairs ("guarantee")
    concerns_users: frozenset[str] = frozenset()  # words by which what is assured concerns users


def _forms(base: str) -> set[str]:
    """The inflections of a verb (or of the first word of a phrase)."""
    head, _, rest = base.partition(" ")
    tail = f" {rest}" if rest else ""
    stem = head[:-1] if head.endswith("e") else head
    forms = {head, head + "s", stem + "ed", stem + "ing", head + "d" if head.endswith("e") else head + "ed"}
    if head.endswith("y") and len(head) > 3 and head[-2] not in "aeiou":
        forms |= {head[:-1] + "ies", head[:-1] + "ied"}
    if head.endswith(("s", "sh", "ch", "x")):
        forms.add(head + "es")
    forms |= set(_IRREGULAR.get(head, ()))
    return {f + tail for f in forms}


def _nouns(base: str) -> set[str]:
    """The regular nouns of an action: anonymise → anonymisation, anonymization; encrypt → encryption."""
    if " " in base:
        return set()
    if base.endswith(("ise", "ize")):
        stem = base[:-3]
        return {stem + "isation", stem + "ization"}
    if base.endswith("ify"):
        return {base[:-1] + "ication"}
    if base.endswith(("ct", "pt", "rt")):
        return {base + "ion"}
    return set()


@cache
def vocabulary() -> ActionVocabulary:
    from policykit import yamlio

    raw = yamlio.parse(resources.files("policykit").joinpath("data/actions.yaml").read_bytes(), "actions.yaml")
    sense = {str(v): str(group[0]) for group in raw["senses"] for v in group}
    verbs: dict[str, tuple[str, str]] = {}
    nouns: set[str] = set()
    for kind in ("handling", "protective", "hurdle"):
        for base in raw["verbs"][kind]:
            for form in _forms(str(base)):
                verbs.setdefault(form, (sense.get(str(base), str(base)), kind))
            for noun in _nouns(str(base)) | set(map(str, raw["nouns"].get(str(base), ()))):
                if noun not in verbs:
                    verbs[noun] = (sense.get(str(base), str(base)), kind)
                    nouns.add(noun)
    for phrase in map(str, raw["rights"]):
        right = sense.get(phrase, phrase)
        verbs[phrase] = (right, "right")
        head, _, rest = phrase.partition(" ")  # "can ask" is taken away as "can no longer ask", "cannot ask"
        for neg in ("not", "no longer", "never"):
            verbs[f"{head} {neg} {rest}"] = (right, "right")
        if head == "can":
            verbs[f"cannot {rest}"] = (right, "right")

    def alternation(words: Iterable[str]) -> re.Pattern[str]:
        return re.compile(terms_pattern(sorted(words, key=len, reverse=True)))

    return ActionVocabulary(
        verbs=verbs, nouns=frozenset(nouns), verb_re=alternation(verbs),
        subjects_user=frozenset(str(s) for s in raw["subjects"]["user"]),
        subjects_ours=frozenset(str(s) for s in raw["subjects"]["ours"]),
        conditions=alternation(str(w) for w in raw["conditions"]),
        discretion=alternation(str(w) for w in raw["discretion"]),
        exclusive=alternation(str(w) for w in raw["exclusive"]),
        general_data=alternation(str(w) for w in raw["general_data"]),
        not_data=frozenset(str(w) for w in raw["not_data"]),
        assurances=frozenset(str(w) for w in raw["assurances"]),
        concerns_users=frozenset(str(w) for w in raw["concerns_users"]),
        adjectives=frozenset(str(w) for w in raw["adjectives"]),
        deadlines=frozenset(str(w) for w in raw.get("deadlines", ())),
    )


_WORD_RE = re.compile(r"[\w'-]+")
# A negator and at most two words (an auxiliary, an adverb) before the verb, in the same clause.
# (four words when a coordination stands between: "do not knowingly sell or share")
_NEGATED_RE = re.compile(r"\b(?:not|never|no longer|cannot|neither|nor)\b(?:\s+[\w'-]+){0,2}\s*$|"
                         r"\b(?:not|never|no longer|cannot)\b(?:\s+[\w'-]+){0,3}\s+(?:or|and|nor)\s*$")
_NEGATED_RIGHT_RE = re.compile(r"\b(?:not|never|no longer|cannot)\b")
# "we share it with no one", "we sell nothing": an action whose object is nobody or nothing is not done.
_NONE_RE = re.compile(r"(?:\s+[\w'-]+){0,4}?\s+(?:with |to )?(?:no one|nobody|nothing|no third part(?:y|ies))\b")


def read(sentence: str, lex: Lexicons) -> list[Action]:
    """The actions a normalised sentence states, in order."""
    voc = vocabulary()
    reading = clauses.read(sentence, lex)
    out: list[Action] = []
    subject = ""
    for m in voc.verb_re.finditer(sentence):
        base, kind = voc.verbs.get(m.group(0)) or _lookup(m.group(0), voc)
        start, end = _clause(sentence, m.start(), lex)
        clause = sentence[start:end]
        before = sentence[start:m.start()]
        preceding = _WORD_RE.findall(sentence[:m.start()])[-1:]
        # "we notify you …, explain …, and ask …", "we will not deny …, charge … or give …": a verb
        # coordinated with the one before shares its subject (and its negation)
        coordinated = bool(out) and ((bool(preceding) and preceding[0] in ("and", "or", "nor", "then", "also"))
                                     or sentence[:m.start()].rstrip().endswith(",")) and \
            ";" not in sentence[out[-1].start:m.start()]
        if not coordinated:
            subject = _subject(before, voc)
        user = subject == "user" or kind == "right" or (reading.permits_user(m.start()) and subject != "ours")
        modal = _modal(before, lex)
        # A verb is denied by a negation that governs it: "do not collect", "will never share", "no longer
        # accept" (not by a "without" or a "not" of another clause earlier in the sentence).
        asserted = not (_NEGATED_RIGHT_RE.search(m.group(0)) or _NEGATED_RE.search(
            sentence[max(start, m.start() - 40):m.start()]) or _NONE_RE.match(sentence[m.end():end]))
        if coordinated and not out[-1].asserted and \
                not re.search(r"\b(?:but|yet)\b", sentence[out[-1].start:m.start()]):
            asserted = False
        if kind == "hurdle" and subject not in ("ours", ""):
            continue  # "the law requires …": no hurdle of ours
        if kind == "right" and subject == "ours":
            continue  # "Huawei has the right to update …": our permission, read as the modal "may" (rules.yaml)
        data = _object_is_data(sentence[m.end():end], voc)
        if base in voc.assurances and not _concerns_users(sentence[m.end():end], voc):
            data = False  # "to guarantee the normal movement of the website": no promise to users
        noun = m.group(0) in voc.nouns or _not_a_statement(sentence, m, voc)
        out.append(Action(
            verb=base, kind=kind, asserted=asserted,
            mention=kind != "right" and (noun or _only_named(sentence, m) or _quoted(sentence, m.start())
                                         or defines_term(sentence)),
            purposes=_purposes(sentence[m.end():end]) if kind == "handling" else (),
            firm=modal is None or modal in _FIRM,
            conditions=tuple(sorted(x.group(0) for p in (voc.conditions, voc.exclusive) for x in p.finditer(clause))),
            discretion=bool(voc.discretion.search(clause)), by_user=user, about_data=data, start=m.start(),
            subject=subject, end=m.end(), noun=noun and kind != "right",
            adjective=m.group(0) in voc.adjectives and _as_adjective(sentence, m)))
    return out


_VERB_BEFORE = frozenset(("to", "we", "you", "they", "and", "or", "will", "shall", "can", "may", "must", "also"))
_STATE_VERBS = frozenset(("is", "are", "was", "were", "be", "been", "being", "remain", "remains", "stay", "stays"))
# What may follow an adjective that ends its phrase: a stop, a comma, the end, or a preposition of its state
_AFTER_ADJECTIVE_RE = re.compile(r"\s*(?:$|[,.;:!?)]|(?:against|from|at all times)\b)")


def _as_adjective(sentence: str, m: re.Match[str]) -> bool:
    """Whether a word that is a verb or an adjective ("secure", "correct") is the adjective here: after
    "is", "remain" …, or with no object after it ("we keep your account and our services secure, and …")."""
    words = _WORD_RE.findall(sentence[:m.start()])
    if not words or words[-1] in _VERB_BEFORE:
        return False  # "to correct, update or delete", "we secure": the verb
    return words[-1] in _STATE_VERBS or bool(_AFTER_ADJECTIVE_RE.match(sentence, m.end()))


_BE = ("is", "are", "was", "were", "be", "been", "being")
_DETERMINERS = frozenset(("the", "a", "an", "your", "our", "their", "its", "his", "her", "this", "that", "these",
                          "those", "any", "all", "such", "of", "for", "no", "each", "every", "other", "some"))


def _not_a_statement(sentence: str, m: re.Match[str], voc: ActionVocabulary) -> bool:
    """A noun that looks like a verb ("your records", "the use of", "such transfers"): named, not stated."""
    words = _WORD_RE.findall(sentence[:m.start()])
    return bool(words) and words[-1] in _DETERMINERS


# A clause that states the situation, not what is done: its verbs are named, not stated ("if we learn that
# we have collected …, we delete it": the collection is the hypothesis, the deletion the statement).
_SITUATION = ("if", "when", "where", "whenever", "wherever", "in case", "as soon as", "once", "after", "before")
_LEARN_RE = re.compile(r"\b(?:learns?|learned|learnt|becomes? aware|find out|finds out|discovers?) that\b")
_DATA_NOUNS = frozenset(("information", "data", "details", "records", "it", "that", "which", "everything"))


def _only_named(sentence: str, m: re.Match[str]) -> bool:
    """Whether a verb is named rather than stated as done: a gerund used as a noun ("for advertising",
    "such as sharing …"), a verb in a clause of situation ("if we …", "before each transfer …", "once we
    learn that we have collected …"), or a relative clause that names data ("the information we collect")."""
    head = m.group(0).split(" ")[0]
    since = sentence[:m.start()]
    words = _WORD_RE.findall(since)
    if head.endswith("ing") and not (words and words[-1] in _BE):
        return True
    if len(words) >= 2 and words[-1] in ("we", "you", "they") and words[-2] in _DATA_NOUNS:
        return True
    for w in _SITUATION:
        at = since.rfind(f" {w} ") if since.rfind(f" {w} ") >= 0 else (0 if since.startswith(f"{w} ") else -1)
        if at >= 0 and "," not in since[at:] and ";" not in since[at:]:
            return True
    learn = list(_LEARN_RE.finditer(since))
    return bool(learn) and "," not in since[learn[-1].end():]


# "to improve our service", "for advertising": not "for 30 days", "for as long as …", "to you", "to third parties"
_PURPOSE_RE = re.compile(r"\b(?:in order to|so that|to|for)\s+(?!you\b|us\b|the\b|a\b|an\b|\d|at\b|up\b|as\b|"
                         r"no\b|more\b|less\b|third\b|other\b|any\b)((?:(?!and\b|or\b|then\b)[\w'-]+\s*){1,6})")
_PURPOSE_STOP = frozenset(("the", "a", "an", "and", "or", "of", "our", "your", "its", "their", "to", "for", "with",
                           "we", "you", "it", "them", "this", "that", "these", "those"))


def _purposes(after: str) -> tuple[str, ...]:
    """The content words of what a handling action is for ("use it to improve our service" → improve, service)."""
    m = _PURPOSE_RE.search(after)
    if not m:
        return ()
    return tuple(sorted({w for w in _WORD_RE.findall(m.group(1)) if w not in _PURPOSE_STOP and len(w) > 2}))


def _quoted(sentence: str, at: int) -> bool:
    """Whether ``at`` stands in quotation marks (a title: see "International transfers")."""
    return sentence.count('"', 0, at) % 2 == 1 or sentence.count("“", 0, at) > sentence.count("”", 0, at)


def _lookup(matched: str, voc: ActionVocabulary) -> tuple[str, str]:
    flat = " ".join(matched.split())
    return voc.verbs.get(flat) or next(v for k, v in voc.verbs.items() if re.fullmatch(term_pattern(k), matched))


def _clause(sentence: str, at: int, lex: Lexicons) -> tuple[int, int]:
    """The clause around ``at``: from the last semicolon or clause break before it to the next stop."""
    head = max(sentence.rfind(";", 0, at), sentence.rfind(":", 0, at))
    end_m = clauses.CLAUSE_END_RE.search(sentence, at)
    return head + 1, end_m.start() if end_m else len(sentence)


def _subject(before: str, voc: ActionVocabulary) -> str:
    # (far enough back for "you will have to log in to your account to access …")
    words = _WORD_RE.findall(before)[-10:]
    for i in range(len(words) - 1, -1, -1):
        if words[i] in ("it", "they", "he", "she", "which", "who"):
            return ""  # the nearest subject is someone else ("…, it will try to delete"): not the user
        two = " ".join(words[max(0, i - 1):i + 1])
        if words[i] in voc.subjects_user or two in voc.subjects_user:
            return "user"
        if words[i] in voc.subjects_ours or two in voc.subjects_ours:
            return "ours"
    # "Please contact us …, visit … or send an email to …": a request to the reader, who does what it asks
    # (not "please note that our partners send …": the clause after "that" has a subject of its own)
    return "user" if _REQUEST_RE.match(before) else ""


_REQUEST_RE = re.compile(r"\s*please\b(?!.*\b(?:that|which|who|whom|when|if|where|because|while|so)\b)")


def _modal(before: str, lex: Lexicons) -> str | None:
    if _RESERVED_RE.search(before):
        return "may"  # "we have the right to share", "Huawei reserves the right to update": a permission
    words: list[str] = _WORD_RE.findall(before)[-4:]
    return next((w for w in reversed(words) if w in _LOOSE or w in ("will", "shall", "must")), None)


# A term defined in the sentence: "(together, "handle" it)", "(collectively, the "Services")", "hereinafter …"
_DEFINES_RE = re.compile(r"\((?:together|collectively|jointly)\b[^()]*[\"“]\w[^()]*\)|\bhereinafter\b|"
                         r"\b(?:together|collectively) referred to as\b")


def defines_term(sentence: str) -> bool:
    """Whether a sentence defines a word by the actions it lists ("how we collect, use, share and protect your
    information (together, "handle" it)"): the actions name what the word covers, they state nothing done.
    (Whether the policy states them elsewhere is for the processing terms to say: policykit.compare.terms.)"""
    return _DEFINES_RE.search(sentence) is not None


def _concerns_users(after: str, voc: ActionVocabulary) -> bool:
    """Whether what an assurance assures concerns users: a word of ``concerns_users`` in what it assures (up to
    a comma: "to guarantee that the website works, we store cookies on your device" assures the website)."""
    assured = re.split(r"[,;:]", after, maxsplit=1)[0]
    return any(w in voc.concerns_users for w in _WORD_RE.findall(assured))


_RESERVED_RE = re.compile(r"\b(?:has|have|reserves?) the right to\s*$")
_SKIP = frozenset(("your", "our", "their", "its", "the", "a", "an", "all", "any", "some", "this", "these", "those",
                   "also", "only", "then", "personal", "certain", "other", "such", "more", "less"))


def _object_is_data(after: str, voc: ActionVocabulary) -> bool:
    """Whether the words after a handling verb name what could be personal information: anything but
    what ``not_data`` lists ("our products and services", "processors")."""
    words = [w for w in _WORD_RE.findall(after)[:5] if w not in _SKIP]
    return not words or words[0] not in voc.not_data


_GOVERNING_RE = re.compile(r"\b(?:not|never|no longer|cannot|may|might|can|could|should|would|will|shall|must)\b")


def reads_every_verb_governed(sentence: str, lex: Lexicons) -> bool:
    """Whether each negation and modal verb of a sentence governs an action this module reads (the next verb
    within four words is a counted action): then the actions say what the negation or the modal means."""
    counted = [a.start for a in read(sentence, lex)
               if not a.mention and (a.kind != "handling" or (a.about_data and not a.by_user))]
    for m in _GOVERNING_RE.finditer(sentence):
        window = sentence[m.end():m.end() + 40]
        if not any(0 <= at - m.end() <= len(window) and _governs(_WORD_RE.findall(sentence[m.end():at]))
                   for at in counted):
            return False
    return True


def _governs(between: list[str]) -> bool:
    """Whether a negation or modal verb followed by ``between`` governs the action after them. "to" after
    another word ("not *work* continually to protect", "may *decide* to share") marks that word as the verb
    governed, whose complement the action is: the action alone does not say what the negation does."""
    return len(between) <= 4 and "to" not in [w.lower() for w in between[1:]]
