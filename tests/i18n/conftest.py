"""Fixtures of the i18n tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from i18n_helpers import PURPOSES_INTRO, edit_source


@pytest.fixture
def widened(project: Path) -> Path:
    """The real policy with one block's source text changed (collection.purposes-intro)."""
    edit_source(project, "policy/sections/collection.yaml", PURPOSES_INTRO,
                "We may use and share your personal information for the following purposes:")
    return project
