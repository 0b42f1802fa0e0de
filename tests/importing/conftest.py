"""Fixtures of the import tests; the one place the tests reach the corpus of real policies.

The corpus (`../shared/corpus/pga-privacy`, or `$POLICYCTL_CORPUS`) is the Platform Governance
Archive (PGA v2) dataset, collected with the Open Terms Archive engine by the Lab Platform
Governance, Media and Technology (ZeMKI, University of Bremen), repository
OpenTermsArchive/pga-versions; Open Data Commons Attribution License (ODC-By 1.0). The
policies' texts belong to their publishers; they are read here as test data, never copied.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ..conftest import REPO

CORPUS_ENV = "POLICYCTL_CORPUS"


def corpus_path() -> Path:
    path = Path(os.environ.get(CORPUS_ENV) or REPO.parent / "shared" / "corpus" / "pga-privacy")
    if not path.is_dir():
        pytest.fail(f"the corpus of real policies is not at {path}: put shared/ beside the repository "
                    f"or set {CORPUS_ENV} to the pga-privacy folder")
    return path


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The folder of real policies (one sub-folder per policy, one Markdown file per version)."""
    return corpus_path()
