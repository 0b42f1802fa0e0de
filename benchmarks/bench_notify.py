"""Notification throughput: 10,000 e-mails to a local SMTP server, 10,000 webhooks to a local HTTP server.

Each receiver runs in its own process (aiosmtpd; an HTTP/1.1 server that verifies
every Standard Webhooks signature), so it does not share the GIL with the sender.
Enqueue and delivery run as `policyctl notify …` processes, as an operator runs
them; their peak memory is the child's maximum resident set size.

    python benchmarks/bench_notify.py [N] [WORKERS]
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
TARGET = 500  # jobs per second delivered to loopback on 2 cores


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _smtp_server(port: int, count: Any, ready: Any) -> None:
    import asyncio

    from aiosmtpd.controller import Controller

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            with count.get_lock():
                count.value += 1
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    try:
        asyncio.run(asyncio.sleep(3600))
    finally:
        controller.stop()


def _http_server(port: int, count: Any, ready: Any) -> None:
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from standardwebhooks.webhooks import Webhook

    signer = Webhook(SECRET)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            data = self.rfile.read(int(self.headers["content-length"]))
            signer.verify(data, {k.lower(): v for k, v in self.headers.items()})
            with count.get_lock():
                count.value += 1
            self.send_response(204)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    ready.set()
    server.serve_forever()


# policyctl.py run as a script that, on its way out, writes its peak RSS in KiB (VmHWM, this
# process's own: the child's ru_maxrss would keep this benchmark's across exec) and its children's.
_PEAK_RUN = """
import os, resource, runpy, sys
sys.argv = sys.argv[1:]
try:
    runpy.run_path(sys.argv[0], run_name="__main__")
finally:
    own = int(next(line for line in open("/proc/self/status") if line.startswith("VmHWM:")).split()[1])
    with open(os.environ["BENCH_PEAK_FILE"], "w") as f:
        f.write(str(max(own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)))
"""


def _run(project: Path, *args: str) -> tuple[float, float, str]:
    """Run policyctl; return wall seconds, the child's peak RSS in MiB, and its stdout."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r") as peak:
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", _PEAK_RUN, str(REPO / "policyctl.py"), "-C", str(project),
                               *args], stdout=out, stderr=err,
                              env={**os.environ, "BENCH_WEBHOOK_SECRET": SECRET, "BENCH_PEAK_FILE": peak.name})
        elapsed = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        if proc.returncode:
            raise SystemExit(f"policyctl {' '.join(args)} failed:\n{err.read().decode()}")
        return elapsed, int(peak.read()) / 1024, out.read().decode()


def _project(root: Path, n: int, smtp_port: int, http_port: int, workers: int) -> None:
    sys.path.insert(0, str(REPO / "src"))
    from policykit.changelog import ChangeRecord, Entry, dump_entry

    for name in ("policy", "locales"):
        shutil.copytree(REPO / name, root / name)
    (root / "changelog").mkdir()
    entry = Entry(
        version="9.0.0", document="privacy-policy", level="significant", published=dt.date(2026, 5, 4),
        effective=dt.date(2026, 6, 8), previous="8.0.0", commit="0" * 40, tree="1" * 40,
        content_hash="sha256:" + "2" * 64,
        summary={"en": "We now collect device identifiers.", "ja": "端末識別子を取得します。",
                 "de": "Wir erheben nun Gerätekennungen."},
        changes=(ChangeRecord("facts.data_categories.device-id", "added", "significant", "fact-added",
                              "A new data category."),),
    )
    (root / "changelog" / "9.0.0.yaml").write_text(dump_entry(entry), "utf-8")
    locales = ("en", "ja", "de")
    (root / "state").mkdir()
    (root / "state" / "recipients.txt").write_text(
        "".join(f"user{i}@example.com {locales[i % 3]}\n" for i in range(n)), "utf-8")
    (root / "policy" / "notify.yaml").write_text(
        f"outbox:\n  path: state/outbox.sqlite3\n  workers: {workers}\n  lease: PT5M\n"
        "channels:\n"
        f"  - id: customers\n    type: email\n    locales: [en, ja, de]\n    host: 127.0.0.1\n"
        f"    port: {smtp_port}\n    tls: none\n    from: Privacy <privacy@example.com>\n"
        "    recipients: {file: state/recipients.txt}\n"
        f"  - id: partners\n    type: webhook\n    locales: [en, ja, de]\n"
        f"    url: http://127.0.0.1:{http_port}/hooks\n    secret_env: BENCH_WEBHOOK_SECRET\n", "utf-8")


