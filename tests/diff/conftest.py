from __future__ import annotations

from pathlib import Path

import pytest

from tests.diff.realedits import copy_real


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the repository's policy, as the base every edit of a module's tests starts from."""
    return copy_real(tmp_path_factory.mktemp("real"))
