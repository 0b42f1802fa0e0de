"""Assess a policy against requirement sets: every requirement met, missing, waived or not applicable."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from policykit.completeness.evidence import Evidence
from policykit.completeness.requirements import Jurisdiction, Requirement
from policykit.model import Policy, Waiver

Status = Literal["met", "missing", "waived", "not-applicable"]
STATUSES: tuple[Status, ...] = ("met", "missing", "waived", "not-applicable")


@dataclass(frozen=True)
class RequirementFinding:
    requirement: Requirement
    status: Status
    evidence: tuple[Evidence, ...] = ()
    gaps: tuple[str, ...] = ()  # missing or waived: what was not found; not applicable: why not
    waiver: Waiver | None = None
    applies_because: tuple[Evidence, ...] = ()  # a conditional requirement: what made the condition hold

    def __str__(self) -> str:
        return f"{self.status}: {self.requirement.id}"


@dataclass(frozen=True)
class JurisdictionReport:
    jurisdiction: Jurisdiction
    findings: tuple[RequirementFinding, ...]

    def count(self, status: Status) -> int:
        return sum(f.status == status for f in self.findings)

    @property
    def summary(self) -> str:
        """``gdpr: 11/15 met, 4 missing`` (+ waived and not applicable when there are any)."""
        met, missing, waived, na = (self.count(s) for s in STATUSES)
        line = f"{self.jurisdiction.id}: {met}/{met + missing + waived} met, {missing} missing"
        if waived:
            line += f", {waived} waived"
        if na:
            line += f", {na} not applicable"
        return line

    def missing(self) -> list[RequirementFinding]:
        return [f for f in self.findings if f.status == "missing"]


@dataclass(frozen=True)
class CompletenessReport:
    jurisdictions: tuple[JurisdictionReport, ...]

    @property
    def ok(self) -> bool:
        """No requirement is missing (waived ones do not count)."""
        return not any(j.missing() for j in self.jurisdictions)

    def finding(self, requirement_id: str) -> RequirementFinding | None:
        return next((f for j in self.jurisdictions for f in j.findings if f.requirement.id == requirement_id), None)

    def by_status(self, status: Status) -> list[str]:
        return [f.requirement.id for j in self.jurisdictions for f in j.findings if f.status == status]


def assess_requirement(policy: Policy, requirement: Requirement, waiver: Waiver | None = None) -> RequirementFinding:
    because: tuple[Evidence, ...] = ()
    if requirement.applies_when is not None:
        applies = requirement.applies_when.evaluate(policy, requirement.id)
        if not applies.ok:
            return RequirementFinding(requirement, "not-applicable", gaps=applies.gaps)
        because = applies.evidence
    outcome = requirement.met_by.evaluate(policy, requirement.id)
    if outcome.ok:
        return RequirementFinding(requirement, "met", outcome.evidence, applies_because=because)
    if waiver is not None and waiver.reason.strip():
        return RequirementFinding(requirement, "waived", gaps=outcome.gaps, waiver=waiver, applies_because=because)
    return RequirementFinding(requirement, "missing", gaps=outcome.gaps, applies_because=because)


def assess(policy: Policy, jurisdictions: Iterable[Jurisdiction]) -> CompletenessReport:
    """Every requirement of each jurisdiction, with its status and evidence.

    A waiver counts only with a written reason; :func:`policykit.completeness.problems`
    reports one without as an error, and ``policyctl check`` refuses to run with it.
    """
    waivers = {w.requirement: w for w in policy.waivers}
    return CompletenessReport(tuple(
        JurisdictionReport(j, tuple(assess_requirement(policy, r, waivers.get(r.id)) for r in j.requirements))
        for j in jurisdictions
    ))
