"""Every shipped rule fires on a real before/after pair committed in a temp git repository."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from policykit.compare.classify import shipped_rules

from ..conftest import GitRepo
from .diffkit import Project, block, committed_diff, item

Edit = Callable[[Project], None]


def _set(sid: str, kind: str, fid: str, /, **attrs: Any) -> Edit:
    def edit(p: Project) -> None:
        it = item(p, sid, kind, fid)
        for k, v in attrs.items():
            if v is None:
                it.pop(k, None)
            else:
                it[k] = v
    return edit


def _add(sid: str, kind: str, /, **fields: Any) -> Edit:
    return lambda p: p[sid]["facts"].setdefault(kind, []).append(fields)


def _remove(sid: str, kind: str, fid: str) -> Edit:
    def edit(p: Project) -> None:
        p[sid]["facts"][kind] = [i for i in p[sid]["facts"][kind] if i["id"] != fid]
    return edit


def _text(sid: str, bid: str, old: str, new: str) -> Edit:
    def edit(p: Project) -> None:
        b = block(p, sid, bid)
        assert old in b["text"], (old, b["text"])
        b["text"] = b["text"].replace(old, new)
    return edit


def _meta(**values: Any) -> Edit:
    def edit(p: Project) -> None:
        for k, v in values.items():
            if k.startswith("controller_"):
                p["policy"]["controller"][k.removeprefix("controller_")] = v
            else:
                p["policy"][k] = v
    return edit


def _all(*edits: Edit) -> Edit:
    def edit(p: Project) -> None:
        for e in edits:
            e(p)
    return edit


def _move_section(p: Project) -> None:
    p["policy"]["sections"].reverse()


def _move_block(p: Project) -> None:
    p["collection"]["blocks"].insert(0, p["collection"]["blocks"].pop(2))


def _add_section(p: Project) -> None:
    p["policy"]["sections"].append("extra")
    p["extra"] = {"id": "extra", "title": "Extra", "blocks": [{"id": "list", "list": "security_measures"}],
                  "facts": {"security_measures": [{"id": "audit", "label": "Audits", "kind": "organisational"}]}}


def _satisfies(p: Project) -> None:
    block(p, "collection", "intro")["satisfies"] = ["gdpr.13.2.a"]


def _states(p: Project) -> None:
    block(p, "collection", "intro")["states"] = ["facts.retention.logs"]


def _remove_list_block(p: Project) -> None:
    p["collection"]["blocks"] = [b for b in p["collection"]["blocks"] if "list" not in b]


def _section_added(p: Project) -> None:
    p["policy"]["sections"].append("extra")
    p["extra"] = {"id": "extra", "title": "Extra", "blocks": [{"id": "empty-table", "list": "tracking"}],
                  "facts": {}}


def _list_block(p: Project) -> None:
    p["sharing"]["blocks"].append({"id": "tracking", "list": "tracking"})


def _fact_reorder(p: Project) -> None:
    p["collection"]["facts"]["data_categories"].reverse()


def _translation_added(p: Project) -> None:
    p["policy"]["locales"] = ["en", "ja"]
    p["ja"] = True  # marker for write_translation


def _intro_split(p: Project) -> None:
    """The intro's second sentence becomes a paragraph of its own, numbered: every word stays in place."""
    blocks = p["collection"]["blocks"]
    at = next(i for i, b in enumerate(blocks) if b["id"] == "intro")
    first, rest = blocks[at]["text"].split(". ", 1)
    blocks[at]["text"] = f"1. {first}."
    blocks.insert(at + 1, {"id": "logs", "text": f"2. {rest}"})


# The same paragraph in English and in German (a capture of the translated page).
EN_PARAGRAPH = ("We do not use your data to show you ads. We store the data that you give us for as long as "
                "you use the service, and we delete it when you ask us to. You can reach our data protection "
                "officer by e-mail, and you can object to the processing of your data at any time.")
