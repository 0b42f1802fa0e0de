"""Ids that must exist (jurisdictions, satisfies, waivers), the check command's usage, and requirement files."""

from __future__ import annotations

from pathlib import Path

import pytest

from policykit.cli import main
from policykit.completeness import jurisdictions, parse_jurisdiction
from policykit.errors import InvalidPolicy
from policykit.load.project import load_project
from tests.completeness.minimal import MINIMAL, write


def codes(root: Path) -> list[tuple[str, str, str]]:
    return [(d.severity, d.code, d.message) for d in load_project(root).diagnostics]


def test_unknown_jurisdiction_is_an_error_with_a_suggestion(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    p = MINIMAL["gdpr"]()
    p["policy"]["jurisdictions"] = ["gdpr", "apii"]
    root = write(tmp_path, p)
    assert codes(root) == [("error", "completeness.unknown-jurisdiction",
                            "no requirement set for jurisdiction 'apii' (did you mean 'appi'?); "
                            "known: appi, ccpa, gdpr")]
    assert main(["-C", str(root), "check"]) == 1
    assert "did you mean 'appi'?" in capsys.readouterr().err


def test_unknown_satisfies_id_is_an_error_and_a_facts_only_one_is_ignored(tmp_path: Path) -> None:
    p = MINIMAL["gdpr"]()
    blocks = p["sections"]["about"]["blocks"]
    blocks[1]["satisfies"] = ["gdpr.13.1.dd"]
    blocks[0]["satisfies"] = ["gdpr.13.2.b"]
    found = codes(write(tmp_path, p))
    assert ("error", "completeness.unknown-requirement",
            "about.interests satisfies 'gdpr.13.1.dd', which no requirement set defines (did you mean 'gdpr.13.1.d'?)"
            ) in found
    assert ("warning", "completeness.not-declarable",
            "about.intro declares gdpr.13.2.b, but only facts can meet it (The rights to access, correct, erase, "
            "restrict, object and take the data elsewhere); the declaration is ignored") in found


def test_check_usage_errors_exit_2(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    root = write(tmp_path, MINIMAL["ccpa"]())
    assert main(["-C", str(root), "check", "--jurisdiction", "gpdr"]) == 2
    assert "no requirement set for jurisdiction 'gpdr' (did you mean 'gdpr'?)" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["-C", str(root), "check", "--format", "pdf"])
    assert exc.value.code == 2


def test_check_a_jurisdiction_the_policy_does_not_name(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    p = MINIMAL["ccpa"]()
    del p["policy"]["jurisdictions"]
    root = write(tmp_path, p)
    assert main(["-C", str(root), "check"]) == 2
    assert "names no `jurisdictions:`" in capsys.readouterr().err
    assert main(["-C", str(root), "check", "--jurisdiction", "ccpa"]) == 0
    assert capsys.readouterr().out.rstrip().endswith("ccpa: 10/10 met, 0 missing")


def test_the_shipped_sets_parse_and_every_declarable_item_has_english_keywords() -> None:
    sets = jurisdictions()
    assert sorted(sets) == ["appi", "ccpa", "gdpr"]
    for j in sets.values():
        for r in j.requirements:
            if r.declarable:
                for lang in ("en", "de", "ja", "zh"):
                    assert r.keywords.get(lang), (r.id, lang)


BAD = b"""\
jurisdiction: test
title: Test
requirements:
  - id: test.1
    title: One
    citation: Art. 1
    met_by:
      fact: right
  - id: test.2
    title: Two
    citation: Art. 2
    met_by:
      fact: rights
      covers: {right: [portabilty]}
  - id: test.3
    title: Three
    citation: Art. 3
    met_by: declared
  - id: other.4
    title: Four
    citation: Art. 4
    condition: sometimes
    met_by: {field: controller.name}
"""


def test_a_broken_requirement_file_names_every_problem_with_its_place() -> None:
    with pytest.raises(InvalidPolicy) as exc:
        parse_jurisdiction(BAD, "test.yaml", "test")
    assert [str(d) for d in exc.value.diagnostics] == [
        "test.yaml:8:13: error: unknown fact kind 'right' (did you mean 'rights'?)",
        "test.yaml:14:23: error: 'portabilty' is not a value of rights.right (did you mean 'portability'?)",
        "test.yaml:15:5: error: test.3: a block may declare it, so it needs `keywords` to check that the block "
        "still says what it should",
        "test.yaml:19:9: error: requirement id 'other.4' must look like test.13.1.b (the jurisdiction id, then "
        "dot-separated parts)",
        "test.yaml:19:5: error: other.4: `condition` (in words) and `applies_when` (the test) go together",
    ]
