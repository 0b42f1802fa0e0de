"""Notification delivery at scale: SQLite and PostgreSQL outboxes, one and four delivery processes.

Prints, for each outbox and 1 or 4 `policyctl notify deliver` processes:
- jobs/s delivered to a loopback webhook receiver at 100,000 jobs, next to a bare
  `http.client` loop posting the same bodies to the same receiver (target: each
  process within 1.3× of the bare loop);
- the peak memory of each delivery process at 10,000 and at 100,000 jobs (flat);
- against a receiver that answers each request after 50 ms (as a remote endpoint
  would): 4 processes on one PostgreSQL queue against one (target: ≥ 3×);
- the time to enqueue 1,000,000 e-mail recipients streamed from a command, and
  that process's peak memory.

The receiver runs in its own process (asyncio, keep-alive; it verifies the Standard
Webhooks signature of every 100th request); PostgreSQL is a private server started
for the run (tests/notify/pg_server.py). Delivery rates are taken at the receiver,
from the first request to the last, so the start of the Python processes (a second or
two, four at once on two cores) is not counted. Peak memory is each child's own VmHWM.

    python benchmarks/run.py notify
    python benchmarks/bench_notify.py [SCALE]     # SCALE 0.1: a tenth of every count, for a quick look
"""

from __future__ import annotations

import asyncio
import datetime as dt
import http.client
import multiprocessing as mp
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
NOTICE_LOCALES = ("en", "ja", "de")


# -- the receiver ------------------------------------------------------------------------------------------------

def _receiver(port: int, delay: float, count: Any, first: Any, last: Any, ready: Any) -> None:
    from standardwebhooks.webhooks import Webhook

    signer = Webhook(SECRET)

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                headers = {}
                for line in head.decode("latin-1").split("\r\n")[1:]:
                    if ":" in line:
                        k, v = line.split(":", 1)
                        headers[k.strip().lower()] = v.strip()
                data = await reader.readexactly(int(headers.get("content-length", "0")))
                with count.get_lock():
                    count.value += 1
                    n = count.value
                    now = time.perf_counter()
                    if not first.value:
                        first.value = now
                    last.value = now
                if n % 100 == 0:
                    signer.verify(data, headers)  # raises on a bad signature: the run fails
                if delay:
                    await asyncio.sleep(delay)
                writer.write(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def main() -> None:
        server = await asyncio.start_server(serve, "127.0.0.1", port, backlog=512)
        ready.set()
        async with server:
            await server.serve_forever()

    asyncio.run(main())


class Receiver:
    def __init__(self, delay: float = 0.0) -> None:
        ctx = mp.get_context("spawn")
        self.count = ctx.Value("i", 0)
        self.first, self.last = ctx.Value("d", 0.0), ctx.Value("d", 0.0)  # perf_counter of the first and last request
        ready = ctx.Event()
        self.port = _free_port()
        self.proc = ctx.Process(target=_receiver, args=(self.port, delay, self.count, self.first, self.last, ready),
                                daemon=True)
        self.proc.start()
        if not ready.wait(30):
            raise SystemExit("the receiver did not start")
        self.url = f"http://127.0.0.1:{self.port}/hooks"

    def mark(self) -> int:
        """Start counting afresh; the count so far."""
        with self.count.get_lock():
            self.first.value = 0.0
            return int(self.count.value)

    def rate(self, since: int) -> tuple[int, float]:
        """Requests received since ``mark`` and their rate, first to last (process start-up not included)."""
        got = int(self.count.value) - since
        span = self.last.value - self.first.value
        return got, got / span if span > 0 else 0.0

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.join(5)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# -- the project ----------------------------------------------------------------------------------------------

def _project(root: Path, url: str, outbox: str, workers: int = 8) -> None:
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
        changes=(ChangeRecord("facts.data_categories.device-id", "added", "significant", "data-category.added",
                              "A new category of personal data is collected: device identifier."),),
    )
    (root / "changelog" / "9.0.0.yaml").write_text(dump_entry(entry), "utf-8")
    (root / "state").mkdir()
    gen = root / "state" / "crm-export.py"
    gen.write_text("import sys\nn = int(sys.argv[1])\nw = sys.stdout.write\n"
                   "for i in range(n):\n    w(f'user{i}@example.com {(\"en\", \"ja\", \"de\")[i % 3]}\\n')\n", "utf-8")
    (root / "policy" / "notify.yaml").write_text(
        f"outbox:\n  {outbox}\n  workers: {workers}\n  lease: PT5M\n"
        "channels:\n"
        f"  - id: partners\n    type: webhook\n    locales: [en, ja, de]\n    url: {url}\n"
        "    secret_env: BENCH_WEBHOOK_SECRET\n    timeout: PT30S\n", "utf-8")


