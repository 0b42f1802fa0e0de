"""The prose reader behind the proofs reads nouns, adjectives, later purposes and limits as a lawyer does.

Three general misreadings moved changes of the case set to ``review``: a noun or an adjective of a verb read
as a statement of its own ("our terms of *use*", "keep your account *secure*"), which cut the statement it
stands in in two; the second "to …" of a list of purposes not read as a purpose of the verb; and a change that
only limits asserted processing ("only from your IP address", "…, never from GPS signals") proven by nothing.
Each proof is tried on sentences of the real policy (``policy/``, edited in a copy and diffed as ``policyctl
diff`` does) and on sentences it has never seen; each comes with its material counterpart (the same edit with
its meaning changed), which must stay ``significant`` or ``review``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policykit.compare import actions
from policykit.compare.classify import shipped_rules
from policykit.compare.narrowing import protect, prove
from tests.diff.realedits import judged

LEX = shipped_rules().lexicons
COLLECTION = "policy/sections/collection.yaml"
DISCLOSURE = "policy/sections/disclosure.yaml"
PURPOSES = ("to provide the services and content that are available in your region, to keep your account and our "
            "services secure, and to understand how our products and services are used.")
GROUNDS = "where necessary to enforce our terms of use, to prevent physical harm or financial loss, or in connection"
METHOD = "We derive your approximate location from your IP address or from your device's network settings,"


# -- the reader ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("sentence", "word", "noun", "adjective"), [
    ("we may disclose it where necessary to enforce our terms of use.", "use", True, False),
    ("we keep your account and our services secure, and we use it.", "secure", False, True),
    ("your data is secure.", "secure", False, True),
    ("we keep it separate from your account.", "separate", False, True),
    ("we secure your data.", "secure", False, False),
    ("you can ask us to correct, update or delete your data.", "correct", False, False),
    ("we use your e-mail address to send you the newsletter.", "use", False, False),
])
def test_a_noun_or_an_adjective_of_a_verb_is_told_from_the_verb(sentence: str, word: str, noun: bool,
                                                                adjective: bool) -> None:
    found = next(a for a in actions.read(sentence, LEX) if sentence[a.start:a.end] == word)
    assert (found.noun, found.adjective) == (noun, adjective), found


# -- a list of purposes or grounds, one taken out ------------------------------------------------------
def test_a_purpose_taken_out_of_a_list_in_the_real_policy_is_minor(real: Path, tmp_path: Path) -> None:
    c = judged(real, tmp_path, COLLECTION, PURPOSES,
               "to provide the services and content that are available in your region and to keep your account and "
               "our services secure.")
    assert (c.level, c.rule) == ("minor", "text.only-narrowed"), str(c)
    assert "“to understand how our products and services are used”" in c.reason, c.reason


def test_a_ground_taken_out_of_a_list_in_the_real_policy_is_minor(real: Path, tmp_path: Path) -> None:
    c = judged(real, tmp_path, DISCLOSURE, GROUNDS,
               "where necessary to prevent physical harm or financial loss, or in connection")
    assert (c.level, c.rule) == ("minor", "text.only-narrowed"), str(c)
    assert "“to enforce our terms of use”" in c.reason, c.reason


@pytest.mark.parametrize(("before", "after", "told"), [
    # the same purpose taken out of what we promise never to do: we may now do it
    ("We never use this information to provide the services that are available in your region, to keep your "
     "account secure, or to understand how our products are used.",
     "We never use this information to provide the services that are available in your region or to keep your "
     "account secure.", "negation or an exception"),
    # the same ground taken out of an exception to a promise not to disclose: the promise now covers less
    ("We do not disclose personal information except where necessary to enforce our terms of use, to prevent "
     "physical harm or financial loss.",
     "We do not disclose personal information except where necessary to prevent physical harm or financial loss.",
     ""),
    # the state the data is kept in taken out: "secure" binds, it is no item of a list
    ("We keep your account and our services encrypted and secure, and we use this information to understand how "
     "our products are used.",
     "We keep your account and our services encrypted, and we use this information to understand how our "
     "products are used.", "binds"),
    ("We keep your account secure.", "We keep your account.", "binds"),
    # an item taken out after "nobody": it may now be disclosed (the negation words are data now)
    ("Nobody receives your name, your address or your telephone number from us, and we disclose your name, "
     "your address or your telephone number to nobody.",
     "Nobody receives your name, your address or your telephone number from us, and we disclose your name or "
     "your address to nobody.", "negation or an exception"),
])
def test_the_same_items_taken_out_of_a_negation_or_a_state_are_not_proven(before: str, after: str,
                                                                         told: str) -> None:
    proof = prove(before, after, LEX)
    assert not proof.proven, proof.summary()
    assert told in proof.summary(), proof.summary()


def test_a_purpose_that_was_second_is_first_now_and_was_stated_before() -> None:
    proof = prove("We share your name with couriers to enforce our terms of use, to deliver your order, or to "
                  "prevent fraud.", "We share your name with couriers to deliver your order, or to prevent fraud.",
                  LEX)
    assert proof.proven, proof.summary()
    assert proof.removed == ("to enforce our terms of use",)


def test_a_purpose_never_stated_before_is_no_narrowing() -> None:
    proof = prove("We share your name with couriers to enforce our terms of use, or to deliver your order.",
                  "We share your name with couriers to advertise, or to deliver your order.", LEX)
    assert not proof.proven, proof.summary()


# -- processing limited: "only", "…, never from …" ---------------------------------------------------------
def test_the_ways_a_location_is_derived_limited_in_the_real_policy_is_minor(real: Path, tmp_path: Path) -> None:
    c = judged(real, tmp_path, COLLECTION, METHOD,
               "We derive your approximate location only from your IP address or from your device's network "
               "settings, never from GPS, Wi-Fi or Bluetooth signals,")
    assert c.level == "minor", str(c)


@pytest.mark.parametrize(("after", "told"), [
    ("We derive your approximate location only from your IP address.", "“only” added: it limits what is done"),
    ("We derive your approximate location from your IP address, never from GPS signals.",
     "“never from gps signals” added: processing withheld"),
    ("We may share your name only with partners.", "“only” added: it limits what is done (we — share)"),
])
def test_processing_limited_is_proven_a_protection(after: str, told: str) -> None:
    before = after.replace(" only", "").replace(", never from GPS signals", "")
    proof = protect(before, after, LEX)
    assert proof.proven, proof.summary()
    assert told in proof.summary(), proof.summary()


@pytest.mark.parametrize(("before", "after"), [
    # "only" on a protection: we delete it later, if at all
    ("We collect your name and delete it after 30 days.", "We collect your name and only delete it after 30 days."),
    ("We collect your name and delete it after 30 days.", "We collect your name and delete it only after 30 days."),
    # "not only": more is shared
    ("We share your data with partners.", "We share your data, not only with partners."),
    ("We share your data with partners.", "We share your data with partners, not only with couriers."),
    # "only" in a negation or an exception: less is promised
    ("We do not share your data with partners.", "We do not share your data only with partners."),
    ("We share your data with partners, except your name.", "We share your data with partners, except only your name."),
    # "only" on a right: the user can do less
    ("You can ask us to delete your data.", "You can only ask us to delete your data."),
    ("You can ask us to delete your data.", "You can ask us to delete only your data."),
    # a degree or a price "withheld": what is done after all
    ("We keep your data for 30 days.", "We keep your data for 30 days, never for less than that."),
    ("We share your data with partners.", "We share your data with partners, never for free."),
    # a double negation: a condition, not processing withheld
    ("We share your data with partners.", "We share your data with partners, never without your consent."),
])
def test_the_same_words_that_widen_or_limit_a_protection_are_not_proven(before: str, after: str) -> None:
    proof = protect(before, after, LEX)
    assert not proof.proven, proof.summary()


def test_the_same_sources_made_not_only_in_the_real_policy_is_not_minor(real: Path, tmp_path: Path) -> None:
    c = judged(real, tmp_path, COLLECTION, METHOD,
               "We derive your approximate location not only from your IP address or from your device's network "
               "settings, but also from GPS, Wi-Fi or Bluetooth signals,")
    assert c.level in ("significant", "review"), str(c)


# -- a wording that means another: a double negation, "optional" -------------------------------------------
COOKIES = "policy/sections/cookies.yaml"
DOUBLE_NEGATIVE = "Huawei does not use cookies for any purpose that this policy does not describe."
REST = "You can choose not to provide the rest."


@pytest.mark.parametrize(("file", "old", "new"), [
    (COOKIES, DOUBLE_NEGATIVE, "Huawei uses cookies only for the purposes that this policy describes."),
    (COLLECTION, REST, "The rest is optional."),
])
def test_a_wording_that_means_the_same_in_the_real_policy_is_editorial(real: Path, tmp_path: Path, file: str,
                                                                     old: str, new: str) -> None:
    c = judged(real, tmp_path, file, old, new)
    assert (c.level, c.rule) == ("editorial", "text.same-meaning"), str(c)
    assert not c.consent


@pytest.mark.parametrize(("file", "old", "new"), [
    # "only" dropped: cookies for any purpose described, and for others
    (COOKIES, DOUBLE_NEGATIVE, "Huawei uses cookies for the purposes that this policy describes."),
    # the second negation kept: cookies for purposes the policy does not describe
    (COOKIES, DOUBLE_NEGATIVE, "Huawei uses cookies only for the purposes that this policy does not describe."),
    (COOKIES, DOUBLE_NEGATIVE, "Huawei does not use cookies only for the purposes that this policy describes."),
    # the choice taken away
    (COLLECTION, REST, "The rest is required."),
    (COLLECTION, REST, "You must provide the rest."),
    (COLLECTION, REST, "The rest is optional for adults."),
])
def test_the_same_wording_with_its_meaning_changed_is_not_editorial(real: Path, tmp_path: Path, file: str,
                                                                   old: str, new: str) -> None:
    c = judged(real, tmp_path, file, old, new)
    assert c.level in ("significant", "review"), str(c)


@pytest.mark.parametrize(("before", "after", "proven"), [
    ("We do not share your data with any partner that does not sign our contract.",
     "We share your data only with the partners that sign our contract.", True),
    ("We do not share your data with any partner that does not sign our contract.",
     "We share your data only with the partners that do not sign our contract.", False),
    ("We do not share your data with any partner that does not sign our contract.",
     "We share your data only with the partners that sign our contract or ask us.", False),
    ("We do not share your data with any partner that signs our contract.",
     "We share your data only with the partners that sign our contract.", False),
    ("Your name and your e-mail address are optional.", "You can choose not to provide your name and your e-mail "
                                                        "address.", True),
    ("Your name and your e-mail address are optional.", "You can choose to provide your name and your e-mail "
                                                        "address.", False),
])
def test_a_double_negation_is_only_and_optional_is_a_choice_on_sentences_never_seen(before: str, after: str,
                                                                                    proven: bool) -> None:
    from policykit.compare.sameness import compare

    proof = compare(before.lower(), after.lower(), LEX)
    assert proof.proven == proven, proof.summary()


# -- a citation in another style, an abbreviation defined ----------------------------------------------------
JOINT_USE = "Article 27(5)(iii) of Japan's Act on the Protection of Personal Information:"


@pytest.mark.parametrize("new", [
    "Article 27, paragraph 5, item 3 of Japan's Act on the Protection of Personal Information (APPI):",
    "Article 27(5)(iii) of Japan's Act on the Protection of Personal Information (APPI):",
])
def test_a_citation_restyled_or_an_abbreviation_defined_in_the_real_policy_is_not_review(real: Path, tmp_path: Path,
                                                                                        new: str) -> None:
    c = judged(real, tmp_path, DISCLOSURE, JOINT_USE, new)
    assert c.level in ("editorial", "minor"), str(c)


@pytest.mark.parametrize("new", [
    # another provision
    "Article 27, paragraph 5, item 4 of Japan's Act on the Protection of Personal Information (APPI):",
    "Article 27, paragraph 4, item 3 of Japan's Act on the Protection of Personal Information (APPI):",
    # an abbreviation that is not the name's: another law may be meant
    "Article 27, paragraph 5, item 3 of Japan's Act on the Protection of Personal Information (PIPA):",
])
def test_the_same_restyling_that_cites_another_provision_is_review(real: Path, tmp_path: Path, new: str) -> None:
    c = judged(real, tmp_path, DISCLOSURE, JOINT_USE, new)
    assert c.level in ("significant", "review"), str(c)


@pytest.mark.parametrize(("before", "after", "proven"), [
    ("we process it as allowed by article 6(1)(iv) of the act.",
     "we process it as allowed by article 6, paragraph 1, item 4 of the act.", True),
    ("we process it as allowed by article 6(1)(iv) of the act.",
     "we process it as allowed by article 6, paragraph 1, item 6 of the act.", False),
    ("we process it as allowed by the california consumer privacy act.",
     "we process it as allowed by the california consumer privacy act (ccpa).", True),
    ("we process it as allowed by the california consumer privacy act.",
     "we process it as allowed by the california consumer privacy act (cpra).", False),
    ("we share your data with our partners.", "we share your data with our partners (ads).", False),
])
def test_citations_and_abbreviations_on_sentences_never_seen(before: str, after: str, proven: bool) -> None:
    from policykit.compare.sameness import compare

    proof = compare(before, after, LEX)
    assert proof.proven == proven, proof.summary()


# -- a deadline of a protection taken out weakens it; the situation it applies in taken out widens it -------
def _notify(before: str, after: str) -> list[tuple[str, str]]:
    from policykit.compare import actionchanges
    from policykit.compare.text import sentences

    return [(c.direction, c.what) for c in actionchanges.compare(sentences(before), sentences(after), LEX)
            if c.verb == "notify"]


def test_a_deadline_taken_out_of_a_duty_to_notify_weakens_it() -> None:
    # "before …" says when the notice is owed: without it, the notice may come after the processing
    assert _notify("We will notify you by e-mail before we use your data for a new purpose.",
                   "We will notify you by e-mail.") == [
        ("widening", "no longer subject to “before”: a deadline of a protection or a right")]


def test_the_situation_a_duty_to_notify_applies_in_taken_out_makes_it_unconditional() -> None:
    # the harmless counterpart: "if …" says in which case we notify; without it we always do
    assert _notify("We will notify you by e-mail if we change this policy.", "We will notify you by e-mail.") == [
        ("narrowing", "no longer subject to “if”")]


def test_the_deadline_of_the_real_supplementary_notice_taken_out_is_significant(real: Path, tmp_path: Path) -> None:
    c = judged(real, tmp_path, "policy/sections/introduction.yaml",
               "we tell you in a supplementary notice before you use it.", "we tell you in a supplementary notice.")
    assert c.level == "significant" and c.rule != "text.action-narrower", str(c)