def _enqueue_webhooks(root: Path, n: int) -> float:
    """10,000 webhook jobs, one per subscriber (the webhook channel addresses locales; the delivery path
    per job is the same)."""
    from policykit.changelog import find_entry
    from policykit.notify.config import load_config
    from policykit.notify.jobs import open_outbox
    from policykit.notify.notice import build_notice
    from policykit.notify.outbox import NewJob

    config = load_config(root)
    entry = find_entry(root, "9.0.0")
    notices = {t: build_notice(entry, locale=t, source_locale="en", policy=None, urls=config.urls)
               for t in ("en", "ja", "de")}
    jobs = [NewJob("privacy-policy", "9.0.0", "partners", f"subscriber-{i}", ("en", "ja", "de")[i % 3],
                   notices[("en", "ja", "de")[i % 3]]) for i in range(n)]
    box = open_outbox(root, config)
    started = time.perf_counter()
    added = box.enqueue(jobs)
    elapsed = time.perf_counter() - started
    box.close()
    assert added == n, added
    return elapsed


def main(argv: list[str] | None = None) -> None:
    """``argv``: [jobs, workers] (``python bench_notify.py 20000 4``); run.py passes none."""
    args = argv or []
    n = int(args[0]) if args else 10_000
    workers = int(args[1]) if len(args) > 1 else 8
    ctx = mp.get_context("spawn")
    smtp_count, http_count = ctx.Value("i", 0), ctx.Value("i", 0)
    smtp_ready, http_ready = ctx.Event(), ctx.Event()
    smtp_port, http_port = _free_port(), _free_port()
    servers = [ctx.Process(target=_smtp_server, args=(smtp_port, smtp_count, smtp_ready), daemon=True),
               ctx.Process(target=_http_server, args=(http_port, http_count, http_ready), daemon=True)]
    for p in servers:
        p.start()
    smtp_ready.wait(30)
    http_ready.wait(30)
    root = Path(tempfile.mkdtemp(prefix="bench-notify-"))
    try:
        _project(root, n, smtp_port, http_port, workers)
        print(f"{n:,} jobs per channel, {workers} workers, receivers in separate processes, {os.cpu_count()} cores")

        t, rss, out = _run(root, "notify", "enqueue", "9.0.0")
        print(f"email   enqueue : {n / t:8,.0f} jobs/s  ({t:5.2f} s as a process; peak RSS {rss:5.1f} MiB)  "
              f"[{out.strip().split(':', 1)[1].strip()}]")
        t, rss, out = _run(root, "notify", "deliver", "--until-empty")
        got = smtp_count.value
        verdict = "ok" if n / t >= TARGET else f"BELOW TARGET {TARGET}"
        print(f"email   deliver : {n / t:8,.0f} jobs/s  ({t:5.2f} s; peak RSS {rss:5.1f} MiB; "
              f"received {got:,})  {verdict}")
        assert got >= n, f"the SMTP server received {got} of {n}"

        # Webhooks: the e-mail jobs are done, so this delivery run sees only the webhook jobs.
        t = _enqueue_webhooks(root, n)
        print(f"webhook enqueue : {n / t:8,.0f} jobs/s  ({t:5.2f} s in-process, one transaction)")
        t, rss, _ = _run(root, "notify", "deliver", "--until-empty")
        got = http_count.value
        verdict = "ok" if n / t >= TARGET else f"BELOW TARGET {TARGET}"
        print(f"webhook deliver : {n / t:8,.0f} jobs/s  ({t:5.2f} s; peak RSS {rss:5.1f} MiB; "
              f"received {got:,}, signatures verified)  {verdict}")
        assert got >= n, f"the HTTP server received {got} of {n}"
    finally:
        for p in servers:
            p.terminate()
            p.join(5)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
