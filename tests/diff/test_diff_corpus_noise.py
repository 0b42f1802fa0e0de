"""What a scraper and a restructuring do to real policies is not read as substance, and what is substance still is.

Each case takes sentences of the real corpus (tests/corpus/pga-privacy: Platform Governance
Archive, ODC-By 1.0; the texts belong to their publishers), commits them as the blocks of a
policy in a temp git repository, then the next recorded form (or a material edit of it, to show
the capability does not hide one), and diffs the two commits the way ``policyctl diff`` does.
"""

from __future__ import annotations

from pathlib import Path

from policykit.compare.diff import Change
from policykit.compare.text import plain

from ..conftest import GitRepo
from .diffkit import base, committed_diff

QUORA_FORM = ("If you would like to exercise your rights, please contact us at "
              "[privacy@quora.com](mailto:privacy@quora.com) or complete this "
              "[form](https://help.quora.com/hc/en-us/requests/new). You will need access to the email account "
              "associated with your Quora account in order to verify your identity and complete this process.")
VERASAFE = ("VeraSafe has been appointed as Quora’s representative in the European Union and the United Kingdom "
            "for data protection matters. VeraSafe can be contacted using this "
            "[form](https://verasafe.com/public-resources/contact-data-protection-representative).")
TWITCH_CHOICES = ("For more information on how to exercise these rights, click "
                  "[here](https://www.twitch.tv/p/legal/privacy-choices/). If applicable, you may make a complaint "
                  "to the data protection supervisory authority in the country where you are based.")
BLUESKY_TRANSFER = ("If we transfer personal information from the European Economic Area, Switzerland, Brazil "
                    "and/or the United Kingdom to a country that does not provide an adequate level of protection "
                    "under applicable data protection laws, we will do so using appropriate safeguards.")
TWITCH_CONTACT = ("Please contact Twitch with any questions or comments about this Privacy Notice at 350 Bush "
                  "Street, 2nd Floor, San Francisco, CA 94104, [here](https://help.twitch.tv/s/contactsupport) "
                  "under the ‘Privacy Questions’ category, or by email to "
                  "[privacy@twitch.tv](mailto:privacy@twitch.tv).")


def _diff(tmp_path: Path, before: dict[str, str], after: dict[str, str]) -> list[Change]:
    """The classified changes when the blocks of the "sharing" section go from ``before`` to ``after``."""
    (tmp_path / "repo").mkdir(parents=True)
    start = base()
    start["sharing"]["blocks"] = [{"id": k, "text": v} for k, v in before.items()]

    def edit(p: dict) -> None:  # type: ignore[type-arg]
        p["sharing"]["blocks"] = [{"id": k, "text": v} for k, v in after.items()]

    return committed_diff(GitRepo(tmp_path / "repo"), edit, start=start)


def _only(changes: list[Change]) -> Change:
    assert len(changes) == 1, [str(c) for c in changes]
    return changes[0]


# -- link targets ----------------------------------------------------------------------------------
def test_a_link_target_dropped_while_the_words_stay_is_minor(tmp_path: Path) -> None:
    dropped = QUORA_FORM.replace("[form](https://help.quora.com/hc/en-us/requests/new)", "form")
    change = _only(_diff(tmp_path, {"rights": QUORA_FORM}, {"rights": dropped}))
    assert (change.level, change.rule) == ("minor", "text.link-target-dropped"), str(change)


def test_a_visible_web_address_removed_is_still_a_contact_removed(tmp_path: Path) -> None:
    shown = QUORA_FORM.replace("[form](https://help.quora.com/hc/en-us/requests/new)",
                               "form at https://help.quora.com/hc/en-us/requests/new")
    change = _only(_diff(tmp_path, {"rights": shown}, {"rights": QUORA_FORM.replace(
        "[form](https://help.quora.com/hc/en-us/requests/new)", "form")}))
    assert (change.level, change.rule) == ("significant", "text.contact-removed"), str(change)


def test_a_link_pointed_at_another_organisation_with_the_same_words_is_review(tmp_path: Path) -> None:
    moved = QUORA_FORM.replace("https://help.quora.com/hc/en-us/requests/new", "https://forms.acme-desk.net/quora")
    change = _only(_diff(tmp_path, {"rights": QUORA_FORM}, {"rights": moved}))
    assert (change.level, change.rule) == ("review", "text.link-target-moved"), str(change)