DE_PARAGRAPH = ("Wir verwenden deine Daten nicht, um dir Werbung zu zeigen. Wir speichern die Daten, die du uns "
                "gibst, solange du den Dienst nutzt, und wir löschen sie, wenn du uns darum bittest. Du kannst "
                "unseren Datenschutzbeauftragten per E-Mail erreichen, und du kannst der Verarbeitung deiner Daten "
                "jederzeit widersprechen. Die Daten werden nicht mit einer anderen Stelle geteilt.")


def _paragraph(text: str) -> Edit:
    def edit(p: Project) -> None:
        for sid in p["policy"]["sections"]:
            for b in p[sid]["blocks"]:
                if "text" in b:
                    b["text"] = text
    return edit


CASES: dict[str, Edit] = {
    "text.language-switched": _paragraph(DE_PARAGRAPH),
    "text.foreign-sentence": _text("sharing", "recipients", "the service.",
                                   "the service. Wir verkaufen deine Daten an Werbepartner."),
    "text.relaid": _intro_split,
    "text.informational-removed": _text("sharing", "recipients", "the service. Our head office is in Tokyo.",
                                        "the service."),
    "text.contact-role": _text("collection", "contact", "to exercise your rights.",
                               "to exercise your rights, or contact our data protection officer at "
                               "[dpo@privacy-officers.net](mailto:dpo@privacy-officers.net)."),
    "text.same-meaning": _text("collection", "intro", "We keep logs for 30 days.", "For 30 days, we keep logs."),
    "text.only-narrowed": _text("collection", "intro", "your name, address and phone number", "your name and address"),
    "text.example-added": _text("collection", "intro", "We keep logs for 30 days.",
                                "We keep logs (lines of text about page views) for 30 days."),
    "text.protection-added": _text("collection", "intro", "a request by e-mail.",
                                   "a request by e-mail, or by post to the address below."),
    "data-category.special-added": _add("collection", "data_categories", id="face", label="Face scans",
                                        taxonomy="user.biometric", sources=["from-you"]),
    "data-category.added": _add("collection", "data_categories", id="phone", label="Phone number",
                                taxonomy="user.contact.phone_number"),
    "data-category.removed": _remove("collection", "data_categories", "name"),
    "data-category.sensitive-added": _add("collection", "data_categories", id="card", label="Payment card details",
                                          taxonomy="user.financial.credit_card"),
    "data-category.became-special": _set("collection", "data_categories", "name", taxonomy="user.biometric"),
    "data-category.widened": _set("collection", "data_categories", "email", taxonomy="user.contact"),
    "data-category.narrowed": _set("collection", "data_categories", "name", taxonomy="user.name.first"),
    "data-category.new-source": _all(_add("collection", "sources", id="brokers", label="Data brokers",
                                          kind="third-party"),
                                     _set("collection", "data_categories", "email", sources=["from-you", "brokers"])),
    "source.added": _add("collection", "sources", id="brokers", label="Data brokers", kind="third-party"),
    "source.changed": _set("collection", "sources", "from-you", kind="public"),
    "purpose.added": _add("collection", "purposes", id="ads", label="Advertising",
                          taxonomy="marketing.advertising", legal_bases=["consent"]),
    "purpose.removed": _remove("collection", "purposes", "analytics"),
    "purpose.widened": _set("collection", "purposes", "analytics", taxonomy="marketing.advertising"),
    "purpose.narrowed": _set("collection", "purposes", "service", taxonomy="essential.service.security"),
    "purpose.legal-basis-changed": _set("collection", "purposes", "analytics", legal_bases=["contract"]),
    "legal-basis.added": _add("collection", "legal_bases", id="interests", label="Legitimate interests",
                              basis="legitimate-interests"),
    "legal-basis.changed": _set("collection", "legal_bases", "consent", basis="legitimate-interests"),
    "legal-basis.citation": _set("collection", "legal_bases", "contract", article="GDPR Article 6(1)(b)"),
    "recipient.added": _add("sharing", "recipients", id="ad-partners", label="Advertising partners",
                            type="partner"),
    "recipient.added-processor": _add("sharing", "recipients", id="mailer", label="Our e-mail service provider",
                                      type="processor", countries=["JP"]),
    "recipient.new-country-adequate": _set("sharing", "recipients", "hosting", countries=["JP", "DE"]),
    "recipient.type-changed": _set("sharing", "recipients", "hosting", type="third-party"),
    "recipient.new-country": _set("sharing", "recipients", "hosting", countries=["JP", "US"]),
    "transfer.added": _add("sharing", "transfers", id="us", label="Transfers to the US", mechanism="consent",
                           countries=["US"]),
    "transfer.added-adequacy-elsewhere": _add("sharing", "transfers", id="us", mechanism="adequacy", countries=["US"],
                                              label="Transfers to the US under the Data Privacy Framework"),
    "transfer.added-safeguarded": _add("sharing", "transfers", id="us", label="Transfers to the US",
                                       mechanism="standard-contractual-clauses", countries=["US"]),
    "transfer.added-anonymised": _add("sharing", "transfers", id="anon", label="Anonymised before transfer",
                                      mechanism="anonymisation", countries=["US"]),
    "transfer.new-country": _set("sharing", "transfers", "eu", countries=["DE", "CN"], mechanism="consent"),
    "transfer.new-country-safeguarded": _set("sharing", "transfers", "eu", countries=["DE", "CN"]),
    "transfer.new-country-anonymised": _all(_set("sharing", "transfers", "eu", mechanism="anonymisation"),
                                            _set("sharing", "transfers", "eu", countries=["DE", "CN"])),
    "transfer.to-derogation": _set("sharing", "transfers", "eu", mechanism="derogation"),
    "transfer.mechanism-changed": _set("sharing", "transfers", "eu", mechanism="standard-contractual-clauses"),
    "retention.longer": _set("collection", "retention", "logs", period="P90D"),
    "retention.shorter": _set("collection", "retention", "logs", period="P7D"),
    "retention.period-stated-long": _set("collection", "retention", "logs", period="P3Y"),
    "retention.period-stated": _set("collection", "retention", "logs", period="P1Y"),
    "retention.cap-added": _set("collection", "retention", "logs", period="P30D"),
    "retention.added-long": _add("collection", "retention", id="tickets", label="Support tickets: 3 years",
                                 basis="fixed", period="P3Y"),
    "retention.added": _add("collection", "retention", id="tickets", label="Support tickets: 13 months",
                            basis="fixed", period="P13M"),
    "retention.open-ended": _set("collection", "retention", "logs", basis="criteria"),
    "retention.removed": _remove("collection", "retention", "logs"),
    "right.removed": _remove("collection", "rights", "erasure"),
    "right.channel-changed": _set("collection", "rights", "access", channel="https://example.com/form"),
    "right.added": _add("collection", "rights", id="portability", label="Portability", right="portability"),
    "tracking.added-essential": _add("sharing", "tracking", id="csrf", label="CSRF cookie", type="cookie",
                                     category="strictly-necessary"),
    "tracking.added": _add("sharing", "tracking", id="pixel", label="Ad pixel", type="pixel-tag",
                           category="advertising", party="third"),
    "tracking.now-non-essential": _set("sharing", "tracking", "session", category="analytics"),
    "tracking.advertising": _set("sharing", "tracking", "stats", category="advertising"),
    "tracking.third-party": _set("sharing", "tracking", "stats", party="third"),
    "tracking.longer": _set("sharing", "tracking", "stats", lifetime="P2Y"),
    "tracking.type-changed": _set("sharing", "tracking", "stats", type="fingerprinting"),
    "contact.removed": _all(_remove("collection", "contacts", "dpo"),
                            _set("collection", "rights", "access", channel="https://example.com/a"),
                            _set("collection", "rights", "erasure", channel="https://example.com/e")),
    "contact.domain-changed": _set("collection", "contacts", "dpo", email="dpo@other-group.com"),
    "contact.changed": _set("collection", "contacts", "dpo", phone="+81 3 1234 5678"),
    "age.lowered": _set("collection", "age_limits", "minimum", min_age=13),
    "age.parental-consent-dropped": _set("collection", "age_limits", "minimum", parental_consent=False),
    "age.removed": _remove("collection", "age_limits", "minimum"),
    "security.removed": _remove("collection", "security_measures", "tls"),
    "automated-decision.added": _add("collection", "automated_decisions", id="credit", label="Credit scoring",
                                     profiling=True),
    "automated-decision.profiling": _set("collection", "automated_decisions", "fraud-score", profiling=True),
    "fact.moved": _fact_reorder,
    "fact.changed": _set("collection", "age_limits", "minimum", min_age=18),
    "fact.added": _add("collection", "security_measures", id="training", label="Staff training", kind="training"),
    "metadata.format": _meta(controller_name="EXAMPLE LTD"),
    "controller.identity": _meta(controller_name="Other Holdings Inc."),
    "controller.details": _meta(controller_address="2-2 Minato, Tokyo"),
    "notice-period.shorter": _meta(notice_period="P14D"),
    "metadata.last-updated": _meta(last_updated="2024-06-01"),
    "metadata.internal": _meta(waivers=[{"requirement": "appi.32.1.iv", "reason": "On request"}]),
    "metadata.changed": _meta(title="Privacy Notice"),
    "structure.moved": _move_section,
    "structure.retitled": lambda p: p["collection"].update(title="Information we collect"),
    "structure.satisfies": _satisfies,
    "structure.states": _states,
    "structure.table-added": _list_block,
    "structure.table-removed": _remove_list_block,
    "structure.changed": _section_added,
    "translation.added": _translation_added,
    "text.format": _text("collection", "intro", "We will not share", "We  will NOT share"),
    "text.punctuation": _text("collection", "intro", "anyone.", "anyone;"),
    "text.moved": _text("collection", "intro", "We will not share your data with anyone. We keep logs for 30 days.",
                        "We keep logs for 30 days. We will not share your data with anyone."),
    "text.synonym": _text("sharing", "recipients", "We use processors", "We utilise processors"),
    "text.typo": _text("sharing", "recipients", "run the service", "rnu the service"),  # reverse below
    "text.inflection": _text("sharing", "recipients", "We use processors", "We uses processors"),  # reverse below
    "text.word-spacing": _text("sharing", "recipients", "to run the service", "to run the service on our web site"),
    "text.article": _text("sharing", "recipients", "run the service", "run service"),  # reverse below
    "text.updated-date": lambda p: block(p, "sharing", "recipients").update(
        text="We use processors to run the service. Last updated: 2024-07-01."),
    "text.retroactive": _text("sharing", "recipients", "run the service.",
                              "run the service, including information previously collected."),
    "text.change-notice": _text("sharing", "recipients", "run the service.",
                                "run the service; continued use means you accept changes."),
    "text.consent": _text("sharing", "recipients", "run the service with your consent.", "run the service."),
    "text.processing": _text("sharing", "recipients", "We use processors to run the service.",
                             "We use processors to run the service and sell the results."),
    "text.anonymity": lambda p: block(p, "sharing", "recipients").update(text="We use processors to run the service."),
    "text.hedge": _text("collection", "definition", "means information", "means, as we strive to define it, "
                                                                          "information"),
    "text.open-list": _text("sharing", "recipients", "We use processors", "We use processors such as mailers"),
    "text.duration": _text("collection", "intro", "30 days", "90 days"),
    "text.age": _text("collection", "children", "under 16", "under 13"),
    "text.country": _text("sharing", "recipients", "the service.", "the service, and store data in Brazil."),
    "text.country-adequate": _text("sharing", "recipients", "the service.", "the service, and store data in Germany."),
    "text.country-mention": _text("sharing", "recipients", "the service.",
                                  "the service. In Japan, the regulator is the PPC."),
    "text.country-listed": lambda p: item(p, "sharing", "transfers", "eu").update(
        label="Transfers to our host in Germany"),
    "text.rights-exercise": _text("collection", "contact", "to exercise your rights.",
                                  "to exercise your rights; we verify your identity before we act on a request."),
    "text.joint-use": _text("sharing", "recipients", "the service.",
                            "the service. We use your contact details jointly with our group companies."),
    "text.right-limited": lambda p: item(p, "collection", "rights", "erasure").update(
        label="Erasure, only where the law requires it"),
    "text.negated-statement": _text("sharing", "recipients", "the service.",
                                    "the service. We do not sell or share your data."),
    "text.negated-processing-removed": _text("sharing", "recipients", " We do not sell your data.", ""),
    "text.legal-basis": _text("sharing", "recipients", "the service.",
                              "the service, which we rely on our legitimate interests for."),
    "text.legal-basis-right": _text("collection", "contact", "to exercise your rights.",
                                    "to exercise your rights, including your right to object to processing "
                                    "based on our legitimate interests."),
    "text.open-list-label": lambda p: item(p, "collection", "data_categories", "email").update(
        label="E-mail address, such as a work address"),
    "text.contact-new-organisation": _text("collection", "contact", "to exercise your rights.",
                                           "or [requests@other-vendor.com](mailto:requests@other-vendor.com) "
                                           "to exercise your rights."),
    "text.contact-added": _text("collection", "contact", "Write to", "Call +81 3 1234 5678 or write to"),
    "text.named-party-mention": _text("sharing", "recipients", "the service.",
                                      "the service. Our offices are near Shibuya Station."),
    "text.contact-same-domain": _text("collection", "contact", "(https://example.com/form)",
                                      "(https://www.example.com/forms/privacy)"),
    "text.contact-removed": _text("collection", "contact", "Write to [privacy@example.com](mailto:privacy@example.com)",
                                  "Write to us"),
    "text.named-party": _text("sharing", "recipients", "We use processors", "We use Acme processors"),
    "text.negation": _text("collection", "children", "may not use", "may use"),
    "text.modal": _text("sharing", "recipients", "We use processors", "We may use processors"),
    "text.date": _text("sharing", "recipients", "the service.", "the service since 1 March 2020."),
    "text.amount": _text("sharing", "recipients", "run the service.", "run the service for $5 a month."),
    "text.definition": _text("collection", "definition", "an identified person", "a person or a household"),
    "text.new-obligation": _text("sharing", "recipients", "the service.", "the service. You must keep a backup."),
    "text.promise-removed": _text("collection", "intro", "We will not share your data with anyone. ", ""),
    "text.narrower": _text("collection", "intro", "30 days", "7 days"),
    "text.contact": _text("collection", "contact", "+81 3 1234 5678", "+81 3 9876 5432"),
    # Fail safe: a change of wording no rule explains is left to a person (review).
    "text.unexplained": _text("collection", "intro", "We keep logs for 30 days.", "We keep server logs for 30 days."),
    "text.processing-now-done": _text("collection", "intro", "We keep logs for 30 days.",
                                      "We keep logs for 30 days and analyse them."),
    "text.protection-weakened": _text("collection", "intro", "and then delete them", "and may then delete them"),
    "text.hurdle-added": _text("collection", "contact", "to exercise your rights.",
                               "to exercise your rights. We verify your identity before we answer."),
    "text.right-narrowed": _text("collection", "contact", "You can ask us to delete your data.",
                                 "You can no longer ask us to delete your data."),
    "text.link-target-dropped": _text("collection", "contact", "[our form](https://example.com/form)", "our form"),
    "text.link-target-moved": _text("collection", "contact", "(https://example.com/form)",
                                    "(https://forms.acme-helpdesk.net/example)"),
    "text.contact-named-organisation": _text("collection", "contact", "to exercise your rights.",
                                             "to exercise your rights, or write to "
                                             "[privacy@acme.com](mailto:privacy@acme.com)."),
    "text.contact-same-organisation": _text("collection", "contact", "privacy@example.com](mailto:privacy@example.com)",
                                            "privacy@example.net](mailto:privacy@example.net)"),
    "text.navigation": _text("sharing", "recipients", "[Prior versions](https://example.com/privacy_archive)",
                             "[Acceptable Use](https://example.com/acceptable_use)"),
    "text.cut-short": lambda p: p["sharing"].update(blocks=p["sharing"]["blocks"][:1]),
    "text.link-changed": _text("sharing", "recipients", "run the service.",
                               "run the service. Our [terms of use](https://example.org/terms) apply."),
    "text.date-refined": _text("sharing", "recipients", "since March 2020", "since 2 March 2020"),
    "text.certainty": _text("collection", "intro", "We keep logs for 30 days.", "We may keep logs for 30 days."),
    # a recipient taken out with the restrictive clause that limited the others (STARTS states it first)
    "text.recipient-widened": _text("sharing", "recipients", "with couriers and partners that deliver your order.",
                                    "with couriers and with the other companies we work with."),
    "text.action-narrower": _text("collection", "intro", "We keep logs for 30 days.",
                                  "We keep logs for 30 days and then delete them."),
    "text.surface-of-an-action": _text("collection", "intro", "We will not share your data with anyone.",
                                       "We do not share your data with anyone."),
    "text.modal-same-force": _text("collection", "children", "must not use", "shall not use"),
    "text.negation-same": _text("collection", "intro", "We will not share your data with anyone",
                                "We will never share your data with anyone"),
    "text.citation": _text("sharing", "recipients", "We use processors", "We use processors (APPI Art. 23)"),
    "text.informational": _text("sharing", "recipients", "the service.",
                                "the service. Our head office is in Tokyo."),
    "text.informational-wording": _text("sharing", "recipients", "Our office is in Tokyo.",
                                        "Our head office is in Tokyo."),
}

