from __future__ import annotations

import datetime as dt
import json
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

from policykit.errors import UsageError


def notify(*, root: Path, action: str, version: str | None = None, once: bool = False, until_empty: bool = False,
           workers: int | None = None, job: str | None = None, dead: bool = False, outbox: Path | None = None,
           any_level: bool = False, fmt: str = "text", limit: int = 20) -> int:
    """``policyctl notify enqueue|deliver|status|retry``: the notification outbox of releases."""
    from policykit.notify.config import CONFIG_FILE, load_config

    if action == "enqueue":
        from policykit.notify.jobs import enqueue_release

        assert version is not None
        print(enqueue_release(root, version, outbox=outbox, any_level=any_level))
        return 0

    config = load_config(root) if (action == "deliver" or (root / CONFIG_FILE).is_file()) else None
    if action == "deliver":
        assert config is not None
        return _deliver(root, config, outbox, workers, "once" if once else "until-empty" if until_empty else "forever")

    from policykit.notify.jobs import open_outbox

    box = open_outbox(root, config, outbox)
    try:
        if action == "retry":
            if (job is None) == (not dead):
                raise UsageError("notify retry: give a JOB (id or key) or --dead")
            n = box.retry(job=job, dead=dead)
            print(f"{n} job(s) made pending again")
            return 0
        return _status(box, version, fmt, limit)
    finally:
        box.close()


def _deliver(root: Path, config: Any, outbox: Path | None, workers: int | None, mode: Any) -> int:
    from policykit.notify.dispatch import Dispatcher
    from policykit.notify.jobs import open_channels, open_outbox
    from policykit.notify.outbox import Outcome

    channels = open_channels(root, config, os.environ)
    box = open_outbox(root, config, outbox)
    stop = threading.Event()

    def graceful(signum: int, frame: object) -> None:
        # Stop claiming, let the running deliveries finish and be recorded, then exit.
        stop.set()

    previous = {s: signal.signal(s, graceful) for s in (signal.SIGTERM, signal.SIGINT)}

    def report(outcome: Outcome) -> None:
        if outcome.result != "delivered":
            when = ""
            if outcome.retry_at is not None:
                when = f", next attempt in {max(0, outcome.retry_at - time.time()):.0f} s"
            print(f"{outcome.result}: {outcome.job.key} (attempt {outcome.job.attempt}): {outcome.error}{when}",
                  file=sys.stderr, flush=True)

    started = time.monotonic()
    try:
        result = Dispatcher(box, channels, config.outbox, workers=workers).run(mode, stop=stop, on_outcome=report)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        for channel in channels.values():
            channel.close()
        box.close()
    elapsed = time.monotonic() - started
    print(f"{result} in {elapsed:.1f} s")
    return 0


def _status(box: Any, version: str | None, fmt: str, limit: int) -> int:
    counts = box.counts(version)
    dead = box.jobs(state="dead", version=version, limit=limit)
    retrying = box.jobs(state="failed-retrying", version=version, limit=limit)
    if fmt == "json":
        print(json.dumps({"version": version, "counts": counts,
                          "dead": [vars(j) for j in dead], "retrying": [vars(j) for j in retrying]},
                         ensure_ascii=False, indent=2))
        return 0
    title = f"release {version}" if version else "all releases"
    print(f"outbox, {title}: " + ", ".join(f"{n} {state}" for state, n in counts.items()))
    for heading, jobs in (("dead", dead), ("failed-retrying", retrying)):
        if not jobs:
            continue
        print(f"\n{heading} (first {limit}):" if counts[heading] > limit else f"\n{heading}:")
        for j in jobs:
            nxt = ""
            if j.next_attempt is not None and heading != "dead":
                when = dt.datetime.fromtimestamp(j.next_attempt, dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
                nxt = f", next attempt {when}"
            print(f"  #{j.id} {j.key} — {j.attempts} attempt(s){nxt}: {j.last_error}")
    return 0
