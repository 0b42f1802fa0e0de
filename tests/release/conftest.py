"""The release tests' clock: a release counts its notice from the moment it is made, so the tests
pin that moment (2026-05-04 09:00 UTC) where a real release reads the system clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import TRANSLATED_RELEASE, GitRepo, materialise_release

RELEASE_MOMENT = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def release_clock(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    """Releases are made at RELEASE_MOMENT unless a test moves the clock on (monkeypatch again)."""
    monkeypatch.setattr("policykit.release.now", lambda: RELEASE_MOMENT)
    return RELEASE_MOMENT


@pytest.fixture
def git_project(tmp_path: Path) -> Iterator[GitRepo]:
    """The 2018 policy as released in TRANSLATED_RELEASE (its translations complete), committed once in
    a fresh repository (as test_release.py's own fixture of the same name)."""
    repo = GitRepo(materialise_release(TRANSLATED_RELEASE, tmp_path / "repo"))
    repo.commit("Import the 2018 policy")
    yield repo
