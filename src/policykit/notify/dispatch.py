"""Deliver due jobs with a bounded pool of worker threads.

One dispatcher thread owns the outbox: it claims jobs in small batches (a
read-ahead of one batch per worker count keeps the workers busy between
claims), hands them to the pool, and settles the outcomes in one transaction
per batch. Workers only call ``channel.deliver``. Delivery is I/O-bound (SMTP,
HTTP, a subprocess), so threads suffice and a slow receiver holds one worker,
not the whole run.

Modes: ``once`` delivers what is due when it starts and returns; ``until-empty``
keeps going, sleeping until the next retry is due, until no job is left that
can still be delivered; ``forever`` polls until ``stop`` is set.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ALL_COMPLETED, FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Literal, TypeVar

from policykit.notify.channels import Channel, DeliveryError
from policykit.notify.config import OutboxSettings
from policykit.notify.outbox import Backoff, Job, Outbox, OutboxUnavailable, Outcome

Mode = Literal["once", "until-empty", "forever"]
T = TypeVar("T")
BATCH_WINDOW = 0.02  # seconds to gather outcomes into one transaction; small next to any delivery's latency


@dataclass
class DeliveryReport:
    delivered: int = 0
    retrying: int = 0
    dead: int = 0

    def add(self, outcome: Outcome) -> None:
        if outcome.result == "delivered":
            self.delivered += 1
        elif outcome.result == "retry":
            self.retrying += 1
        else:
            self.dead += 1

    def __str__(self) -> str:
        return f"{self.delivered} delivered, {self.retrying} to retry, {self.dead} dead"


class Dispatcher:
    def __init__(self, outbox: Outbox, channels: Mapping[str, Channel], settings: OutboxSettings, *,
                 workers: int | None = None, clock: Callable[[], float] = time.time,
                 rng: random.Random | None = None) -> None:
        self.outbox = outbox
        self.channels = channels
        self.settings = settings
        self.workers = workers or settings.workers
        self.clock = clock
        self.backoff = Backoff(settings.backoff_initial, settings.backoff_max)
        self.rng = rng or random.Random()
        self.unavailable = False  # the outbox did not answer the last call (its database restarting)
        self.on_unavailable: Callable[[str], None] | None = None  # told why, then "" once it is back

    def attempt(self, job: Job) -> Outcome:
        """Deliver one job and decide what happens next. Runs in a worker thread."""
        if job.damage is not None:
            return Outcome(job, "dead", f"job #{job.id} {job.key}: {job.damage}")
        channel = self.channels.get(job.channel)
        if channel is None:
            return Outcome(job, "dead", f"channel {job.channel!r} is no longer in policy/notify.yaml")
        try:
            channel.deliver(job)
        except DeliveryError as exc:
            if exc.permanent:
                return Outcome(job, "dead", str(exc))
            return self._again(job, str(exc), exc.retry_after)
        except Exception as exc:  # a channel's bug must not kill the pool or lose the job, nor retry it forever
            return self._again(job, f"unexpected {type(exc).__name__}: {exc}", None)
        return Outcome(job, "delivered")

    def _again(self, job: Job, error: str, retry_after: float | None) -> Outcome:
        if job.attempt >= self.settings.max_attempts:
            return Outcome(job, "dead", f"{error} (gave up after {job.attempt} attempts)")
        # The receiver's Retry-After is honoured up to the backoff's maximum: an answer of "in a thousand
        # years" must not park a notice that the law wants delivered before a date.
        wish = min(retry_after or 0.0, self.backoff.maximum)
        delay = max(self.backoff.delay(job.attempt, self.rng), wish)
        return Outcome(job, "retry", error, self.clock() + delay)

    def run(self, mode: Mode = "until-empty", *, stop: threading.Event | None = None, poll: float = 1.0,
            on_outcome: Callable[[Outcome], None] | None = None) -> DeliveryReport:
        stop = stop or threading.Event()
        report = DeliveryReport()
        due_before = self.clock() if mode == "once" else None
        running: dict[Future[Outcome], Job] = {}
        unsettled: list[Outcome] = []
        read_ahead = 2 * self.workers
        # Leases are renewed three times per lease while their deliveries run, so a job is taken over only
        # when its worker is really gone, never while it is slow.
        heartbeat = max(0.05, self.settings.lease / 3)
        renewed = time.monotonic()
        with ThreadPoolExecutor(self.workers, thread_name_prefix="notify") as pool:
            try:
                while True:
                    if running and time.monotonic() - renewed >= heartbeat:
                        self._store(lambda: self.outbox.renew(running.values(), lease=self.settings.lease), stop)
                        renewed = time.monotonic()
                    if not stop.is_set() and len(running) <= self.workers:
                        claimed = self._store(lambda: self.outbox.claim(
                            read_ahead - len(running), lease=self.settings.lease,
                            max_attempts=self.settings.max_attempts, due_before=due_before), stop) or []
                        if claimed and not running:
                            renewed = time.monotonic()
                        for job in claimed:
                            running[pool.submit(self.attempt, job)] = job
                    if not running:
                        if stop.is_set() or mode == "once":
                            break
                        due = self._store(self.outbox.next_due, stop)
                        if due is None and mode == "until-empty" and not self.unavailable:
                            break
                        stop.wait(poll if due is None else min(poll, max(0.01, due - self.clock())))
                        continue
                    done, _ = wait(running, timeout=min(poll, heartbeat), return_when=FIRST_COMPLETED)
                    if done and len(done) < self.workers:
                        # Gather a few more before writing: one transaction per batch, not per job.
                        more, _ = wait(set(running) - done, timeout=BATCH_WINDOW, return_when=ALL_COMPLETED)
                        done |= more
                    self._settle(done, running, unsettled, report, on_outcome, stop)
            finally:
                # Interrupted or not: finish and record what is already out, so no delivery goes unrecorded.
                if running:
                    done, _ = wait(running)
                    self._settle(done, running, unsettled, report, on_outcome, stop)
        return report

    def _store(self, call: Callable[[], T], stop: threading.Event) -> T | None:
        """Call the outbox; while it is unavailable (its server restarting), wait and try again.

        Gives None when ``stop`` is set before it answers. Deliveries already out keep running;
        their outcomes are recorded once the outbox is back (or, if their leases ran out meanwhile,
        the jobs are delivered again under the same key: at least once, never lost).
        """
        wait_for = 0.1
        while True:
            try:
                result = call()
            except OutboxUnavailable as exc:
                if not self.unavailable and self.on_unavailable is not None:
                    self.on_unavailable(str(exc))
                self.unavailable = True
                if stop.wait(wait_for):
                    return None
                wait_for = min(wait_for * 2, 5.0)
                continue
            if self.unavailable and self.on_unavailable is not None:
                self.on_unavailable("")
            self.unavailable = False
            return result

    def _settle(self, done: set[Future[Outcome]], running: dict[Future[Outcome], Job], unsettled: list[Outcome],
                report: DeliveryReport, on_outcome: Callable[[Outcome], None] | None,
                stop: threading.Event) -> None:
        outcomes = []
        for future in done:
            running.pop(future)
            outcomes.append(future.result())
        unsettled.extend(outcomes)
        if not unsettled:
            return
        batch = list(unsettled)
        # None only when stopped while the outbox is away: those leases run out and the jobs go out
        # again under the same key.
        self._store(lambda: self.outbox.settle(batch), stop)
        unsettled.clear()
        for outcome in outcomes:
            report.add(outcome)
            if on_outcome:
                on_outcome(outcome)
