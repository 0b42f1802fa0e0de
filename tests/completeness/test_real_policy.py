"""The 2018 policy (release 1.0.0, from this repository's history): the gaps that are really there, no
invented ones, and evidence that does not rot. The current policy (the 2026 revision) closes every gap."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from policykit.cli import main
from policykit.diagnostics import Diagnostic
from policykit.load.project import load_project
from tests.conftest import REPO

# Reviewed one by one in docs/completeness.md ("The 2018 policy"); release 1.0.0.
MISSING = {
    "gdpr": ["gdpr.27", "gdpr.13.1.d", "gdpr.13.2.b", "gdpr.13.2.f"],
    "appi": ["appi.32.1.i", "appi.32.1.iii", "appi.28.2", "appi.27.5.iii"],
    "ccpa": ["ccpa.7011.e.1.sale", "ccpa.7011.e.1.sensitive", "ccpa.7011.e.2", "ccpa.7011.e.3"],
}
SUMMARY = ["gdpr: 11/15 met, 4 missing", "appi: 3/7 met, 4 missing", "ccpa: 6/10 met, 4 missing"]
# The 2026 revision (2.0.0) closes them all.
CURRENT_SUMMARY = ["gdpr: 15/15 met, 0 missing", "appi: 7/7 met, 0 missing", "ccpa: 10/10 met, 0 missing"]


def check_json(root: Path, capsys, *args: str) -> dict:  # type: ignore[no-untyped-def, type-arg]
    code = main(["-C", str(root), "check", "--format", "json", *args])
    data = json.loads(capsys.readouterr().out)
    assert code == (0 if data["ok"] else 1)
    return data  # type: ignore[no-any-return]


def test_the_2018_policy_misses_exactly_the_reviewed_items(project_2018: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    data = check_json(project_2018, capsys)
    assert not data["ok"]
    missing = {j["id"]: [r["id"] for r in j["requirements"] if r["status"] == "missing"] for j in data["jurisdictions"]}
    assert missing == MISSING
    assert [j["summary"] for j in data["jurisdictions"]] == SUMMARY


def test_the_current_policy_misses_nothing(project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    data = check_json(project, capsys)
    assert data["ok"]
    assert [j["summary"] for j in data["jurisdictions"]] == CURRENT_SUMMARY
    waived = [r["id"] for j in data["jurisdictions"] for r in j["requirements"] if r["status"] == "waived"]
    assert waived == []


def test_evidence_points_at_the_declaring_blocks_and_facts(project_2018: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    project = project_2018
    data = check_json(project, capsys, "--jurisdiction", "gdpr")
    found = {r["id"]: r for r in data["jurisdictions"][0]["requirements"]}
    assert [e["ref"] for e in found["gdpr.13.1.a"]["evidence"]] == ["policy.controller.name", "contact.dpo"]
    assert [e["ref"] for e in found["gdpr.13.2.d"]["evidence"]] == [
        "facts.rights.complaint", "facts.contacts.eu-data-protection-authorities", "access.complaint"]
    dpo = found["gdpr.13.1.a"]["evidence"][1]
    lines = (project / dpo["file"]).read_text("utf-8").splitlines()
    assert lines[dpo["line"] - 1].strip() == "- id: dpo"
    assert found["gdpr.13.2.b"]["gaps"] == ["no rights item with right: portability"]


def test_markdown_links_evidence_to_the_source_line(project_2018: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    project = project_2018
    assert main(["-C", str(project), "check", "--format", "markdown", "--jurisdiction", "appi"]) == 1
    out = capsys.readouterr().out
    line = 1 + next(n for n, text in enumerate((project / "policy/sections/contact.yaml").read_text("utf-8")
                                              .splitlines()) if text.strip() == "- id: dpo")
    assert f"[`contact.dpo`](policy/sections/contact.yaml#L{line})" in out
    assert "| **missing** | `appi.32.1.i` " in out
    assert out.rstrip().endswith("**appi: 3/7 met, 4 missing**")
    # In a pull-request comment a relative link leads nowhere: --link-base makes each one absolute.
    base = "https://github.com/acme/policy/blob/0123abc"
    assert main(["-C", str(project), "check", "--format", "markdown", "--jurisdiction", "appi",
                 "--link-base", base]) == 1
    out = capsys.readouterr().out
    assert f"[`contact.dpo`]({base}/policy/sections/contact.yaml#L{line})" in out
    assert "](policy/" not in out


def test_validate_warns_once_per_missing_item_and_has_no_other_completeness_finding(project_2018: Path) -> None:
    found: list[Diagnostic] = [d for d in load_project(project_2018).diagnostics
                               if d.code.startswith("completeness.")]
    assert {d.code for d in found} == {"completeness.missing"}
    assert all(d.severity == "warning" and d.pos.file == "policy/policy.yaml" for d in found)
    assert sorted(d.message.split(" ")[0] for d in found) == sorted(r for ids in MISSING.values() for r in ids)


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


def test_a_complaint_block_that_loses_the_authority_is_implausible(project: Path) -> None:
    replace(project / "policy/sections/access.yaml",
            "you can complain to a data protection supervisory authority. In Japan, this is the Personal Information "
            "Protection Commission. In the European Union, you can complain to the supervisory authority of the "
            "member state where you live or work or where the problem occurred; you can find the contact details "
            "of the EU data protection authorities at", "you may write to us. See")
    found = [d for d in load_project(project).diagnostics if d.code == "completeness.implausible"]
    assert len(found) == 1
    assert str(found[0]).startswith("policy/sections/access.yaml:")
    assert "access.complaint declares gdpr.13.2.d" in found[0].message
    assert "supervisory authorit" in found[0].message


def test_a_translation_that_loses_the_authority_is_implausible(project: Path) -> None:
    replace(project / "locales/de/access.yaml",
            "Beschwerde bei einer Datenschutz-Aufsichtsbehörde einlegen. In Japan ist dies die Kommission für den "
            "Schutz personenbezogener Daten (Personal Information Protection Commission).", "sich an uns wenden.")
    replace(project / "locales/de/access.yaml",
            "Beschwerde bei der Aufsichtsbehörde des Mitgliedstaats einlegen, in dem Sie leben oder arbeiten oder in "
            "dem das Problem aufgetreten ist; die Kontaktdaten der Datenschutz-Aufsichtsbehörden der EU finden Sie "
            "unter", "sich an uns wenden. Siehe")
    found = [d for d in load_project(project).diagnostics if d.code == "completeness.implausible"]
    assert [d.pos.file for d in found] == ["locales/de/access.yaml"]
    assert found[0].message.startswith("[de] access.complaint declares gdpr.13.2.d")


def test_check_from_a_checkout_exits_1_without_a_traceback(project_2018: Path) -> None:
    for root, code, summary in ((project_2018, 1, SUMMARY), (REPO, 0, CURRENT_SUMMARY)):
        result = subprocess.run([sys.executable, str(REPO / "policyctl.py"), "-C", str(root), "check"],
                                capture_output=True, text=True, check=False)
        assert result.returncode == code, result.stderr
        assert "Traceback" not in result.stderr
        assert [line for line in result.stdout.splitlines() if line[:5] in ("gdpr:", "appi:", "ccpa:")] == summary
