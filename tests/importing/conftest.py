"""Fixtures of the import tests; the one place the tests reach the corpus of real policies.

The corpus (`../shared/corpus/pga-privacy`, or `$POLICYCTL_CORPUS`) is the Platform Governance
Archive (PGA v2) dataset, collected with the Open Terms Archive engine by the Lab Platform
Governance, Media and Technology (ZeMKI, University of Bremen), repository
OpenTermsArchive/pga-versions; Open Data Commons Attribution License (ODC-By 1.0). The
policies' texts belong to their publishers; they are read here as test data, never copied.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ..cases.casefile import CaseError, corpus_root


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The folder of real policies (one sub-folder per policy, one Markdown file per version), found as the
    judgement cases find it (``tests/cases/casefile.corpus_root``: ``$POLICYCTL_CORPUS`` or the sibling
    ``../shared/corpus/pga-privacy``); missing, the test fails and says where it looked."""
    try:
        return corpus_root()
    except CaseError as exc:
        pytest.fail(str(exc))
