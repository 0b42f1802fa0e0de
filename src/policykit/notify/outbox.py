"""The outbox interface: where notification jobs wait, and how retries are spaced.

A job moves through these states::

    pending ──claim──► in-flight ──delivered──► delivered
       ▲                 │   │
       │                 │   └──permanent error, or out of attempts──► dead
       │                 └──transient error──► failed-retrying ──(next_attempt due)──┐
       └──── retry (by hand) ◄── dead                                                │
                         in-flight whose lease expired (worker lost) ◄── claim ◄─────┘

:class:`Outbox` is a Protocol with two implementations: :mod:`.sqlite` (the
embedded default, one file) and :mod:`.postgres` (one queue shared by delivery
processes on several machines). Channels see only :class:`Job`, the dispatcher
only this interface; ``tests/notify/test_notify_outbox.py`` runs against both.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from policykit.errors import NotifyError


class OutboxUnavailable(NotifyError):
    """The outbox's server does not answer (restarting, network): try again later; nothing is lost."""


State = Literal["pending", "in-flight", "delivered", "failed-retrying", "dead"]
STATES: tuple[State, ...] = ("pending", "in-flight", "delivered", "failed-retrying", "dead")


def job_key(document: str, version: str, channel: str, recipient: str) -> str:
    """The idempotency key: the same release, channel and recipient always give the same key."""
    return f"{document}:{version}:{channel}:{recipient}"


@dataclass(frozen=True)
class NewJob:
    """A job to enqueue: who gets which notice on which channel."""

    document: str
    version: str
    channel: str
    recipient: str  # an address (email) or an audience locale (webhook, command)
    locale: str
    notice: Mapping[str, Any]
    identity: str = ""  # who the recipient is, for the key (an address in lower case); default: ``recipient``

    @property
    def key(self) -> str:
        return job_key(self.document, self.version, self.channel, self.identity or self.recipient)


@dataclass(frozen=True)
class Job:
    """A claimed job, handed to a channel. ``attempt`` counts this delivery (1 = first)."""

    id: int
    key: str
    document: str
    version: str
    channel: str
    recipient: str
    locale: str
    notice: Mapping[str, Any] = field(repr=False)
    attempt: int
    token: str = field(default="", repr=False)  # the lease this claim holds
    damage: str | None = None  # why the stored row cannot be delivered (it is made dead, naming the job)

    def as_json(self) -> dict[str, Any]:
        """What a command channel receives on stdin."""
        return {
            "key": self.key, "document": self.document, "version": self.version, "channel": self.channel,
            "recipient": self.recipient, "locale": self.locale, "attempt": self.attempt,
            "notice": dict(self.notice),
        }


@dataclass(frozen=True)
class JobRecord:
    """A job as the outbox holds it (for status and retry)."""

    id: int
    key: str
    version: str
    channel: str
    recipient: str
    state: State
    attempts: int
    next_attempt: float | None
    last_error: str | None


@dataclass(frozen=True)
class ChannelProgress:
    """How far one channel's jobs are (for ``notify status``): counts per state and the delivery rate."""

    channel: str
    counts: dict[State, int]
    delivered_last_minute: int
    delivered_last_hour: int
    first_delivered: float | None
    last_delivered: float | None

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def done(self) -> float:
        """The share of jobs settled for good (delivered or dead)."""
        return (self.counts["delivered"] + self.counts["dead"]) / self.total if self.total else 1.0

    @property
    def rate(self) -> float:
        """Jobs delivered per second over the last minute."""
        return self.delivered_last_minute / 60.0


@dataclass(frozen=True)
class Outcome:
    """What happened to a claimed job: delivered, retry at ``retry_at``, or dead."""

    job: Job
    result: Literal["delivered", "retry", "dead"]
    error: str | None = None
    retry_at: float | None = None


class Outbox(Protocol):
    """A durable queue of notification jobs, unique by idempotency key."""

    def enqueue(self, jobs: Iterable[NewJob]) -> int:
        """Add the jobs whose key is not there yet; return how many were added."""

    def claim(self, limit: int, *, lease: float, max_attempts: int, due_before: float | None = None) -> list[Job]:
        """Lease up to ``limit`` due jobs (pending, retry due, or with an expired lease) to the caller.

        A job whose lease expired after ``max_attempts`` attempts becomes dead instead.
        ``due_before`` limits claims to jobs due by then (a single pass).
        """

    def settle(self, outcomes: Iterable[Outcome]) -> None:
        """Record what happened to claimed jobs. A stale lease (claimed again since) is ignored."""

    def renew(self, jobs: Iterable[Job], *, lease: float) -> int:
        """Extend the leases of jobs still being delivered (a living worker's heartbeat); return how many
        were still held. A job whose lease was lost is not taken back."""

    def progress(self, version: str | None = None) -> list[ChannelProgress]:
        """Per channel: counts per state and the recent delivery rate (of ``version``)."""

    def counts(self, version: str | None = None) -> dict[State, int]:
        """How many jobs are in each state (of ``version``)."""

    def jobs(self, *, state: State | None = None, version: str | None = None, limit: int = 100) -> list[JobRecord]:
        """Jobs in ``state`` (of ``version``), oldest first."""

    def retry(self, *, job: str | None = None, dead: bool = False) -> int:
        """Make a job (by id or key) or every dead job pending again, attempts reset; return how many."""

    def next_due(self) -> float | None:
        """When the next job becomes claimable (now or later); None when none is left to deliver."""

    def close(self) -> None:
        """Release the store."""


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with jitter, capped: attempt n waits between ½ and 1 × initial·2ⁿ⁻¹.

    The jitter ("equal jitter": a uniform draw between half and all of the
    step) spreads the retries of many jobs that failed together, so a
    recovering receiver is not hit by all of them at once, while every retry
    still waits at least half its step.
    """

    initial: float = 30.0
    maximum: float = 6 * 3600.0

    def delay(self, attempt: int, rng: random.Random | None = None) -> float:
        cap = min(self.maximum, self.initial * 2 ** max(0, attempt - 1))
        return (rng or random).uniform(cap / 2, cap)
