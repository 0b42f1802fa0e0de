"""The notice: what every channel tells an audience about a release, in its locale.

Its shape follows the Standard Webhooks payload convention (``type``,
``timestamp``, ``data``) and is documented by
``src/policykit/schemas/notice.schema.json``. It is built once per release and
locale at enqueue time and stored with the jobs, so a delivery never depends
on files that changed since.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from policykit.changelog import Entry
from policykit.model import Policy
from policykit.notify.config import Urls

NOTICE_TYPE = "policy.updated"
SCHEMA_ID = "https://policyctl.dev/schemas/notice.schema.json"


def localised_title(policy: Policy | None, locale: str, default: str) -> str:
    if policy is None:
        return default
    parts = locale.split("-")
    for i in range(len(parts), 0, -1):
        translation = policy.translations.get("-".join(parts[:i]))
        if translation is not None and translation.title is not None:
            return translation.title.text
    return policy.title


def build_notice(entry: Entry, *, locale: str, source_locale: str, policy: Policy | None, urls: Urls) -> dict[str, Any]:
    """The notice of ``entry`` for readers of ``locale``.

    The summary falls back along the locale chain to the source locale while a
    translation is pending (``summary_locale`` says which language it is in).
    Changes are the significant ones, with the rule and reason that decided each.
    """
    summary, summary_locale = entry.summary_for(locale, source_locale)
    base_url = (policy.base_url if policy else None) or ""
    fill = {"base_url": base_url, "locale": locale, "version": entry.version, "previous": entry.previous or ""}
    url = urls.version.format(**fill) if base_url else None
    redline = urls.redline.format(**fill) if base_url and entry.previous else None
    published = dt.datetime.combine(entry.published, dt.time(), dt.UTC)
    return {
        "type": NOTICE_TYPE,
        "timestamp": published.isoformat().replace("+00:00", "Z"),
        "data": {
            "document": entry.document,
            "title": localised_title(policy, locale, entry.document),
            "version": entry.version,
            "previous_version": entry.previous,
            "level": entry.level,
            "published": entry.published.isoformat(),
            "effective": entry.effective.isoformat(),
            "locale": locale,
            "url": url,
            "redline_url": redline,
            "summary": summary,
            "summary_locale": summary_locale,
            "changes": [
                {"path": c.path, "kind": c.kind, "level": c.level, "rule": c.rule, "reason": c.reason}
                for c in entry.changes
                if c.level == "significant"
            ],
        },
    }
