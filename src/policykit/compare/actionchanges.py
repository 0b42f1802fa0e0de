"""How the actions of two texts differ, verb by verb, and which way each change points.

:mod:`policykit.compare.actions` reads each sentence into :class:`~policykit.compare.actions.Action` s;
:func:`compare` gathers what the old and the new sentences state about each verb (done, only named,
stated as not done; firmly or possibly; under which conditions, for which purposes) and weighs the two:
a handling action newly done widens, a protection gone or made conditional widens, a right taken away
widens; the reverse narrows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from policykit.compare.actions import Action, read, vocabulary
from policykit.compare.lexicons import Lexicons


@dataclass(frozen=True)
class ActionChange:
    verb: str
    kind: str
    direction: str  # widening | narrowing | neutral
    what: str  # for a person: "no longer done", "now subject to a condition" …

    @property
    def aspect(self) -> str:
        """What changed: ``polarity`` (done or not), ``condition`` or ``certainty`` (the modal verb)."""
        if self.what.startswith(("now subject", "no longer subject", "now under")):
            return "condition"
        if self.what.startswith(("stated as", "no longer promised", "now promised")):
            return "certainty"
        return "polarity"


def compare(olds: Sequence[str], news: Sequence[str], lex: Lexicons) -> list[ActionChange]:
    """How the actions stated by the old sentences differ from those of the new ones, verb by verb."""
    a = _state([act for s in olds for act in read(s, lex)])
    b = _state([act for s in news for act in read(s, lex)])
    out = []
    for key in sorted(set(a) | set(b)):
        verb, kind = key
        old, new = a.get(key), b.get(key)
        found = _weigh(kind, old, new)
        if found:
            out.append(ActionChange(verb, kind, *found))
    return out


@dataclass(frozen=True)
class _State:
    done: bool  # asserted somewhere (as a statement, not only named)
    named: bool  # named somewhere (a gerund, a hypothesis): there, but not stated as done
    denied: bool  # negated somewhere
    firm: bool  # firmly, where done
    conditions: tuple[str, ...]  # the conditions of the assertions that bind least (fewest conditions)
    discretion: bool
    denied_conditions: tuple[str, ...] = ()  # the exceptions to what is stated as not done ("unless the law …")
    purposes: frozenset[str] = frozenset()  # what it is done for (the words of its purpose clauses)


def _state(actions: Sequence[Action]) -> dict[tuple[str, str], _State]:
    groups: dict[tuple[str, str], list[Action]] = {}
    assurances = vocabulary().assurances
    for act in actions:
        if act.kind == "handling" and (act.by_user or not act.about_data):
            continue  # "you give us …", "we provide our services": not us doing something with data
        if act.kind == "protective" and (act.by_user or (not act.about_data and act.verb in assurances)):
            continue  # "to guarantee that the website works": assures nothing to users (actions.yaml)
        groups.setdefault((act.verb, act.kind), []).append(act)
    out = {}
    for key, acts in groups.items():
        done = [x for x in acts if x.asserted and not x.mention]
        denied = [x for x in acts if not x.asserted and not x.mention]
        least = min((x.conditions for x in done), key=len, default=())
        out[key] = _State(done=bool(done), named=any(x.mention for x in acts), denied=bool(denied),
                          firm=any(x.firm for x in done), conditions=least,
                          discretion=any(x.discretion for x in done),
                          denied_conditions=max((x.conditions for x in denied), key=len, default=()),
                          purposes=frozenset(w for x in done for w in x.purposes))
    return out


def _was(gone: Counter[str], added: Counter[str]) -> str:
    return f"{', '.join(sorted(gone)) or '∅'} → {', '.join(sorted(added)) or '∅'}"


def _weigh(kind: str, old: _State | None, new: _State | None) -> tuple[str, str] | None:
    """The direction of one verb's change, and what changed, or None when it reads the same."""
    was = old is not None and old.done
    now = new is not None and new.done
    widening_when_done = kind in ("handling", "hurdle")
    denied_before = old is not None and old.denied
    denied_now = new is not None and new.denied
    if not was and not now and denied_before != denied_now:
        # "we will not charge you …" gone, or "we no longer accept requests by e-mail" new: what is stated
        # as not done is itself a promise (for what would harm) or a protection withheld
        if denied_now:
            return ("narrowing" if widening_when_done else "widening"), "now stated as not done"
        return ("widening" if widening_when_done else "neutral"), "no longer stated as not done"
    if not was and not now and denied_before and denied_now and old is not None and new is not None:
        added = Counter(new.denied_conditions) - Counter(old.denied_conditions)
        if added and widening_when_done:
            return "widening", "not done, now with an exception (" + ", ".join(f"“{c}”" for c in added) + ")"
    if was != now:
        if (now and old is not None and old.named and not old.denied) or (was and new is not None and new.named):
            return None  # named on one side, stated on the other ("such as purchasing" → "that we purchase")
        if now:
            what = "now done" if not (old and old.denied) else "no longer stated as not done"
            if kind == "handling" and new is not None and new.conditions:
                # newly stated, but only under a condition or "only": a limit restated, or new processing
                # within a limit; a person decides
                return "neutral", what + " (" + ", ".join(f"“{c}”" for c in new.conditions) + ")"
            return ("widening" if widening_when_done else "narrowing"), what
        what = "no longer stated" if not (new and new.denied) else "now stated as not done"
        return ("narrowing" if widening_when_done else "widening"), what
    if not (was and old is not None and new is not None):
        return None
    if old.conditions != new.conditions or old.discretion != new.discretion:
        added = Counter(new.conditions) - Counter(old.conditions)
        gone = Counter(old.conditions) - Counter(new.conditions)
        if (added and gone) or (not added and not gone and old.discretion == new.discretion):
            return "neutral", "now under another condition (" + _was(gone, added) + ")"
        tighter = bool(added) or (new.discretion and not old.discretion)
        what = ("now subject to " + (", ".join(f"“{c}”" for c in added) if added else "our discretion")
                if tighter else "no longer subject to " + ", ".join(f"“{c}”" for c in gone))
        if widening_when_done:
            if new.discretion and not old.discretion:
                return "widening", "now at our discretion"  # "where we consider it appropriate": we decide
            return ("narrowing" if tighter else "widening"), what
        # A protection or a right now under a condition may be a restriction ("if the parent asks us to")
        # or only the situation it applies in ("if we learn that …"): a person decides (review). A deadline
        # taken out ("we tell you … before you use it") leaves the promise later or open-ended: weaker.
        if not tighter and set(gone) & vocabulary().deadlines:
            return "widening", what + ": a deadline of a protection or a right"
        return ("neutral" if tighter else "narrowing"), what
    if kind == "handling" and new.purposes - old.purposes and old.purposes:
        return "neutral", "now for another purpose (" + ", ".join(sorted(new.purposes - old.purposes)) + ")"
    if old.firm != new.firm:
        if kind in ("protective", "right"):
            return ("widening", "no longer promised (now only possible)") if old.firm else ("narrowing", "now promised")
        # "we share" → "we may share": the same processing, stated with less (or more) certainty
        return "neutral", "stated as possible rather than done" if old.firm else "stated as done rather than possible"
    return None