def _email_config(root: Path, outbox: str, n: int) -> None:
    (root / "policy" / "notify.yaml").write_text(
        f"outbox:\n  {outbox}\n"
        "channels:\n"
        "  - id: customers\n    type: email\n    locales: [en, ja, de]\n    host: 127.0.0.1\n    port: 25\n"
        "    tls: none\n    from: Privacy <privacy@example.com>\n"
        "    unsubscribe: https://example.com/unsubscribe?r={recipient}\n"
        f"    recipients: {{command: [{sys.executable}, state/crm-export.py, '{n}']}}\n", "utf-8")


def _enqueue_webhooks(root: Path, n: int, tag: str) -> None:
    """``n`` webhook jobs (one per subscriber), queued through the outbox API in one transaction."""
    from policykit.changelog import find_entry
    from policykit.notify.config import load_config
    from policykit.notify.jobs import Notices, open_outbox
    from policykit.notify.outbox import NewJob

    config = load_config(root)
    notices = Notices(find_entry(root, "9.0.0"), config, None)
    jobs = (NewJob("privacy-policy", "9.0.0", "partners", f"{tag}-{i}", NOTICE_LOCALES[i % 3],
                   notices(NOTICE_LOCALES[i % 3])) for i in range(n))
    box = open_outbox(root, config)
    try:
        assert box.enqueue(jobs) == n
    finally:
        box.close()


# policyctl.py run as a script that, on its way out, writes its own peak RSS in KiB (VmHWM).
_PEAK_RUN = """
import os, runpy, sys
sys.argv = sys.argv[1:]
try:
    runpy.run_path(sys.argv[0], run_name="__main__")
finally:
    own = int(next(line for line in open("/proc/self/status") if line.startswith("VmHWM:")).split()[1])
    with open(os.environ["BENCH_PEAK_FILE"], "w") as f:
        f.write(str(own))
"""


def _start(root: Path, *args: str) -> tuple[subprocess.Popen[bytes], Path]:
    peak = Path(tempfile.mktemp(prefix="peak-", dir=root))
    proc = subprocess.Popen([sys.executable, "-c", _PEAK_RUN, str(REPO / "policyctl.py"), "-C", str(root), *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, "BENCH_WEBHOOK_SECRET": SECRET, "BENCH_PEAK_FILE": str(peak)})
    return proc, peak


def _run_all(root: Path, procs: int, *args: str) -> tuple[float, list[float]]:
    """Run ``procs`` policyctl processes at once; wall seconds and each one's peak RSS in MiB."""
    started = time.perf_counter()
    running = [_start(root, *args) for _ in range(procs)]
    peaks = []
    for proc, peak in running:
        _, err = proc.communicate()
        if proc.returncode:
            raise SystemExit(f"policyctl {' '.join(args)} failed:\n{err.decode()[-2000:]}")
        peaks.append(int(peak.read_text()) / 1024)
    return time.perf_counter() - started, peaks


# -- the figures ----------------------------------------------------------------------------------------------

def bare_loop(url: str, n: int) -> float:
    """Jobs/s of a plain keep-alive http.client loop posting a notice-sized body (signed once, not per request)."""
    from standardwebhooks.webhooks import Webhook

    text = '{"data":{"x":"' + "y" * 900 + '"}}'
    now = dt.datetime.now(dt.UTC)
    body = text.encode()
    host, port = url.split("//")[1].split("/")[0].split(":")
    conn = http.client.HTTPConnection(host, int(port))
    headers = {"content-type": "application/json", "webhook-id": "k", "webhook-timestamp": str(int(now.timestamp())),
               "webhook-signature": Webhook(SECRET).sign("k", now, text)}
    started = time.perf_counter()
    for _ in range(n):
        conn.request("POST", "/hooks", body, headers)
        conn.getresponse().read()
    conn.close()
    return n / (time.perf_counter() - started)  # the same span as the receiver's first-to-last: no start-up here


