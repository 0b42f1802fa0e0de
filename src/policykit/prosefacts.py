"""Prose is held to the facts: what a block states must agree with what the facts say.

The facts are what the classifier and the completeness checks reason about; the text is
what people read. This check reads each English text block (:mod:`policykit.compare.statements`)
and warns, at the words, where it states a duration, age, country, recipient or data
category that contradicts the facts or is missing from them; and where a fact's own
label says something its attributes do not.

How a block is tied to facts (docs/format.md, "Prose and facts"):

- ``states: [facts.retention.account-data]`` links a block to the facts it states: what
  it says of their kind is compared with those facts, and a contradiction names them;
- without ``states``, a statement is matched against every fact of its kind in the
  policy: a period of keeping data must be the period of some retention fact, a country
  named as a place must be a country some recipient or transfer lists, and so on.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from policykit.compare.lexicons import Lexicons
from policykit.compare.statements import Statement, same_place
from policykit.diagnostics import Diagnostic, Pos, error, warning
from policykit.model import Block, FactItem, Policy, Section
from policykit.taxonomy import is_under
from policykit.validate import register_whole
from policykit.vocabulary import duration_days


@register_whole
def check_prose_facts(policy: Policy) -> Iterator[Diagnostic]:
    """Warnings where a text block or a fact label disagrees with the facts; errors for a broken ``states``."""
    from policykit.compare.rules import shipped_rules

    facts = {item.path: item for item in policy.facts()}
    lex = shipped_rules().lexicons
    for section in policy.sections:
        for block in section.blocks:
            if block.text is None:
                continue
            linked = list(_linked(section, block, facts))
            yield from (d for d in linked if isinstance(d, Diagnostic))
            items = [f for f in linked if isinstance(f, FactItem)]
            where = f"{section.id}.{block.id}"
            for st in _statements(block.text):
                problem = _problem(st, policy, items, lex) if st.asserted else None
                if problem:
                    yield warning(pos_in(block.text_pos, block.text, st.start), f"{where} {problem}",
                                  f"prose.{st.kind.replace('_', '-')}")
    for item in policy.facts():
        yield from _label_problems(item, lex)


@lru_cache(maxsize=2048)
def _statements(text: str) -> tuple[Statement, ...]:
    """What a block's text states, read once per process: validating many versions of a policy (a case
    set, a history) reads the same unchanged blocks again and again."""
    from policykit.compare.rules import shipped_rules
    from policykit.compare.statements import read

    return tuple(read(text, shipped_rules().lexicons))


def pos_in(start: Pos, text: str, offset: int) -> Pos:
    """The file position of ``offset`` inside a text that starts at ``start`` (a block scalar's first line)."""
    line = text.count("\n", 0, offset)
    col = offset - (text.rfind("\n", 0, offset) + 1)
    return Pos(start.file, start.line + line, start.col + col)


def _linked(section: Section, block: Block, facts: dict[str, FactItem]) -> Iterator[FactItem | Diagnostic]:
    from policykit.vocabulary import did_you_mean

    for path, pos in zip(block.states, block.states_pos or [block.pos] * len(block.states), strict=True):
        item = facts.get(path)
        if item is None:
            yield error(pos, f"block {section.id}.{block.id} states {path!r}, but the policy has no such fact"
                        f"{did_you_mean(path, facts)}; facts are named facts.<kind>.<id>", "refs.states")
        else:
            yield item


# --- What a statement is compared with ----------------------------------------------------------

@dataclass(frozen=True)
class _Against:
    """The facts a statement of one kind is compared with, and how to name them in a message."""

    items: tuple[FactItem, ...]
    linked: bool


def _against(policy: Policy, linked: Sequence[FactItem], kinds: tuple[str, ...]) -> _Against:
    mine = tuple(f for f in linked if f.kind in kinds)
    return _Against(mine, True) if mine else _Against(tuple(f for k in kinds for f in policy.facts(k)), False)


def _problem(st: Statement, policy: Policy, linked: Sequence[FactItem], lex: Lexicons) -> str | None:
    if st.kind == "duration":
        return _duration(st, policy, linked)
    if st.kind == "age":
        return _age(st, _against(policy, linked, ("age_limits",)))
    if st.kind == "country" and st.role == "place":
        return _country(st, _against(policy, linked, ("recipients", "transfers")), policy, lex)
    if st.kind == "recipient":
        return _recipient(st, _against(policy, linked, ("recipients",)))
    if st.kind == "data_category":
        return _category(st, _against(policy, linked, ("data_categories",)))
    return None


def _same(days: float, other: float) -> bool:
    """Durations written differently are the same within 2% ("12 months" and "one year")."""
    return abs(days - other) <= 0.02 * max(days, other)


def _days_of(item: FactItem) -> float | None:
    value = item.attrs.get("period") if item.kind == "retention" else item.attrs.get("lifetime")
    return duration_days(value) if isinstance(value, str) and value.startswith("P") else None


def _words(value: str) -> str:
    from policykit.factview import duration_words

    try:
        return duration_words(value, "en")
    except ValueError:
        return value


def _duration(st: Statement, policy: Policy, linked: Sequence[FactItem]) -> str | None:
    if st.role == "notice":
        days = duration_days(policy.notice_period or "")
        if days is None or _same(st.value, days):
            return None
        return (f"promises \"{st.words}\" of notice, but notice_period is {policy.notice_period} "
                f"({_words(policy.notice_period)}); make the text and `policy/policy.yaml` agree")
    kinds = {"retention": ("retention",), "lifetime": ("tracking", "retention")}.get(st.role)
    if kinds is None:
        return None  # a response time, a period reported over: no fact holds it
    against = _against(policy, linked, kinds)
    known = [(f, d) for f in against.items if (d := _days_of(f)) is not None]
    if any(_same(st.value, d) for _, d in known):
        return None
    what = "a period of keeping personal information" if st.role == "retention" else \
        "how long cookies and similar technologies last"
    if against.linked:
        f = known[0][0] if known else against.items[0]
        attr = "period" if f.kind == "retention" else "lifetime"
        has = f"{attr} {f.attrs[attr]} ({_words(f.attrs[attr])})" if attr in f.attrs else f"no {attr}"
        return f"says \"{st.words}\" ({what}), but {f.path}, which it states, has {has}; make them agree"
    if not known:
        return (f"says \"{st.words}\" ({what}), but no {' or '.join(kinds)} fact has a period; add the fact "
                "that states it")
    periods = ", ".join(dict.fromkeys(_words(str(f.attrs.get('period') or f.attrs.get('lifetime'))) for f, _ in known))
    return (f"says \"{st.words}\" ({what}), but no {' or '.join(kinds)} fact has that period (they have: {periods}); "
            "correct the text or the fact, or link the block to the fact it states with `states:`")


def _age(st: Statement, against: _Against) -> str | None:
    ages = {int(f.attrs["min_age"]) for f in against.items if isinstance(f.attrs.get("min_age"), int)}
    if st.value in ages:
        return None
    if not against.items:
        return f"states an age limit (\"{st.words}\"), but the policy has no age_limits fact; add one"
    named = ", ".join(f"{f.attrs.get('min_age')} ({f.path})" for f in against.items)
    return f"says \"{st.words}\", but the age limit{'s are' if len(against.items) > 1 else ' is'} {named}; " \
           "make them agree"


def _country(st: Statement, against: _Against, policy: Policy, lex: Lexicons) -> str | None:
    listed = {str(c) for f in against.items for c in f.attrs.get("countries", ())}
    if not against.linked and policy.controller.country:
        listed.add(policy.controller.country)
    if same_place(st.value, listed, lex):
        return None
    whose = "the facts it states list" if against.linked else "any recipient or transfer lists"
    shown = ", ".join(sorted(listed)) or "none"
    return (f"names \"{st.words}\" ({st.value}) as a place personal information goes, but no country "
            f"{whose} is it (countries: {shown}); add the country to the recipient or transfer, or correct the text")


def _recipient(st: Statement, against: _Against) -> str | None:
    if st.role == "general":
        if any(st.value in ("any", f.attrs.get("type")) for f in against.items):
            return None
    elif any(st.value in f.label.casefold() for f in against.items):
        return None
    ids = ", ".join(f.id for f in against.items) or "none"
    return (f"says personal information goes to \"{st.words}\", but no recipient fact is such a recipient "
            f"(recipients: {ids}); add the recipient, or correct the text")


def _category(st: Statement, against: _Against) -> str | None:
    keys = [str(f.attrs.get("taxonomy", "")) for f in against.items]
    if any(k and (is_under(k, st.value) or is_under(st.value, k)) for k in keys):
        return None
    return (f"says \"{st.words}\" is collected ({st.value}), but no data category covers it; add it to "
            "data_categories, or correct the text")


# --- A fact's label against its own attributes ----------------------------------------------------

def _label_problems(item: FactItem, lex: Lexicons) -> Iterator[Diagnostic]:
    found = _statements(item.label)

    def where(st: Statement) -> Pos:
        return pos_in(item.where("label"), item.label, st.start)
    days = _days_of(item)
    durations = [st for st in found if st.kind == "duration" and st.asserted]
    if days is not None and durations and not any(_same(st.value, days) for st in durations):
        attr = "period" if item.kind == "retention" else "lifetime"
        yield warning(where(durations[0]), f"the label of {item.path} says \"{durations[0].words}\", but its {attr} is "
                      f"{item.attrs[attr]} ({_words(item.attrs[attr])}); make them agree", "prose.label")
    if item.kind == "age_limits" and isinstance(item.attrs.get("min_age"), int):
        for st in found:
            if st.kind == "age" and st.value != item.attrs["min_age"]:
                yield warning(where(st), f"the label of {item.path} says \"{st.words}\", but its min_age is "
                              f"{item.attrs['min_age']}; make them agree", "prose.label")
    if "countries" in item.attrs:
        listed = {str(c) for c in item.attrs["countries"]}
        for st in found:
            if st.kind == "country" and st.role != "origin" and not same_place(st.value, listed, lex):
                yield warning(where(st), f"the label of {item.path} names \"{st.words}\" ({st.value}), but its "
                              f"countries are {', '.join(sorted(listed)) or 'none'}; make them agree", "prose.label")
