"""The outbox (SQLite and PostgreSQL: the same tests for both) and the dispatcher, through their interfaces,
with an in-memory channel as the seam."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from notify_project import Clock

from policykit.errors import NotifyError
from policykit.notify.channels import DeliveryError
from policykit.notify.config import OutboxSettings
from policykit.notify.dispatch import Dispatcher
from policykit.notify.outbox import Backoff, Job, NewJob, Outbox, Outcome
from policykit.notify.sqlite import SQLiteOutbox

NOTICE = {"type": "policy.updated", "timestamp": "2026-05-04T00:00:00Z", "data": {"version": "9.0.0"}}
MakeBox = Callable[..., Outbox]


def jobs(n: int, channel: str = "mem", version: str = "9.0.0") -> list[NewJob]:
    return [NewJob("privacy-policy", version, channel, f"user{i}@example.com", "en", NOTICE) for i in range(n)]


def test_enqueue_twice_adds_nothing_the_second_time(box: Outbox) -> None:
    assert box.enqueue(jobs(3)) == 3
    assert box.enqueue(jobs(3)) == 0
    assert box.enqueue(jobs(4)) == 1
    assert box.counts()["pending"] == 4


def test_the_key_is_document_version_channel_recipient(box: Outbox) -> None:
    box.enqueue(jobs(1))
    [job] = box.claim(10, lease=60, max_attempts=5)
    assert job.key == "privacy-policy:9.0.0:mem:user0@example.com"
    assert job.notice == NOTICE and job.attempt == 1


def test_a_claimed_job_is_not_claimed_again_while_its_lease_holds(box: Outbox, clock: Clock) -> None:
    box.enqueue(jobs(2))
    first = box.claim(10, lease=60, max_attempts=5)
    assert len(first) == 2
    clock.now += 59
    assert box.claim(10, lease=60, max_attempts=5) == []
    assert box.counts()["in-flight"] == 2


def test_an_expired_lease_is_claimed_again_with_the_same_key_and_the_attempt_counted(
        box: Outbox, clock: Clock) -> None:
    box.enqueue(jobs(1))
    [lost] = box.claim(10, lease=60, max_attempts=5)  # the worker holding it dies
    clock.now += 61
    [again] = box.claim(10, lease=60, max_attempts=5)
    assert again.key == lost.key and again.attempt == 2
    assert "lease expired" in (box.jobs(state="in-flight")[0].last_error or "")


def test_a_stale_lease_cannot_overwrite_the_newer_state(box: Outbox, clock: Clock) -> None:
    box.enqueue(jobs(1))
    [old] = box.claim(1, lease=60, max_attempts=5)
    clock.now += 61
    [new] = box.claim(1, lease=60, max_attempts=5)
    box.settle([Outcome(new, "delivered")])
    box.settle([Outcome(old, "dead", "late worker thinks it failed")])
    assert box.counts()["delivered"] == 1 and box.counts()["dead"] == 0


def test_a_job_whose_lease_expires_after_the_last_attempt_is_dead(box: Outbox, clock: Clock) -> None:
    box.enqueue(jobs(1))
    for _ in range(3):
        assert box.claim(1, lease=60, max_attempts=3)
        clock.now += 61
    assert box.claim(1, lease=60, max_attempts=3) == []
    [dead] = box.jobs(state="dead")
    assert dead.attempts == 3 and "lease expired 3 time(s)" in (dead.last_error or "")


def test_a_retry_waits_for_its_time(box: Outbox, clock: Clock) -> None:
    box.enqueue(jobs(1))
    [job] = box.claim(1, lease=60, max_attempts=5)
    box.settle([Outcome(job, "retry", "HTTP 503", retry_at=clock.now + 30)])
    assert box.claim(1, lease=60, max_attempts=5) == []
    assert box.next_due() == clock.now + 30
    clock.now += 30
    [again] = box.claim(1, lease=60, max_attempts=5)
    assert again.attempt == 2
    assert box.jobs(state="in-flight")[0].last_error == "HTTP 503"


def test_once_claims_only_what_was_due_when_it_started(box: Outbox, clock: Clock) -> None:
    box.enqueue(jobs(1))
    start = clock.now
    clock.now += 5
    box.enqueue(jobs(2))  # queued after the pass started
    assert len(box.claim(10, lease=60, max_attempts=5, due_before=start)) == 1


def test_retry_by_key_by_id_and_all_dead(box: Outbox) -> None:
    box.enqueue(jobs(3))
    claimed = box.claim(3, lease=60, max_attempts=5)
    box.settle([Outcome(j, "dead", "HTTP 410 Gone") for j in claimed])
    assert box.retry(job=claimed[0].key) == 1
    assert box.retry(job=str(claimed[1].id)) == 1
    assert box.counts()["dead"] == 1
    assert box.retry(dead=True) == 1
    assert box.counts()["pending"] == 3
    with pytest.raises(NotifyError, match="only dead or failed-retrying"):
        box.retry(job=claimed[0].key)
    with pytest.raises(NotifyError, match="no job"):
        box.retry(job="privacy-policy:9.0.0:mem:nobody@example.com")


def test_nothing_left_to_deliver_means_no_next_due(box: Outbox) -> None:
    assert box.next_due() is None
    box.enqueue(jobs(1))
    [job] = box.claim(1, lease=60, max_attempts=5)
    assert box.next_due() is not None  # in flight: due again when its lease expires
    box.settle([Outcome(job, "delivered")])
    assert box.next_due() is None


def test_jobs_survive_reopening_the_outbox(make_box: MakeBox) -> None:
    a = make_box()
    a.enqueue(jobs(5))
    a.close()
    assert make_box().counts()["pending"] == 5


def test_a_file_that_is_not_an_outbox_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "outbox.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(NotifyError, match="cannot open the outbox"):
        SQLiteOutbox(path)


def test_backoff_doubles_with_jitter_and_a_cap() -> None:
    rng = random.Random(7)
    b = Backoff(initial=10, maximum=100)
    for attempt, cap in [(1, 10), (2, 20), (3, 40), (4, 80), (5, 100), (9, 100)]:
        delays = [b.delay(attempt, rng) for _ in range(200)]
        assert all(cap / 2 <= d <= cap for d in delays)
        assert max(delays) - min(delays) > cap / 4  # jittered, not all the same


# -- the dispatcher, with an in-memory channel ------------------------------------------------

class MemoryChannel:
    """Fails each recipient ``fail[recipient]`` times (transiently, or permanently if listed)."""

    id = "mem"

    def __init__(self, fail: dict[str, int] | None = None, permanent: set[str] | None = None,
                 crash: set[str] | None = None) -> None:
        self.fail = dict(fail or {})
        self.permanent = permanent or set()
        self.crash = crash or set()
        self.delivered: list[str] = []
        self.attempts: list[tuple[str, int]] = []
        self.lock = threading.Lock()

    def deliver(self, job: Job) -> None:
        with self.lock:
            self.attempts.append((job.recipient, job.attempt))
            if job.recipient in self.crash:
                self.crash.discard(job.recipient)
                raise KeyError("a bug in the channel")
            if job.recipient in self.permanent:
                raise DeliveryError("HTTP 410 Gone", permanent=True)
            if self.fail.get(job.recipient, 0) > 0:
                self.fail[job.recipient] -= 1
                raise DeliveryError("HTTP 503")
            self.delivered.append(job.recipient)

    def close(self) -> None:
        pass


SETTINGS = OutboxSettings(workers=4, lease=30, max_attempts=4, backoff_initial=0.01, backoff_max=0.05)


def test_dispatcher_retries_transient_failures_then_delivers(make_box: MakeBox) -> None:
    box = make_box()
    box.enqueue(jobs(20))
    channel = MemoryChannel(fail={"user3@example.com": 2, "user4@example.com": 3})
    report = Dispatcher(box, {"mem": channel}, SETTINGS).run("until-empty")
    assert sorted(channel.delivered) == sorted(f"user{i}@example.com" for i in range(20))
    assert report.delivered == 20 and report.retrying == 5 and report.dead == 0
    assert ("user4@example.com", 4) in channel.attempts
    assert box.counts()["delivered"] == 20


def test_dispatcher_gives_up_after_max_attempts_and_kills_permanent_failures_at_once(make_box: MakeBox) -> None:
    box = make_box()
    box.enqueue(jobs(3))
    channel = MemoryChannel(fail={"user0@example.com": 99}, permanent={"user1@example.com"})
    Dispatcher(box, {"mem": channel}, SETTINGS).run("until-empty")
    dead = {j.recipient: j for j in box.jobs(state="dead")}
    assert dead["user0@example.com"].attempts == 4 and "gave up after 4" in (dead["user0@example.com"].last_error or "")
    assert dead["user1@example.com"].attempts == 1 and "410" in (dead["user1@example.com"].last_error or "")
    assert box.counts()["delivered"] == 1


def test_a_bug_in_a_channel_is_retried_not_lost(make_box: MakeBox) -> None:
    box = make_box()
    box.enqueue(jobs(2))
    channel = MemoryChannel(crash={"user1@example.com"})
    Dispatcher(box, {"mem": channel}, SETTINGS).run("until-empty")
    assert box.counts()["delivered"] == 2


def test_a_job_for_a_channel_no_longer_configured_is_dead_with_the_reason(make_box: MakeBox) -> None:
    box = make_box()
    box.enqueue(jobs(1, channel="old-channel"))
    Dispatcher(box, {"mem": MemoryChannel()}, SETTINGS).run("until-empty")
    [dead] = box.jobs(state="dead")
    assert "no longer in policy/notify.yaml" in (dead.last_error or "")


def test_once_does_not_wait_for_retries(make_box: MakeBox) -> None:
    box = make_box()
    box.enqueue(jobs(2))
    channel = MemoryChannel(fail={"user0@example.com": 1})
    slow = OutboxSettings(workers=2, lease=30, max_attempts=4, backoff_initial=3600, backoff_max=3600)
    report = Dispatcher(box, {"mem": channel}, slow).run("once")
    assert report.delivered == 1 and report.retrying == 1
    assert box.counts()["failed-retrying"] == 1


def test_the_pool_never_runs_more_deliveries_at_once_than_workers(make_box: MakeBox) -> None:
    box = make_box()
    box.enqueue(jobs(40))
    active, peak, lock = 0, 0, threading.Lock()
    gate = threading.Event()

    class Counting(MemoryChannel):
        def deliver(self, job: Job) -> None:
            nonlocal active, peak
            with lock:
                active += 1
                peak = max(peak, active)
            gate.wait(0.002)
            with lock:
                active -= 1

    Dispatcher(box, {"mem": Counting()}, SETTINGS, workers=3).run("until-empty")
    assert peak <= 3 and box.counts()["delivered"] == 40


def test_an_unexpected_error_in_a_channel_counts_against_max_attempts(make_box: MakeBox) -> None:
    box = make_box()
    box.enqueue(jobs(1))
    channel = MemoryChannel(crash={"user0@example.com"})
    channel.crash = type("Always", (set,), {"discard": lambda self, x: None})({"user0@example.com"})
    Dispatcher(box, {"mem": channel}, SETTINGS).run("until-empty")
    [dead] = box.jobs(state="dead")
    assert dead.attempts == SETTINGS.max_attempts and "unexpected KeyError" in (dead.last_error or "")


def test_retry_after_is_honoured_only_up_to_the_backoff_maximum(make_box: MakeBox) -> None:
    class Later(MemoryChannel):
        def deliver(self, job: Job) -> None:
            raise DeliveryError("HTTP 503", retry_after=1e15)

    box = make_box()
    box.enqueue(jobs(1))
    settings = OutboxSettings(workers=1, lease=30, max_attempts=4, backoff_initial=10, backoff_max=60)
    started = time.time()
    Dispatcher(box, {"mem": Later()}, settings).run("once")
    [job] = box.jobs(state="failed-retrying")
    assert job.next_attempt is not None and job.next_attempt <= started + 61


def test_a_living_worker_renews_its_lease_so_no_other_claims_its_job(make_box: MakeBox) -> None:
    box, other = make_box(), make_box()
    box.enqueue(jobs(1))
    started = threading.Event()

    class Slow(MemoryChannel):
        def deliver(self, job: Job) -> None:
            started.set()
            time.sleep(1.0)  # five leases long
            super().deliver(job)

    settings = OutboxSettings(workers=1, lease=0.2, max_attempts=2, backoff_initial=0.01, backoff_max=0.05)
    channel = Slow()
    runner = threading.Thread(target=lambda: Dispatcher(box, {"mem": channel}, settings).run("until-empty"))
    runner.start()
    assert started.wait(10)
    stolen = []
    for _ in range(8):
        time.sleep(0.1)
        stolen += other.claim(1, lease=0.2, max_attempts=2)
    runner.join(10)
    assert stolen == [] and channel.delivered == ["user0@example.com"]
    assert other.counts()["delivered"] == 1 and other.counts()["dead"] == 0


def test_a_stream_that_fails_half_way_queues_nothing(box: Outbox) -> None:
    def stream() -> Iterator[NewJob]:
        yield from jobs(5)
        raise NotifyError("recipients.txt:6: expected `ADDRESS [LOCALE]`")

    with pytest.raises(NotifyError, match=":6:"):
        box.enqueue(stream())
    assert sum(box.counts().values()) == 0
    assert box.enqueue(jobs(5)) == 5


def test_progress_per_channel_counts_and_rates(box: Outbox, clock: Clock) -> None:
    box.enqueue(jobs(4, channel="a") + jobs(2, channel="b"))
    claimed = box.claim(10, lease=60, max_attempts=5)
    box.settle([Outcome(j, "delivered") for j in claimed if j.channel == "a"][:3])
    clock.now += 120
    progress = {p.channel: p for p in box.progress()}
    assert progress["a"].counts["delivered"] == 3 and progress["a"].counts["in-flight"] == 1
    assert progress["a"].delivered_last_minute == 0 and progress["a"].delivered_last_hour == 3
    assert progress["b"].counts["in-flight"] == 2 and progress["b"].done == 0.0


def test_rows_deleted_behind_its_back_make_the_outbox_refuse_to_open(make_box: MakeBox, engine: str,
                                                                     tmp_path: Path) -> None:
    box = make_box()
    box.enqueue(jobs(5))
    box.close()
    if engine == "sqlite":
        import sqlite3

        db = sqlite3.connect(tmp_path / "state" / "outbox.sqlite3")
        db.execute("DELETE FROM jobs WHERE id > 3")
        db.commit()
        db.close()
    else:
        import psycopg

        with psycopg.connect(box.url, autocommit=True) as conn:  # type: ignore[attr-defined]
            conn.execute("DELETE FROM policyctl.jobs WHERE id > 3")
    with pytest.raises(NotifyError, match="2 of the 5 job"):
        make_box()
