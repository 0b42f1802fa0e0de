"""Every case file can be used as written: ``python -m tests.cases.casefile``'s check, run by pytest, so a
broken case file (an edit that does not apply once, a YAML typo in ``after``, an edit that leaves the
policy with an error its base release does not have) cannot land."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from tests.cases.casefile import check, load_cases


def test_every_case_applies_once_and_adds_no_error_to_its_base_release(tmp_path: Path) -> None:
    cases = load_cases()
    assert len(cases) >= 150
    assert check(cases, tmp_path) == []


def test_the_check_reports_an_edit_that_leaves_the_policy_invalid(tmp_path: Path) -> None:
    """A case whose edit breaks what its base release had right is a problem, named by file and case; the
    base's own errors (ja and de lack a unit added after 2.0.0) and the translations the edit leaves stale
    are not."""
    good = next(c for c in load_cases() if c.id == "retention-support-messages-five-years")
    broken = replace(good, id="retention-broken-type",
                     edits=({"fact": "facts.recipients.cloud-hosting", "set": {"type": "no-such-type"}},))
    assert check([good], tmp_path / "good") == []
    problems = check([broken], tmp_path / "broken")
    assert len(problems) == 1 and "retention-broken-type" in problems[0] and "leaves the policy invalid" in problems[0]
    assert "no-such-type" in problems[0]


def test_a_before_text_not_found_once_is_a_problem(tmp_path: Path) -> None:
    good = next(c for c in load_cases() if "block" in c.edits[0] and not c.edits[0].get("locale"))
    edit = dict(good.edits[0], before="text that the policy never says")
    problems = check([replace(good, edits=(edit,))], tmp_path)
    assert len(problems) == 1 and "found 0 times" in problems[0]
