"""Every message family's exact output against its golden file (tests/messages/golden/<family>.txt).

A difference fails with a diff; if the new output is what a person should read, regenerate the
files (``python -m tests.messages.regenerate``, see README.md) and review the golden diff.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from .cases import FAMILIES, GOLDEN, pinned_environment, render


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_messages_match_their_golden_file(family: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in pinned_environment().items():
        monkeypatch.setenv(key, value)
    golden = GOLDEN / f"{family}.txt"
    assert golden.exists(), f"no {golden.name}: run `python -m tests.messages.regenerate {family}`"
    got = render(family, tmp_path)
    want = golden.read_text("utf-8")
    if got != want:
        diff = "".join(difflib.unified_diff(want.splitlines(True), got.splitlines(True), f"golden/{family}.txt",
                                            "policyctl now"))
        pytest.fail(f"the {family} messages changed:\n{diff}\nIf that is right: python -m tests.messages.regenerate "
                    f"{family}", pytrace=False)


def test_every_golden_file_belongs_to_a_family() -> None:
    assert {p.stem for p in GOLDEN.glob("*.txt")} == set(FAMILIES)
