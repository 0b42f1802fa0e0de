"""Whether a change only narrows what the company does with data, or only adds a protection: two proofs.

A change that gives users more, or does less with their data, needs no fresh consent and no advance
notice (``docs/legal-basis.md#only-narrowed``, ``#protection-added``). :func:`prove` proves the second, strictly,
on top of the statements of :mod:`policykit.compare.sameness`: the old and the new sentences pair up in
order, and each new sentence is its old one with items of a list taken out (a data item, a purpose, a
recipient, a ground) and nothing added but the commas and "and" that join what is left. Each item taken
out must

- be a whole item of a list: a separator (a comma, a semicolon, "and", "or", a bracket) stands right
  before or right after it;
- hold no word that binds (``data/sameness.yaml``: "certain", "only", "not", "if" …): dropping "certain"
  from "we share certain data" widens what is shared;
- stand in no negation or exception of its clause ("we do not share X, Y", "except X, Y", "unless X or
  Y"): an item taken out of what we do not do is something we may now do;
- belong to asserted processing: every statement of the old sentence whose words or purposes shrink, or
  that is gone, is an action of the handling kind (collect, use, share, keep …), asserted, done by the
  company or by no one named (never by the user, never a protection or a right).

Every statement of the new sentence pairs with an old one alike in every slot but its words and purposes,
which are a part of the old ones. :func:`prove` returns a :class:`Narrowing`: proven, with what was taken
out, or not, with what stops the proof.

:func:`protect` proves that a change only gives the user more: every old word is kept (only separators
may change, "or" becoming a comma) and each run of words added is

- a statement of its own that is a protection (an action of the protective kind the company does: assess,
  explain, ask …), a right the user has ("you can ask"), or processing withheld ("we will not do so"), with
  processing only named as a noun after a determiner as its occasion ("before each new transfer we assess"),
  and not, next to processing the old sentence asserts, a "to …"/"…ing" phrase that may be its purpose;
- or, with no verb, another means to reach us or exercise a right, added with "or" (or saying it is "as
  easy as"), made only of the words of ``data/sameness.yaml``'s ``means``, in a sentence about reaching us
  or a right (a word of ``contacting``);

- or a limit on a statement of processing the company asserts, inside that statement's part of the sentence:
  an exclusive word ("we derive your location *only* from your IP address") or, after a comma, a negation,
  a preposition the statement already uses and what is withheld ("…, *never from GPS signals*"), with no
  other binding word and no word of degree or price (``data/sameness.yaml``: "never for free" sells it);
  never "not only", never in a negation or an exception, never on a protection or a right;

and no run that speaks of the user ("you", "your") holds a condition or a duty ("if", "only", "must" …).
A new party, country, kind of data or processing is no protection: such a run is left to the other rules
and to a person. :func:`protect` returns a :class:`Protection`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from policykit.compare import actions, sameness
from policykit.compare.findings import delta
from policykit.compare.lexicons import Lexicons
from policykit.compare.text import short

_TOKEN_RE = re.compile(r"[\w'@.-]*\w|[,;()]")
SEPARATORS = frozenset((",", ";", "(", ")", "and", "or", "and/or"))
_CLAUSE_STOPS = frozenset((";",))


@dataclass(frozen=True)
class Narrowing:
    """Whether a change only takes items out of asserted processing; what was taken out, or what stops it."""

    proven: bool
    removed: tuple[str, ...] = ()  # the items taken out, as written
    statements: tuple[sameness.Claim, ...] = ()  # the old statements that lost them
    why: str = ""

    def summary(self) -> str:
        if not self.proven:
            return self.why
        items = ", ".join(f"“{r}”" for r in self.removed)
        said = "; ".join(dict.fromkeys(str(s) for s in self.statements))
        return f"{items} no longer part of what is done ({said}); nothing added"


def prove(before: str, after: str, lex: Lexicons) -> Narrowing:
    """Whether ``after`` only takes items of a list out of the processing ``before`` asserts (English)."""
    d = delta(before, after)
    if not d.removed or len(d.removed) != len(d.added):
        return Narrowing(False, why="sentences were added or removed, not only shortened")
    removed: list[str] = []
    statements: list[sameness.Claim] = []
    for old, new in zip(d.removed, d.added, strict=True):
        items, why = _items_taken_out(old, new)
        why = why or _acts_of_the_user(old, items, lex)
        if why:
            return Narrowing(False, why=why)
        lost, why = _statements_narrowed(old, new, lex)
        if why:
            return Narrowing(False, why=why)
        removed += items
        statements += lost
    return Narrowing(True, tuple(removed), tuple(statements))


def tokens(text: str) -> list[str]:
    """The words and list separators of ``text``, lower-cased."""
    return _TOKEN_RE.findall(text.lower())


def _items_taken_out(old: str, new: str) -> tuple[list[str], str]:
    """The items of a list taken out of ``old`` to give ``new``, or what else changed."""
    a, b = tokens(old), tokens(new)
    gone: list[int] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op != "equal" and any(t not in SEPARATORS for t in b[j1:j2]):
            return [], f"words were added: “{short(' '.join(b[j1:j2]), 60)}”"
        if op in ("delete", "replace"):
            gone.extend(range(i1, i2))
    runs = _runs(gone)
    if not any(a[i] not in SEPARATORS for run in runs for i in run):
        return [], "nothing but separators was taken out"
    out = []
    for run in runs:
        core = _core(a, run)
        if core is None:
            continue
        found = _placed(a, core)
        if isinstance(found, str):
            return [], found
        out.append(" ".join(a[found[0]:found[1]]))
    return out, ""


def _acts_of_the_user(old: str, items: Sequence[str], lex: Lexicons) -> str:
    """Why an item taken out is no item of processing: it holds an act of the user's ("access your data *and
    get a copy of it*"), a right or a protection; or '' when none does. Less of what the user may do, or of
    what the company promises, is less for the user, not less done with the data."""
    acts = actions.read(old, lex)
    text = old.lower()
    for item in items:
        found = re.search(r"\s*".join(map(re.escape, item.split())), text)
        if found is None:
            continue
        for act in acts:
            if found.start() <= act.start < found.end() and (act.by_user or act.subject == "user" or
                                                     act.kind in ("right", "protective")):
                return (f"“{item}” taken out is something the user does or a protection (“{act.verb}”), not "
                        "processing the company asserts: less of it is not less done")
    return ""


def _runs(indices: Sequence[int]) -> list[list[int]]:
    out: list[list[int]] = []
    for i in indices:
        if out and out[-1][-1] == i - 1:
            out[-1].append(i)
        else:
            out.append([i])
    return out


def _core(a: Sequence[str], run: Sequence[int]) -> tuple[int, int] | None:
    """The run without the separators at its ends, as [start, end), or None if only separators."""
    start, end = run[0], run[-1] + 1
    while start < end and a[start] in SEPARATORS:
        start += 1
    while end > start and a[end - 1] in SEPARATORS:
        end -= 1
    return (start, end) if start < end else None


def _placed(a: Sequence[str], core: tuple[int, int]) -> tuple[int, int] | str:
    """The run, slid to where it is a whole item of a list (a diff may cut "to A, to B" as "A, to"), or why
    it is not one."""
    start, end = core
    # the same text taken out can stand one word to the left or the right: try each place
    places = [(start, end)]
    s, e = start, end
    while s > 0 and a[s - 1] == a[e - 1]:
        s, e = s - 1, e - 1
        places.append((s, e))
    s, e = start, end
    while e < len(a) and a[e] == a[s]:
        s, e = s + 1, e + 1
        places.append((s, e))
    binding = sameness.vocabulary().binding
    if any(w in binding for w in a[start:end]):
        return f"a word that binds was taken out: “{' '.join(a[start:end])}”"
    for s, e in places:
        item = a[s:e]
        if (s == 0 or a[s - 1] not in SEPARATORS) and (e == len(a) or a[e] not in SEPARATORS):
            continue
        clause = a[_clause_start(a, s):s]
        # a word that puts what follows it outside what is done (data/sameness.yaml): an item taken out widens
        if any(w in sameness.vocabulary().excluding for w in [*clause, *item]):
            return (f"“{' '.join(item)}” was taken out of a negation or an exception, which widens what is "
                    "done")
        return s, e
    return f"“{' '.join(a[start:end])}” is not a whole item of a list"


def _clause_start(a: Sequence[str], at: int) -> int:
    for i in range(at - 1, -1, -1):
        if a[i] in _CLAUSE_STOPS:
            return i + 1
    return 0


def _statements_narrowed(old: str, new: str, lex: Lexicons) -> tuple[list[sameness.Claim], str]:
    """The old statements that lost words, when every one of them is asserted processing and every new
    statement is an old one with fewer words; or what stops it."""
    olds, news = sameness.read(old, lex), sameness.read(new, lex)
    if not olds or not news:
        return [], f"the sentence “{short(old if not olds else new, 80)}” could not be read into who does what"
    left = list(olds)
    lost: list[sameness.Claim] = []
    for claim in news:
        match = next((c for c in left if c.key == claim.key), None) or \
            next((c for c in left if _narrower(c, claim)), None)
        if match is None:
            return [], f"the statement “{claim}” is not a narrower form of one before"
        left.remove(match)
        if match.key != claim.key:
            lost.append(match)
    for claim in [*lost, *left]:
        if not _asserted_processing(claim):
            return [], f"the statement “{claim}” is not processing the company asserts, so less of it is not less done"
    return lost + left, ""


def _narrower(old: sameness.Claim, new: sameness.Claim) -> bool:
    same = (old.actor, old.verb, old.asserted, old.firm, old.mention, sorted(old.conditions), old.discretion)
    if same != (new.actor, new.verb, new.asserted, new.firm, new.mention, sorted(new.conditions), new.discretion):
        return False
    # the reader takes the first "to …" after a verb as its purpose: when that one is taken out of a list of
    # purposes, the next ("to enforce our terms, to prevent harm …") is its purpose now, and was stated before
    purposes_old = {w for p in old.purposes for w in p.split()} | set(old.words)
    purposes_new = {w for p in new.purposes for w in p.split()}
    added = Counter(w for w in new.words if w not in SEPARATORS) - Counter(old.words)
    return not added and purposes_new <= purposes_old


def _asserted_processing(claim: sameness.Claim) -> bool:
    kind = actions.vocabulary().verbs.get(claim.verb, ("", ""))[1]
    return kind == "handling" and claim.asserted and claim.actor != "you"


# -- a protection or a means added ------------------------------------------------------------------------
# Words that, with "you" or "your" in the same added text, set a condition or a duty on the user
_ON_THE_USER = frozenset(("if", "unless", "provided", "only", "once", "until", "must", "required", "need", "needs",
                          "subject", "upon", "after", "have", "has", "should", "when", "where"))
_EASE_RE = re.compile(r"\bas (?:easy|easily|simple|simply) as\b")


@dataclass(frozen=True)
class Protection:
    """Whether a change only adds a protection, a right or a means to reach us, and keeps every old word."""

    proven: bool
    added: tuple[str, ...] = ()  # what was added, each with what it is, for the person who reads the reason
    why: str = ""

    def summary(self) -> str:
        if not self.proven:
            return self.why
        return "; ".join(self.added) + "; every statement before is kept, and nothing is added that the company does"


def protect(before: str, after: str, lex: Lexicons) -> Protection:
    """Whether ``after`` is ``before`` with only protections, rights or means to reach us added (English)."""
    d = delta(before, after)
    if not d.added or (d.removed and len(d.removed) != len(d.added)):
        return Protection(False, why="sentences were removed, not only added to")
    olds = list(d.removed) or [""] * len(d.added)
    added: list[str] = []
    for old, new in zip(olds, d.added, strict=True):
        runs, why = _runs_added(old, new)
        for run, at in runs:
            what = why or _limits(run, at, new, lex) or _what_is_added(run, old, lex)
            if what.startswith("not "):
                return Protection(False, why=what.removeprefix("not "))
            added.append(what)
        if why:
            return Protection(False, why=why)
    return Protection(True, tuple(added))


def _runs_added(old: str, new: str) -> tuple[list[tuple[str, int]], str]:
    """The runs of words added to ``old`` to give ``new``, each with the index of its first token in ``new``,
    when nothing but separators was taken out."""
    a, b = tokens(old), tokens(new)
    out = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op != "equal" and any(t not in SEPARATORS for t in a[i1:i2]):
            return [], f"words were taken out: “{short(' '.join(a[i1:i2]), 60)}”"
        if op in ("insert", "replace") and any(t not in SEPARATORS for t in b[j1:j2]):
            out.append((" ".join(b[j1:j2]), j1))
    for word in ("or", "and"):  # "by e-mail or by post" made "by e-mail and by post": a choice made a duty
        if a.count(word) > b.count(word):
            return [], f"“{word}” was taken out: what it joins may mean another thing now"
    if not out:
        return [], "nothing but separators was added"
    return out, ""


def _what_is_added(run: str, old: str, lex: Lexicons) -> str:
    """What an added run of words is ("a protection (…)", "a means …"), or "not " and why it is no proof."""
    words = [w for w in run.split() if w not in SEPARATORS]
    if ("you" in words or "your" in words) and _ON_THE_USER & set(words):
        return f"not “{short(run, 60)}” puts a condition or a duty on the user"
    claims = sameness.read(run, lex)
    if not claims:
        return _means(run, words, old)
    verbs = actions.vocabulary().verbs
    if (words[0] == "to" or (words[0].endswith("ing") and len(words[0]) > 4)) and \
            any(_asserted_processing(c) and not c.mention for c in sameness.read(old, lex)):
        # "we use it to ship your order, and to choose the offers we show you": what the processing is for
        return f"not “{short(run, 60)}” may say what the processing before it is for: a purpose added"
    stated = [c for c in claims if not _named(c, run)]
    for claim in stated:
        kind = verbs.get(claim.verb, ("", ""))[1]
        protective = claim.asserted and kind == "protective" and claim.actor != "you"
        right = claim.asserted and kind == "right" and claim.actor == "you"
        withheld = not claim.asserted and kind in ("handling", "hurdle") and claim.actor != "you"
        if not (protective or right or withheld):
            return f"not the statement “{claim}” added is not a protection, a right of the user or processing withheld"
    if not stated:
        return f"not “{short(run, 60)}” only names processing, with no protection"
    said = "; ".join(str(c) for c in stated)
    return f"“{short(run.strip(' ,;'), 80)}” added: a protection ({said})"


def _named(claim: sameness.Claim, run: str) -> bool:
    """Whether a handling action is only named as a noun after a determiner ("before each new transfer we
    assess …"): the processing the old text states, as the occasion of a protection, not new processing."""
    kind = actions.vocabulary().verbs.get(claim.verb, ("", ""))[1]
    return kind == "handling" and claim.mention and claim.asserted and bool(
        re.search(rf"\b(?:each|every|any|a|an|the|such|this)(?: new)? {re.escape(claim.verb)}s?\b", run))


def _means(run: str, words: Sequence[str], old: str) -> str:
    voc = sameness.vocabulary()
    others = sorted(set(words) - voc.means)
    if others:
        return f"not “{short(run, 60)}” adds words that are not a means to reach us: {', '.join(others)}"
    if not voc.contacting & set(tokens(old)):
        return f"not “{short(run, 60)}” is added to a sentence that is not about reaching us or a right"
    if run.lstrip(", ").split()[:1] != ["or"] and not _EASE_RE.search(run):
        return f"not “{short(run, 60)}” is not another way (“or …”): it may narrow the ways there are"
    return f"“{short(run.strip(' ,;'), 80)}” added: another means to reach us or to exercise a right"


def _limits(run: str, at: int, new: str, lex: Lexicons) -> str:
    """What a run added inside a statement of processing the company asserts does when it only limits that
    statement: an exclusive word ("we derive your location only from your IP address") or a parallel item
    withheld after a comma ("…, never from GPS, Wi-Fi or Bluetooth signals"); or '' when it is neither."""
    voc, words = sameness.vocabulary(), [w for w in run.split() if w not in SEPARATORS]
    spans = [(m.group(0), m.start()) for m in _TOKEN_RE.finditer(new.lower())]
    tokens = [t for t, _ in spans]
    first = next((i for i in range(at, len(tokens)) if tokens[i] not in SEPARATORS), None)
    after = at + len(run.split())  # the token after the run: "… and only *delete* it": the run is its
    owner = _owner(new, spans[first][1], spans[after][1] if after < len(spans) else -1, lex) \
        if first is not None else None
    if first is None or owner is None or voc.excluding & set(tokens[_clause_start(tokens, first):first]):
        return ""
    statement = f"{'we' if owner.subject == 'ours' else 'someone'} — {owner.verb}"
    if len(words) == 1 and actions.vocabulary().exclusive.fullmatch(words[0]):
        return f"“{words[0]}” added: it limits what is done ({statement})"
    region = tokens[_token_at(spans, owner.start):first]
    withheld = len(words) >= 3 and words[0] in voc.negation and words[1] in voc.withheld_prepositions and \
        tokens[first - 1] == "," and words[1] in region and not sameness.read(run, lex)
    if not withheld or any(w in voc.binding or w in voc.comparative for w in words[1:]):
        return ""
    return f"“{short(run.strip(' ,;'), 80)}” added: processing withheld from what is done ({statement})"


def _owner(sentence: str, at: int, following: int, lex: Lexicons) -> actions.Action | None:
    """The statement of asserted processing by the company (or by no one named) whose part of ``sentence``
    holds the offset ``at`` (from its verb to the next verb; the verb at ``following`` when one stands right
    there), or None."""
    stated = [a for a in actions.read(sentence, lex) if not (a.noun or a.adjective)]
    before = [a for a in stated if a.start <= at]
    owner = next((a for a in stated if a.start == following), before[-1] if before else None)
    if owner is None or owner.kind != "handling" or not owner.asserted or owner.mention or owner.by_user or \
            owner.subject not in ("ours", ""):
        return None
    return owner


def _token_at(spans: Sequence[tuple[str, int]], offset: int) -> int:
    return next((i for i, (_, start) in enumerate(spans) if start >= offset), len(spans))
