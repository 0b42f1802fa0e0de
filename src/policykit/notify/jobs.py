"""Turn a release into notification jobs, and open what delivering them needs.

The Python API behind ``policyctl notify``: :func:`enqueue_release`,
:func:`open_outbox`, :func:`open_channels`. Enqueueing needs no secrets:
only delivery does. Enqueueing is idempotent: the
outbox keeps one job per key ``document:version:channel:recipient``, so
running it twice (or a release that is retried) adds nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from policykit.changelog import Entry
from policykit.errors import NotifyError
from policykit.model import Policy
from policykit.notify.channels import Channel, audience, open_channel
from policykit.notify.config import NotifyConfig, load_config, outbox_path
from policykit.notify.notice import build_notice
from policykit.notify.outbox import NewJob, Outbox


@dataclass(frozen=True)
class EnqueueReport:
    version: str
    planned: int
    added: int
    per_channel: dict[str, int]

    def __str__(self) -> str:
        channels = ", ".join(f"{c}: {n}" for c, n in self.per_channel.items())
        return (f"{self.version}: {self.added} job(s) added, {self.planned - self.added} already queued "
                f"({channels})")


def open_outbox(root: Path, config: NotifyConfig | None, override: Path | None = None) -> Outbox:
    from policykit.notify.sqlite import SQLiteOutbox

    return SQLiteOutbox(outbox_path(root, config, override))


def open_channels(root: Path, config: NotifyConfig, env: Mapping[str, str]) -> dict[str, Channel]:
    return {spec.id: open_channel(spec, root=root, env=env) for spec in config.channels}


def _policy(root: Path) -> Policy | None:
    """The work tree's policy, for the localised title and base URL (None when it does not load)."""
    from policykit.load import FileSource, load_project

    return load_project(FileSource(root)).policy


def plan_jobs(entry: Entry, config: NotifyConfig, root: Path, policy: Policy | None) -> list[NewJob]:
    """One job per channel and recipient, each with the notice in the recipient's locale."""
    source_locale = policy.source_locale if policy else "en"
    notices: dict[str, dict[str, object]] = {}
    jobs = []
    for spec in config.channels:
        for recipient in audience(spec, root=root):
            notice = notices.get(recipient.locale)
            if notice is None:
                notice = notices[recipient.locale] = build_notice(
                    entry, locale=recipient.locale, source_locale=source_locale, policy=policy, urls=config.urls)
            jobs.append(NewJob(document=entry.document, version=entry.version, channel=spec.id,
                               recipient=recipient.address, locale=recipient.locale, notice=notice))
    return jobs


def enqueue_release(root: Path, version: str, *, outbox: Path | None = None,
                    any_level: bool = False) -> EnqueueReport:
    """Queue the notification jobs of release ``version``; idempotent. A release that ``validate``
    rejects (edited, rewritten, deleted, moved tag …) is refused with every reason."""
    from policykit.integrity import verified_entry

    entry = verified_entry(root, version)
    if not entry.significant and not any_level:
        raise NotifyError(f"release {version} is {entry.level}: users need no notice of it "
                          "(use --any-level to notify anyway)")
    config = load_config(root)
    jobs = plan_jobs(entry, config, root, _policy(root))
    box = open_outbox(root, config, outbox)
    try:
        added = box.enqueue(jobs)
    finally:
        box.close()
    per_channel: dict[str, int] = {}
    for job in jobs:
        per_channel[job.channel] = per_channel.get(job.channel, 0) + 1
    return EnqueueReport(version=version, planned=len(jobs), added=added, per_channel=per_channel)