def test_a_link_restored_to_the_domain_of_an_organisation_the_policy_names_is_minor(tmp_path: Path) -> None:
    unlinked = VERASAFE.replace("[form](https://verasafe.com/public-resources/contact-data-protection-representative)",
                                "form")
    change = _only(_diff(tmp_path, {"rep": unlinked}, {"rep": VERASAFE}))
    assert (change.level, change.rule) == ("minor", "text.contact-named-organisation"), str(change)


def test_a_contact_on_the_domain_of_an_organisation_never_named_is_significant(tmp_path: Path) -> None:
    unlinked = VERASAFE.replace("[form](https://verasafe.com/public-resources/contact-data-protection-representative)",
                                "form")
    other = unlinked.replace("this form", "this [form](https://eu-rep.example-agent.org/request)")
    change = _only(_diff(tmp_path, {"rep": unlinked}, {"rep": other}))
    assert (change.level, change.rule) == ("significant", "text.contact-new-organisation"), str(change)


def test_a_link_moved_to_another_domain_of_the_same_name_is_minor(tmp_path: Path) -> None:
    moved = TWITCH_CHOICES.replace("https://www.twitch.tv/p/legal/privacy-choices/",
                                   "https://legal.twitch.com/legal/privacy-choices/")
    change = _only(_diff(tmp_path, {"choices": TWITCH_CHOICES}, {"choices": moved}))
    assert (change.level, change.rule) == ("minor", "text.contact-same-organisation"), str(change)


def test_a_channel_still_given_elsewhere_in_the_policy_is_not_removed(tmp_path: Path) -> None:
    rep = "Twitch Sweden AB can be reached at [privacy@twitch.tv](mailto:privacy@twitch.tv) with questions."
    changes = _diff(tmp_path, {"contact": TWITCH_CONTACT, "rep": rep}, {"contact": TWITCH_CONTACT})
    assert all(c.rule != "text.contact-removed" for c in changes), [str(c) for c in changes]
    post = "Write to us by post."
    gone = _diff(tmp_path / "alone", {"contact": post, "rep": rep}, {"contact": post})
    assert any(c.rule == "text.contact-removed" for c in gone), [str(c) for c in gone]


# -- what states nothing ---------------------------------------------------------------------------
def test_a_navigation_line_of_links_is_minor_and_its_address_is_not_read_as_prose(tmp_path: Path) -> None:
    change = _only(_diff(tmp_path, {"nav": "[Prior versions](https://www.quora.com/about/privacy_archive)"},
                         {"nav": "[Acceptable Use](https://www.quora.com/about/acceptable_use)"}))
    assert (change.level, change.rule) == ("minor", "text.navigation"), str(change)


def test_a_link_whose_words_say_what_is_done_with_data_is_not_navigation(tmp_path: Path) -> None:
    changes = _diff(tmp_path, {"nav": "[Prior versions](https://www.quora.com/about/privacy_archive)"},
                    {"nav": "[Prior versions](https://www.quora.com/about/privacy_archive)",
                     "sell": "[We sell your personal information](https://www.quora.com/about/ccpa)"})
    assert any(c.level in ("significant", "review") for c in changes), [str(c) for c in changes]
    assert all(c.rule != "text.navigation" for c in changes), [str(c) for c in changes]


def test_a_bare_web_address_survives_normalising_twice() -> None:
    text = "[Prior versions](https://www.quora.com/about/privacy_archive)"
    assert plain(plain(text)) == plain(text) == "Prior versions https://www.quora.com/about/privacy_archive"


def test_the_date_the_policy_takes_effect_is_no_date_that_binds(tmp_path: Path) -> None:
    effect = ("*This Policy takes effect on 14 August 2025 for new users. It takes effect for existing users "
              "on 15 September 2025.*")
    changes = _diff(tmp_path, {"effect": effect, "transfer": BLUESKY_TRANSFER}, {"transfer": BLUESKY_TRANSFER})
    assert all(c.level != "significant" for c in changes), [str(c) for c in changes]
    # A date on which data is handled is still read as one.
    kept = _diff(tmp_path / "kept", {"transfer": BLUESKY_TRANSFER},
                 {"transfer": BLUESKY_TRANSFER + " From 14 August 2025 we also transfer it to Brazil."})
    assert any(c.level == "significant" for c in kept), [str(c) for c in kept]


