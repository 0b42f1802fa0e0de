"""Classify changes as significant, minor or editorial, by rules that are data.

The rules (:mod:`policykit.compare.rules`) ship in ``data/rules.yaml``; a project adds or
overrides rules in ``policy/rules.yaml``. Each change is described by
*observations* (:mod:`policykit.compare.observations`): flat mappings, for prose one per
finding of :func:`policykit.compare.prose.analyse`. For each observation the first rule
whose ``when`` matches decides; the change takes the highest level among them
and records that rule's id, reason and citation (plus the ids of the other rules
that fired, in ``also``); whether it needs fresh consent, and why, is decided by
:mod:`policykit.compare.consent`.

An editor may override a change's level in the release draft:
:func:`apply_overrides` applies overrides, :func:`check_overrides` returns the
diagnostics (lowering a ``significant`` change without a written justification
is an error).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from policykit.compare import examples, narrowing, sameness, topics
from policykit.compare.consent import consent_basis
from policykit.compare.diff import DECIDED, LEVELS, Change
from policykit.compare.moves import find_moves, known_from, relaid, switched_language, written_in
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
    ctx = Context(rules, before, after, moves.moved, moves.lent, moves.borrowed, known_from(before, after),
                  relaid=relaid(changes, before, after),
                  switched=switched_language(before, after, rules.lexicons), written=written_in(after, rules.lexicons))
    order = {r.id: i for i, r in enumerate(rules.rules)}  # (once: the rules are the same for every change)
    return [_classify_one(c, ctx, order) for c in changes]


def _classify_one(change: Change, ctx: Context, order: Mapping[str, int]) -> Change:
    judged = [(ctx.rules.first_match(obs), obs) for obs in observations(change, ctx)]
    judged = _prove_or_explain(change, ctx, judged, order)
    fired = [rule.id for rule, _ in judged]
    rule, obs = _decider(judged, order)
    basis = consent_basis(change, rule, [r for r, _ in judged], [o for _, o in judged], ctx.rules)
    reason = _format(rule.reason, obs)
    also = tuple(dict.fromkeys(i for i in fired if i != rule.id))
    return replace(change, level=rule.level, rule=rule.id, reason=reason, citation=rule.citation,
                   consent=bool(basis), consent_basis=basis, also=also,
                   category=topics.of_rule(rule.id, str(obs.get("topic") or "")))


def _decider(judged: Sequence[tuple[Rule, dict[str, Any]]], order: Mapping[str, int]) -> tuple[Rule, dict[str, Any]]:
    """The rule that decides: the highest level; among equals, a rule that asks for consent (the more
    demanding), then the rule written first (the more specific)."""
    assert judged
    return max(judged, key=lambda j: (LEVELS.index(j[0].level), j[0].consent, -order[j[0].id]))


UNEXPLAINED = "text.unexplained"


def _prove_or_explain(change: Change, ctx: Context, judged: list[tuple[Rule, dict[str, Any]]],
                      order: Mapping[str, int]) -> list[tuple[Rule, dict[str, Any]]]:
    """A change of wording that only the fail-safe rule decides, tried for a proof that it keeps its meaning
    (:mod:`policykit.compare.sameness`) or, failing that, that it only narrows the processing asserted or
    only adds a protection, a right or a means (:mod:`policykit.compare.narrowing`): proven, its
    unexplained findings become ``same-meaning``, ``only-narrowed`` or ``protection-added`` ones for the
    rules to judge; not proven, their reason says what the reader compared and what stopped it."""
    if not judged or _decider(judged, order)[0].id != UNEXPLAINED:
        return judged
    texts = (change.before, change.after)
    english = ctx.language(change).split("-")[0] == "en"
    if not (isinstance(texts[0], str) and isinstance(texts[1], str) and english):
        return judged
    proof = sameness.compare(texts[0], texts[1], ctx.rules.lexicons)
    proven = _proven(proof, texts[0], texts[1], ctx)
    out = []
    for rule, obs in judged:
        if rule.id != UNEXPLAINED:
            out.append((rule, obs))
        elif proven:
            seen = {**obs, "feature": proven[0], "direction": proven[1], "detail": proven[2]}
            out.append((ctx.rules.first_match(seen), seen))
        else:
            found = str(obs.get("detail") or "")
            if found.startswith("wording changed"):
                found = proof.summary()
            elif not proof.unmatched:  # (a sentence added or removed is what the finding already says)
                found = f"{found}; {proof.summary()}"
            out.append((rule, {**obs, "detail": found}))
    return out


def _proven(proof: sameness.Sameness, before: str, after: str, ctx: Context) -> tuple[str, str, str] | None:
    """The finding (feature, direction, detail) of the first proof that holds: the same meaning, only
    narrowed, only a protection added; or None."""
    if proof.proven:
        return "same-meaning", "neutral", proof.summary()
    narrower = narrowing.prove(before, after, ctx.rules.lexicons)
    if narrower.proven:
        return "only-narrowed", "narrowing", narrower.summary()
    safer = narrowing.protect(before, after, ctx.rules.lexicons)
    if safer.proven:
        return "protection-added", "narrowing", safer.summary()
    voc = sameness.vocabulary()
    example = examples.prove(before, after, ctx.rules.lexicons, voc.example_openers, frozenset(voc.binding))
    return ("example-added", "neutral", example) if example else None


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
        # Fresh consent is needed only for a material change: a person who decides otherwise drops the flag.
        material = o.level == "significant"
        out.append(replace(change, level=o.level, classified_as=change.classified_as or change.level,
                           justification=o.justification.strip(), decided_by=o.by.strip(),
                           consent=change.consent and material,
                           consent_basis=change.consent_basis if material else ""))
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
