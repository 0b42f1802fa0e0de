"""Minimal policy projects that meet every requirement of one jurisdiction, and ways to break each.

A project is plain data (``{"policy": {...}, "sections": {id: {...}}}``) so a
test can remove one piece of evidence before :func:`write` puts it on disk.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from policykit import yamlio

Project = dict[str, Any]
Mutation = Callable[[Project], None]


def _policy(jurisdiction: str, **extra: Any) -> dict[str, Any]:
    return {
        "document": "privacy-policy",
        "title": "Privacy Policy",
        "source_locale": "en",
        "locales": ["en"],
        "jurisdictions": [jurisdiction],
        "notice_period": "P30D",
        **extra,
        "sections": ["about"],
    }


def _rights(*names: str, channel: str | None = None) -> list[dict[str, Any]]:
    return [{"id": n, "label": f"The right: {n}", "right": n, **({"channel": channel} if channel else {})}
            for n in names]


def gdpr() -> Project:
    return {
        "policy": _policy("gdpr", controller={"name": "Example KK", "country": "JP"}),
        "sections": {"about": {
            "id": "about",
            "title": "About your data",
            "blocks": [
                {"id": "intro", "text": "How we handle personal data."},
                {"id": "interests", "text": "Our legitimate interest is keeping the service secure.",
                 "satisfies": ["gdpr.13.1.d"]},
                {"id": "provision", "text": "You need to provide an e-mail address; without it we cannot open "
                 "an account.", "satisfies": ["gdpr.13.2.e"]},
                {"id": "automated", "text": "We make no automated decisions about you and do no profiling.",
                 "satisfies": ["gdpr.13.2.f"]},
            ],
            "facts": {
                "data_categories": [{"id": "email", "label": "E-mail", "taxonomy": "user.contact.email",
                                     "sources": ["you"]}],
                "sources": [{"id": "you", "label": "You", "kind": "data-subject"},
                            {"id": "brokers", "label": "Data brokers", "kind": "third-party"}],
                "purposes": [
                    {"id": "service", "label": "The service", "taxonomy": "essential.service",
                     "legal_bases": ["interests"]},
                    {"id": "news", "label": "Newsletter", "taxonomy": "marketing.communications.email",
                     "legal_bases": ["consent"]},
                ],
                "legal_bases": [{"id": "consent", "label": "Consent", "basis": "consent"},
                                {"id": "interests", "label": "Legitimate interests", "basis": "legitimate-interests"}],
                "recipients": [{"id": "hosting", "label": "Hosting", "type": "processor", "countries": ["US"]}],
                "transfers": [{"id": "scc", "label": "Standard clauses", "mechanism": "standard-contractual-clauses",
                               "countries": ["US"]}],
                "retention": [{"id": "criteria", "label": "As long as needed", "basis": "criteria"}],
                "rights": _rights("access", "rectification", "erasure", "restriction", "objection", "portability",
                                  "withdraw-consent", "complaint"),
                "contacts": [
                    {"id": "privacy", "label": "Privacy team", "role": "privacy-contact",
                     "email": "privacy@example.com"},
                    {"id": "dpo", "label": "DPO", "role": "data-protection-officer", "email": "dpo@example.com"},
                    {"id": "eu-rep", "label": "EU representative", "role": "representative",
                     "email": "rep@example.com"},
                ],
            },
        }},
    }


def appi() -> Project:
    return {
        "policy": _policy("appi", controller={"name": "Example KK", "country": "JP",
                                              "address": "1-1 Chiyoda, Tokyo", "representative": "Taro Yamada"}),
        "sections": {"about": {
            "id": "about",
            "title": "About your data",
            "blocks": [
                {"id": "intro", "text": "How we handle personal information."},
                {"id": "abroad", "text": "We send data to the United States, a country whose data protection "
                 "system is described at <https://example.com/us>; the recipient protects it as we do.",
                 "satisfies": ["appi.28.2"]},
                {"id": "joint-use", "text": "Joint use: our group companies use your e-mail address for support; "
                 "Example KK is responsible.", "satisfies": ["appi.27.5.iii"]},
            ],
            "facts": {
                "purposes": [{"id": "service", "label": "The service", "taxonomy": "essential.service"}],
                # the joint-use block says the group uses e-mail addresses: the facts hold that too
                "data_categories": [{"id": "email", "label": "E-mail address", "taxonomy": "user.contact.email"}],
                "rights": _rights("access", "rectification", "erasure", channel="https://example.com/requests"),
                "security_measures": [{"id": "encryption", "label": "Encryption", "kind": "encryption"}],
                "contacts": [{"id": "desk", "label": "Complaints desk", "role": "privacy-contact",
                              "email": "desk@example.com"}],
                "transfers": [{"id": "consent", "label": "Your consent", "mechanism": "consent", "countries": ["US"]}],
                "recipients": [{"id": "group", "label": "Group companies", "type": "affiliate"}],
            },
        }},
    }


def ccpa() -> Project:
    return {
        "policy": _policy("ccpa", controller={"name": "Example Inc."}, last_updated=dt.date(2024, 1, 15)),
        "sections": {"about": {
            "id": "about",
            "title": "About your data",
            "blocks": [
                {"id": "intro", "text": "How we handle personal information."},
                {"id": "sale", "text": "We do not sell or share personal information, also not of consumers "
                 "under 16.", "satisfies": ["ccpa.7011.e.1.sale"]},
                {"id": "sensitive", "text": "Your password is sensitive personal information; we use it only to "
                 "log you in.", "satisfies": ["ccpa.7011.e.1.sensitive"]},
            ],
            "facts": {
                "data_categories": [
                    {"id": "email", "label": "E-mail", "taxonomy": "user.contact.email"},
                    {"id": "login", "label": "Log-in and password", "taxonomy": "user.authorization.credentials"},
                ],
                "sources": [{"id": "you", "label": "You", "kind": "data-subject"}],
                "purposes": [{"id": "service", "label": "The service", "taxonomy": "essential.service"}],
                "recipients": [{"id": "hosting", "label": "Hosting", "type": "processor"}],
                "retention": [{"id": "criteria", "label": "As long as needed", "basis": "criteria"}],
                "rights": [*_rights("access", "erasure", "rectification", channel="https://example.com/requests"),
                           *_rights("non-discrimination")],
            },
        }},
    }


MINIMAL: dict[str, Callable[[], Project]] = {"gdpr": gdpr, "appi": appi, "ccpa": ccpa}


def write(root: Path, project: Project) -> Path:
    (root / "policy" / "sections").mkdir(parents=True, exist_ok=True)
    (root / "policy" / "policy.yaml").write_text(yamlio.dump_roundtrip(copy.deepcopy(project["policy"])), "utf-8")
    for sid, section in project["sections"].items():
        (root / "policy" / "sections" / f"{sid}.yaml").write_text(yamlio.dump_roundtrip(copy.deepcopy(section)),
                                                                   "utf-8")
    return root


# -- mutations: each removes one piece of evidence -----------------------
def facts(p: Project) -> dict[str, list[dict[str, Any]]]:
    f: dict[str, list[dict[str, Any]]] = p["sections"]["about"]["facts"]
    return f


def drop_kind(kind: str) -> Mutation:
    def mutate(p: Project) -> None:
        del facts(p)[kind]
    return mutate


def drop_item(kind: str, item_id: str) -> Mutation:
    def mutate(p: Project) -> None:
        facts(p)[kind] = [i for i in facts(p)[kind] if i["id"] != item_id]
    return mutate


def drop_attr(kind: str, item_id: str, attr: str) -> Mutation:
    def mutate(p: Project) -> None:
        del next(i for i in facts(p)[kind] if i["id"] == item_id)[attr]
    return mutate


def drop_block(block_id: str) -> Mutation:
    def mutate(p: Project) -> None:
        blocks = p["sections"]["about"]["blocks"]
        p["sections"]["about"]["blocks"] = [b for b in blocks if b["id"] != block_id]
    return mutate


def drop_field(*path: str) -> Mutation:
    def mutate(p: Project) -> None:
        target = p["policy"]
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]
    return mutate


# One way to remove the evidence of each shipped requirement; a test checks that every one has an entry.
REMOVE: dict[str, Mutation] = {
    "gdpr.13.1.a": drop_item("contacts", "privacy"),
    "gdpr.27": drop_item("contacts", "eu-rep"),
    "gdpr.13.1.b": drop_item("contacts", "dpo"),
    "gdpr.13.1.c": drop_attr("purposes", "news", "legal_bases"),
    "gdpr.13.1.d": drop_block("interests"),
    "gdpr.13.1.e": drop_kind("recipients"),
    "gdpr.13.1.f": drop_kind("transfers"),
    "gdpr.13.2.a": drop_kind("retention"),
    "gdpr.13.2.b": drop_item("rights", "portability"),
    "gdpr.13.2.c": drop_item("rights", "withdraw-consent"),
    "gdpr.13.2.d": drop_item("rights", "complaint"),
    "gdpr.13.2.e": drop_block("provision"),
    "gdpr.13.2.f": drop_block("automated"),
    "gdpr.14.1.d": drop_kind("data_categories"),
    "gdpr.14.2.f": drop_attr("data_categories", "email", "sources"),
    "appi.21.1": drop_kind("purposes"),
    "appi.32.1.i": drop_field("controller", "address"),
    "appi.32.1.iii": drop_attr("rights", "erasure", "channel"),
    "appi.32.1.iv": drop_kind("security_measures"),
    "appi.32.1.v": drop_kind("contacts"),
    "appi.28.2": drop_block("abroad"),
    "appi.27.5.iii": drop_block("joint-use"),
    "ccpa.7011.e.1.categories": drop_kind("data_categories"),
    "ccpa.7011.e.1.sources": drop_kind("sources"),
    "ccpa.7011.e.1.purposes": drop_kind("purposes"),
    "ccpa.7011.e.1.sale": drop_block("sale"),
    "ccpa.7011.e.1.sensitive": drop_block("sensitive"),
    "ccpa.7011.e.1.disclosed": drop_kind("recipients"),
    "ccpa.7011.e.2": drop_item("rights", "non-discrimination"),
    "ccpa.7011.e.3": drop_attr("rights", "access", "channel"),
    "ccpa.100.a.3": drop_kind("retention"),
    "ccpa.7011.e.4": drop_field("last_updated"),
}
