"""What every channel shares: the :class:`Channel` and :class:`ChannelType` protocols, the
:class:`Recipient` of a delivery, and :class:`DeliveryError`. The registry of channel types is
:mod:`policykit.notify.channels`; a channel type's module imports only this one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from policykit.diagnostics import Diagnostic
from policykit.notify.outbox import Job
from policykit.notify.settings import ChannelSpec


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
