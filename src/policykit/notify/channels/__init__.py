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

from collections.abc import Iterable, Mapping
from pathlib import Path

from policykit.notify.channels.base import (
    Channel,
    ChannelType,
    DeliveryError,
    Recipient,
    audience_by_locale,
    resolve_locale,
)
from policykit.notify.channels.command import CommandChannel
from policykit.notify.channels.mail import EmailChannel
from policykit.notify.channels.webhook import WebhookChannel
from policykit.notify.settings import ChannelSpec

__all__ = ["CHANNEL_TYPES", "Channel", "ChannelType", "DeliveryError", "Recipient", "audience",
           "audience_by_locale", "open_channel", "resolve_locale"]

CHANNEL_TYPES: dict[str, ChannelType] = {"webhook": WebhookChannel, "email": EmailChannel, "command": CommandChannel}


def open_channel(spec: ChannelSpec, *, root: Path, env: Mapping[str, str]) -> Channel:
    return CHANNEL_TYPES[spec.type].open(spec, root=root, env=env)


def audience(spec: ChannelSpec, *, root: Path) -> Iterable[Recipient]:
    return CHANNEL_TYPES[spec.type].audience(spec, root=root)
