"""A change of wording is editorial only when it is proven to keep every statement (``text.same-meaning``).

The proof (:mod:`policykit.compare.sameness`) is tried on sentences of the real policy (``policy/``, edited
in a copy and diffed as ``policyctl diff`` does) and on sentences it has never seen. A faithful paraphrase is
editorial with the rule named and a reason that says what was compared; the same paraphrase with "not"
dropped, "all" made "some", a number, a party or a country changed, or a sentence the reader cannot read,
is not.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policykit.compare.classify import shipped_rules
from policykit.compare.sameness import compare
from tests.diff.realedits import judged

SECURITY = "policy/sections/security.yaml"
DISCLOSURE = "policy/sections/disclosure.yaml"
COLLECTION = "policy/sections/collection.yaml"
CONTINUALLY = "We work continually to protect your personal information"
DELIVERY = "For example, when you buy from Huawei online, we share your name, address and telephone number"


# -- the real policy, through the whole judgement -------------------------------------------------------
def test_an_adverb_moved_in_the_real_policy_is_editorial_by_the_same_meaning_rule(real: Path,
                                                                                   tmp_path: Path) -> None:
    c = judged(real, tmp_path, SECURITY, CONTINUALLY, "We continually work to protect your personal information")
    assert (c.level, c.rule) == ("editorial", "text.same-meaning"), str(c)
    assert c.reason.startswith("Same statements before and after: we — protect — your personal information"), c.reason
    assert "only the wording changed" in c.reason
    assert "legal-basis.md#same-meaning" in c.citation


def test_a_clause_reordered_and_the_company_named_as_we_is_editorial(real: Path, tmp_path: Path) -> None:
    new = "For example, when you buy online from us, we share your name, address and telephone number"
    c = judged(real, tmp_path, DISCLOSURE, DELIVERY, new)
    assert (c.level, c.rule) == ("editorial", "text.same-meaning"), str(c)
    assert "we — share — your name, address and telephone number" in c.reason


@pytest.mark.parametrize(("old", "new", "why"), [
    ("controls that allow only authorised staff to access personal information.",
     "controls that allow authorised staff to access personal information.", "only"),  # a quantifier dropped
    ("We do not use it to infer characteristics about you.", "We use it to infer characteristics about you.",
     "not"),  # "not" dropped
    ("with the logistics companies and partners that deliver",
     "with the advertising companies and partners that deliver", "advertising"),  # another recipient
])
def test_the_same_edit_that_changes_a_word_that_binds_is_not_editorial(real: Path, tmp_path: Path, old: str,
                                                                      new: str, why: str) -> None:
    file = DISCLOSURE if "companies" in old else COLLECTION if "infer" in old else SECURITY
    c = judged(real, tmp_path, file, old, new)
    assert c.level in ("review", "significant"), str(c)
    assert c.rule != "text.same-meaning"


def test_an_unexplained_change_of_the_real_policy_says_what_could_not_be_read(real: Path, tmp_path: Path) -> None:
    # "up to you" states no action the reader knows: the rewording cannot be proven to keep the meaning
    # ("the rest is optional" is read as the choice it gives: data/sameness.yaml's rewrites)
    c = judged(real, tmp_path, COLLECTION, "You can choose not to provide the rest.", "The rest is up to you.")
    assert (c.level, c.rule) == ("review", "text.unexplained"), str(c)
    assert c.reason.startswith("The sentence “the rest is up to you.” could not be read into who does what to "
                               "which data: "), c.reason
    assert c.reason.endswith("a person must decide whether the meaning changed.")


# -- sentences the reader has never seen ----------------------------------------------------------------
LEX = shipped_rules().lexicons


def test_a_paraphrase_is_proven_the_same_and_the_proof_names_what_was_compared() -> None:
    proof = compare("We collect your contact details to answer your requests.",
                    "We gather your contact details in order to answer your requests.", LEX)
    assert proof.proven
    assert proof.summary() == ("same statements before and after: we — collect — your contact details to; "
                               "we — respond — your requests; only the wording changed")


def test_negation_survives_a_paraphrase_that_keeps_it() -> None:
    proof = compare("We do not sell your personal information to advertisers.",
                    "Huawei does not sell your personal information to advertisers.", LEX)
    assert proof.proven, proof.summary()


@pytest.mark.parametrize(("before", "after", "told"), [
    ("We do not sell your personal information to advertisers.",
     "We sell your personal information to advertisers.", "polarity no → yes"),
    ("We share your name with all logistics companies that deliver your order.",
     "We share your name with some logistics companies that deliver your order.", "“all” before, “some” after"),
    ("We keep your records for 13 months.", "We keep your records for 18 months.", "“13” before, “18” after"),
    ("We do not sell your personal information to advertisers.",
     "We do not sell your personal information to data brokers.", "“advertiser” before"),
    ("We store personal information in Germany.", "We store personal information in China.", "“germany” before"),
    ("We share your name but not your e-mail address.", "We share your e-mail address but not your name.",
     "“not e-mail” before, “not name” after"),
    ("We share your name with the companies that deliver your order.",
     "We share your name with the companies, which deliver your order.", "“nonrestrictive” after"),
    ("We collect: your name; your e-mail address. We do not collect: your location.",
     "We collect: your location; your e-mail address. We do not collect: your name.", "do not pair up"),
])
def test_a_word_that_changes_the_meaning_blocks_the_proof(before: str, after: str, told: str) -> None:
    proof = compare(before, after, LEX)
    assert not proof.proven
    assert told in proof.summary(), proof.summary()


def test_a_sentence_the_reader_cannot_read_proves_nothing() -> None:
    proof = compare("You can choose not to provide the rest.", "The rest is up to you.", LEX)
    assert not proof.proven
    assert proof.unread == ("the rest is up to you.",)
    assert proof.summary() == "the sentence “the rest is up to you.” could not be read into who does what to which data"


def test_a_sentence_added_is_not_the_same_text() -> None:
    proof = compare("We keep your records for 13 months.",
                    "We keep your records for 13 months. We share them with our partners.", LEX)
    assert not proof.proven
    assert "has no counterpart" in proof.summary()


LIST = "We use your data for these purposes: to answer your requests; to keep your account secure; and to ship orders."


def test_the_items_of_a_list_in_another_order_are_the_same_list() -> None:
    proof = compare(LIST, "We use your data for these purposes: to keep your account secure; to ship orders; and to "
                          "answer your requests.", LEX)
    assert proof.proven and proof.reordered
    assert proof.summary().startswith("the same items of a list in another order (we — use — your data for these")


@pytest.mark.parametrize("after", [
    # an item changed while the list moved
    "We use your data for these purposes: to keep your account secure; to ship orders; and to sell your requests.",
    # steps: their order is what they say
    "We handle a request in these steps: then we delete it; first we check who you are.",
])
def test_a_list_reordered_with_an_item_changed_or_whose_items_are_steps_is_not_proven(after: str) -> None:
    steps = "We handle a request in these steps: first we check who you are; then we delete it."
    before = LIST if "purposes" in after else steps
    assert not compare(before, after, LEX).proven


@pytest.mark.parametrize("new", [
    "We do not work continually to protect your personal information",
    "We will not try to protect your personal information",
])
def test_a_negated_verb_negates_the_action_it_leads_to(real: Path, tmp_path: Path, new: str) -> None:
    # "not" governs "work"/"try", whose complement is the protection: the promise to protect is withdrawn. The
    # reader knows "protect" but not "work", so the negation must not be read as the unchanged "protect".
    change = judged(real, tmp_path, SECURITY, CONTINUALLY, new)
    assert change.level in ("significant", "review"), (change.level, change.rule, change.reason)
