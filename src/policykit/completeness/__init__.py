"""Completeness per jurisdiction: does the policy say everything the law requires?

Requirements are data (``data/requirements/<jurisdiction>.yaml``): each has an
id (``gdpr.13.1.b``), a title, a citation, an optional condition under which it
applies, and the evidence that meets it: facts that must exist or have certain
items, policy fields, or blocks that declare ``satisfies: [<id>]``.

::

    jurisdictions()            the shipped requirement sets, by id
    assess(policy, sets)       -> CompletenessReport: each requirement met / missing / waived / not applicable
    render(report, fmt)        text, markdown or json
    problems(policy)           unknown ids and bad waivers (errors)
    check_completeness(policy) the ``validate`` check (registered with ``policykit.validate``)

See docs/completeness.md.
"""

from __future__ import annotations

from policykit.completeness.assess import CompletenessReport, JurisdictionReport, RequirementFinding, assess
from policykit.completeness.checks import check_completeness, implausible, problems
from policykit.completeness.report import FORMATS, render
from policykit.completeness.requirements import (
    Jurisdiction,
    Requirement,
    all_requirements,
    jurisdictions,
    parse_jurisdiction,
)

__all__ = [
    "FORMATS",
    "CompletenessReport",
    "Jurisdiction",
    "JurisdictionReport",
    "Requirement",
    "RequirementFinding",
    "all_requirements",
    "assess",
    "check_completeness",
    "implausible",
    "jurisdictions",
    "parse_jurisdiction",
    "problems",
    "render",
]
