"""The fresh-consent flag follows from what a change does to a processing that needs consent.

Each test edits a copy of the real policy (sentences no case file holds), diffs and classifies it as
``policyctl diff`` does, and reads the flag and the legal ground it names (``consent_basis``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policykit.compare.classify import Override, apply_overrides
from policykit.compare.diff import Change
from tests.diff.realedits import edited


def consent_edit(real: Path, tmp_path: Path, file: str, old: str, new: str) -> list[Change]:
    return edited(real, tmp_path, file, old, new, locales=("ja", "de"))


def _flagged(changes: list[Change]) -> list[Change]:
    return [c for c in changes if c.consent]


def test_a_wider_use_of_a_tracking_technology_needs_fresh_consent_under_eprivacy(real: Path, tmp_path: Path) -> None:
    changes = consent_edit(real, tmp_path, "policy/sections/cookies.yaml",
                           "We use pixel tags in our e-mails to see whether an e-mail has been opened.",
                           "We use pixel tags in our e-mails and on our websites to see whether an e-mail has been "
                           "opened and which pages you visit.")
    flagged = _flagged(changes)
    assert flagged, [str(c) for c in changes]
    assert flagged[0].level in ("significant", "review")
    assert "Art. 5(3)" in flagged[0].consent_basis and flagged[0].consent_basis.startswith("tracking")


def test_a_tracking_sentence_that_only_adds_a_limit_needs_no_consent(real: Path, tmp_path: Path) -> None:
    changes = consent_edit(real, tmp_path, "policy/sections/cookies.yaml",
                           "We use pixel tags in our e-mails to see whether an e-mail has been opened.",
                           "We use pixel tags only in our e-mails, and only to see whether an e-mail has been opened.")
    assert not _flagged(changes), [(str(c), c.consent_basis) for c in changes]


def test_training_models_on_click_data_is_an_incompatible_purpose(real: Path, tmp_path: Path) -> None:
    changes = consent_edit(real, tmp_path, "policy/sections/collection.yaml",
                           "and we use this only to improve our customer service.",
                           "and we use this to improve our customer service and to train the machine-learning models "
                           "that recommend products.")
    flagged = _flagged(changes)
    assert flagged, [str(c) for c in changes]
    assert "Art. 6(4)" in flagged[0].consent_basis and flagged[0].consent_basis.startswith("purpose")


def test_an_eu_adequacy_transfer_outside_the_appi_list_needs_consent(real: Path, tmp_path: Path) -> None:
    us = ("    - id: us-backup\n      label: To back-up data centres in the United States, under the EU-U.S. Data "
          "Privacy Framework\n      mechanism: adequacy\n      countries: [US]\n")
    changes = consent_edit(real, tmp_path, "policy/sections/transfers.yaml", "  transfers:\n", "  transfers:\n" + us)
    added = next(c for c in changes if c.path.endswith("us-backup"))
    assert added.rule == "transfer.added-adequacy-elsewhere" and added.consent
    assert "APPI Art. 28" in added.consent_basis


def test_an_adequacy_transfer_to_a_listed_country_needs_notice_only(real: Path, tmp_path: Path) -> None:
    uk = ("    - id: uk-support\n      label: To our support centre in the United Kingdom, which the EU and Japan "
          "recognise as adequate\n      mechanism: adequacy\n      countries: [GB]\n")
    changes = consent_edit(real, tmp_path, "policy/sections/transfers.yaml", "  transfers:\n", "  transfers:\n" + uk)
    added = next(c for c in changes if c.path.endswith("uk-support"))
    assert added.rule == "transfer.added-safeguarded" and not added.consent and not added.consent_basis


@pytest.mark.parametrize(("taxonomy", "consent"), [("user.financial.bank_account", False), ("user.biometric", True)])
def test_a_sensitive_category_needs_notice_and_a_special_one_consent(real: Path, tmp_path: Path, taxonomy: str,
                                                                    consent: bool) -> None:
    item = f"    - id: new-data\n      label: New data\n      taxonomy: {taxonomy}\n      sources: [provided-by-you]\n"
    changes = consent_edit(real, tmp_path, "policy/sections/collection.yaml", "  data_categories:\n",
                           "  data_categories:\n" + item)
    added = next(c for c in changes if c.path.endswith("new-data"))
    assert added.level == "significant" and added.consent is consent


def test_a_lowered_age_limit_is_significant_without_fresh_consent(real: Path, tmp_path: Path) -> None:
    text = (real / "policy/sections/minors.yaml").read_text("utf-8")
    old = next(line for line in text.splitlines() if "min_age:" in line)
    changes = consent_edit(real, tmp_path, "policy/sections/minors.yaml", old, old.split(":")[0] + ": 13")
    lowered = next(c for c in changes if c.rule == "age.lowered")
    assert lowered.level == "significant" and not lowered.consent


def test_deciding_a_flagged_change_minor_drops_the_flag(real: Path, tmp_path: Path) -> None:
    changes = consent_edit(real, tmp_path, "policy/sections/cookies.yaml",
                           "We use pixel tags in our e-mails to see whether an e-mail has been opened.",
                           "We use pixel tags in our e-mails and on our websites to see whether an e-mail has been "
                           "opened and which pages you visit.")
    flagged = _flagged(changes)[0]
    decided = apply_overrides(changes, [Override(flagged.path, "minor", "Only states what is already done.",
                                                 by="A. Lawyer")])
    mine = next(c for c in decided if c.path == flagged.path)
    assert mine.level == "minor" and not mine.consent and not mine.consent_basis
    kept = apply_overrides(changes, [Override(flagged.path, "significant", "Wider tracking.", by="A. Lawyer")])
    assert next(c for c in kept if c.path == flagged.path).consent
