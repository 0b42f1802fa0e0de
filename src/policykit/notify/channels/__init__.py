"""Channels: how a job reaches its recipient. A Protocol and an explicit registry.

Adding a channel type is one module here and one line in :data:`CHANNEL_TYPES`.
A channel type is a class with three class methods — ``check`` (validate its
part of ``policy/notify.yaml``, no side effects, no secrets), ``audience``
(who a release goes to; no secrets either, so jobs can be queued where the
delivery credentials are not available) and ``open`` (read secrets from the
environment, return a ready :class:`Channel`).

A channel sees only :class:`~policykit.notify.outbox.Job` and reports a failed
delivery by raising :class:`DeliveryError` — it never touches the outbox, so
any outbox (SQLite, a broker-backed queue) drives every channel.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from policykit.diagnostics import Diagnostic
from policykit.notify.config import ChannelSpec
from policykit.notify.outbox import Job


class DeliveryError(Exception):
    """A delivery did not succeed. Permanent ones make the job dead at once; others are retried.

    ``retry_after`` (seconds) is the receiver's own wish (HTTP ``Retry-After``);
    the dispatcher waits at least that long.
    """

    def __init__(self, message: str, *, permanent: bool = False, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after


@dataclass(frozen=True)
class Recipient:
    """One member of a channel's audience: where to send (``address``) and who it is (``key``, which goes
    into the idempotency key; for an e-mail address, its case-insensitive form)."""

    address: str
    locale: str
    key: str = ""

    @property
    def identity(self) -> str:
        return self.key or self.address


class Channel(Protocol):
    """An open channel. ``deliver`` is called from several worker threads at once."""

    id: str

    def deliver(self, job: Job) -> None:
        """Deliver one job, or raise :class:`DeliveryError`."""

    def close(self) -> None:
        """Close connections; called once when delivery ends."""


class ChannelType(Protocol):
    def check(self, spec: ChannelSpec, problems: list[Diagnostic]) -> None:
        """Append a diagnostic for every problem of ``spec``'s options."""

    def audience(self, spec: ChannelSpec, *, root: Path) -> Iterable[Recipient]:
        """Who a release is sent to on this channel, each with a locale of ``spec.locales``; streamed (a
        million addresses are never held in memory), so a problem may be raised after some were yielded."""

    def open(self, spec: ChannelSpec, *, root: Path, env: Mapping[str, str]) -> Channel:
        """A ready channel; :class:`~policykit.errors.NotifyError` when a secret or file is missing."""


def resolve_locale(wanted: str, offered: Sequence[str]) -> str:
    """The locale of ``offered`` to write to someone who reads ``wanted`` (``pt-BR → pt``, else the first)."""
    parts = wanted.split("-")
    for i in range(len(parts), 0, -1):
        tag = "-".join(parts[:i])
        for candidate in offered:
            if candidate.lower() == tag.lower():
                return candidate
    return offered[0]


def audience_by_locale(spec: ChannelSpec, *, root: Path) -> list[Recipient]:
    """The audience of a channel that addresses a locale, not a person (webhook, command)."""
    return [Recipient(address=tag, locale=tag) for tag in spec.locales]


def _types() -> dict[str, ChannelType]:
    from policykit.notify.channels.command import CommandChannel
    from policykit.notify.channels.mail import EmailChannel
    from policykit.notify.channels.webhook import WebhookChannel

    return {"webhook": WebhookChannel, "email": EmailChannel, "command": CommandChannel}


CHANNEL_TYPES: dict[str, ChannelType] = _types()


def open_channel(spec: ChannelSpec, *, root: Path, env: Mapping[str, str]) -> Channel:
    return CHANNEL_TYPES[spec.type].open(spec, root=root, env=env)


def audience(spec: ChannelSpec, *, root: Path) -> Iterable[Recipient]:
    return CHANNEL_TYPES[spec.type].audience(spec, root=root)
