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
from typing import Literal

from policykit.notify.channels import Channel, DeliveryError
from policykit.notify.config import OutboxSettings
from policykit.notify.outbox import Backoff, Job, Outbox, Outcome

Mode = Literal["once", "until-empty", "forever"]
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

    def attempt(self, job: Job) -> Outcome:
        """Deliver one job and decide what happens next. Runs in a worker thread."""
        channel = self.channels.get(job.channel)
        if channel is None:
            return Outcome(job, "dead", f"channel {job.channel!r} is no longer in policy/notify.yaml")
        try:
            channel.deliver(job)
        except DeliveryError as exc:
            if exc.permanent:
                return Outcome(job, "dead", str(exc))
            if job.attempt >= self.settings.max_attempts:
                return Outcome(job, "dead", f"{exc} (gave up after {job.attempt} attempts)")
            delay = max(self.backoff.delay(job.attempt, self.rng), exc.retry_after or 0.0)
            return Outcome(job, "retry", str(exc), self.clock() + delay)
        except Exception as exc:  # a channel's bug must not kill the pool or lose the job
            delay = self.backoff.delay(job.attempt, self.rng)
            return Outcome(job, "retry", f"unexpected {type(exc).__name__}: {exc}", self.clock() + delay)
        return Outcome(job, "delivered")

    def run(self, mode: Mode = "until-empty", *, stop: threading.Event | None = None, poll: float = 1.0,
            on_outcome: Callable[[Outcome], None] | None = None) -> DeliveryReport:
        stop = stop or threading.Event()
        report = DeliveryReport()
        due_before = self.clock() if mode == "once" else None
        running: dict[Future[Outcome], Job] = {}
        read_ahead = 2 * self.workers
        with ThreadPoolExecutor(self.workers, thread_name_prefix="notify") as pool:
            try:
                while True:
                    if not stop.is_set() and len(running) <= self.workers:
                        for job in self.outbox.claim(read_ahead - len(running), lease=self.settings.lease,
                                                     max_attempts=self.settings.max_attempts,
                                                     due_before=due_before):
                            running[pool.submit(self.attempt, job)] = job
                    if not running:
                        if stop.is_set() or mode == "once":
                            break
                        due = self.outbox.next_due()
                        if due is None and mode == "until-empty":
                            break
                        stop.wait(poll if due is None else min(poll, max(0.01, due - self.clock())))
                        continue
                    done, _ = wait(running, timeout=poll, return_when=FIRST_COMPLETED)
                    if done and len(done) < self.workers:
                        # Gather a few more before writing: one transaction per batch, not per job.
                        more, _ = wait(set(running) - done, timeout=BATCH_WINDOW, return_when=ALL_COMPLETED)
                        done |= more
                    self._settle(done, running, report, on_outcome)
            finally:
                # Interrupted or not: finish and record what is already out, so no delivery goes unrecorded.
                if running:
                    done, _ = wait(running)
                    self._settle(done, running, report, on_outcome)
        return report

    def _settle(self, done: set[Future[Outcome]], running: dict[Future[Outcome], Job], report: DeliveryReport,
                on_outcome: Callable[[Outcome], None] | None) -> None:
        outcomes = []
        for future in done:
            running.pop(future)
            outcomes.append(future.result())
        self.outbox.settle(outcomes)
        for outcome in outcomes:
            report.add(outcome)
            if on_outcome:
                on_outcome(outcome)
