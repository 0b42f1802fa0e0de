"""Evidence tests: the small language requirement files use in ``met_by`` and ``applies_when``.

A test looks at a :class:`~policykit.model.Policy` and returns an
:class:`EvidenceOutcome`: whether it holds, the evidence that made it hold (a fact
path, a block, a document field, each with its position) and, when it does
not hold, what was looked for and not found, in words an editor can act on.

The kinds of test (``docs/completeness.md`` describes the YAML):

* :class:`FieldTest`: a field of ``policy.yaml`` is set (and is / is not in a list);
* :class:`FactTest`: fact items of a kind exist, filtered by attribute values,
  together covering given values, each having given attributes;
* :class:`Declared`: a block declares ``satisfies: [<requirement id>]``;
* :class:`AllOf` / :class:`AnyOf`: combinations.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from policykit.diagnostics import Pos
from policykit.factview import where_shown
from policykit.model import FactItem, Policy

# Fields of policy.yaml a requirement may test, and how to read them.
FIELDS = (
    "controller.name",
    "controller.country",
    "controller.address",
    "controller.representative",
    "last_updated",
    "notice_period",
    "base_url",
)


@dataclass(frozen=True)
class Evidence:
    """What shows a requirement is met: ``facts.rights.access``, ``contact.dpo``, ``policy.controller.name``."""

    ref: str
    pos: Pos
    shown_in: str = ""  # where the published page states it: a block anchor, or "the page header"

    def __str__(self) -> str:
        return f"{self.ref} (shown in {self.shown_in})" if self.shown_in else self.ref


@dataclass(frozen=True)
class EvidenceOutcome:
    ok: bool
    evidence: tuple[Evidence, ...] = ()
    gaps: tuple[str, ...] = ()  # what was looked for and not found


class Test(Protocol):
    def evaluate(self, policy: Policy, requirement: str) -> EvidenceOutcome:
        """Whether the test holds for ``policy``; ``requirement`` is the id a block may declare."""

    def declarable(self) -> bool:
        """Whether a block's ``satisfies:`` can take part in meeting it."""


def _present(value: Any) -> bool:
    return value is not None and value != "" and value != ()


def _listing(values: Sequence[str], limit: int = 4) -> str:
    shown = ", ".join(values[:limit])
    return shown + (f" and {len(values) - limit} more" if len(values) > limit else "")


@dataclass(frozen=True)
class FieldTest:
    path: str
    within: tuple[str, ...] | None = None  # the value must be one of these
    not_within: tuple[str, ...] | None = None  # the value must be none of these

    def value(self, policy: Policy) -> Any:
        if self.path.startswith("controller."):
            return getattr(policy.controller, self.path.split(".", 1)[1])
        return getattr(policy, self.path)

    def evaluate(self, policy: Policy, requirement: str) -> EvidenceOutcome:
        value = self.value(policy)
        if not _present(value):
            return EvidenceOutcome(False, gaps=(f"policy.yaml has no {self.path}",))
        if self.within is not None and value not in self.within:
            return EvidenceOutcome(False, gaps=(f"{self.path} is {value}",))
        if self.not_within is not None and value in self.not_within:
            return EvidenceOutcome(False, gaps=(f"{self.path} is {value}",))
        # With a constraint the value is what matters (`policy.controller.country: CN`).
        shown = f"policy.{self.path}" + (f": {value}" if self.within or self.not_within else "")
        # Every field a requirement tests is printed in the page header (render/templates/policy.html).
        return EvidenceOutcome(True, (Evidence(shown, policy.where(self.path), "the page header"),))

    def declarable(self) -> bool:
        return False


@dataclass(frozen=True)
class Match:
    """One ``where`` condition: an attribute equal to (or, for a list attribute, containing) a value."""

    attr: str
    values: tuple[str, ...] = ()
    under: tuple[str, ...] = ()  # taxonomy keys: the value or one of its descendants

    def holds(self, item: FactItem) -> bool:
        raw = item.attrs.get(self.attr)
        have = raw if isinstance(raw, tuple) else (raw,) if raw is not None else ()
        for v in have:
            if str(v) in self.values:
                return True
            if any(str(v) == u or str(v).startswith(u + ".") for u in self.under):
                return True
        return False

    def __str__(self) -> str:
        wanted = [*self.values, *(f"{u} (or under it)" for u in self.under)]
        return f"{self.attr}: {' or '.join(wanted)}"


