"""The "does the text still say it?" heuristic: quiet on a correct first version, and never says
"no longer" of a text that has no history."""

from __future__ import annotations

from pathlib import Path

from policykit.load.project import load_project
from tests.messages.cases import INTRO, edit, project


def _declares(tmp: Path, text: str) -> list[str]:
    root = project(tmp)
    edit(root, INTRO, "handles your personal information.\n",
         f"handles your personal information.\n  - id: obligation\n    text: {text}\n    satisfies: [gdpr.13.2.e]\n")
    return [str(d) for d in load_project(root).diagnostics if d.code == "completeness.implausible"]


def test_a_correct_statement_in_its_own_words_is_not_flagged(tmp_path: Path) -> None:
    assert _declares(tmp_path, "You must give us your e-mail address to open an account; without it we cannot "
                               "create one.") == []


def test_a_text_that_says_nothing_of_it_is_flagged_as_a_heuristic(tmp_path: Path) -> None:
    [found] = _declares(tmp_path, "We like privacy.")
    assert "mentions none of the words that usually say it" in found and "no longer" not in found.split(";")[0]
    assert "a heuristic: if the text does say it, in other words, nothing is wrong" in found