# -- restructuring ---------------------------------------------------------------------------------
def test_a_duplicated_paragraph_removed_while_its_twin_stays_is_not_a_promise_lost(tmp_path: Path) -> None:
    changes = _diff(tmp_path, {"transfer": BLUESKY_TRANSFER, "transfer-2": BLUESKY_TRANSFER},
                    {"transfer": BLUESKY_TRANSFER})
    assert all(c.level not in ("significant", "review") for c in changes), [str(c) for c in changes]
    lost = _diff(tmp_path / "lost", {"transfer": BLUESKY_TRANSFER, "other": "We keep logs."},
                 {"other": "We keep logs."})
    assert any(c.level == "significant" for c in lost), [str(c) for c in lost]


def test_a_name_that_begins_with_the_publishers_own_names_no_new_party(tmp_path: Path) -> None:
    portal = TWITCH_CONTACT.replace("[here](https://help.twitch.tv/s/contactsupport)",
                                    "[visit the Twitch Support Portal](https://help.twitch.tv/s/contactsupport)")
    changes = _diff(tmp_path, {"contact": TWITCH_CONTACT}, {"contact": portal})
    assert all("Portal" not in c.reason and "Support" not in c.reason for c in changes), [str(c) for c in changes]
    other = TWITCH_CONTACT.replace("[here](https://help.twitch.tv/s/contactsupport)",
                                   "through Zendesk Support, who receives your personal data, "
                                   "[here](https://help.twitch.tv/s/contactsupport)")
    named = _diff(tmp_path / "other", {"contact": TWITCH_CONTACT}, {"contact": other})
    assert any(c.rule == "text.named-party" and c.level == "significant" for c in named), [str(c) for c in named]


TUMBLR_ACCESS_OLD = ("- **Access:** Some US states give you the right to request a copy of certain information we hold "
                     "about you, as well as a summary of the categories of personal information we have collected "
                     "or disclosed about you in the last twelve months.")
TUMBLR_ACCESS_NEW = ("- **Access:** Depending on your state’s relevant laws, you may have the right to request a copy "
                     "of some or all of the following: a copy of the information we hold about you, the categories of "
                     "personal information we have collected or disclosed about you in the last twelve months.")


def test_the_first_word_after_a_bold_label_is_a_sentence_start_not_a_name(tmp_path: Path) -> None:
    changes = _diff(tmp_path, {"access": TUMBLR_ACCESS_OLD}, {"access": TUMBLR_ACCESS_NEW})
    assert all("Depending" not in c.reason for c in changes), [str(c) for c in changes]
    assert all(c.rule != "text.named-party" for c in changes), [str(c) for c in changes]
    # The same words after a bold label that does not end a clause: "Depending" is not the clause's first word.
    headed = _diff(tmp_path / "headed", {"access": "### Access\n\nWe disclose information to our processors."},
                   {"access": "### Access\nDepending on your state, we disclose information to our processors."})
    assert all("Depending" not in c.reason for c in headed), [str(c) for c in headed]


def test_a_new_organisation_named_after_a_bold_label_is_still_a_new_party(tmp_path: Path) -> None:
    for i, (before, after) in enumerate((
            ("- **Advertising:** We use processors to show ads.",
             "- **Advertising:** We use Criteo processors to show ads."),
            ("**Advertising**: Depending on your choices, we use processors to show ads.",
             "**Advertising**: Depending on your choices, we use Criteo processors to show ads."),
            (TUMBLR_ACCESS_NEW + " We use processors for it.",
             TUMBLR_ACCESS_NEW + " We use Criteo processors for it."))):
        named = _diff(tmp_path / str(i), {"ads": before}, {"ads": after})
        assert [(c.level, c.rule) for c in named] == [("significant", "text.named-party")], [str(c) for c in named]
        assert "Criteo" in named[0].reason and "Depending" not in named[0].reason, str(named[0])