# The typo case commits the misspelling first and fixes it in the second commit.
STARTS: dict[str, Edit] = {
    "text.recipient-widened": _text("sharing", "recipients", "the service.", "the service. We share your name "
                                    "with couriers and partners that deliver your order."),
    "text.language-switched": _paragraph(EN_PARAGRAPH),
    "text.informational-removed": _text("sharing", "recipients", "the service.",
                                        "the service. Our head office is in Tokyo."),
    "text.protection-added": _text("collection", "intro", "We keep logs for 30 days.",
                                   "We keep logs for 30 days. To exercise your rights, send us a request by e-mail."),
    "text.only-narrowed": _text("collection", "intro", "We keep logs for 30 days.",
                                "We keep logs for 30 days. We collect your name, address and phone number."),
    "text.cut-short": lambda p: p["sharing"]["blocks"].extend(
        [{"id": "contact-us", "text": "We will answer you within 30 days at privacy@example.com."},
         {"id": "brazil", "text": "Users in Brazil may contact our DPO at dpo@example.com."},
         {"id": "changes", "text": "We will notify you of material changes 30 days in advance."}]),
    "text.date-refined": _text("sharing", "recipients", "the service.", "the service since March 2020."),
    "text.modal-same-force": _text("collection", "children", "may not use", "must not use"),
    "text.protection-weakened": _text("collection", "intro", "We keep logs for 30 days.",
                                      "We keep logs for 30 days and then delete them."),
    "text.right-narrowed": _text("collection", "contact", "to exercise your rights.",
                                 "to exercise your rights. You can ask us to delete your data."),
    "text.informational-wording": _text("sharing", "recipients", "the service.",
                                        "the service. Our office is in Tokyo."),
    "text.typo": _text("sharing", "recipients", "run the service", "rnu the service"),
    "text.anonymity": _text("sharing", "recipients", "the service.", "the service with aggregated data."),
    "text.contact-same-domain": _text("collection", "contact", "to exercise your rights.",
                                      "or use [our form](https://example.com/form) to exercise your rights."),
    # Real captures drop and restore a hyperlink, or point it elsewhere, while every word stays.
    "text.link-target-dropped": _text("collection", "contact", "to exercise your rights.",
                                      "or use [our form](https://example.com/form) to exercise your rights."),
    "text.link-target-moved": _text("collection", "contact", "to exercise your rights.",
                                    "or use [our form](https://example.com/form) to exercise your rights."),
    "text.contact-named-organisation": _text("sharing", "recipients", "run the service.",
                                             "run the service with Acme Analytics."),
    "text.navigation": _text("sharing", "recipients", "We use processors to run the service.",
                             "[Prior versions](https://example.com/privacy_archive)"),
    "text.consent": _text("sharing", "recipients", "run the service.", "run the service with your consent."),
    "text.contact": _text("collection", "contact", "Write to", "Call +81 3 1234 5678 or write to"),
    "retention.period-stated-long": _set("collection", "retention", "logs", period=None),
    "retention.period-stated": _set("collection", "retention", "logs", period=None),
    "retention.cap-added": _set("collection", "retention", "logs", period=None, basis="legal-requirement"),
    "text.negated-processing-removed": _text("sharing", "recipients", "the service.",
                                             "the service. We do not sell your data."),
    "text.inflection": _text("sharing", "recipients", "We use processors", "We uses processors"),
    "text.word-spacing": _text("sharing", "recipients", "to run the service", "to run the service on our web site"),
    "text.article": _text("sharing", "recipients", "run the service", "run service"),
}
FIXES: dict[str, Edit] = {
    "text.typo": _text("sharing", "recipients", "rnu the service", "run the service"),
    "text.inflection": _text("sharing", "recipients", "We uses processors", "We use processors"),
    "text.word-spacing": _text("sharing", "recipients", "our web site", "our website"),
    "text.article": _text("sharing", "recipients", "run service", "run the service"),
}

