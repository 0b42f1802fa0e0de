"""Each jurisdiction's minimal policy meets everything; removing one piece of evidence misses exactly that item."""

from __future__ import annotations

from pathlib import Path

import pytest

from policykit.completeness import assess, jurisdictions
from policykit.completeness.assess import CompletenessReport
from policykit.load import FileSource, read_project
from policykit.load.project import load_project
from policykit.model import Policy
from tests.completeness.minimal import MINIMAL, REMOVE, Project, write


def load(root: Path) -> Policy:
    loaded = read_project(FileSource(root))
    assert loaded.policy is not None, loaded.diagnostics
    return loaded.policy


def report(tmp_path: Path, project: Project, jurisdiction: str) -> CompletenessReport:
    return assess(load(write(tmp_path, project)), [jurisdictions()[jurisdiction]])


def test_every_shipped_requirement_has_a_removal_test() -> None:
    shipped = {r.id for j in jurisdictions().values() for r in j.requirements}
    assert set(REMOVE) == shipped


@pytest.mark.parametrize("jurisdiction", sorted(MINIMAL))
def test_the_minimal_policy_meets_every_requirement(tmp_path: Path, jurisdiction: str) -> None:
    r = report(tmp_path, MINIMAL[jurisdiction](), jurisdiction)
    assert r.by_status("met") == [req.id for req in jurisdictions()[jurisdiction].requirements]
    assert r.ok
    assert r.jurisdictions[0].summary.endswith("met, 0 missing")


@pytest.mark.parametrize("jurisdiction", sorted(MINIMAL))
def test_the_minimal_policy_is_valid_without_warnings(tmp_path: Path, jurisdiction: str) -> None:
    diagnostics = load_project(write(tmp_path, MINIMAL[jurisdiction]())).diagnostics
    assert [str(d) for d in diagnostics] == []


@pytest.mark.parametrize("requirement", sorted(REMOVE))
def test_removing_the_evidence_misses_exactly_that_requirement(tmp_path: Path, requirement: str) -> None:
    jurisdiction = requirement.split(".")[0]
    project = MINIMAL[jurisdiction]()
    REMOVE[requirement](project)
    r = report(tmp_path, project, jurisdiction)
    assert r.by_status("missing") == [requirement]
    assert not r.ok
    finding = r.finding(requirement)
    assert finding is not None and finding.gaps and not finding.evidence
    assert r.jurisdictions[0].summary.startswith(f"{jurisdiction}: ") and ", 1 missing" in r.jurisdictions[0].summary