def test_digits_inside_a_web_address_are_no_phone_number(tmp_path: Path) -> None:
    before = ("You may also provide us with financial details to set up a payments integration (like "
              "[Post+](https://help.tumblr.com/hc/articles/4402757539607-Post-Overview-FAQ) or "
              "[Tipping](https://help.tumblr.com/hc/articles/4417356885527-Tipping)).")
    after = before.replace("[Post+](https://help.tumblr.com/hc/articles/4402757539607-Post-Overview-FAQ) or ", "")
    changes = _diff(tmp_path, {"pay": before}, {"pay": after})
    assert all("phone" not in c.reason for c in changes), [str(c) for c in changes]
    called = _diff(tmp_path / "called", {"pay": before + " Call us on +44 20 7946 0958."}, {"pay": before})
    assert any("phone" in c.reason and c.level == "significant" for c in called), [str(c) for c in called]


def test_a_capture_cut_short_is_review_and_one_closing_paragraph_deleted_is_judged(tmp_path: Path) -> None:
    blocks = {"transfer": BLUESKY_TRANSFER, "contact": TWITCH_CONTACT, "rights": QUORA_FORM, "rep": VERASAFE}
    cut = _diff(tmp_path, blocks, {"transfer": BLUESKY_TRANSFER})
    assert {(c.level, c.rule) for c in cut} == {("review", "text.cut-short")}, [str(c) for c in cut]
    one = _diff(tmp_path / "one", {"rights": QUORA_FORM, "transfer": BLUESKY_TRANSFER}, {"rights": QUORA_FORM})
    assert [(c.level, c.rule) for c in one] == [("significant", "text.promise-removed")], [str(c) for c in one]


# -- renumbering, re-nesting, splitting (compare.moves.relaid) -------------------------------------
# Bluesky's notice, 22 May and 7 August 2024: the section numbers and letters are dropped, the lettered
# headings become nested list items and each heading joins the paragraph under it; every word stays.
BLUESKY_HEADING = "### **D. With Your Consent**"
BLUESKY_CONSENT = ("We may use personal information for other purposes that are clearly disclosed to you at the "
                   "time you provide personal information or with your consent.")
BLUESKY_OTHER = ("### **E. Other Purposes**\n\nWe also use your personal information for other purposes as "
                 "requested by you or as permitted by applicable law.")


def _relaid(consent: str) -> dict[str, str]:
    return {"with-your-consent": f"4. **With Your Consent**\n\n    {consent}",
            "other-purposes": BLUESKY_OTHER.replace("### **E. ", "5. **")}


def test_headings_renumbered_and_joined_to_their_paragraphs_are_editorial(tmp_path: Path) -> None:
    before = {"heading": BLUESKY_HEADING, "consent": BLUESKY_CONSENT, "other": BLUESKY_OTHER}
    changes = _diff(tmp_path, before, _relaid(BLUESKY_CONSENT))
    assert changes and {(c.level, c.rule) for c in changes} == {("editorial", "text.relaid")}, \
        [str(c) for c in changes]


def test_a_word_changed_while_the_headings_are_renumbered_is_still_judged(tmp_path: Path) -> None:
    before = {"heading": BLUESKY_HEADING, "consent": BLUESKY_CONSENT, "other": BLUESKY_OTHER}
    without = BLUESKY_CONSENT.replace("or with your consent", "or without your consent")
    changes = _diff(tmp_path, before, _relaid(without))
    judged = [c for c in changes if c.rule != "text.relaid"]
    assert any(c.level in ("significant", "review") for c in judged), [str(c) for c in changes]
    # The paragraph that kept its words is still only laid out anew.
    assert any(c.rule == "text.relaid" and "other" in c.path for c in changes), [str(c) for c in changes]


def test_a_paragraph_moved_under_another_heading_is_not_a_renumbering(tmp_path: Path) -> None:
    before = {"heading": BLUESKY_HEADING, "consent": BLUESKY_CONSENT, "other": BLUESKY_OTHER}
    swapped = {"heading": BLUESKY_HEADING, "other": BLUESKY_OTHER.replace(
        "We also use your personal information", BLUESKY_CONSENT + "\n\nWe also use your personal information")}
    changes = _diff(tmp_path, before, swapped)
    assert all(c.rule != "text.relaid" for c in changes if "other" in c.path), [str(c) for c in changes]


def test_a_changed_link_target_is_no_renumbering(tmp_path: Path) -> None:
    moved = QUORA_FORM.replace("https://help.quora.com/hc/en-us/requests/new", "https://forms.acme-desk.net/quora")
    changes = _diff(tmp_path, {"rights": "1. " + QUORA_FORM}, {"rights": moved})
    assert [(c.level, c.rule) for c in changes] == [("review", "text.link-target-moved")], [str(c) for c in changes]