# `default` catches changes no other rule describes; the diff never produces such a change today.
UNREACHABLE = {"default"}


def test_every_shipped_rule_has_a_case() -> None:
    ids = {r.id for r in shipped_rules().rules}
    assert ids - UNREACHABLE == set(CASES) | set(TRANSLATION_CASES) | {"translation.follows-source"}


# A translation edited alone is held to the controlling text: each edit of the Japanese intro below
# (source: "We will not share your data with anyone. We keep logs for 30 days.").
JA_INTRO = "当社は、お客様のデータを誰とも共有しません。ログは30日間保存します。"
JA_MAY_SHARE = "当社は、お客様のデータを共有することがあります。ログは30日間保存します。"
TRANSLATION_CASES: dict[str, tuple[str, str]] = {
    "translation.faithful": (JA_INTRO, "当社は、お客様のデータをいかなる者とも共有しません。ログは30日間保存します。"),
    "translation.diverges": (JA_INTRO, JA_MAY_SHARE),  # the negation dropped: "we may share"
    "translation.repaired": (JA_MAY_SHARE, JA_INTRO),
    # (translation.follows-source: the source changed too; tested with the source edit below)
    # a negation repeated in a sentence of its own: nothing diverges, but a word that binds changed
    "translation.binding-word": (JA_INTRO, "当社は、お客様のデータを誰とも共有しません。共有することはありません。"
                                           "ログは30日間保存します。"),
}


