"""Whether a reworded text still says the same thing: a proof, statement by statement, or what stops it.

A change that no rule explains is left to a person (``review``): nothing proves that the new wording keeps
the meaning. This module tries to prove it. Each sentence a change touches, old and new, is read
(:mod:`policykit.compare.actions`) into statements (:class:`Claim`): who does what (the verb's sense, so "erase"
is "delete"), asserted or negated, firmly or possibly, under which conditions, at whose discretion, for
which purposes, with the words that stand around the verb (what data, to whom, how long). The texts
say the same when

- every changed sentence, before and after, states at least one action (a sentence the reader cannot
  read proves nothing);
- the statements of the old sentences and those of the new pair up one to one, each pair alike in every
  slot and in its words (order aside: "we work continually" is "we continually work");
- every word that binds (``data/sameness.yaml``: a negation, a quantifier, a condition, a modal verb)
  governs the same word before and after, so a "not" or an "only" that moved is seen.

Numbers, durations, countries and named parties are words of the statements, so a changed one breaks the
pairing. The only liberties are those the data lists: words that carry no meaning ("the", "that", "in
order"), the company's own name read as "we", inflections, a verb of the same sense, the synonyms of
the rules' lexicons, and a wording the data's ``rewrites`` say means another ("we do not use cookies for any
purpose that this policy does not describe" is "… only for the purposes that this policy describes"; "the rest
is optional" is "you can choose not to provide the rest"). A noun or an adjective of a verb ("our terms of
use", "keep it secure") is a word of the statement it stands in. :func:`compare` returns a
:class:`Sameness`: proven, with the statements compared, or not, with what the reader could not read or what
differs, for the person who decides.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources

from policykit.compare import actions, paraphrase, values
from policykit.compare.findings import delta
from policykit.compare.lexicons import Lexicons, term_pattern
from policykit.compare.text import canonical, short

# A clause ends at a stop before a space (not the dot of "privacy@example.com" or of "1.5").
_CLAUSE_END_RE = re.compile(r"[.;:!?](?=\s|$)")
_WORD_RE = re.compile(r"[\w'@.-]*\w")


@dataclass(frozen=True)
class SamenessVocabulary:
    ignored: re.Pattern[str]
    ourselves: re.Pattern[str]
    binding: dict[str, str]  # a binding word (or phrase) -> the word it stands for ("might" -> "may")
    means: frozenset[str] = frozenset()  # the words of a channel or a means to exercise a right (narrowing)
    contacting: frozenset[str] = frozenset()  # words that say a sentence is about reaching us or a right
    rewrites: tuple[tuple[re.Pattern[str], str], ...] = ()  # a wording and the one it means
    negation: frozenset[str] = frozenset()  # the binding words that deny ("not", "never", "nobody")
    excluding: frozenset[str] = frozenset()  # they and the words that except ("except", "unless", "other")
    withheld_prepositions: frozenset[str] = frozenset()  # "…, never from GPS" (narrowing)
    comparative: frozenset[str] = frozenset()  # "…, never less than 30 days" withholds nothing
    example_openers: tuple[str, ...] = ()  # "such as", "for example": an example list follows (examples)
    recipients: tuple[str, ...] = ()  # words that name who receives data, "*" a word's end (recipients)
    relatives: frozenset[str] = frozenset()  # "that", "who": a restrictive clause follows (recipients)
    open_class: frozenset[str] = frozenset()  # "other", "any": a class left open (recipients)


@cache
def vocabulary() -> SamenessVocabulary:
    from policykit import yamlio

    raw = yamlio.parse(resources.files("policykit").joinpath("data/sameness.yaml").read_bytes(), "sameness.yaml")
    binding: dict[str, str] = {}
    for words in raw["binding"].values():
        for entry in words:
            group = [str(w) for w in entry] if isinstance(entry, list) else [str(entry)]
            binding |= {w: group[0] for w in group}
    negation = frozenset(str(w) for w in raw["binding"]["negation"])

    def listed(key: str) -> frozenset[str]:
        return frozenset(str(w) for w in raw[key])

    return SamenessVocabulary(ignored=_alternation(str(w) for w in raw["ignored"]),
                              ourselves=_alternation(str(w) for w in raw["ourselves"]), binding=binding,
                              means=listed("means"), contacting=listed("contacting"), negation=negation,
                              excluding=negation | listed("excluding"),
                              withheld_prepositions=listed("withheld_prepositions"),
                              comparative=listed("comparative"), open_class=listed("open_class"),
                              example_openers=tuple(sorted(listed("example_openers"))),
                              recipients=tuple(str(w) for w in raw["recipients"]), relatives=listed("relatives"),
                              rewrites=tuple((re.compile(str(r["pattern"])), str(r["as"])) for r in raw["rewrites"])
                              + tuple(paraphrase.connective(group) for group in raw["connectives"]))


def _alternation(words: Iterable[str]) -> re.Pattern[str]:
    return re.compile("(?:" + "|".join(term_pattern(w) for w in sorted(words, key=len, reverse=True)) + ")")


@dataclass(frozen=True)
class Claim:
    """One thing a sentence states: an action with all its slots, and the words around it."""

    actor: str  # "we" or "you"
    verb: str  # the vocabulary's sense ("erase" -> "delete")
    asserted: bool
    firm: bool
    mention: bool  # named, not stated as done ("such as sharing")
    conditions: tuple[str, ...]
    discretion: bool
    purposes: tuple[str, ...]
    words: tuple[str, ...]  # the words of its part of the sentence, sorted (what data, to whom, how long …)
    text: str  # what follows the verb, as written (for a person)

    def __str__(self) -> str:
        polarity = "" if self.asserted else "not "
        modal = "" if self.firm or not self.asserted else "may "
        return f"{self.actor} — {modal}{polarity}{self.verb}" + (f" — {short(self.text, 60)}" if self.text else "")

    @property
    def key(self) -> tuple[object, ...]:
        return (self.actor, self.verb, self.asserted, self.firm, self.mention, tuple(sorted(self.conditions)),
                self.discretion, self.purposes, tuple(sorted(_unsuffixed(w) for w in self.words)))


@dataclass(frozen=True)
class Sameness:
    """Whether two texts state the same; if not, why not, in words for the person who decides."""

    proven: bool
    statements: tuple[Claim, ...] = ()  # the old text's statements that were compared
    unread: tuple[str, ...] = ()  # changed sentences in which no action was recognised
    unmatched: str = ""  # a sentence added or removed with no counterpart on the other side
    reordered: bool = False  # proven by the items of a list being the same, in another order
    why: str = ""  # what differs, when not proven

    def summary(self) -> str:
        if self.proven:
            said = "; ".join(dict.fromkeys(str(s) for s in self.statements))
            if self.reordered:
                return f"the same items of a list in another order ({said}); only their order changed"
            return f"same statements before and after: {said}; only the wording changed"
        if self.unmatched:
            return f"the sentence “{short(self.unmatched, 80)}” has no counterpart in the other version"
        if self.unread:
            quoted = ", ".join(f"“{short(s, 80)}”" for s in self.unread)
            one = len(self.unread) == 1
            return (f"the sentence{'' if one else 's'} {quoted} could not be read into who does what to which "
                    "data")
        return self.why


def compare(before: str, after: str, lex: Lexicons) -> Sameness:
    """Whether ``after`` states exactly what ``before`` states (English text), sentence by sentence."""
    d = delta(paraphrase.one_statute_style(before), paraphrase.one_statute_style(after))
    if not d.removed and not d.added:
        return Sameness(True)
    if not d.removed or not d.added:
        return Sameness(False, unmatched=(d.added or d.removed)[0])
    removed, added = _unlisted(d.removed, d.added)
    if not removed and not added:  # only the items of lists reordered
        return Sameness(True, tuple(c for s in d.removed for c in read(s, lex)), reordered=True)
    # a wording the data says is another's ("the rest is optional") is read as that one
    plain_removed, plain_added = [_rewritten(s, lex) for s in removed], [_rewritten(s, lex) for s in added]
    olds = [read(s, lex) for s in plain_removed]
    news = [read(s, lex) for s in plain_added]
    unread = tuple(s for s, found in zip((*removed, *added), (*olds, *news), strict=True) if not found)
    if unread:
        return Sameness(False, unread=unread)
    old = [s for found in olds for s in found]
    new = [s for found in news for s in found]
    why = _differs(old, new) or _binds_differently(plain_removed, plain_added)
    if why:
        return Sameness(False, tuple(old), why=why)
    return Sameness(True, tuple(old))


def _rewritten(sentence: str, lex: Lexicons) -> str:
    """``sentence`` in the wording that ``data/sameness.yaml``'s ``rewrites`` say it means, with each number
    written as a word in digits ("thirteen months" is "13 months"), each citation of an article in one form and
    each abbreviation it defines in brackets left out."""
    for pattern, meaning in vocabulary().rewrites:
        sentence = pattern.sub(meaning, sentence)
    sentence = _NUMBER_WORD_RE.sub(lambda m: _numeral(m.group(0), lex), sentence)
    sentence = values.one_citation_form(sentence)
    return _ACRONYM_RE.sub(lambda m: "" if _defines(m, sentence) else m.group(0), sentence)


_NUMBER_WORD_RE = re.compile(r"(?<![\w-])[a-z]+(?![\w-])")


def _numeral(word: str, lex: Lexicons) -> str:
    """A number word in digits ("thirteen" -> "13"); any other word (an article "a" too) as it is."""
    value = lex.number_words.get(word)
    return str(value) if value is not None and word not in ("a", "an") else word


# "japan's act on the protection of personal information (appi)": an abbreviation defined where it is used
_ACRONYM_RE = re.compile(r"\s*\((?P<short>[a-z]{2,8})\)")
_SMALL_WORDS = frozenset(("of", "on", "the", "and", "for", "to", "in", "a", "an"))


def _defines(m: re.Match[str], sentence: str) -> bool:
    """Whether a bracketed abbreviation spells the initials of the words right before it."""
    short = m.group("short")
    words = [w for w in re.findall(r"[a-z][\w'-]*", sentence[:m.start()]) if w not in _SMALL_WORDS]
    return len(words) >= len(short) and "".join(w[0] for w in words[-len(short):]) == short


# A list whose order may carry meaning: its items are steps
_SEQUENCE_RE = re.compile(r"\b(?:then|first|firstly|second|next|finally|afterwards|after that|before that)\b")


def _unlisted(removed: Sequence[str], added: Sequence[str]) -> tuple[list[str], list[str]]:
    """The sentences left once those that only reorder the items of a list are set aside: the same opening
    up to a colon, then the same items (between semicolons) in another order, none of them a step."""
    def items(sentence: str) -> tuple[str, tuple[str, ...]] | None:
        head, colon, rest = sentence.partition(":")
        parts = [re.sub(r"^\s*and\b", "", p).strip(" .") for p in rest.split(";")]
        if not colon or len(parts) < 2 or any(_SEQUENCE_RE.search(p) for p in parts):
            return None
        return head, tuple(sorted(parts))

    left = list(added)
    out = []
    for old in removed:
        key = items(old)
        match = next((new for new in left if key is not None and items(new) == key), None)
        if match is None:
            out.append(old)
        else:
            left.remove(match)
    return out, left


def read(sentence: str, lex: Lexicons) -> list[Claim]:
    """The statements of a normalised sentence, each with the words of its part of the sentence."""
    text = sentence
    found = actions.read(text, lex)
    # "to enforce our terms of use", "keep your account secure": a noun or an adjective of a verb is a word of
    # the statement it stands in, not a statement of its own (unless the sentence names nothing else)
    stated = [a for a in found if not (a.noun or a.adjective)]
    found = stated if stated else found
    statements: list[Claim] = []
    words: list[list[str]] = []  # each statement's words
    pending: list[str] = []  # the words of clauses that state no action, before the first statement
    at = 0
    for end in ([m.end() for m in _CLAUSE_END_RE.finditer(text)] + [len(text)]) if found else []:
        inside = [a for a in found if at <= a.start < end]
        # "…; and preventing harm": the "and" before a list's last item goes where the last item goes
        lead = _LIST_AND_RE.match(text, at)
        at = lead.end() if lead and at else at
        if not inside:
            # "we collect: your name; your e-mail": a clause without a verb belongs to the statement before it
            (words[-1] if words else pending).extend(_words(text[at:end], lex))
        for i, act in enumerate(inside):
            # The first statement of a clause owns its opening words (the subject, an adverb); each owns
            # what follows it up to the next verb: its object, its recipients, its period.
            stop = inside[i + 1].start if i + 1 < len(inside) else end
            actor = "you" if act.by_user else {"ours": "we", "user": "you"}.get(act.subject, "someone")
            if actor == "someone" and statements and re.search(r"\bto\s*$", text[:act.start]):
                actor = statements[-1].actor  # "we collect it to answer …": who collects answers
            statements.append(Claim(actor, act.verb, act.asserted, act.firm, act.mention, act.conditions,
                                    act.discretion, act.purposes, (), _object(text[act.end:stop])))
            # the action's own words in its sense: "can write to" and "can contact" are one right
            words.append([*pending, *_words(text[at if i == 0 else act.start:act.start], lex), act.verb,
                          *_words(text[act.end:stop], lex)])
            pending = []
        at = end
    return [replace(c, words=tuple(sorted(w))) for c, w in zip(statements, words, strict=True)]


_NON_RESTRICTIVE_RE = re.compile(r",\s*(?:which|who|whom)\b")
_LIST_AND_RE = re.compile(r"\s*and\b")


def _object(text: str) -> str:
    return " ".join(text.strip(" ,;:.!?").split())


def _words(part: str, lex: Lexicons) -> list[str]:
    """The words of a part of a sentence that carry meaning, each in one form (a verb as its sense)."""
    verbs = actions.vocabulary().verbs
    # "the partners that deliver your order" limits who receives data, "the partners, which deliver your
    # order" does not: a relative clause set off by a comma is a word of its own
    voc = vocabulary()
    part = voc.ourselves.sub("we", _NON_RESTRICTIVE_RE.sub(" nonrestrictive ", part))
    text = voc.ignored.sub(" ", canonical(part, lex))
    out = []
    words = text.split()
    for i, w in enumerate(words):
        verb = next((v for v in words[i + 1:i + 3] if not v.endswith("ly")), "")
        if w in _PROGRESSIVE and _ING_RE.fullmatch(verb):
            continue  # aspect, not meaning: "Huawei is (continually) striving to" = "Huawei (continually) strives to"
        if _ING_RE.fullmatch(w) and w not in verbs:
            out.append(w[:-3])  # "striving" -> "striv", compared with "strive" without its silent "e" (_unsuffixed)
        elif w in verbs and " " not in w:
            out.append(verbs[w][0])
        elif w.endswith("ies") and len(w) > 4:
            out.append(w[:-3] + "y")
        elif w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3:
            out.append(w[:-1])
        else:
            out.append(w)
    return out


_PROGRESSIVE = frozenset(("is", "are", "am"))
_ING_RE = re.compile(r"[a-z]{3,}ing")


def _unsuffixed(word: str) -> str:
    """A word without a silent final "e", so that "striving" (striv-ing) and "strives" (strive-s) are one word."""
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


def _differs(old: Sequence[Claim], new: Sequence[Claim]) -> str:
    """What keeps the statements of the old and the new text from pairing up one to one, or ''."""
    keys_old, keys_new = Counter(s.key for s in old), Counter(s.key for s in new)
    if keys_old == keys_new:
        return ""
    gone = [s for s in old if (keys_old - keys_new)[s.key]]
    came = [s for s in new if (keys_new - keys_old)[s.key]]
    if len(gone) == 1 and len(came) == 1 and (gone[0].verb, gone[0].actor) == (came[0].verb, came[0].actor):
        a, b = gone[0], came[0]
        return "the statement “" + str(a) + "” reads differently now: " + _slots(a, b)
    said = "; ".join(f"before: {s}" for s in gone) + ("; " if gone and came else "") + \
        "; ".join(f"after: {s}" for s in came)
    return "the statements do not pair up (" + said + ")"


def _slots(a: Claim, b: Claim) -> str:
    """Which slots of one statement differ between its old and its new reading."""
    out = []
    for name, x, y in (("polarity", a.asserted, b.asserted), ("certainty", a.firm, b.firm),
                       ("stated or only named", a.mention, b.mention),
                       ("conditions", sorted(a.conditions), sorted(b.conditions)),
                       ("discretion", a.discretion, b.discretion), ("purposes", a.purposes, b.purposes)):
        if x != y:
            out.append(f"{name} {_show(x)} → {_show(y)}")
    wa, wb = Counter(map(_unsuffixed, a.words)), Counter(map(_unsuffixed, b.words))
    if wa != wb:
        shown = {_unsuffixed(w): w for w in (*a.words, *b.words)}  # each word as it is written
        out.append(_words_differ(Counter({shown[w]: n for w, n in (wa - wb).items()}),
                                 Counter({shown[w]: n for w, n in (wb - wa).items()}), "in it"))
    return "; ".join(out)


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value)) or "none"
    return str(value)


def _words_differ(gone: Counter[str], came: Counter[str], where: str) -> str:
    def listed(words: Counter[str]) -> str:
        return ", ".join(f"“{w}”" for w in sorted(words)) or "nothing"

    return f"words {where} differ: {listed(gone)} before, {listed(came)} after"


def _binds_differently(olds: Sequence[str], news: Sequence[str]) -> str:
    """Whether a negation, a quantifier, a condition or a modal verb governs another word now, or ''."""
    a, b = _bindings(olds), _bindings(news)
    if a == b:
        return ""
    return f"a word that binds governs another word now: {_pairs(a - b)} before, {_pairs(b - a)} after"


def _pairs(pairs: Counter[tuple[str, str]]) -> str:
    return ", ".join(f"“{w} {n}”" for w, n in sorted(pairs)) or "nothing"


# "not your name": a binding word governs the noun, not its possessive
_POSSESSIVES = frozenset(("your", "our", "their", "its", "his", "her", "my"))


def _bindings(sentences: Sequence[str]) -> Counter[tuple[str, str]]:
    """Each binding word of the sentences with the word it governs (the next word that carries meaning)."""
    voc = vocabulary()
    out: Counter[tuple[str, str]] = Counter()
    for sentence in sentences:
        text = voc.ignored.sub(" ", voc.ourselves.sub("we", sentence))
        words = [w for w in _WORD_RE.findall(text) if w not in _POSSESSIVES]
        for i, w in enumerate(words):
            two = " ".join(words[i:i + 2])
            word, width = (two, 2) if two in voc.binding else (w, 1)
            if word in voc.binding:
                out[(voc.binding[word], _governed(words, i, width))] += 1
    return out


def _governed(words: Sequence[str], i: int, width: int) -> str:
    """The word the binding word at ``i`` governs, a verb in its sense: "may erase" and "may delete", "can write
    to" and "can contact" govern one action."""
    verbs = actions.vocabulary().verbs
    for n in (3, 2):  # a right is a phrase with its modal verb: "can write to"
        phrase = " ".join(words[i:i + n])
        if phrase in verbs and verbs[phrase][1] == "right":
            return verbs[phrase][0].split()[-1]
    word = words[i + width] if i + width < len(words) else ""
    return verbs[word][0] if word in verbs and " " not in verbs[word][0] else word