# -- a sentence that only informed -----------------------------------------------------------------
REDDIT_BANNER = ("We have updated our Privacy Policy. Please take a look before the changes go into effect on "
                 "June 28, 2025.")
REDDIT_COLLECT = "We collect information you provide to us directly when you use the Services."


def test_the_update_banner_removed_once_the_policy_is_in_force_is_not_review(tmp_path: Path) -> None:
    changes = _diff(tmp_path, {"banner": REDDIT_BANNER, "collect": REDDIT_COLLECT}, {"collect": REDDIT_COLLECT})
    assert [(c.level, c.rule) for c in changes] == [("minor", "text.informational-removed")], \
        [str(c) for c in changes]


def test_a_removed_sentence_that_promised_or_stated_processing_is_still_judged(tmp_path: Path) -> None:
    promise = "We have updated our Privacy Policy: we will ask for your consent before we use your data for ads."
    changes = _diff(tmp_path, {"banner": promise, "collect": REDDIT_COLLECT}, {"collect": REDDIT_COLLECT})
    assert any(c.level == "significant" for c in changes), [str(c) for c in changes]
    told = "We have updated our Privacy Policy. Your posts are shown to advertisers."
    kept = _diff(tmp_path / "told", {"banner": told, "collect": REDDIT_COLLECT}, {"collect": REDDIT_COLLECT})
    assert all(c.rule != "text.informational-removed" for c in kept), [str(c) for c in kept]


# -- who a modal verb binds, and what is a phone number ----------------------------------------------
TELEGRAM_GDPR = "If you live in the EU and would like to submit a GDPR-related request, please see here."
REDDIT_EEA = "Users in the European Economic Area or Switzerland may contact us at:"


def test_a_wish_of_the_reader_is_no_obligation_of_ours(tmp_path: Path) -> None:
    changes = _diff(tmp_path, {"contact": TWITCH_CONTACT}, {"contact": TWITCH_CONTACT, "gdpr": TELEGRAM_GDPR})
    assert all(c.rule != "text.new-obligation" and c.level != "significant" for c in changes), \
        [str(c) for c in changes]
    ours = "If you live in the EU, we would share your request with our representative."
    judged = _diff(tmp_path / "ours", {"contact": TWITCH_CONTACT}, {"contact": TWITCH_CONTACT, "gdpr": ours})
    assert any(c.level in ("significant", "review") for c in judged), [str(c) for c in judged]


def test_a_permission_given_to_users_named_with_a_phrase_is_theirs(tmp_path: Path) -> None:
    changes = _diff(tmp_path, {"contact": TWITCH_CONTACT}, {"contact": TWITCH_CONTACT, "eea": REDDIT_EEA})
    assert all(c.rule != "text.new-obligation" and c.level != "significant" for c in changes), \
        [str(c) for c in changes]
    partners = "Partners in the European Economic Area or Switzerland may receive your personal data."
    judged = _diff(tmp_path / "partners", {"contact": TWITCH_CONTACT}, {"contact": TWITCH_CONTACT, "eea": partners})
    assert any(c.level in ("significant", "review") for c in judged), [str(c) for c in judged]


TWITCH_SWEDEN = ("Please contact Twitch Sweden AB with any questions (including questions about your rights) or "
                 "comments about this Privacy Notice at Twitch Sweden AB, Polstjärnegatan 14 417 56 Gothenburg, "
                 "Sweden or by email to privacy@twitch.tv.")


def test_a_house_number_and_a_postcode_are_no_phone_number(tmp_path: Path) -> None:
    changes = _diff(tmp_path, {"contact": TWITCH_CONTACT, "rep": TWITCH_SWEDEN}, {"contact": TWITCH_CONTACT})
    assert all("phone" not in c.reason for c in changes), [str(c) for c in changes]
    called = TWITCH_SWEDEN.replace("Sweden or by email", "Sweden, by phone on +46 31 417 56 00 or by email")
    gone = _diff(tmp_path / "called", {"contact": TWITCH_CONTACT, "rep": called}, {"contact": TWITCH_CONTACT})
    assert any("phone" in c.reason and c.level == "significant" for c in gone), [str(c) for c in gone]


