"""Edits of the repository's real policy, classified as ``policyctl diff`` classifies them.

The tests of the proofs and of the consent flag edit one sentence of a copy of ``policy/`` (the ``real``
fixture of ``tests/diff/conftest.py``) and read what the classifier says of it.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

from policykit.compare.classify import classify, shipped_rules
from policykit.compare.diff import Change, diff_policies
from policykit.load import FileSource, read_project
from policykit.model import Policy
from tests.conftest import REPO


def copy_real(root: Path) -> Path:
    """``root`` with a copy of the repository's policy and translations."""
    for part in ("policy", "locales"):
        shutil.copytree(REPO / part, root / part)
    return root


def load(root: Path) -> Policy:
    policy = read_project(FileSource(root)).policy
    assert policy is not None
    return policy


def edited(real: Path, tmp_path: Path, file: str, old: str, new: str,
           locales: Sequence[str] | None = None) -> list[Change]:
    """The classified changes of ``real`` with ``old`` replaced by ``new`` once in ``file`` (every translation
    compared unless ``locales`` names some)."""
    root = tmp_path / "edited"
    shutil.copytree(real, root)
    path = root / file
    text = path.read_text("utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), "utf-8")
    before, after = load(real), load(root)
    if locales is None:
        locales = [t for t in after.all_locales if t != after.source_locale]
    return classify(list(diff_policies(before, after, locales=locales)), shipped_rules(), before=before, after=after)


def judged(real: Path, tmp_path: Path, file: str, old: str, new: str) -> Change:
    """The one change an edit of the real policy makes."""
    changes = edited(real, tmp_path, file, old, new)
    assert len(changes) == 1, [str(c) for c in changes]
    return changes[0]
