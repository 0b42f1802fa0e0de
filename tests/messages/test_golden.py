"""Every message family's exact output against its golden file (tests/messages/golden/<family>.txt).

A difference fails with a diff; if the new output is what a person should read, regenerate the
files (``python -m tests.messages.regenerate``, see README.md) and review the golden diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .. import goldenfiles
from .cases import FAMILIES, GOLDEN, pinned_environment, render
from .regenerate import COMMAND


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_messages_match_their_golden_file(family: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in pinned_environment().items():
        monkeypatch.setenv(key, value)
    golden = GOLDEN / f"{family}.txt"
    message = goldenfiles.mismatch(f"golden/{family}.txt", goldenfiles.read(golden), render(family, tmp_path),
                                   regenerate=f"{COMMAND} {family}")
    if message:
        pytest.fail(message, pytrace=False)


def test_every_golden_file_belongs_to_a_family() -> None:
    assert {p.stem for p in GOLDEN.glob("*.txt")} == set(FAMILIES)