@pytest.mark.parametrize("rule_id", sorted(TRANSLATION_CASES))
def test_a_translation_rule_fires_on_a_committed_change_of_the_translation_alone(rule_id: str,
                                                                                  tmp_path: Path) -> None:
    from policykit.compare.diffreport import compare
    from policykit.model import source_hash

    from .diffkit import base, write

    (tmp_path / "repo").mkdir()
    repo = GitRepo(tmp_path / "repo")
    start = base()
    start["policy"]["locales"] = ["en", "ja"]
    write(repo.path, start)
    _write_translation(repo.path)
    source = next(b["text"] for b in start["collection"]["blocks"] if b["id"] == "intro")
    before, after = TRANSLATION_CASES[rule_id]
    section = repo.path / "locales/ja/collection.yaml"
    for text in (before, after):
        section.write_text(f'section: collection\nblocks:\n  intro: {{text: "{text}", '
                           f'source_hash: "{source_hash(source)}"}}\n', "utf-8")
        repo.commit(text)
    [change] = compare(repo.path, "HEAD~1", "HEAD").changes  # the default diff counts the translation
    assert (change.locale, change.rule) == ("ja", rule_id), str(change)
    rule = shipped_rules().rule(rule_id)
    assert rule is not None and change.level == rule.level


def _write_translation(root: Path) -> None:
    from policykit.model import source_hash

    ja = root / "locales" / "ja"
    ja.mkdir(parents=True, exist_ok=True)
    (ja / "policy.yaml").write_text(
        f'locale: ja\ntitle: {{text: プライバシーポリシー, source_hash: "{source_hash("Privacy Policy")}"}}\n', "utf-8")


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_fires_on_a_committed_change(rule_id: str, tmp_path: Path) -> None:
    from .diffkit import base, write

    (tmp_path / "repo").mkdir()
    repo = GitRepo(tmp_path / "repo")
    start = base()
    if rule_id in STARTS:
        STARTS[rule_id](start)
    if rule_id in FIXES:
        changes = committed_diff(repo, FIXES[rule_id], start=start)
    elif rule_id == "translation.added":
        write(repo.path, start)
        repo.commit("before")
        start["policy"]["locales"] = ["en", "ja"]
        write(repo.path, start)
        _write_translation(repo.path)
        repo.commit("after")
        from policykit.compare.diffreport import compare

        changes = list(compare(repo.path, "HEAD~1", "HEAD", locale="ja").changes)
    else:
        changes = committed_diff(repo, CASES[rule_id], start=start)
    fired = {c.rule for c in changes}
    assert rule_id in fired, [str(c) for c in changes]
    decided = next(c for c in changes if c.rule == rule_id)
    rule = shipped_rules().rule(rule_id)
    assert rule is not None
    assert decided.level == rule.level and decided.reason
    # Fresh consent as the rule says, or because another consent rule at the same level fired too.
    assert decided.consent == rule.consent or (decided.consent and not rule.consent)


