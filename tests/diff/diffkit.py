"""A small synthetic policy (every fact kind) and helpers that commit an edit and diff it.

Files are written as JSON, which is YAML 1.2, so a test edits plain dicts.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from policykit.compare.diff import Change
from policykit.compare.diffreport import compare

Project = dict[str, Any]

BASE: Project = {
    "policy": {
        "document": "privacy-policy",
        "title": "Privacy Policy",
        "source_locale": "en",
        "locales": ["en"],
        "notice_period": "P30D",
        "last_updated": "2024-01-01",
        "controller": {"name": "Example Ltd.", "country": "JP", "address": "1-1 Chiyoda, Tokyo"},
        "sections": ["collection", "sharing"],
    },
    "collection": {
        "id": "collection",
        "title": "What we collect",
        "blocks": [
            {"id": "definition", "text": "Personal information means information about an identified person."},
            {"id": "intro", "text": "We will not share your data with anyone. We keep logs for 30 days."},
            {"id": "contact", "text": "Write to [privacy@example.com](mailto:privacy@example.com) "
                                      "to exercise your rights."},
            {"id": "children", "text": "Children under 16 may not use the service."},
            {"id": "categories", "list": "data_categories"},
        ],
        "facts": {
            "data_categories": [
                {"id": "email", "label": "E-mail address", "taxonomy": "user.contact.email",
                 "sources": ["from-you"]},
                {"id": "name", "label": "Name", "taxonomy": "user.name", "sources": ["from-you"]},
            ],
            "sources": [{"id": "from-you", "label": "Provided by you", "kind": "data-subject"}],
            "purposes": [
                {"id": "service", "label": "Providing the service", "taxonomy": "essential.service",
                 "legal_bases": ["contract"]},
                {"id": "analytics", "label": "Usage analysis", "taxonomy": "analytics.reporting",
                 "legal_bases": ["consent"]},
            ],
            "legal_bases": [
                {"id": "contract", "label": "Contract", "basis": "contract", "article": "GDPR Art. 6(1)(b)"},
                {"id": "consent", "label": "Consent", "basis": "consent", "article": "GDPR Art. 6(1)(a)"},
            ],
            "retention": [{"id": "logs", "label": "Server logs", "basis": "fixed", "period": "P30D",
                           "applies_to": ["email"]}],
            "rights": [{"id": "access", "label": "Access", "right": "access", "channel": "dpo"},
                       {"id": "erasure", "label": "Erasure", "right": "erasure", "channel": "dpo"}],
            "contacts": [{"id": "dpo", "label": "Data protection officer", "role": "data-protection-officer",
                          "email": "dpo@example.com"}],
            "age_limits": [{"id": "minimum", "label": "Minimum age", "min_age": 16, "parental_consent": True}],
            "security_measures": [{"id": "tls", "label": "Encryption in transit", "kind": "encryption"}],
            "automated_decisions": [{"id": "fraud-score", "label": "Fraud scoring", "profiling": False}],
        },
    },
    "sharing": {
        "id": "sharing",
        "title": "Who we share with",
        "blocks": [{"id": "recipients", "text": "We use processors to run the service."}],
        "facts": {
            "recipients": [{"id": "hosting", "label": "Hosting provider", "type": "processor",
                            "countries": ["JP"]}],
            "transfers": [{"id": "eu", "label": "Transfers to the EU", "mechanism": "adequacy",
                           "countries": ["DE"]}],
            "tracking": [
                {"id": "session", "label": "Session cookie", "type": "cookie", "category": "strictly-necessary",
                 "lifetime": "session", "party": "first"},
                {"id": "stats", "label": "Statistics cookie", "type": "cookie", "category": "analytics",
                 "lifetime": "P30D", "party": "first"},
            ],
        },
    },
}


def base() -> Project:
    return copy.deepcopy(BASE)


def write(root: Path, project: Project) -> None:
    (root / "policy" / "sections").mkdir(parents=True, exist_ok=True)
    for old in (root / "policy" / "sections").glob("*.yaml"):
        old.unlink()
    text = json.dumps(project["policy"], indent=1)
    # A YAML date, not a string: JSON has no date type.
    text = re.sub(r'"last_updated": "(\d{4}-\d\d-\d\d)"', r'"last_updated": \1', text)
    (root / "policy" / "policy.yaml").write_text(text, "utf-8")
    for sid in project["policy"]["sections"]:
        (root / "policy" / "sections" / f"{sid}.yaml").write_text(json.dumps(project[sid], indent=1), "utf-8")


def block(project: Project, sid: str, bid: str) -> dict[str, Any]:
    return next(b for b in project[sid]["blocks"] if b["id"] == bid)


def item(project: Project, sid: str, kind: str, fid: str) -> dict[str, Any]:
    return next(i for i in project[sid]["facts"][kind] if i["id"] == fid)


def committed_diff(repo: Any, edit: Callable[[Project], None], *, start: Project | None = None) -> list[Change]:
    """Commit ``start`` (default: the base project), then it edited; the classified diff of the two commits."""
    project = start or base()
    write(repo.path, project)
    repo.commit("before")
    edit(project)
    write(repo.path, project)
    repo.commit("after")
    return list(compare(repo.path, "HEAD~1", "HEAD").changes)