TWITCH_DPO = "Our Data Protection Officer (DPO) can also be contacted at [privacy@twitch.tv](mailto:privacy@twitch.tv)."


def test_someone_the_reader_can_contact_is_a_means_not_an_obligation(tmp_path: Path) -> None:
    changes = _diff(tmp_path, {"contact": TWITCH_CONTACT}, {"contact": TWITCH_CONTACT + " " + TWITCH_DPO})
    assert all(c.level not in ("significant", "review") for c in changes), [str(c) for c in changes]
    shared = TWITCH_DPO.replace("can also be contacted at", "can also receive your personal data at")
    judged = _diff(tmp_path / "shared", {"contact": TWITCH_CONTACT}, {"contact": TWITCH_CONTACT + " " + shared})
    assert any(c.level in ("significant", "review") for c in judged), [str(c) for c in judged]


def test_what_the_reader_is_asked_to_do_is_the_readers_act(tmp_path: Path) -> None:
    portal = TWITCH_CONTACT.replace(
        "[here](https://help.twitch.tv/s/contactsupport)",
        "visit the [Twitch Support Portal](https://help.twitch.tv/s/contactsupport)").replace(
        "or by email to", "or send an email to")
    changes = _diff(tmp_path, {"contact": TWITCH_CONTACT}, {"contact": portal})
    # (whether the rewording keeps every statement is left to a person: the sentence's statements do not
    # pair up yet; what must not happen is reading the reader's e-mail as a transfer of ours)
    assert all(c.level != "significant" and c.rule != "text.processing-now-done" for c in changes), \
        [str(c) for c in changes]
    # The same words, but the company sends: still judged.
    ours = portal.replace("or send an email to", "or we send your questions by email to")
    judged = _diff(tmp_path / "ours", {"contact": TWITCH_CONTACT}, {"contact": ours})
    assert any(c.level in ("significant", "review") for c in judged), [str(c) for c in judged]


# -- whom a contact reaches, what a verification is for --------------------------------------------
BLUESKY_DPO = ("If you have any specific question about how Bluesky complies with GDPR requirements or uses your "
               "personal data, you can contact our Data Protection Officer at Ametros Group Ltd, Lakeside Offices, "
               "Thorn Business Park, Rotherwas Industrial Estate, Hereford, Herefordshire, HR2 6JT, "
               "[dpo@ametrosgroup.com](mailto:dpo@ametrosgroup.com).")


def test_a_data_protection_officer_at_another_firm_is_a_contact_not_a_new_controller(tmp_path: Path) -> None:
    changes = _diff(tmp_path, {"transfer": BLUESKY_TRANSFER}, {"transfer": BLUESKY_TRANSFER, "dpo": BLUESKY_DPO})
    assert [(c.level, c.rule) for c in changes] == [("minor", "text.contact-role")], [str(c) for c in changes]
    # The same firm and address, but as someone who handles the requests: another organisation may act.
    handled = BLUESKY_DPO.replace("you can contact our Data Protection Officer at", "Ametros Group Ltd will handle "
                                  "your request; write to")
    judged = _diff(tmp_path / "handled", {"transfer": BLUESKY_TRANSFER},
                   {"transfer": BLUESKY_TRANSFER, "dpo": handled})
    assert any(c.level in ("significant", "review") for c in judged), [str(c) for c in judged]


REDDIT_PRO = ("If you sign up for Reddit Pro, on behalf of yourself, your business or organization, we collect some "
              "additional information from you, including your profile type, name, industry category, website, and "
              "organization size, if applicable.")


def test_an_identity_check_for_a_feature_is_no_hurdle_to_a_right(tmp_path: Path) -> None:
    checked = REDDIT_PRO + (" If you request certain limited Reddit Pro features, we may request additional "
                            "documentation to verify your identity.")
    changes = _diff(tmp_path, {"pro": REDDIT_PRO}, {"pro": checked})
    assert all(c.rule != "text.rights-exercise" for c in changes), [str(c) for c in changes]
    rights = REDDIT_PRO + (" If you request access to your information, we may request additional documentation "
                           "to verify your identity.")
    judged = _diff(tmp_path / "rights", {"pro": REDDIT_PRO}, {"pro": rights})
    assert any(c.rule == "text.rights-exercise" and c.level == "significant" for c in judged), \
        [str(c) for c in judged]


