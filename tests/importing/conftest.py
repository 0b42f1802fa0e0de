"""Fixtures of the import tests; the one place the tests reach the corpus of real policies.

The corpus (`tests/corpus/pga-privacy`) is the Platform Governance Archive (PGA v2) dataset,
collected with the Open Terms Archive engine by the Lab Platform Governance, Media and Technology
(ZeMKI, University of Bremen), repository OpenTermsArchive/pga-versions; Open Data Commons
Attribution License (ODC-By 1.0). The policies' texts belong to their publishers; they are kept
in the repository as test data only, and never published.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ..cases.casefile import CaseError, corpus_root


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The folder of real policies (one sub-folder per policy, one Markdown file per version), found as the
    judgement cases find it (``tests/cases/casefile.corpus_root``: ``tests/corpus/pga-privacy``); missing,
    the test fails and says where it looked."""
    try:
        return corpus_root()
    except CaseError as exc:
        pytest.fail(str(exc))
