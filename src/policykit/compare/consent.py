"""Whether a classified change needs fresh consent, not only notice, and on what legal ground.

The flag follows from what a change does to a processing that needs or relies on consent (tracking
technologies, precise location, special categories, a purpose incompatible with the original one, data
provided to a third party for its own use, APPI joint use, data already collected, services directed at
children), not from the generic rule (a modal verb, a negation) that decided the change's level. Two
sources decide it:

- the rule that decided the level says ``consent: true`` (``data/rules.yaml``): a fact change whose
  legal category needs consent (a new non-essential tracker, a transfer without an equivalent system …);
- a *ground* of ``data/consent.yaml`` holds for the change: its observations, the sentences it changed
  (or its fact item's label) name that processing, or it adds words that do.

Only a material change can need fresh consent: one the rules call ``significant``, or one left to
``review`` (counted as significant until a person decides; overriding it to minor or editorial drops the
flag, :func:`policykit.compare.classify.apply_overrides`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from policykit.compare.diff import Change
from policykit.compare.findings import delta
from policykit.compare.lexicons import terms_re
from policykit.compare.rules import Rule, RuleSet

MATERIAL = ("significant", "review")


@dataclass(frozen=True)
class Ground:
    """A processing that needs or relies on consent, and how a change is seen to touch it."""

    id: str
    category: str
    reason: str
    citation: str
    when: Mapping[str, Any]
    about: tuple[str, ...] = ()
    adds: tuple[str, ...] = ()

    @property
    def basis(self) -> str:
        return f"{self.reason} ({self.citation})"


@cache
def _data() -> Any:
    from policykit import yamlio

    return yamlio.parse(resources.files("policykit").joinpath("data/consent.yaml").read_bytes(), "consent.yaml")


@cache
def limit_words() -> tuple[str, ...]:
    """Words that limit what is done ("not", "only" …): a change left to review that adds more of them than
    it removes reads as a narrowing."""
    return tuple(str(w) for w in _data()["limits"])


@cache
def grounds() -> tuple[Ground, ...]:
    """The grounds shipped in ``data/consent.yaml``, in order."""
    out = []
    for item in _data()["grounds"]:
        out.append(Ground(id=str(item["id"]), category=str(item["category"]), reason=str(item["reason"]),
                          citation=str(item["citation"]), when=dict(item.get("when") or {}),
                          about=tuple(str(w) for w in item.get("about") or ()),
                          adds=tuple(str(w) for w in item.get("adds") or ())))
    return tuple(out)


def consent_basis(change: Change, rule: Rule, fired: Sequence[Rule], obs: Sequence[Mapping[str, Any]],
                  rules: RuleSet) -> str:
    """Why ``change`` (classified at ``rule``'s level) needs fresh consent, with the citation; ``""`` when it
    needs notice only. ``fired`` are the rules its observations matched, ``obs`` the observations."""
    if rule.level not in MATERIAL:
        return ""
    asking = next((r for r in fired if r.consent and r.level == rule.level), None)
    if asking is not None:
        return f"rule {asking.id}" + (f" ({asking.citation})" if asking.citation else "")
    removed, added = _changed(change)
    limits = limit_words()
    narrowing = rule.level == "review" and _count(limits, added) > _count(limits, removed)
    for ground in grounds():
        if ground.when and not any(rules.matches(ground.when, o) for o in obs):
            continue
        if ground.about and (narrowing or not _count(ground.about, [*removed, *added])):
            continue
        if ground.adds and _count(ground.adds, added) <= _count(ground.adds, removed):
            continue
        return f"{ground.category}: {ground.basis}"
    return ""


def _changed(change: Change) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The sentences ``change`` removed and added (a fact item: its label before and after)."""
    before, after = change.before, change.after
    if isinstance(before, dict) or isinstance(after, dict):
        return tuple(_label(before)), tuple(_label(after))
    if isinstance(before, (str, type(None))) and isinstance(after, (str, type(None))):
        d = delta(before or "", after or "")
        return d.removed, d.added
    return (), ()


def _label(item: Any) -> list[str]:
    return [str(item["label"]).casefold()] if isinstance(item, dict) and item.get("label") else []


@cache
def _pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    return terms_re(words)


def _count(words: tuple[str, ...], sentences: Sequence[str]) -> int:
    pattern = _pattern(words)
    return sum(len(pattern.findall(s)) for s in sentences) if pattern else 0