# -- a capture in another language -----------------------------------------------------------------
TELEGRAM = Path(__file__).resolve().parents[1] / "corpus" / "pga-privacy" / "telegram"


def _imported(folder: Path, name: str, text: str | None = None):  # type: ignore[no-untyped-def]
    from policykit import importing
    from policykit.load.project import load_policy

    data = (TELEGRAM / name).read_bytes() if text is None else text.encode()
    importing.import_file(data, name, folder, controller="Telegram Messenger Inc.")
    return load_policy(folder)


def test_a_policy_whose_text_switched_language_is_left_to_a_person_never_passed(tmp_path: Path) -> None:
    from policykit.compare.classify import classify
    from policykit.compare.diff import diff_policies

    english = _imported(tmp_path / "en", "2023-05-31-46634bd0.md")
    german = _imported(tmp_path / "de", "2023-10-19-4cb557d9.md")
    changes = classify(diff_policies(english, german), before=english, after=german)
    text = [c for c in changes if c.target in ("section", "block") and c.kind != "moved"]
    assert text and {(c.level, c.rule) for c in text} == {("review", "text.language-switched")}, \
        sorted({(c.level, c.rule) for c in text})
    assert "en → de" in text[0].reason


def test_a_german_sentence_added_to_an_english_policy_is_no_switch_and_is_judged(tmp_path: Path) -> None:
    from policykit.compare.classify import classify
    from policykit.compare.diff import diff_policies

    source = (TELEGRAM / "2023-05-31-46634bd0.md").read_text("utf-8")
    english = _imported(tmp_path / "en", "a.md", source)
    sold = _imported(tmp_path / "sold", "b.md", source.replace(
        "We don't use your data to show you ads.",
        "We don't use your data to show you ads. Wir verkaufen deine Daten an Werbepartner."))
    changes = classify(diff_policies(english, sold), before=english, after=sold)
    assert changes and all(c.rule != "text.language-switched" for c in changes), [str(c) for c in changes]
    assert [(c.level, c.rule) for c in changes] == [("review", "text.foreign-sentence")], [str(c) for c in changes]


TUMBLR_REPORT = ("If you are a registered user, you can download a personal data report by submitting a request in the "
                 "Privacy section of your Settings. You need to be signed in to your Tumblr account to submit this "
                 "request, and you will have to log in to your account to access the summary or the report.")


def test_what_the_user_must_do_to_see_a_report_is_the_users_act(tmp_path: Path) -> None:
    changes = _diff(tmp_path, {"transfer": BLUESKY_TRANSFER}, {"transfer": BLUESKY_TRANSFER, "report": TUMBLR_REPORT})
    assert all(c.rule != "text.processing-now-done" for c in changes), [str(c) for c in changes]
    ours = TUMBLR_REPORT.replace("and you will have to log in to your account to access the summary",
                                 "and our staff will then log in to your account to access the summary")
    judged = _diff(tmp_path / "ours", {"transfer": BLUESKY_TRANSFER}, {"transfer": BLUESKY_TRANSFER, "report": ours})
    assert any(c.level in ("significant", "review") for c in judged), [str(c) for c in judged]


TUMBLR_SCOPE = ("This includes third parties you provide with information about yourself as part of enabling or using "
                "a Tumblr feature, for example, information you provide to Stripe when interacting with the Post+ or "
                "Tipping Feature within Tumblr.")


def test_a_party_the_reader_gives_data_to_is_named_not_a_recipient_of_ours(tmp_path: Path) -> None:
    meet = TUMBLR_SCOPE.replace("within Tumblr.", "within Tumblr, or information you provide to "
                                "[The Meet Group](https://www.themeetgroup.com/) as part of Tumblr Live.")
    changes = _diff(tmp_path, {"scope": TUMBLR_SCOPE}, {"scope": meet})
    assert all(c.level != "significant" for c in changes), [str(c) for c in changes]
    ours = meet.replace("or information you provide to [The Meet Group]",
                        "or information we provide to [The Meet Group]")
    judged = _diff(tmp_path / "ours", {"scope": TUMBLR_SCOPE}, {"scope": ours})
    assert any(c.level in ("significant", "review") for c in judged), [str(c) for c in judged]
