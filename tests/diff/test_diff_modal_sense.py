"""A trigger word that appears or disappears while the same meaning is still stated is no change of meaning.

Each general mistake is tried on sentences no case file holds, with its harmless edit and its material
counterpart: a modal verb of possibility ("the laws may differ") is no permission; "has the right to" grants
what "may" grants, with the same force; an inflection or the progressive aspect ("is striving" = "strives")
hides no hedge. The harmless edit must not be called significant; the material one still is read as a change
that widens.
"""

from __future__ import annotations

from pathlib import Path

from policykit.compare.classify import shipped_rules
from policykit.compare.findings import Known
from policykit.compare.lexicons import ing_form, term_re
from policykit.compare.prose import analyse
from policykit.compare.sameness import compare
from tests.diff.realedits import judged

LEX = shipped_rules().lexicons
SECURITY = "policy/sections/security.yaml"
CONTINUALLY = "We work continually to protect your personal information"


def widening(before: str, after: str) -> set[str]:
    return {f.feature for f in analyse(before, after, LEX) if f.direction == "widening"}


# -- a modal verb of possibility is no permission -----------------------------------------------------
def test_a_possibility_stated_with_may_is_no_permission_added() -> None:
    assert "modal" not in widening("Retention rules differ from one service to another.",
                                   "Retention rules may differ from one service to another.")
    assert "modal" not in widening("Response times vary with the request.",
                                   "Response times might vary with the request.")


def test_a_permission_stated_with_may_still_widens() -> None:
    assert "modal" in widening("We will delete your account data after a year.",
                               "We may delete your account data after a year.")
    # dropping "may" from a permission to share states it as done: still read as a change of the action
    found = analyse("We may share your contact details with couriers.", "We share your contact details with couriers.",
                    LEX)
    assert any(f.feature in ("modal", "action") for f in found), found


# -- "has the right to" is "may" ------------------------------------------------------------------------
def test_has_the_right_to_and_may_state_the_same_permission() -> None:
    assert compare("We have the right to share your contact details with couriers.",
                   "We may share your contact details with couriers.", LEX).proven
    assert "modal" not in widening("The company has the right to suspend an account that breaks these terms.",
                                   "The company may suspend an account that breaks these terms.")


def test_will_becoming_has_the_right_to_still_widens() -> None:
    # a promise turned into a permission: the company no longer commits to it
    assert "modal" in widening("We will share your contact details with couriers.",
                               "We have the right to share your contact details with couriers.")
    assert not compare("We will share your contact details with couriers.",
                       "We have the right to share your contact details with couriers.", LEX).proven


def test_the_users_right_to_and_you_may_are_one_permission() -> None:
    assert "modal" not in widening("You may object to direct marketing at any time.",
                                   "You have the right to object to direct marketing at any time.")


# -- inflection and aspect hide no hedge ---------------------------------------------------------------
def test_a_prefix_term_matches_its_ing_form() -> None:
    assert ing_form("strive") == "striving" and ing_form("disclos") == ""
    assert term_re("strive*").search("the company is striving to")
    assert term_re("share*").search("sharing it") and term_re("share*").search("shares it")


def test_the_progressive_aspect_is_the_same_statement() -> None:
    before = "The company is striving to keep your contact details accurate."
    after = "The company strives to keep your contact details accurate."
    assert "hedge" not in widening(before, after)
    assert compare(before, after, LEX).proven


def test_a_firm_promise_hedged_with_striving_is_still_caught() -> None:
    assert "hedge" in widening("The company will keep your contact details accurate.",
                               "The company is striving to keep your contact details accurate.")
    assert not compare("The company strives to keep your contact details accurate.",
                       "The company keeps your contact details accurate.", LEX).proven


def test_the_progressive_in_the_real_policy_is_editorial(real: Path, tmp_path: Path) -> None:
    c = judged(real, tmp_path, SECURITY, CONTINUALLY, "We are continually working to protect your personal information")
    assert c.level in ("editorial", "minor"), str(c)
    (tmp_path / "hedged").mkdir()
    hedged = judged(real, tmp_path / "hedged", SECURITY, CONTINUALLY,
                    "We are striving to protect your personal information")
    assert hedged.level in ("significant", "review"), str(hedged)


# -- a number written as a word, a maximum said in other words ------------------------------------------
def test_a_period_written_in_words_is_the_same_period() -> None:
    before = "We keep your chat logs for at most 13 months."
    after = "We keep your chat logs for no longer than thirteen months."
    assert "duration" not in {f.feature for f in analyse(before, after, LEX)}
    assert compare(before, after, LEX).proven


