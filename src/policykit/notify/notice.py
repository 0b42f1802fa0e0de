"""The notice: what every channel tells an audience about a release, in its locale.

Its shape follows the Standard Webhooks payload convention (``type``,
``timestamp``, ``data``) and is documented by
``src/policykit/schemas/notice.schema.json``. It is built once per release and
locale at enqueue time and stored with the jobs, so a delivery never depends
on files that changed since.

What the law asks of it (see docs/notify.md): a release whose changes need fresh
consent says so, overall and per change, and links to where consent is given; it
never treats continued use as consent (GDPR Art. 4(11) and 7: consent is an
unambiguous affirmative act). Every notice names the controller and the data
protection officer (GDPR Art. 13(1)(a)-(b)), and gives each change's reason in
the reader's language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from importlib import resources
from typing import Any

from policykit.changelog import ChangeRecord, Entry
from policykit.errors import NotifyError
from policykit.model import Policy
from policykit.notify.config import Urls
from policykit.vocabulary import control_problem

NOTICE_TYPE = "policy.updated"
SCHEMA_ID = "https://policyctl.dev/schemas/notice.schema.json"


def _chain(locale: str) -> list[str]:
    parts = locale.split("-")
    return ["-".join(parts[:i]) for i in range(len(parts), 0, -1)]


def localised_title(policy: Policy | None, locale: str, default: str) -> str:
    if policy is None:
        return default
    for tag in _chain(locale):
        translation = policy.translations.get(tag)
        if translation is not None and translation.title is not None:
            return translation.title.text
    return policy.title


def _label(policy: Policy, kind: str, item_id: str, locale: str, default: str) -> str:
    for tag in _chain(locale):
        lt = policy.translations.get(tag)
        if lt is None:
            continue
        for st in lt.sections.values():
            found = st.labels.get((kind, item_id))
            if found is not None:
                return found.text
    return default


def contacts(policy: Policy | None, locale: str) -> dict[str, Any]:
    """Who the reader can turn to: the controller (name, address, a contact) and the DPO, when the policy names one."""
    if policy is None:
        return {"controller": None, "dpo": None}
    by_role: dict[str, Any] = {}
    for item in policy.facts("contacts"):
        by_role.setdefault(str(item.attrs.get("role", "")), item)

    def reach(item: Any) -> dict[str, str | None]:
        return {"email": item.attrs.get("email") if item else None, "url": item.attrs.get("url") if item else None}

    name = policy.controller.name
    for tag in _chain(locale):
        lt = policy.translations.get(tag)
        if lt is not None and lt.controller_name is not None:
            name = lt.controller_name.text
            break
    desk = by_role.get("controller") if by_role.get("controller") and by_role["controller"].attrs.get("email") \
        else by_role.get("privacy-contact")
    controller = {"name": name, "address": policy.controller.address or None, **reach(desk)}
    dpo_item = by_role.get("data-protection-officer")
    dpo = None
    if dpo_item is not None:
        dpo = {"name": _label(policy, "contacts", dpo_item.id, locale, dpo_item.label), **reach(dpo_item)}
    return {"controller": controller, "dpo": dpo}


def _reasons() -> dict[str, dict[str, str]]:
    from policykit import yamlio

    data = resources.files("policykit").joinpath("notify/reasons.yaml").read_bytes()
    return {str(k): {str(a): str(b) for a, b in v.items()} for k, v in yamlio.parse(data, "reasons.yaml").items()}


def localised_reason(change: ChangeRecord, locale: str, source_locale: str) -> tuple[str, str]:
    """The reason of ``change`` for readers of ``locale`` and the language it is in.

    The classifier writes its reasons in the source language. Other languages get
    the sentence of ``notify/reasons.yaml`` for the deciding rule (or its family,
    the part before the dot): what kind of change it is, not every detail.
    """
    if locale.split("-")[0] == source_locale.split("-")[0]:
        return change.reason, source_locale
    table = _reasons()
    family = change.rule.split(".", 1)[0]
    for tag in _chain(locale):
        words = table.get(tag)
        if words is None:
            continue
        text = words.get(change.rule) or words.get(family) or words.get("default")
        if text:
            return text, tag
    return change.reason, source_locale


def notified_changes(entry: Entry) -> list[ChangeRecord]:
    """The changes a notice lists: the significant ones."""
    return [c for c in entry.changes if c.level == "significant"]


def needs_consent(entry: Entry) -> bool:
    """Whether any significant change of ``entry`` needs users' fresh consent, not only notice."""
    return any(c.consent for c in notified_changes(entry))


def build_notice(entry: Entry, *, locale: str, source_locale: str, policy: Policy | None, urls: Urls,
                 when: dt.datetime | None = None) -> dict[str, Any]:
    """The notice of ``entry`` for readers of ``locale``, issued at ``when`` (the webhook ``timestamp``).

    The summary falls back along the locale chain to the source locale while a
    translation is pending (``summary_locale`` says which language it is in).
    Changes are the significant ones, with the rule, the localised reason and
    whether each needs consent. :class:`NotifyError` when the title cannot be
    a mail subject (a line break or control character).
    """
    summary, summary_locale = entry.summary_for(locale, source_locale)
    base_url = (policy.base_url if policy else None) or ""
    fill = {"base_url": base_url, "locale": locale, "version": entry.version, "previous": entry.previous or ""}
    url = urls.version.format(**fill) if base_url else None
    redline = urls.redline.format(**fill) if base_url and entry.previous else None
    consent = needs_consent(entry)
    consent_url = urls.consent.format(**fill) if consent and urls.consent and (
        base_url or "{base_url}" not in urls.consent) else None
    title = localised_title(policy, locale, entry.document)
    if (problem := control_problem(title, single_line=True)) is not None:
        raise NotifyError(f"the {locale} title {title!r} {problem}: it would break the e-mail subject; fix it "
                          "(`policyctl validate` shows where)")
    when = (when or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    changes = []
    for c in notified_changes(entry):
        reason, reason_locale = localised_reason(c, locale, source_locale)
        changes.append({"path": c.path, "kind": c.kind, "level": c.level, "rule": c.rule, "reason": reason,
                        "reason_locale": reason_locale, "consent": c.consent})
    return {
        "type": NOTICE_TYPE,
        "timestamp": when.isoformat().replace("+00:00", "Z"),
        "data": {
            "document": entry.document,
            "title": title,
            "version": entry.version,
            "previous_version": entry.previous,
            "level": entry.level,
            "published": entry.published.isoformat(),
            "effective": entry.effective.isoformat(),
            "locale": locale,
            "url": url,
            "redline_url": redline,
            "consent": consent,
            "consent_url": consent_url,
            "summary": summary,
            "summary_locale": summary_locale,
            "contacts": contacts(policy, locale),
            "changes": changes,
        },
    }


def notice_problems(notice: Mapping[str, Any]) -> list[str]:
    """What a reader would miss in ``notice`` (enqueue and preview warn)."""
    data = notice["data"]
    out = []
    if data["url"] is None:
        out.append("the notice has no link to the new version: set base_url in policy/policy.yaml")
    if data["contacts"]["dpo"] is None:
        out.append("the policy names no data protection officer (a `contacts` fact with role "
                   "data-protection-officer): the notice cannot name one")
    return out
