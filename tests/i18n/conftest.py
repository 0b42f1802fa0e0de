"""Fixtures of the i18n tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from i18n_helpers import PURPOSES_INTRO, edit_source
from tests.conftest import GitRepo


@pytest.fixture
def project(translated_project: Path) -> Path:
    """The i18n tests start from a fully translated policy: the release TRANSLATED_RELEASE (tests/conftest.py).
    The working tree's ja and de lag behind each source revision until the translators catch up."""
    return translated_project


@pytest.fixture
def git_project(translated_project: Path) -> Iterator[GitRepo]:
    """That policy committed once in a fresh git repository."""
    repo = GitRepo(translated_project)
    repo.commit("Import the released policy")
    yield repo


@pytest.fixture
def widened(project: Path) -> Path:
    """The real policy with one block's source text changed (collection.purposes-intro)."""
    edit_source(project, "policy/sections/collection.yaml", PURPOSES_INTRO,
                "We may use and share your personal information for the following purposes:")
    return project
