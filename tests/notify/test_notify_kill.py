"""Fault tests (issue #12 item 5): delivery processes killed with SIGKILL at random moments, four at once on one
queue (SQLite, and PostgreSQL); a receiver that times out, answers 5xx or closes the connection; a database
that goes away and comes back. No job is lost, and every copy a receiver gets twice carries the same id.

Kept to seconds: a few hundred jobs, leases of one second. The large figures are in benchmarks/bench_notify.py.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pg_server
import pytest
from notify_project import REPO, VERSION, policyctl, webhook_channel, write_config, write_release

from policykit.notify.outbox import NewJob

N = 240
ENV = {"TEST_WEBHOOK_SECRET": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}
NOTICE = {"type": "policy.updated", "timestamp": "2026-05-04T00:00:00Z", "data": {"version": VERSION}}


@dataclass
class Chaos:
    """A webhook receiver that misbehaves at random: 503, a closed connection, an answer past the timeout."""

    seed: int = 7
    delay: float = 0.0  # every answer waits this long (a remote receiver)
    received: list[str] = field(default_factory=list)  # every webhook-id, repeats included
    answered: Counter[str] = field(default_factory=Counter)  # ids answered 2xx

    def start(self) -> Chaos:
        chaos, rng, lock = self, random.Random(self.seed), threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers["content-length"]))
                key = self.headers["webhook-id"]
                with lock:
                    chaos.received.append(key)
                    roll = rng.random()
                if chaos.delay:
                    time.sleep(chaos.delay)
                if roll < 0.05:
                    self.close_connection = True  # hang up without an answer
                    return
                if roll < 0.10:
                    time.sleep(0.8)  # past the sender's timeout (PT0.4S): it gives up, and sends it again later
                status = 503 if roll > 0.90 else 204
                try:
                    self.send_response(status)
                    self.send_header("content-length", "0")
                    self.end_headers()
                except OSError:
                    self.close_connection = True
                    return
                if status == 204:
                    with lock:
                        chaos.answered[key] += 1

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def chaos() -> Iterator[Chaos]:
    server = Chaos().start()
    yield server
    server.stop()


def queue(project: Path, url: str, outbox: str, n: int = N, lease: str = "PT1S") -> set[str]:
    write_release(project)
    config = webhook_channel(url, locales="[en]").replace("timeout: PT5S", "timeout: PT0.4S")
    write_config(project, config, lease=lease, max_attempts=50, backoff="PT0.05S", workers=4, outbox=outbox)
    from policykit.notify.config import load_config
    from policykit.notify.jobs import open_outbox

    box = open_outbox(project, load_config(project))
    jobs = [NewJob("privacy-policy", VERSION, "app", f"subscriber-{i}", "en", NOTICE) for i in range(n)]
    assert box.enqueue(jobs) == n
    box.close()
    return {j.key for j in jobs}


def deliverer(project: Path, *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, str(REPO / "policyctl.py"), "-C", str(project), "notify", "deliver",
                             "--until-empty", *extra], env={**os.environ, **ENV},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def kill_at_random(project: Path, kills: int, seed: int) -> int:
    """Four delivery processes; ``kills`` times, one of them is killed -9 at a random moment and replaced."""
    rng = random.Random(seed)
    procs = [deliverer(project) for _ in range(4)]
    killed = 0
    try:
        while killed < kills:
            time.sleep(rng.uniform(0.2, 0.8))
            alive = [p for p in procs if p.poll() is None]
            if not alive:
                break
            victim = rng.choice(alive)
            victim.send_signal(signal.SIGKILL)
            victim.communicate(timeout=10)  # reaps it and closes its pipe
            killed += 1
            procs[procs.index(victim)] = deliverer(project)
        for p in procs:
            _, err = p.communicate(timeout=120)
            assert p.returncode in (0, -signal.SIGKILL), err.decode()
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.communicate()
    return killed


def check_nothing_lost(project: Path, keys: set[str], chaos: Chaos) -> None:
    policyctl(project, "notify", "deliver", "--until-empty", env=ENV)  # whatever the kills left in flight
    status = policyctl(project, "notify", "status").stdout
    assert f"{len(keys)} delivered" in status and "0 dead" in status, status
    assert set(chaos.answered) == keys  # every job reached the receiver and was acknowledged: none lost
    assert set(chaos.received) <= keys  # a copy sent again carries the same id: never a new one
    # The figures of the run (shown with `pytest -s`): enqueued, delivered, lost, repeated under the same id.
    print(f"\nenqueued {len(keys)}, delivered {len(chaos.answered)}, lost {len(keys - set(chaos.answered))}, "
          f"received {len(chaos.received)} time(s), acknowledged twice or more under the same id "
          f"{sum(n - 1 for n in chaos.answered.values())}, under a new id {len(set(chaos.received) - keys)}")


@pytest.mark.slow
def test_four_deliverers_on_sqlite_killed_at_random_lose_nothing_and_repeat_only_the_same_ids(
        project: Path, chaos: Chaos) -> None:
    keys = queue(project, chaos.url, "path: state/outbox.sqlite3")
    assert kill_at_random(project, kills=5, seed=1) == 5
    check_nothing_lost(project, keys, chaos)


@pytest.mark.slow
def test_four_deliverers_on_postgres_killed_at_random_lose_nothing_and_repeat_only_the_same_ids(
        project: Path, chaos: Chaos, pg_url: str) -> None:
    keys = queue(project, chaos.url, f"url: {pg_url}")
    assert kill_at_random(project, kills=5, seed=2) == 5
    check_nothing_lost(project, keys, chaos)


@pytest.mark.slow
def test_a_database_that_goes_away_and_comes_back_loses_nothing(
        project: Path, pg: pg_server.Server | str, pg_url: str) -> None:
    if isinstance(pg, str):
        pytest.skip("the server given in POLICYCTL_TEST_POSTGRES is not ours to restart")
    slow = Chaos(seed=3, delay=0.02).start()
    try:
        keys = queue(project, slow.url, f"url: {pg_url}", n=160, lease="PT5S")
        procs = [deliverer(project) for _ in range(2)]
        while len(slow.answered) < 20:
            time.sleep(0.05)
        pg.restart_later(down=1.5)  # every connection cut; refused while down
        outs = [p.communicate(timeout=120)[1].decode() for p in procs]
        assert [p.returncode for p in procs] == [0, 0], outs
        assert any("outbox unavailable, waiting for it" in o for o in outs) and any("outbox back" in o for o in outs)
        check_nothing_lost(project, keys, slow)
    finally:
        slow.stop()