def _outboxes(pg_url: str) -> dict[str, str]:
    return {"sqlite": "path: state/outbox.sqlite3", "postgres": f"url: {pg_url}"}


def _reset(root: Path, engine: str, pg_url: str) -> None:
    if engine == "sqlite":
        for p in (root / "state").glob("outbox.sqlite3*"):
            p.unlink()
    else:
        import psycopg

        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute("DROP SCHEMA IF EXISTS policyctl CASCADE")


def deliver_figures(base: Path, pg_url: str, n: int, small: int) -> None:
    receiver = Receiver()
    try:
        bare = bare_loop(receiver.url, n)
        print(f"bare http.client loop     : {bare:8,.0f} jobs/s at {n:,} (one process, no outbox, no signing)")
        for engine, outbox in _outboxes(pg_url).items():
            for procs in (1, 4):
                line = []
                for size in (small, n):
                    root = base / f"{engine}-{procs}-{size}"
                    _project(root, receiver.url, outbox)
                    _reset(root, engine, pg_url)
                    _enqueue_webhooks(root, size, f"{engine}{procs}")
                    before = receiver.mark()
                    _, peaks = _run_all(root, procs, "notify", "deliver", "--until-empty")
                    got, rate = receiver.rate(before)
                    assert got >= size, f"the receiver got {got} of {size}"
                    line.append((size, rate, max(peaks)))
                (_, _, small_peak), (size, rate, peak) = line
                per = rate / procs
                verdict = "ok" if per * 1.3 >= bare or procs > 1 else f"BELOW TARGET ({bare / 1.3:,.0f})"
                print(f"{engine:8} {procs} process(es) : {rate:8,.0f} jobs/s at {size:,} ({per:,.0f} per process, "
                      f"bare/own {bare / per:4.2f}×)  peak RSS per process {small_peak:5.1f} MiB at {small:,}, "
                      f"{peak:5.1f} MiB at {size:,}  {verdict}")
    finally:
        receiver.stop()


def remote_figures(base: Path, pg_url: str, n: int) -> None:
    receiver = Receiver(delay=0.05)
    try:
        rates = {}
        for procs in (1, 4):
            root = base / f"remote-{procs}"
            _project(root, receiver.url, f"url: {pg_url}")
            _reset(root, "postgres", pg_url)
            _enqueue_webhooks(root, n, f"remote{procs}")
            before = receiver.mark()
            _run_all(root, procs, "notify", "deliver", "--until-empty")
            got, rates[procs] = receiver.rate(before)
            assert got >= n, f"the receiver got {got} of {n}"
        ratio = rates[4] / rates[1]
        verdict = "ok" if ratio >= 3 else "BELOW TARGET 3×"
        print(f"postgres, receiver answering after 50 ms, {n:,} jobs, 8 workers each: 1 process {rates[1]:,.0f} "
              f"jobs/s, 4 processes {rates[4]:,.0f} jobs/s: {ratio:.2f}×  {verdict}")
    finally:
        receiver.stop()


def enqueue_figures(base: Path, pg_url: str, n: int) -> None:
    for engine, outbox in _outboxes(pg_url).items():
        root = base / f"enqueue-{engine}"
        _project(root, "http://127.0.0.1:9/", outbox)
        _email_config(root, outbox, n)
        _reset(root, engine, pg_url)
        t, peaks = _run_all(root, 1, "notify", "enqueue", "9.0.0")
        print(f"{engine:8} enqueue of {n:,} recipients streamed from a command: {t:6.1f} s "
              f"({n / t:,.0f}/s), peak RSS {peaks[0]:5.1f} MiB")


def main(argv: list[str] | None = None) -> None:
    scale = float((argv or [])[0]) if argv else 1.0
    sys.path.insert(0, str(REPO / "src"))
    sys.path.insert(0, str(REPO / "tests" / "notify"))
    import pg_server

    n, small = int(100_000 * scale), int(10_000 * scale)
    print(f"{os.cpu_count()} cores; the receiver and PostgreSQL on the same machine; 8 worker threads per process")
    server = pg_server.create()
    base = Path(tempfile.mkdtemp(prefix="bench-notify-"))
    try:
        deliver_figures(base, server.url, n, small)
        remote_figures(base, server.url, int(4_000 * scale))
        enqueue_figures(base, server.url, int(1_000_000 * scale))
    finally:
        pg_server.destroy(server)
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