def test_a_longer_period_written_in_words_still_widens() -> None:
    found = analyse("We keep your chat logs for at most 13 months.",
                    "We keep your chat logs for no longer than thirty months.", LEX)
    assert ("duration", "widening") in {(f.feature, f.direction) for f in found}, found
    assert not compare("We keep your chat logs for at most 13 months.",
                       "We keep your chat logs for at most fourteen months.", LEX).proven


def test_a_maximum_turned_into_a_minimum_is_never_the_same() -> None:
    assert not compare("We keep your chat logs for at most 13 months.",
                       "We keep your chat logs for at least thirteen months.", LEX).proven


# -- a right stated with a verb of its channel ------------------------------------------------------------
DPO = "You can contact our data protection officer at dpo@example.com"


def test_writing_to_an_e_mail_address_is_the_right_to_contact() -> None:
    after = "You can write to our data protection officer at dpo@example.com."
    assert "action" not in {f.feature for f in analyse(f"{DPO}.", after, LEX)}
    assert compare(f"{DPO}.", after, LEX).proven


def test_a_channel_dropped_or_the_right_denied_still_widens() -> None:
    written = "You can write to our data protection officer at dpo@example.com."
    found = analyse(f"{DPO} or on +44 20 7946 0100.", written, LEX)
    assert ("contact", "widening") in {(f.feature, f.direction) for f in found}, found
    found = analyse(f"{DPO}.", "You cannot write to our data protection officer at dpo@example.com.", LEX)
    assert ("action", "widening") in {(f.feature, f.direction) for f in found}, found


def test_a_modal_governs_a_verb_in_its_sense() -> None:
    assert compare("We may erase your data.", "We may delete your data.", LEX).proven
    assert not compare("We may delete your data.", "We may share your data.", LEX).proven


# -- an assurance whose object is not the user ---------------------------------------------------------------
def test_a_guarantee_that_a_website_works_is_no_promise_to_users() -> None:
    found = analyse("To guarantee the smooth running of the online shop, we store a session cookie on your device.",
                    "To make sure that the online shop runs smoothly, we store a session cookie on your device.", LEX)
    assert not any(f.feature == "action" and f.direction == "widening" for f in found), found


def test_a_guarantee_of_the_users_security_dropped_still_widens() -> None:
    found = analyse("To guarantee the security of your account, we may ask you to sign in again.",
                    "We may ask you to sign in again.", LEX)
    assert ("action", "widening") in {(f.feature, f.direction) for f in found}, found
    found = analyse("We guarantee that your messages stay confidential.",
                    "We hope that your messages stay confidential.", LEX)
    assert ("action", "widening") in {(f.feature, f.direction) for f in found}, found


# -- a quantifier quantifies what follows it -------------------------------------------------------------------
def test_any_after_a_list_of_another_clause_opens_no_list() -> None:
    found = analyse("We store your voice recordings and your transcripts apart. Where we link them, we treat the "
                    "linked records as voice data.",
                    "We store your voice recordings and your transcripts apart, and we treat any link between the "
                    "two as voice data.", LEX)
    assert "open-list" not in {f.feature for f in found}, found


def test_any_before_what_a_policy_lists_still_opens_it() -> None:
    found = analyse("We share your contact details with our couriers.",
                    "We share your contact details with any of our partners.", LEX)
    assert ("open-list", "widening") in {(f.feature, f.direction) for f in found}, found
    found = analyse("We collect your name and e-mail address.", "We collect your name, e-mail address and any other "
                    "information.", LEX)
    assert ("open-list", "widening") in {(f.feature, f.direction) for f in found}, found


# -- a defined term that lists what the policy already states ------------------------------------------------
ELSEWHERE = Known("We share your delivery address with couriers. We use your e-mail address to send receipts.")
SCOPE = "This notice explains how we look after your personal information."


def widened_by(before: str, after: str) -> set[tuple[str, str]]:
    return {(f.feature, f.detail) for f in analyse(before, after, LEX, known=ELSEWHERE) if f.direction == "widening"}


def test_a_defined_term_listing_processing_stated_elsewhere_adds_none() -> None:
    after = 'This notice explains how we use, share and protect your personal information (together, "look after" it).'
    assert widened_by(SCOPE, after) == set()


def test_a_defined_term_listing_processing_stated_nowhere_still_widens() -> None:
    after = 'This notice explains how we use, sell and protect your personal information (together, "look after" it).'
    assert any(feature == "processing" and "sell" in detail for feature, detail in widened_by(SCOPE, after))


def test_the_same_list_without_a_definition_is_still_read_as_processing() -> None:
    after = "This notice explains how we use, share and protect your personal information."
    assert widened_by(SCOPE, after), "a list of actions stated outright is read as such"
