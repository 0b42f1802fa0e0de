"""Turn a release into notification jobs, and open what delivering them needs.

The Python API behind ``policyctl notify``: :func:`enqueue_release`,
:func:`open_outbox`, :func:`open_channels`. Enqueueing needs no secrets:
only delivery does. Enqueueing is idempotent: the
outbox keeps one job per key ``document:version:channel:recipient``, so
running it twice (or a release that is retried) adds nothing.

Recipients are streamed from their file or command into the outbox in one
transaction: a million addresses are never held in memory, and a bad line
anywhere queues none of them.

One notice per change of policy: a release superseded by a later one before it
took effect is not notified (unless asked explicitly); the later release's notice
carries the superseded one's changes too, so a reader who never heard of it
learns everything that changes for them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from policykit.changelog import ChangeRecord, Entry, find_entry, read_entries
from policykit.errors import NotifyError
from policykit.model import Policy
from policykit.notify.channels import Channel, audience, open_channel
from policykit.notify.config import NotifyConfig, load_config, outbox_path
from policykit.notify.notice import build_notice, notice_problems
from policykit.notify.outbox import NewJob, Outbox


@dataclass(frozen=True)
class EnqueueReport:
    version: str
    planned: int
    added: int
    per_channel: dict[str, int]
    warnings: tuple[str, ...] = field(default=())

    def __str__(self) -> str:
        channels = ", ".join(f"{c}: {n}" for c, n in self.per_channel.items())
        # Recipients are streamed, not collected: a recipient listed twice counts as "already queued".
        return (f"{self.version}: {self.added} job(s) added, {self.planned - self.added} already queued "
                f"or listed twice ({channels})")


def open_outbox(root: Path, config: NotifyConfig | None, override: Path | str | None = None) -> Outbox:
    """The outbox: ``--outbox`` (a file, or a postgresql:// URL), else the config's ``url`` or ``path``."""
    text = str(override) if override is not None else None
    url = text if text and text.startswith(("postgresql://", "postgres://")) else None
    if url is None and text is None and config is not None:
        url = config.outbox.url
    if url is not None:
        from policykit.notify.postgres import PostgresOutbox

        return PostgresOutbox(url)
    from policykit.notify.sqlite import SQLiteOutbox

    return SQLiteOutbox(outbox_path(root, config, Path(text) if text is not None else None))


def open_channels(root: Path, config: NotifyConfig, env: Mapping[str, str]) -> dict[str, Channel]:
    return {spec.id: open_channel(spec, root=root, env=env) for spec in config.channels}


def _policy(root: Path) -> Policy | None:
    """The work tree's policy, for the localised title, contacts and base URL (None when it does not load)."""
    from policykit.load.project import load_project

    return load_project(root, level="schema").policy


def superseded_by(entry: Entry, entries: list[Entry]) -> Entry | None:
    """The later significant release that replaced ``entry`` before it took effect, or None.

    Only a significant one: its notice tells readers of ``entry``'s changes too. A later editorial
    or minor release sends no notice, so ``entry`` must still be notified."""
    later = [e for e in entries if e.document == entry.document and _order(e) > _order(entry) and e.significant]
    return next((e for e in later if e.published < entry.effective), None)


def superseded_note(root: Path, entry: Entry) -> str | None:
    """What ``release`` says when ``entry`` replaces releases not yet in force: they are not notified."""
    entries = read_entries(root)
    gone = []
    for e in entries:
        later = superseded_by(e, entries) if e.significant and e.version != entry.version else None
        if later is not None and later.version == entry.version:
            gone.append(e)
    if not gone:
        return None
    names = ", ".join(f"{e.version} (effective {e.effective})" for e in gone)
    return (f"{names} superseded before taking effect: not notified (`notify enqueue` refuses it); "
            f"{entry.version}'s notice carries its changes. Jobs of it already queued are still in the outbox")


def _order(e: Entry) -> tuple[int, ...]:
    return tuple(int(p) for p in e.version.split("."))


def carried(entry: Entry, entries: list[Entry]) -> Entry:
    """``entry`` with the significant changes of the releases it superseded before they took effect
    (a reader who was never told of those must learn of them now)."""
    extra: list[ChangeRecord] = []
    by_version = {e.version: e for e in entries}
    previous = by_version.get(entry.previous or "")
    while previous is not None and superseded_by(previous, entries) is not None and previous.significant:
        extra.extend(c for c in previous.changes if c.level == "significant")
        previous = by_version.get(previous.previous or "")
    return replace(entry, changes=(*entry.changes, *extra)) if extra else entry


class Notices:
    """The notice of a release per locale, built once each."""

    def __init__(self, entry: Entry, config: NotifyConfig, policy: Policy | None,
                 when: dt.datetime | None = None) -> None:
        self.entry, self.config, self.policy = entry, config, policy
        self.when = when or dt.datetime.now(dt.UTC)
        self.built: dict[str, dict[str, Any]] = {}

    def __call__(self, locale: str) -> dict[str, Any]:
        notice = self.built.get(locale)
        if notice is None:
            notice = self.built[locale] = build_notice(
                self.entry, locale=locale, source_locale=self.policy.source_locale if self.policy else "en",
                policy=self.policy, urls=self.config.urls, when=self.when)
        return notice


def plan_jobs(entry: Entry, config: NotifyConfig, root: Path, notices: Notices,
              per_channel: dict[str, int] | None = None) -> Iterator[NewJob]:
    """One job per channel and recipient, each with the notice in the recipient's locale; streamed."""
    for spec in config.channels:
        for recipient in audience(spec, root=root):
            if per_channel is not None:
                per_channel[spec.id] = per_channel.get(spec.id, 0) + 1
            yield NewJob(document=entry.document, version=entry.version, channel=spec.id,
                         recipient=recipient.address, locale=recipient.locale, notice=notices(recipient.locale),
                         identity=recipient.identity)


def prepare(root: Path, version: str, *, any_level: bool = False,
            superseded: bool = False) -> tuple[Entry, NotifyConfig, Notices]:
    """The entry (with what it carries), the config and the notices of ``version``; :class:`NotifyError`
    saying why it must not be notified. A release that ``validate`` rejects (edited, rewritten, deleted,
    moved tag …) is refused with every reason."""
    from policykit.integrity import verified_entries

    entries = verified_entries(root)
    entry = next((e for e in entries if e.version == version), None) or find_entry(root, version)
    if not entry.significant and not any_level:
        raise NotifyError(f"release {version} is {entry.level}: users need no notice of it "
                          "(use --any-level to notify anyway)")
    later = superseded_by(entry, entries)
    if later is not None and not superseded:
        raise NotifyError(f"release {version} (effective {entry.effective}) was superseded by {later.version}, "
                          f"published {later.published}, before it took effect: its readers are told by "
                          f"{later.version}'s notice, which carries these changes too. Notify {later.version} "
                          "instead (or give --superseded to send this one anyway)")
    config = load_config(root)
    entry = carried(entry, entries)
    return entry, config, Notices(entry, config, _policy(root))


def enqueue_release(root: Path, version: str, *, outbox: Path | str | None = None, any_level: bool = False,
                    superseded: bool = False) -> EnqueueReport:
    """Queue the notification jobs of release ``version``; idempotent, and all or nothing."""
    entry, config, notices = prepare(root, version, any_level=any_level, superseded=superseded)
    locales = {t for spec in config.channels for t in spec.locales}
    warnings: list[str] = []
    for tag in sorted(locales):
        notice = notices(tag)
        if notice["data"]["consent"] and notice["data"]["consent_url"] is None:
            # A notice that asks for consent without saying where to give it invites "continued use".
            raise NotifyError(f"release {version} needs fresh consent, but the notice cannot say where to give "
                              "it: set urls.consent in policy/notify.yaml (and base_url in policy/policy.yaml if "
                              "it uses {base_url}); nothing was queued")
        for problem in notice_problems(notice):
            if problem not in warnings:
                warnings.append(problem)
    for spec in config.channels:
        if spec.type == "email" and "unsubscribe" not in spec.options:
            warnings.append(f"channel {spec.id!r} has no `unsubscribe` URL: its e-mails carry no List-Unsubscribe "
                            "(RFC 8058 one-click; large mailbox providers expect it of bulk senders)")
    per_channel: dict[str, int] = {}
    box = open_outbox(root, config, outbox)
    try:
        added = box.enqueue(plan_jobs(entry, config, root, notices, per_channel))
    finally:
        box.close()
    return EnqueueReport(version=version, planned=sum(per_channel.values()), added=added,
                         per_channel=per_channel, warnings=tuple(warnings))
