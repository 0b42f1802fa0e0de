"""Prose is held to the facts: each kind of disagreement is a warning at the words that say it.

Every test edits a copy of the real policy as an editor would and checks the exact message,
located at the prose (or at the label) with ``file:line:col``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policykit.cli import main
from policykit.load.project import load_project

from .test_validate import replace

COLLECTION = "policy/sections/collection.yaml"
COOKIES = "policy/sections/cookies.yaml"
DISCLOSURE = "policy/sections/disclosure.yaml"
SECURITY = "policy/sections/security.yaml"
MINORS = "policy/sections/minors.yaml"
UPDATES = "policy/sections/updates.yaml"


def findings(root: Path) -> list[str]:
    return [str(d) for d in load_project(root).diagnostics if d.code and d.code.startswith(("prose.", "refs.st"))]


def test_the_real_policy_states_nothing_its_facts_do_not_hold(project: Path) -> None:
    assert findings(project) == []


def test_a_retention_period_no_fact_has_is_located_at_its_words(project: Path) -> None:
    line, col = replace(project, SECURITY, "delete your personal information within 30 days",
                        "delete your personal information within 14 days")
    at = col + len("delete your personal information within ")
    assert findings(project) == [
        f"{SECURITY}:{line}:{at}: warning: security.retention says \"14 days\" (a period of keeping personal "
        "information), but no retention fact has that period (they have: 30 days, 3 years, 13 months, 10 years); "
        "correct the text or the fact, or link the block to the fact it states with `states:`"]


def test_a_block_linked_to_its_fact_is_compared_with_that_fact(project: Path) -> None:
    # The block now says what the account fact says, and is linked to it: agreeing, nothing is said.
    replace(project, SECURITY, "  - id: retention\n    text: |\n",
            "  - id: retention\n    states: [facts.retention.account-registration]\n    text: |\n")
    assert findings(project) == []
    # The fact changes (P14D to P90D in the words) and the text does not: the contradiction names it.
    replace(project, SECURITY, "      period: P30D\n      from: account-deletion",
            "      period: P90D\n      from: account-deletion")
    line, col = replace(project, SECURITY, "within 30 days, unless", "within 30 days, unless")
    at = col + len("within ")
    assert findings(project) == [
        f"{SECURITY}:{line}:{at}: warning: security.retention says \"30 days\" (a period of keeping personal "
        "information), but facts.retention.account-registration, which it states, has period P90D (90 days); "
        "make them agree",
        # and the fact's own label still says 30 days
        f"{SECURITY}:{_label_line(project, SECURITY, 'account-registration')}:{15 + LABEL.index('30 days')}: "
        "warning: the label of "
        "facts.retention.account-registration says \"30 days\", but its period is P90D (90 days); make them agree",
    ]


LABEL = ("Your account data (the information you registered): as long as you keep your Huawei account, and no more "
         "than 30 days after you delete it")


def _label_line(root: Path, rel: str, fid: str) -> int:
    lines = (root / rel).read_text("utf-8").splitlines()
    at = next(i for i, text in enumerate(lines) if text.strip() == f"- id: {fid}")
    return at + 2  # the label follows the id


def test_a_cookie_lifetime_the_tracking_facts_do_not_have(project: Path) -> None:
    line, col = replace(project, COOKIES, "for at most 13 months", "for at most 24 months")
    at = col + len("for at most ")
    assert findings(project) == [
        f"{COOKIES}:{line}:{at}: warning: cookies.session-vs-persistent says \"24 months\" (how long cookies and "
        "similar technologies last), but no tracking or retention fact has that period (they have: 13 months, "
        "30 days, 3 years, 10 years); correct the text or the fact, or link the block to the fact it states with "
        "`states:`"]


def test_a_notice_period_the_policy_does_not_give(project: Path) -> None:
    line, col = replace(project, UPDATES, "at least 30 days before", "at least 14 days before")
    at = col + len("at least ")
    assert findings(project) == [
        f"{UPDATES}:{line}:{at}: warning: updates.changes promises \"14 days\" of notice, but notice_period is "
        "P30D (30 days); make the text and `policy/policy.yaml` agree"]


def test_an_age_the_age_limits_do_not_say(project: Path) -> None:
    line, col = replace(project, MINORS, "intended mainly for adults.",
                        "intended mainly for adults. Children under 13 may not use them.")
    at = col + len("intended mainly for adults. Children ")
    assert findings(project) == [
        f"{MINORS}:{line}:{at}: warning: minors.parental-consent says \"under 13\", but the age limit is "
        "18 (facts.age_limits.adults); make them agree"]


def test_a_country_no_recipient_or_transfer_lists(project: Path) -> None:
    line, col = replace(project, DISCLOSURE, "in its data centres in Germany.",
                        "in its data centres in Germany and Brazil.")
    at = col + len("in its data centres in Germany and ")
    assert findings(project) == [
        f"{DISCLOSURE}:{line}:{at}: warning: disclosure.service-providers names \"Brazil\" (BR) as a place "
        "personal information goes, but no country any recipient or transfer lists is it (countries: CN, DE, JP, "
        "SG); add the country to the recipient or transfer, or correct the text"]


def test_a_recipient_no_fact_names(project: Path) -> None:
    line, col = replace(project, DISCLOSURE, "We do not sell your personal information,",
                        "We share your personal information with advertising partners. We do not sell it,")
    at = col + len("We share your personal information with ")
    assert findings(project) == [
        f"{DISCLOSURE}:{line}:{at}: warning: disclosure.no-sale says personal information goes to \"advertising "
        "partners\", but no recipient fact is such a recipient (recipients: certified-partners, affiliates, "
        "authorities, reorganisation-parties, cloud-hosting); add the recipient, or correct the text"]


def test_a_data_category_no_fact_covers(project: Path) -> None:
    line, col = replace(project, COLLECTION, "and your approximate location. We derive",
                        "and your approximate location and your health data. We derive")
    at = col + len("and your approximate location and your ")
    assert findings(project) == [
        f"{COLLECTION}:{line}:{at}: warning: collection.device-and-location says \"health data\" is collected "
        "(user.health_and_medical), but no data category covers it; add it to data_categories, or correct the text"]


@pytest.mark.parametrize(("old", "new"), [
    ("We do not collect your precise location", "We never collect your precise location"),
    ("We do not sell your personal information,", "We do not sell your personal information to data brokers,"),
])
def test_what_the_text_says_is_not_done_is_not_held_against_the_facts(project: Path, old: str, new: str) -> None:
    replace(project, COLLECTION if "location" in old else DISCLOSURE, old, new)
    assert findings(project) == []


def test_a_label_naming_a_country_its_attributes_do_not_list(project: Path) -> None:
    line, col = replace(project, DISCLOSURE, "on our behalf in Germany", "on our behalf in France")
    assert findings(project) == [
        f"{DISCLOSURE}:{line}:{col + len('on our behalf in ')}: warning: the label of "
        "facts.recipients.cloud-hosting names \"France\" (FR), but its countries are DE; make them agree"]


def test_states_naming_a_missing_fact_is_an_error_and_validate_exits_1(project: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    line, _ = replace(project, SECURITY, "  - id: retention\n    text: |\n",
                      "  - id: retention\n    states: [facts.retention.account-registraton]\n    text: |\n")
    assert findings(project) == [
        f"{SECURITY}:{line + 1}:14: error: block security.retention states 'facts.retention.account-registraton', "
        "but the policy has no such fact (did you mean 'facts.retention.account-registration'?); facts are named "
        "facts.<kind>.<id>"]
    assert main(["-C", str(project), "validate"]) == 1
    assert "security.retention states" in capsys.readouterr().out


def test_states_on_a_list_block_is_an_error(project: Path) -> None:
    line, _ = replace(project, DISCLOSURE, "  - id: recipients\n    list: recipients\n",
                      "  - id: recipients\n    list: recipients\n    states: [facts.recipients.affiliates]\n")
    found = [str(d) for d in load_project(project).diagnostics if d.severity == "error"]
    assert found == [f"{DISCLOSURE}:{line + 2}:13: error: block disclosure.recipients: `states` links a text to the "
                     "facts it states; this block has no `text` (a `list` block shows its facts itself)"]
