"""Classify changes as significant, minor or editorial, by rules that are data.

The rules (:mod:`policykit.compare.rules`) ship in ``data/rules.yaml``; a project adds or
overrides rules in ``policy/rules.yaml``. Each change is described by
*observations* (:mod:`policykit.compare.observations`): flat mappings, for prose one per
finding of :func:`policykit.compare.prose.analyse`. For each observation the first rule
whose ``when`` matches decides; the change takes the highest level among them
and records that rule's id, reason, citation and ``consent`` flag (plus the ids
of the other rules that fired, in ``also``).

An editor may override a change's level in the release draft:
:func:`apply_overrides` applies overrides, :func:`check_overrides` returns the
diagnostics (lowering a ``significant`` change without a written justification
is an error).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from policykit.compare import topics
from policykit.compare.diff import DECIDED, LEVELS, Change
from policykit.compare.moves import find_moves, known_from
from policykit.compare.observations import Context, observations
from policykit.compare.rules import PROJECT_RULES, Rule, RuleSet, load_rules, parse_rules, shipped_rules
from policykit.diagnostics import Diagnostic, Pos, error
from policykit.model import NOWHERE, Policy
from policykit.vocabulary import did_you_mean

__all__ = [
    "PROJECT_RULES", "Override", "Rule", "RuleSet", "apply_overrides", "check_overrides",
    "classify", "load_rules", "parse_rules", "shipped_rules",
]


# -- classification ----------------------------------------------------------
def classify(changes: Sequence[Change], rules: RuleSet | None = None, *,
             before: Policy | None = None, after: Policy | None = None) -> list[Change]:
    """Each change with its level, the deciding rule, the reason, citation and consent flag.

    ``before`` and ``after`` (the two versions) let rules see a fact item's other
    attributes, e.g. the category of a tracker whose lifetime changed, and what the
    old version already named (a name or contact domain it used is not new).
    """
    rules = rules or shipped_rules()
    moves = find_moves(changes, rules.lexicons)
    ctx = Context(rules, before, after, moves.moved, moves.lent, moves.borrowed, known_from(before, after))
    return [_classify_one(c, ctx) for c in changes]


def _classify_one(change: Change, ctx: Context) -> Change:
    best: tuple[int, bool, int, Rule, dict[str, Any]] | None = None
    fired: list[str] = []
    order = {r.id: i for i, r in enumerate(ctx.rules.rules)}
    for obs in observations(change, ctx):
        rule = ctx.rules.first_match(obs)
        fired.append(rule.id)
        # The highest level decides; among equals, a rule that asks for consent (the more demanding), then
        # the rule written first (the more specific).
        rank = (LEVELS.index(rule.level), rule.consent, -order[rule.id])
        if best is None or rank > best[:3]:
            best = (*rank, rule, obs)
    assert best is not None
    _, _, _, rule, obs = best
    consent = any(r.consent for r in (ctx.rules.rule(i) for i in fired) if r is not None and r.level == rule.level)
    reason = _format(rule.reason, obs)
    also = tuple(dict.fromkeys(i for i in fired if i != rule.id))
    return replace(change, level=rule.level, rule=rule.id, reason=reason, citation=rule.citation,
                   consent=consent, also=also, category=topics.of_rule(rule.id, str(obs.get("topic") or "")))


class _Missing(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def _format(template: str, obs: Mapping[str, Any]) -> str:
    values = _Missing({k: v for k, v in obs.items() if v is not None})
    values.setdefault("detail", "")
    text = " ".join(template.format_map(values).split())
    return text[:1].upper() + text[1:]


# -- overrides ----------------------------------------------------------------
@dataclass(frozen=True)
class Override:
    """An editor's decision on one change's level, kept with its written justification."""

    path: str
    level: str
    justification: str = ""
    kind: str = ""  # optional: only the change of this kind at ``path``
    by: str = ""  # who decided (required for a change the classifier left to review)
    pos: Pos = field(default=NOWHERE, compare=False)

    def matches(self, change: Change) -> bool:
        return change.path == self.path and (not self.kind or change.kind == self.kind)


def apply_overrides(changes: Sequence[Change], overrides: Sequence[Override]) -> list[Change]:
    """``changes`` with each overridden level applied; the rule's level stays in ``classified_as``.

    Call :func:`check_overrides` first: this function applies what it is given.
    """
    out = []
    for change in changes:
        o = next((o for o in overrides if o.matches(change)), None)
        if o is None or o.level not in DECIDED:
            out.append(change)
            continue
        out.append(replace(change, level=o.level, classified_as=change.classified_as or change.level,
                           justification=o.justification.strip(), decided_by=o.by.strip()))
    return out


def check_overrides(changes: Sequence[Change], overrides: Sequence[Override]) -> list[Diagnostic]:
    """Problems with overrides: unknown level, no such change, a significant lowered without justification."""
    out = []
    paths = sorted({c.path for c in changes})
    seen: dict[tuple[str, str], Pos] = {}
    for o in overrides:
        if o.level not in DECIDED:
            out.append(error(o.pos, f"override of {o.path}: level must be one of {', '.join(DECIDED)}, "
                             f"not {o.level!r}", "override.level"))
            continue
        if (o.path, o.kind) in seen:
            out.append(error(o.pos, f"{o.path} is overridden twice (first at line {seen[(o.path, o.kind)].line})",
                             "override.duplicate"))
        seen[(o.path, o.kind)] = o.pos
        targets = [c for c in changes if o.matches(c)]
        if not targets:
            out.append(error(o.pos, f"override of {o.path}: no change has this path"
                             f"{did_you_mean(o.path, paths)}", "override.unknown"))
            continue
        for c in targets:
            level = c.classified_as or c.level
            if level == "review" and not (o.justification.strip() and o.by.strip()):
                out.append(error(o.pos, f"deciding {o.path} (left to review: {c.reason}) needs a written "
                                 "`justification` and who decided (`by`)", "override.justification"))
            elif (level in LEVELS and LEVELS.index(o.level) < LEVELS.index(level) and level == "significant"
                    and not o.justification.strip()):
                out.append(error(o.pos, f"lowering {o.path} from significant to {o.level} needs a written "
                                 f"justification (rule {c.rule}: {c.reason})", "override.justification"))
    return out
