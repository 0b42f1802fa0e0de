"""Conditions switch a requirement between "not applicable" and "missing"; waivers need a reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from policykit.cli import main
from policykit.completeness import assess, jurisdictions, problems
from policykit.load import FileSource, read_project
from policykit.load.project import load_project
from policykit.model import Policy, Waiver
from tests.completeness.minimal import MINIMAL, Project, drop_block, drop_item, facts, write


def load(root: Path) -> Policy:
    loaded = read_project(FileSource(root))
    assert loaded.policy is not None
    return loaded.policy


def status(tmp_path: Path, project: Project, requirement: str) -> str:
    jurisdiction = requirement.split(".")[0]
    finding = assess(load(write(tmp_path, project)), [jurisdictions()[jurisdiction]]).finding(requirement)
    assert finding is not None
    return finding.status


def without_legitimate_interests(p: Project) -> None:
    drop_item("legal_bases", "interests")(p)
    for purpose in facts(p)["purposes"]:
        purpose["legal_bases"] = ["consent"]


def test_legitimate_interests_switch_between_not_applicable_and_missing(tmp_path: Path) -> None:
    p = MINIMAL["gdpr"]()
    drop_block("interests")(p)
    assert status(tmp_path / "a", p, "gdpr.13.1.d") == "missing"
    without_legitimate_interests(p)
    assert status(tmp_path / "b", p, "gdpr.13.1.d") == "not-applicable"
    facts(p)["legal_bases"].append({"id": "interests", "label": "Interests", "basis": "legitimate-interests"})
    assert status(tmp_path / "c", p, "gdpr.13.1.d") == "missing"


def test_not_applicable_says_which_condition_made_it_so(tmp_path: Path) -> None:
    p = MINIMAL["gdpr"]()
    drop_item("contacts", "eu-rep")(p)
    p["policy"]["controller"]["country"] = "DE"
    report = assess(load(write(tmp_path, p)), [jurisdictions()["gdpr"]])
    finding = report.finding("gdpr.27")
    assert finding is not None and finding.status == "not-applicable"
    assert finding.gaps == ("controller.country is DE",)
    assert report.jurisdictions[0].summary == "gdpr: 14/14 met, 0 missing, 1 not applicable"
    p["policy"]["controller"]["country"] = "JP"
    assert status(tmp_path / "jp", p, "gdpr.27") == "missing"


@pytest.mark.parametrize(("taxonomy", "expected"), [
    ("user.contact.phone_number", "not-applicable"),
    ("user.government_id.passport_number", "missing"),
    ("user.authorization.credentials", "missing"),
])
def test_sensitive_information_makes_the_ccpa_statement_required(tmp_path: Path, taxonomy: str, expected: str) -> None:
    p = MINIMAL["ccpa"]()
    drop_block("sensitive")(p)
    facts(p)["data_categories"][1]["taxonomy"] = taxonomy
    assert status(tmp_path, p, "ccpa.7011.e.1.sensitive") == expected


def with_waiver(p: Project, waiver: dict[str, str]) -> Project:
    p["policy"]["waivers"] = [waiver]
    return p


def test_a_waiver_with_a_reason_turns_missing_into_waived_and_exit_0(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    p = MINIMAL["gdpr"]()
    drop_block("automated")(p)
    with_waiver(p, {"requirement": "gdpr.13.2.f", "reason": "We make no automated decisions; legal confirmed."})
    root = write(tmp_path, p)
    assert main(["-C", str(root), "check"]) == 0
    out = capsys.readouterr().out
    assert "waived   gdpr.13.2.f" in out
    assert "waived: We make no automated decisions; legal confirmed." in out
    assert out.rstrip().endswith("gdpr: 14/15 met, 0 missing, 1 waived")


@pytest.mark.parametrize("waiver", [
    {"requirement": "gdpr.13.2.f"},
    {"requirement": "gdpr.13.2.f", "reason": "   "},
])
def test_a_waiver_without_a_reason_is_an_error(tmp_path: Path, capsys, waiver: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    p = MINIMAL["gdpr"]()
    drop_block("automated")(p)
    root = write(tmp_path, with_waiver(p, waiver))
    assert main(["-C", str(root), "check"]) == 1
    err = capsys.readouterr().err
    assert "policy/policy.yaml:" in err and "the waiver of gdpr.13.2.f has no reason" in err
    errors = [d for d in load_project(root).diagnostics if d.severity == "error"]
    assert [d.pos.file for d in errors] == ["policy/policy.yaml"]
    assert "reason" in errors[0].message


def test_a_waiver_without_a_reason_is_an_error_for_a_policy_built_in_code(tmp_path: Path) -> None:
    policy = load(write(tmp_path, MINIMAL["appi"]()))
    from dataclasses import replace

    policy = replace(policy, waivers=(Waiver("appi.32.1.iv", ""),))
    assert [d.code for d in problems(policy)] == ["completeness.waiver-reason"]
    finding = assess(policy, [jurisdictions()["appi"]]).finding("appi.32.1.iv")
    assert finding is not None and finding.status == "met"


def test_waivers_of_unknown_or_met_requirements(tmp_path: Path) -> None:
    p = MINIMAL["appi"]()
    p["policy"]["waivers"] = [
        {"requirement": "appi.32.1.vi", "reason": "Not a member of an accredited organisation."},
        {"requirement": "appi.32.1.iv", "reason": "Published on request only."},
        {"requirement": "appi.32.1.iv", "reason": "Again."},
    ]
    root = write(tmp_path, p)
    lines = (root / "policy/policy.yaml").read_text("utf-8").splitlines()
    first = next(n for n, line in enumerate(lines, 1) if "appi.32.1.iv" in line)
    found = [(d.severity, d.code, d.message) for d in load_project(root).diagnostics]
    assert ("error", "completeness.unknown-requirement",
            "waiver of 'appi.32.1.vi': no requirement set defines it (did you mean 'appi.32.1.v'?)") in found
    assert ("error", "completeness.waiver-twice", f"appi.32.1.iv is waived twice (first at line {first})") in found
    assert ("warning", "completeness.waiver-unneeded", "appi.32.1.iv is waived but is met: the waiver can go") in found
    assert len(found) == 3


def test_a_missing_conditional_item_says_what_made_it_apply(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    p = MINIMAL["ccpa"]()
    drop_block("sensitive")(p)
    root = write(tmp_path, p)
    finding = assess(load(root), [jurisdictions()["ccpa"]]).finding("ccpa.7011.e.1.sensitive")
    assert finding is not None and [e.ref for e in finding.applies_because] == ["facts.data_categories.login"]
    assert main(["-C", str(root), "check"]) == 1
    assert ("applies because a data category is sensitive personal information (Civ. Code 1798.140(ae)): "
            "facts.data_categories.login") in capsys.readouterr().out
