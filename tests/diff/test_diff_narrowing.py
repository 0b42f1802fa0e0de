"""A change proven to only narrow what is done with data is minor (``text.only-narrowed``); nothing else is.

The proof (:mod:`policykit.compare.narrowing`) is tried on sentences of the real policy (``policy/``, edited in
a copy and diffed as ``policyctl diff`` does) and on sentences it has never seen. The adversarial cases come
first: an item taken out of a negated list, out of a protection, out of a right or out of an exception, a
qualifier such as "certain" dropped, an item taken out while another is added: none of them may be minor or
editorial.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policykit.compare.classify import shipped_rules
from policykit.compare.narrowing import prove
from tests.diff.realedits import judged

DISCLOSURE = "policy/sections/disclosure.yaml"
COLLECTION = "policy/sections/collection.yaml"
ACCESS = "policy/sections/access.yaml"
LEX = shipped_rules().lexicons
DELIVERY = "we share your name, address and telephone number with the logistics companies"
NO_SALE = "we do not knowingly sell or share the personal information of consumers"
AUTOMATED = "that have legal effects on you or affect you in a similarly significant way."


# -- what must never be minor or editorial ----------------------------------------------------------------
@pytest.mark.parametrize(("file", "old", "new"), [
    # an item taken out of a negated list: the company may now do what it promised not to
    (DISCLOSURE, NO_SALE, "we do not knowingly sell the personal information of consumers"),
    (COLLECTION, AUTOMATED, "that have legal effects on you."),
    # an item taken out, another added
    (DISCLOSURE, DELIVERY, "we share your name, address and e-mail address with the logistics companies"),
    # an item taken out and a recipient added
    (DISCLOSURE, DELIVERY, "we share your name and address with the logistics companies and advertisers"),
])
def test_a_change_of_the_real_policy_that_does_not_only_narrow_is_not_minor(real: Path, tmp_path: Path, file: str,
                                                                           old: str, new: str) -> None:
    c = judged(real, tmp_path, file, old, new)
    assert c.level in ("significant", "review"), str(c)
    assert c.rule != "text.only-narrowed"


@pytest.mark.parametrize(("before", "after", "told"), [
    # "certain" dropped widens what is shared
    ("We share certain data with our partners.", "We share data with our partners.", "binds"),
    # a qualifier of the data dropped: not an item of a list
    ("We collect your recent location and your IP address.", "We collect your location and your IP address.",
     "not a whole item"),
    # a protective state of the data dropped: its location is now precise
    ("We collect your approximate location and your IP address.", "We collect your location and your IP address.",
     "binds"),
    # an item taken out of a protection: less is protected
    ("We encrypt your name, address and telephone number.", "We encrypt your name and address.",
     "not processing the company asserts"),
    # an item taken out of a right: the user can do less
    ("You can ask us to delete your name, address and telephone number.",
     "You can ask us to delete your name and address.", "not processing the company asserts"),
    # an item taken out of an exception: more is shared
    ("We share your data with our partners, except your name and address.",
     "We share your data with our partners, except your name.", "negation or an exception"),
    # an item taken out of a negated list
    ("We do not sell your name, address or telephone number.", "We do not sell your name or address.",
     "negation or an exception"),
    # a condition taken out: the processing no longer waits for it
    ("We keep your data for 30 days unless you ask us to delete it or close your account.",
     "We keep your data for 30 days unless you ask us to delete it.", "negation or an exception"),
    # a protective state of the data dropped from a list of its qualifiers: the data is now shared identifiable
    ("We share your anonymised, aggregated usage data with our partners.",
     "We share your aggregated usage data with our partners.", "binds"),
    ("We publish pseudonymised and encrypted reports of your activity.",
     "We publish encrypted reports of your activity.", "binds"),
    # an act of the user's taken out of a right, beside processing of ours: the user can do less
    ("See the records we keep about you and receive a copy of them.",
     "See the records we keep about you.", "something the user does"),
    ("You can read the data we store on you and get a copy of it.",
     "You can read the data we store on you.", "something the user does"),
    # a sentence added
    ("We share your name and address with couriers.",
     "We share your name with couriers. We share your address with advertisers.", "added or removed"),
])
def test_a_change_that_does_not_only_narrow_is_not_proven(before: str, after: str, told: str) -> None:
    proof = prove(before, after, LEX)
    assert not proof.proven, proof.summary()
    assert told in proof.summary(), proof.summary()


def test_a_copy_dropped_from_the_real_right_of_access_is_not_minor(real: Path, tmp_path: Path) -> None:
    # the label reads "we hold about you": the act taken out ("get a copy of it") is the user's, not ours
    c = judged(real, tmp_path, ACCESS, "label: Access the personal information we hold about you and get a copy of it",
               "label: Access the personal information we hold about you")
    assert c.level in ("significant", "review"), str(c)
    assert c.rule != "text.only-narrowed"


def test_a_copy_of_our_own_taken_out_of_what_we_keep_is_still_proven_narrower() -> None:
    # the harmless counterpart: the same words, taken out of what the company keeps
    proof = prove("We keep your order history and a copy of your invoices.", "We keep your order history.", LEX)
    assert proof.proven, proof.summary()
    assert proof.removed == ("a copy of your invoices",)


# -- what is proven --------------------------------------------------------------------------------------
def test_a_data_item_no_longer_shared_in_the_real_policy_is_minor_and_says_what_was_taken_out(
        real: Path, tmp_path: Path) -> None:
    c = judged(real, tmp_path, DISCLOSURE, DELIVERY, "we share your name and address with the logistics companies")
    assert (c.level, c.rule) == ("minor", "text.only-narrowed"), str(c)
    assert c.reason.startswith("“telephone number” no longer part of what is done (we — share — your name, "
                               "address and telephone number"), c.reason
    assert c.reason.endswith("; nothing added."), c.reason
    assert "legal-basis.md#only-narrowed" in c.citation
    assert not c.consent


def test_an_item_taken_out_of_a_list_of_data_used_jointly_is_minor(real: Path, tmp_path: Path) -> None:
    c = judged(real, tmp_path, DISCLOSURE, "(but not your password); your device identifiers; records",
                "(but not your password); records")
    assert (c.level, c.rule) == ("minor", "text.only-narrowed"), str(c)
    assert "“your device identifiers”" in c.reason


@pytest.mark.parametrize(("before", "after", "gone"), [
    ("We share your name, e-mail address and telephone number with couriers.",
     "We share your name and telephone number with couriers.", "e-mail address"),
    ("We collect your name, your e-mail address and your date of birth.",
     "We collect your name and your e-mail address.", "your date of birth"),
])
def test_an_item_taken_out_of_asserted_processing_is_proven_narrower(before: str, after: str, gone: str) -> None:
    proof = prove(before, after, LEX)
    assert proof.proven, proof.summary()
    assert proof.removed == (gone,)
    assert proof.summary().endswith("; nothing added")


# -- a protection, a right or a means added ------------------------------------------------------------
POSTAL = "or by e-mail to [PrivacyJP@huawei.com](mailto:PrivacyJP@huawei.com). You can also ask"
PROMISE = "We have not done so in the past 12 months, and"


@pytest.mark.parametrize(("file", "old", "new"), [
    # a protection removed
    (DISCLOSURE, ", and we do not knowingly sell or share the personal information of consumers under 16 years of age.",
     "."),
    # processing added next to a protection
    (DISCLOSURE, PROMISE, "We have not done so in the past 12 months, we will not do so without first asking for "
                          "your consent, we share your name with advertisers, and"),
    # a channel added with a condition on the user
    (ACCESS, POSTAL, "or by e-mail to [PrivacyJP@huawei.com](mailto:PrivacyJP@huawei.com), or by post if you "
                     "enclose a copy of your passport. You can also ask"),
    # a second channel required, not offered
    (ACCESS, POSTAL, "and by e-mail to [PrivacyJP@huawei.com](mailto:PrivacyJP@huawei.com). You can also ask"),
    # "means" words added to a sentence about processing: the data is published
    (DISCLOSURE, DELIVERY, "we share your name, address and telephone number with the logistics companies or on our "
                           "website"),
])
def test_a_change_of_the_real_policy_that_does_not_only_protect_is_not_minor(real: Path, tmp_path: Path, file: str,
                                                                            old: str, new: str) -> None:
    c = judged(real, tmp_path, file, old, new)
    assert c.level in ("significant", "review"), str(c)
    assert c.rule not in ("text.protection-added", "text.only-narrowed"), str(c)


@pytest.mark.parametrize(("before", "after", "told"), [
    # a protection withdrawn, as an addition
    ("We store your data in Germany.", "We store your data in Germany, and we do not encrypt it.",
     "not a protection"),
    # a purpose added, read as a protective verb
    ("We use your device identifiers to provide our services.",
     "We use your device identifiers to provide our services, and to choose the offers we show you.",
     "a purpose added"),
    # a hurdle added
    ("You can ask us for a copy of your data.", "You can ask us for a copy of your data, and we verify your identity.",
     "not a protection"),
    # a condition on the user with a new channel
    ("You can contact us by e-mail.", "You can contact us by e-mail, or by post once you have an account.",
     "condition or a duty on the user"),
    # a channel that names a third party
    ("You can contact us by e-mail.", "You can contact us by e-mail, or by post to our partner Acme Ltd.",
     "not a means to reach us: acme"),
    # words taken out
    ("You can contact us by e-mail or by phone.", "You can contact us by e-mail, or by post.", "taken out"),
    # a choice made a duty
    ("You can contact us by e-mail or by phone.", "You can contact us by e-mail and by phone.", "“or” was taken out"),
])
def test_an_addition_that_is_not_only_a_protection_is_not_proven(before: str, after: str, told: str) -> None:
    from policykit.compare.narrowing import protect

    proof = protect(before, after, LEX)
    assert not proof.proven, proof.summary()
    assert told in proof.summary(), proof.summary()


def test_a_postal_channel_added_in_the_real_policy_is_minor_and_says_what_was_added(real: Path,
                                                                                   tmp_path: Path) -> None:
    new = ("or by e-mail to [PrivacyJP@huawei.com](mailto:PrivacyJP@huawei.com), or by post to the address given "
           'under "How to contact us". You can also ask')
    c = judged(real, tmp_path, ACCESS, POSTAL, new)
    assert (c.level, c.rule) == ("minor", "text.protection-added"), str(c)
    assert c.reason.startswith("“or by post to the address given under how to contact us” added: another means to "
                               "reach us or to exercise a right; every statement before is kept"), c.reason
    assert "legal-basis.md#protection-added" in c.citation
    assert not c.consent


def test_a_promise_to_ask_for_consent_first_in_the_real_policy_is_minor_and_proven_a_protection(
        real: Path, tmp_path: Path) -> None:
    c = judged(real, tmp_path, DISCLOSURE, PROMISE, "We have not done so in the past 12 months, we will not do so "
                                                     "without first asking for your consent, and")
    assert c.level == "minor", str(c)  # (the rule that reads "will" added as a promise decides it first)
    from policykit.compare.narrowing import protect

    proof = protect(c.before if isinstance(c.before, str) else "", c.after if isinstance(c.after, str) else "", LEX)
    assert proof.proven, proof.summary()
    assert "“we will not do so without first asking for your consent” added: a protection" in proof.summary()


def test_a_right_of_the_user_added_is_proven() -> None:
    from policykit.compare.narrowing import protect

    proof = protect("We keep your data for 13 months.",
                    "We keep your data for 13 months. You can ask us to delete it earlier.", LEX)
    assert proof.proven, proof.summary()
    assert "a protection (" in proof.summary()


SAFEGUARDS = ("Every recipient is bound by a data transfer agreement with us that incorporates the standard "
              "contractual clauses.")


def test_a_protection_on_the_occasion_of_processing_already_stated_is_proven() -> None:
    from policykit.compare.narrowing import protect

    after = SAFEGUARDS[:-1] + (", and before each new transfer we assess whether the law of the recipient's "
                               "country allows it to comply with them.")
    proof = protect(SAFEGUARDS, after, LEX)
    assert proof.proven, proof.summary()
    assert "we — assess —" in proof.summary() and "transfer —" not in proof.summary()


@pytest.mark.parametrize("added", [
    ", and before each new transfer we share your data with our advisers.",  # processing next to the noun
    ", and each new transfer is logged.",  # the noun alone, no protection
    ", and we assess the data we collect from your contacts.",  # a relative clause states processing
])
def test_processing_named_beside_an_addition_is_no_protection(added: str) -> None:
    from policykit.compare.narrowing import protect

    assert not protect(SAFEGUARDS, SAFEGUARDS[:-1] + added, LEX).proven


# -- a recipient described anew, or its restrictive clause taken out ---------------------------------------
DELIVERED = "with the logistics companies and partners that deliver your order."


@pytest.mark.parametrize(("before", "after", "told"), [
    # the restrictive clause goes with the recipient: the class left is open
    ("We share your name with couriers and partners that deliver your order.",
     "We share your name with couriers and with the other businesses we work with.", "restrictive clause"),
    # only the restrictive clause goes: every partner now receives the data
    ("We share your address with partners who install your appliance.", "We share your address with partners.",
     "restrictive clause"),
    # the recipient described anew by an open class
    ("We disclose your order history to our payment processor.",
     "We disclose your order history to any vendor we choose.", "are now “any vendor we choose”"),
])
def test_a_recipient_whose_limit_is_taken_out_or_described_anew_is_widened(before: str, after: str,
                                                                           told: str) -> None:
    from policykit.compare.recipients import recipients_widened
    from policykit.compare.text import normalise

    why = recipients_widened(normalise(before), normalise(after), LEX)
    assert told in why, why


@pytest.mark.parametrize(("before", "after"), [
    # a recipient taken out, the limit of the rest kept: fewer receive the data
    ("We share your name with couriers and partners that deliver your order.",
     "We share your name with couriers that deliver your order."),
    # a data item taken out beside a limited recipient
    ("We share your name and address with partners that deliver your order.",
     "We share your name with partners that deliver your order."),
    # the restricted recipients moved to another sentence, their clause kept
    ("We share your name with the company that delivers your order. We manage your account.",
     "We alone manage your account. The companies that deliver your order receive your name."),
    # no party in the sentence: "business purposes" names no recipient
    ("We keep your data for business purposes, record keeping and security.", "We keep your data for 10 years."),
])
def test_a_recipient_or_an_item_taken_out_with_the_limit_kept_is_not_widened(before: str, after: str) -> None:
    from policykit.compare.recipients import recipients_widened
    from policykit.compare.text import normalise

    assert recipients_widened(normalise(before), normalise(after), LEX) == ""


def test_the_real_delivery_restriction_dropped_is_a_recipient_widened(real: Path, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    c = judged(real, tmp_path / "a", DISCLOSURE, DELIVERED,
               "with logistics companies and with the other companies we work with.")
    assert (c.level, c.rule) == ("significant", "text.recipient-widened"), str(c)
    assert "GDPR Art. 13(1)(e)" in c.citation
    # the harmless counterpart: the partners go, the couriers keep their limit
    c = judged(real, tmp_path / "b", DISCLOSURE, DELIVERED, "with the logistics companies that deliver your order.")
    assert c.level in ("minor", "editorial"), str(c)
