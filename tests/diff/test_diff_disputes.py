"""The classes of error a legal reviewer found in the classification of the 2026 revision, each on a real
before/after pair (sentences of the 2018 text and of its 2026 revision) committed in a temp git repository."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from policykit.compare.diff import Change

from ..conftest import GitRepo
from .diffkit import Project, base, block, committed_diff, item

Edit = Callable[[Project], None]


def _diff(tmp_path: Path, edit: Edit, start: Edit | None = None) -> list[Change]:
    (tmp_path / "repo").mkdir()
    project = base()
    if start:
        start(project)
    return committed_diff(GitRepo(tmp_path / "repo"), edit, start=project)


def _text(sid: str, bid: str, text: str) -> Edit:
    return lambda p: block(p, sid, bid).update(text=text)


def _append(sid: str, bid: str, text: str) -> Edit:
    return lambda p: block(p, sid, bid).update(text=block(p, sid, bid)["text"] + " " + text)


def _new_block(sid: str, bid: str, text: str) -> Edit:
    return lambda p: p[sid]["blocks"].append({"id": bid, "text": text})


def _one(changes: list[Change], path: str) -> Change:
    found = [c for c in changes if c.path == path]
    assert len(found) == 1, [str(c) for c in changes]
    return found[0]


def _all(*edits: Edit) -> Edit:
    def edit(p: Project) -> None:
        for e in edits:
            e(p)
    return edit


# (name, start edit or None, edit, path, level, rule)
CASES: list[tuple[str, Edit | None, Edit, str, str, str]] = [
    # A. A new negated statement is protective.
    ("A: we do not sell or share", None,
     _new_block("sharing", "no-sale", "We do not sell your personal information, and we do not share it for "
                "cross-context behavioural advertising. We do not knowingly sell or share the personal "
                "information of consumers under 16 years of age."),
     "sharing.no-sale", "minor", "text.negated-statement"),
    ("A: no decisions based solely on automated processing", None,
     _new_block("collection", "automated", "We do not make decisions about you based solely on automated "
                "processing, including profiling, that have legal effects on you."),
     "collection.automated", "minor", "text.negated-statement"),
    # B. "train" is AI training only next to a model or machine learning.
    ("B: train our employees", None,
     _append("sharing", "recipients", "We also train our employees in security and personal information protection."),
     "sharing.recipients", "minor", "text.action-narrower"),
    ("B: train models", None,
     _append("sharing", "recipients", "We also train machine learning models on your messages."),
     "sharing.recipients", "significant", "text.processing"),
    # C. A possessive of a known name, and a browser in a list of browsers, are no new parties.
    ("C: Example's partners", _text("sharing", "recipients", "We use processors to run the service. "
                                    "Our websites may show content by third parties other than Example."),
     _text("sharing", "recipients", "We use processors to run the service. Our websites may show content from "
           "third parties other than Example and Example's partners."),
     "sharing.recipients", "minor", "text.informational-wording"),
    ("C: a browser in a list",
     _append("sharing", "recipients", "See your browser's help:\n\n- Google Chrome\n- Safari"),
     _append("sharing", "recipients", "\n- Microsoft Edge"),
     "sharing.recipients", "minor", "text.named-party-mention"),
    ("C: a new name that receives data", None,
     _append("sharing", "recipients", "Your orders are delivered by Acme, which receives your name and address."),
     "sharing.recipients", "significant", "text.named-party"),
    # D. A country as the seat of a regulator is not a transfer.
    ("D: the authority in Japan", None,
     _append("sharing", "recipients", "In Japan, the supervisory authority is the Personal Information Protection "
             "Commission."),
     "sharing.recipients", "minor", "text.country-mention"),
    ("D: stored in Brazil", None,
     _append("sharing", "recipients", "Our provider stores your personal information in Brazil."),
     "sharing.recipients", "significant", "text.country"),
    # F. An open list where the old text was already open.
    ("F: for example where it said such as",
     _text("collection", "intro", "How this information is acquired depends on the method of interacting with "
           "Example, such as websites accessed by customers and products used by customers."),
     _text("collection", "intro", "What we collect depends on how you interact with Example, for example which "
           "websites you visit and which products you use."),
     "collection.intro", "minor", "!text.open-list"),
    # G. Another address on the domain already used, and an EU representative's contact.
    ("G: a DPO address on the same domain", None,
     _new_block("collection", "dpo", "To contact our Data Protection Officer directly, write to "
                "[dpo-jp@example.com](mailto:dpo-jp@example.com)."),
     "collection.dpo", "minor", "text.contact-added"),
    ("G: an EU representative", None,
     _new_block("collection", "eu-representative", "Example has appointed a representative in the European Union "
                "under Article 27 of the GDPR. People in the European Union can contact our EU representative "
                "about any matter concerning the processing of their personal information at "
                "[eu-representative@example.com](mailto:eu-representative@example.com)."),
     "collection.eu-representative", "minor", "!text.country"),
    ("G: a request address at another organisation", None,
     _new_block("collection", "vendor", "You can also send requests to "
                "[privacy@request-vendor.com](mailto:privacy@request-vendor.com)."),
     "collection.vendor", "significant", "text.contact-new-organisation"),
    # H. Stronger protections.
    ("H: will try to delete → delete as soon as possible",
     _append("collection", "children", "The Company will try to delete the information as soon as the parents "
             "have accidentally obtained the personal information of a minor without prior consent."),
     _text("collection", "children", "Children under 16 may not use the service. If we learn that we have "
           "collected a minor's personal information without the prior consent of a parent, we delete it as "
           "soon as possible."),
     "collection.children", "minor", "text.narrower"),
    ("H: a notice period now promised",
     _append("sharing", "recipients", "If there is a significant change in the privacy policy, we may notify "
             "customers through various ways, such as posting notifications on our website."),
     _text("sharing", "recipients", "We use processors to run the service. If we make a significant change, such "
           "as sharing personal information with new kinds of recipients, we notify you at least 30 days before "
           "the change takes effect, and ask for your consent where the law requires it."),
     "sharing.recipients", "minor", "text.narrower"),
    ("H: a right to object explained", None,
     _new_block("collection", "object", "Where we process your personal information on the basis of our "
                "legitimate interests, you have the right to object at any time. We then stop, unless we have "
                "compelling legitimate grounds for the processing."),
     "collection.object", "minor", "text.legal-basis-right"),
    # J. Right level, right reason.
    ("J: verification and response time", None,
     _new_block("collection", "how-to-request", "To protect your personal information, we verify your identity "
                "before we act on a request. If a request is complex, we may extend this by up to two months."),
     "collection.how-to-request", "significant", "text.rights-exercise"),
    ("J: joint use within the group", None,
     _new_block("sharing", "joint-use", "We use personal information jointly with the other companies of the "
                "Example group, as allowed by Article 27(5)(iii) of Japan's Act on the Protection of Personal "
                "Information."),
     "sharing.joint-use", "significant", "text.joint-use"),
    ("J: the objection right stated with a limit", None,
     lambda p: p["collection"]["facts"]["rights"].append(
         {"id": "objection", "label": "Object to the use of your personal information", "right": "objection"}),
     "facts.rights.objection", "minor", "right.added"),
]


# Cases the lawyer calls minor that the classifier cannot yet prove minor: it leaves them to a person
# (review), the safe side of the fail-safe judgement (issue #14). The label stays the lawyer's; the test
# pins what the tool does today, so that a change is seen, and benchmarks/bench_classify.py counts such
# cases against the 15 % review budget. Why each is hard:
KNOWN_REVIEW = {
    # "content from third parties other than Example and Example's partners": "content" may be people's data
    "C: Example's partners",
    # "will try to delete … as soon as the parents …" → "If we learn …, we delete it as soon as possible": the
    # deletion is now stated under an "if"; a condition on a protection may restrict it (a person decides)
    "H: will try to delete → delete as soon as possible",
    # "we may notify customers" → "If we make a significant change …, we notify you at least 30 days before":
    # the same kind of condition on the promise to notify
    "H: a notice period now promised",
}


@pytest.mark.parametrize(("name", "start", "edit", "path", "level", "rule"), CASES, ids=[c[0] for c in CASES])
def test_each_disputed_class_is_classified_as_a_lawyer_would(
        name: str, start: Edit | None, edit: Edit, path: str, level: str, rule: str, tmp_path: Path) -> None:
    c = _one(_diff(tmp_path, edit, start), path)
    if name in KNOWN_REVIEW:
        assert level != "significant" and (c.level, c.rule) == ("review", "text.unexplained"), str(c)
    elif rule.startswith("!"):  # the level, and not the rule the reviewer disputed
        assert c.level == level and c.rule != rule[1:], str(c)
    else:
        assert (c.level, c.rule) == (level, rule), str(c)


def test_e_a_sentence_moved_to_another_block_and_edited_is_a_move_not_a_lost_promise(tmp_path: Path) -> None:
    start = _all(_text("sharing", "recipients", "We use processors to run the service. Various legal mechanisms "
                       "may be used, such as obtaining consent for the transfer of data abroad, and implementing "
                       "security measures such as anonymization of personal information before the transfer of "
                       "data outside the country."),
                 _new_block("sharing", "safeguards", "Transfers rely on the standard contractual clauses."))
    edit = _all(_text("sharing", "recipients", "We use processors to run the service."),
                _append("sharing", "safeguards", "Where possible, we anonymise personal information before it "
                        "leaves the country in which it was collected."))
    changes = _diff(tmp_path, edit, start)
    left = _one(changes, "sharing.recipients")
    assert (left.level, left.rule) == ("editorial", "text.moved"), str(left)
    # The block it arrived in judges the edit against the old sentence: the anonymisation promise is kept
    # (no "less anonymous"); what the old sentence said and the new one does not is read there.
    arrived = _one(changes, "sharing.safeguards")
    assert arrived.rule != "text.anonymity" and "anonymi" not in arrived.reason, str(arrived)


def test_e_a_near_identical_sentence_moved_between_blocks_is_editorial(tmp_path: Path) -> None:
    edit = _all(_text("collection", "intro", "We will not share your data with anyone."),
                _append("collection", "children", "We keep our logs for 30 days."))
    changes = _diff(tmp_path, edit)
    assert {c.level for c in changes} == {"editorial"}, [str(c) for c in changes]


def _fact_case(tmp_path: Path, edit: Edit) -> list[Change]:
    return _diff(tmp_path, edit)


@pytest.mark.parametrize(("edit", "path", "level", "rule", "consent"), [
    # I. A processor needs notice, not consent; an adequacy transfer too; anonymised data is not personal data.
    (lambda p: p["sharing"]["facts"]["recipients"].append(
        {"id": "cloud", "label": "Our cloud hosting provider in Germany", "type": "processor", "countries": ["DE"]}),
     "facts.recipients.cloud", "significant", "recipient.added-processor", False),
    (lambda p: item(p, "sharing", "transfers", "eu").update(countries=["DE", "JP"]),
     "facts.transfers.eu.countries", "significant", "transfer.new-country-safeguarded", False),
    (lambda p: p["sharing"]["facts"]["transfers"].append(
        {"id": "anon", "label": "Anonymisation before data leaves the country", "mechanism": "anonymisation",
         "countries": ["CN"]}),
     "facts.transfers.anon", "minor", "transfer.added-anonymised", False),
    (lambda p: p["sharing"]["facts"]["transfers"].append(
        {"id": "cn", "label": "From Japan to China, with your consent", "mechanism": "consent",
         "countries": ["CN"]}),
     "facts.transfers.cn", "significant", "transfer.added", True),
    # K. A fixed period where there were criteria: minor unless longer than two years; a cap on deletion.
    (lambda p: p["collection"]["facts"]["retention"].append(
        {"id": "usage", "label": "Usage records: 13 months", "basis": "fixed", "period": "P13M"}),
     "facts.retention.usage", "minor", "retention.added", False),
    (lambda p: p["collection"]["facts"]["retention"].append(
        {"id": "support", "label": "Support messages: 3 years", "basis": "fixed", "period": "P3Y"}),
     "facts.retention.support", "significant", "retention.added-long", False),
])
def test_i_k_structured_facts_get_the_right_level_reason_and_consent(
        edit: Edit, path: str, level: str, rule: str, consent: bool, tmp_path: Path) -> None:
    c = _one(_fact_case(tmp_path, edit), path)
    assert (c.level, c.rule, c.consent) == (level, rule, consent), str(c)


def test_k_a_deletion_deadline_where_none_was_stated_is_a_cap(tmp_path: Path) -> None:
    def start(p: Project) -> None:
        p["collection"]["facts"]["retention"].append(
            {"id": "account", "label": "Account data, deleted after you delete the account",
             "basis": "account-lifetime"})

    def edit(p: Project) -> None:
        it: dict[str, Any] = item(p, "collection", "retention", "account")
        it.update(period="P30D")

    c = _one(_diff(tmp_path, edit, start), "facts.retention.account.period")
    assert (c.level, c.rule) == ("minor", "retention.cap-added"), str(c)
    assert "maximum" in c.reason


def test_j_a_right_label_that_gains_a_limit_is_significant_for_that_reason(tmp_path: Path) -> None:
    def start(p: Project) -> None:
        p["collection"]["facts"]["rights"].append(
            {"id": "objection", "label": "Claim against (object to) the use of your personal information",
             "right": "objection"})

    def edit(p: Project) -> None:
        item(p, "collection", "rights", "objection")["label"] = (
            "Object to our use of your personal information based on our legitimate interests")

    c = _one(_diff(tmp_path, edit, start), "facts.rights.objection.label")
    assert (c.level, c.rule) == ("significant", "text.right-limited"), str(c)
