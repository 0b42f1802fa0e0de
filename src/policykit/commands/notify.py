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
           workers: int | None = None, job: str | None = None, dead: bool = False, outbox: str | None = None,
           any_level: bool = False, superseded: bool = False, channel: str | None = None,
           locale: str | None = None, fmt: str = "text", limit: int = 20) -> int:
    """``policyctl notify enqueue|preview|deliver|status|retry``: the notification outbox of releases."""
    from policykit.notify.config import CONFIG_FILE, load_config

    if action == "enqueue":
        from policykit.notify.jobs import enqueue_release

        assert version is not None
        report = enqueue_release(root, version, outbox=outbox, any_level=any_level, superseded=superseded)
        for warning in report.warnings:
            print(f"policyctl notify: warning: {warning}", file=sys.stderr)
        print(report)
        return 0
    if action == "preview":
        assert version is not None
        return _preview(root, version, channel, locale, any_level=any_level, superseded=superseded)

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


def _preview(root: Path, version: str, channel: str | None, locale: str | None, *, any_level: bool,
             superseded: bool) -> int:
    from policykit.notify.jobs import prepare
    from policykit.notify.notice import notice_problems
    from policykit.notify.preview import previews

    entry, config, notices = prepare(root, version, any_level=any_level, superseded=superseded)
    shown = 0
    for preview in previews(entry, config, notices, root, os.environ, channel=channel, locale=locale):
        print(preview)
        for problem in notice_problems(notices(preview.locale)):
            print(f"policyctl notify: warning: {preview.locale}: {problem}", file=sys.stderr)
        shown += 1
    print(f"(preview: {shown} message(s) shown, nothing sent or queued)", file=sys.stderr)
    return 0


def _deliver(root: Path, config: Any, outbox: str | None, workers: int | None, mode: Any) -> int:
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

    def unavailable(why: str) -> None:
        print(f"outbox unavailable, waiting for it: {why}" if why else "outbox back: delivery goes on",
              file=sys.stderr, flush=True)

    started = time.monotonic()
    dispatcher = Dispatcher(box, channels, config.outbox, workers=workers)
    dispatcher.on_unavailable = unavailable
    try:
        result = dispatcher.run(mode, stop=stop, on_outcome=report)
        dead = box.counts()["dead"]
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        for channel in channels.values():
            channel.close()
        box.close()
    elapsed = time.monotonic() - started
    print(f"{result} in {elapsed:.1f} s")
    if dead:
        print(f"policyctl notify deliver: {dead} dead job(s) in the outbox ({result.dead} from this run): "
              "see `policyctl notify status`, then `policyctl notify retry`", file=sys.stderr)
        return 1
    return 0


def _when(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    try:
        return dt.datetime.fromtimestamp(seconds, dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    except (OverflowError, OSError, ValueError):
        return f"{seconds:.0f} s after 1970 (out of range)"


def _status(box: Any, version: str | None, fmt: str, limit: int) -> int:
    counts = box.counts(version)
    progress = box.progress(version)
    dead = box.jobs(state="dead", version=version, limit=limit)
    retrying = box.jobs(state="failed-retrying", version=version, limit=limit)
    if fmt == "json":
        channels = [{"channel": p.channel, "counts": p.counts, "done": round(p.done, 4),
                     "delivered_last_minute": p.delivered_last_minute, "delivered_last_hour": p.delivered_last_hour,
                     "rate_per_second": round(p.rate, 3)} for p in progress]
        print(json.dumps({"version": version, "counts": counts, "channels": channels,
                          "dead": [vars(j) for j in dead], "retrying": [vars(j) for j in retrying]},
                         ensure_ascii=False, indent=2))
        return 0
    title = f"release {version}" if version else "all releases"
    print(f"outbox, {title}: " + ", ".join(f"{n} {state}" for state, n in counts.items()))
    for p in progress:
        left = p.counts["pending"] + p.counts["failed-retrying"] + p.counts["in-flight"]
        eta = f"; about {left / p.rate / 60:.0f} min left at that rate" if p.rate > 0 and left else ""
        print(f"  {p.channel}: {p.counts['delivered']:,} of {p.total:,} delivered ({100 * p.done:.1f}% settled), "
              f"{p.counts['dead']:,} dead, {p.counts['failed-retrying']:,} retrying, {left:,} to go; "
              f"{p.rate:.1f}/s over the last minute, {p.delivered_last_hour:,} in the last hour{eta}")
    for heading, jobs in (("dead", dead), ("failed-retrying", retrying)):
        if not jobs:
            continue
        print(f"\n{heading} (first {limit}):" if counts[heading] > limit else f"\n{heading}:")
        for j in jobs:
            nxt = f", next attempt {_when(j.next_attempt)}" if j.next_attempt is not None and heading != "dead" else ""
            print(f"  #{j.id} {j.key} — {j.attempts} attempt(s){nxt}: {j.last_error}")
    return 0