def test_a_translation_that_follows_its_source_change_is_judged_with_the_source(tmp_path: Path) -> None:
    from policykit.compare.diffreport import compare
    from policykit.model import source_hash

    from .diffkit import base, block, write

    (tmp_path / "repo").mkdir()
    repo = GitRepo(tmp_path / "repo")
    start = base()
    start["policy"]["locales"] = ["en", "ja"]
    write(repo.path, start)
    _write_translation(repo.path)
    section = repo.path / "locales/ja/collection.yaml"

    def translate(source: str, text: str) -> None:
        section.write_text(f'section: collection\nblocks:\n  intro: {{text: "{text}", '
                           f'source_hash: "{source_hash(source)}"}}\n', "utf-8")

    source = block(start, "collection", "intro")["text"]
    translate(source, JA_INTRO)
    repo.commit("before")
    new = source.replace("30 days", "7 days")
    block(start, "collection", "intro")["text"] = new
    write(repo.path, start)
    translate(new, JA_INTRO.replace("30日間", "7日間"))
    repo.commit("after")
    changes = {c.locale: c for c in compare(repo.path, "HEAD~1", "HEAD").changes if c.path == "collection.intro"}
    assert changes["ja"].rule == "translation.follows-source" and changes["ja"].level == "editorial"
    assert changes[""].level == "minor"  # the source's own change (a shorter period) decides