@dataclass(frozen=True)
class FactTest:
    kind: str
    where: tuple[Match, ...] = ()
    having: tuple[str, ...] = ()  # keep only items with at least one of these attributes
    covers: tuple[tuple[str, tuple[str, ...]], ...] = ()  # together the items have every one of these values
    each_has: tuple[str, ...] = ()  # every (kept) item has every one of these attributes
    allow_none: bool = False  # no item at all still holds (for `each_has` over an optional kind)

    def describe(self) -> str:
        text = f"{self.kind} item"
        if self.where:
            text += f" with {' and '.join(str(m) for m in self.where)}"
        if self.having:
            h = self.having
            attrs = ", ".join(h[:-1]) + " or " + h[-1] if len(h) > 1 else h[0]
            text += ("," if self.where else "") + f" having {attrs}"
        return text

    def items(self, policy: Policy) -> list[FactItem]:
        """The matching items the published page shows (a fact no block shows is no evidence)."""
        shown = where_shown(policy)
        return [
            f for f in policy.facts(self.kind)
            if f.path in shown and all(m.holds(f) for m in self.where)
            and (not self.having or any(_present(f.attrs.get(a)) for a in self.having))
        ]

    def evaluate(self, policy: Policy, requirement: str) -> EvidenceOutcome:
        items = self.items(policy)
        if not items:
            if self.allow_none:
                return EvidenceOutcome(True)
            hidden = [f.path for f in policy.facts(self.kind) if f.path not in where_shown(policy)]
            unshown = f" ({_listing(hidden)} exist but no block publishes them)" if hidden else ""
            return EvidenceOutcome(False, gaps=(f"no published {self.describe()}{unshown}",))
        shown = where_shown(policy)
        gaps: list[str] = []
        evidence: dict[str, Evidence] = {}
        for attr, wanted in self.covers:
            for value in wanted:
                holder = next((f for f in items if Match(attr, (value,)).holds(f)), None)
                if holder is None:
                    gaps.append(f"no {self.kind} item with {attr}: {value}")
                else:
                    evidence.setdefault(holder.path, Evidence(holder.path, holder.pos, shown[holder.path]))
        if self.each_has:
            lacking = [f for f in items if not all(_present(f.attrs.get(a)) for a in self.each_has)]
            if lacking:
                gaps.append(f"{_listing([f.path for f in lacking])} {'has' if len(lacking) == 1 else 'have'} "
                            f"no {' or '.join(self.each_has)}")
        if gaps:
            return EvidenceOutcome(False, gaps=tuple(gaps))
        if not self.covers:
            evidence = {f.path: Evidence(f.path, f.pos, shown[f.path]) for f in items}
        return EvidenceOutcome(True, tuple(evidence.values()))

    def declarable(self) -> bool:
        return False


@dataclass(frozen=True)
class Declared:
    """A block's ``satisfies:`` list names the requirement: evidence only prose can give."""

    def evaluate(self, policy: Policy, requirement: str) -> EvidenceOutcome:
        found = tuple(
            Evidence(f"{s.id}.{b.id}", b.pos)
            for s in policy.sections for b in s.blocks if requirement in b.satisfies
        )
        if found:
            return EvidenceOutcome(True, found)
        return EvidenceOutcome(False, gaps=(f"no block declares `satisfies: [{requirement}]`",))

    def declarable(self) -> bool:
        return True


@dataclass(frozen=True)
class AllOf:
    tests: tuple[Test, ...]

    def evaluate(self, policy: Policy, requirement: str) -> EvidenceOutcome:
        outcomes = [t.evaluate(policy, requirement) for t in self.tests]
        if all(o.ok for o in outcomes):
            return EvidenceOutcome(True, _merge(outcomes))
        return EvidenceOutcome(False, gaps=tuple(g for o in outcomes if not o.ok for g in o.gaps))

    def declarable(self) -> bool:
        return any(t.declarable() for t in self.tests)


@dataclass(frozen=True)
class AnyOf:
    tests: tuple[Test, ...]

    def evaluate(self, policy: Policy, requirement: str) -> EvidenceOutcome:
        outcomes = [t.evaluate(policy, requirement) for t in self.tests]
        met = [o for o in outcomes if o.ok]
        if met:
            return EvidenceOutcome(True, _merge(met))
        # Every alternative failed: say what each one looked for.
        return EvidenceOutcome(False, gaps=tuple(g for o in outcomes for g in o.gaps))

    def declarable(self) -> bool:
        return any(t.declarable() for t in self.tests)


def _merge(outcomes: Sequence[EvidenceOutcome]) -> tuple[Evidence, ...]:
    seen: dict[str, Evidence] = {}
    for o in outcomes:
        for e in o.evidence:
            seen.setdefault(e.ref, e)
    return tuple(seen.values())
