"""Every notice arrives or is reported (issue #16 "Notices silently never arrive", "Duplicates a receiver
cannot catch"): each failure found by the red team, reproduced with real files, servers and processes."""

from __future__ import annotations

import json
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from notify_project import (
    REPO,
    VERSION,
    email_channel,
    policyctl,
    webhook_channel,
    write_config,
    write_release,
)
from notify_servers import SECRET, SMTPReceiver

ENV = {"TEST_WEBHOOK_SECRET": SECRET}


@pytest.fixture
def smtp() -> Iterator[SMTPReceiver]:
    server = SMTPReceiver(check=False).start()
    yield server
    server.stop()


def recipients(project: Path, text: str) -> None:
    (project / "state").mkdir(exist_ok=True)
    (project / "state" / "recipients.txt").write_text(text, "utf-8")


def counts(project: Path) -> dict[str, int]:
    return dict(json.loads(policyctl(project, "notify", "status", "--format", "json").stdout)["counts"])


# -- headers only from validated single-line text ------------------------------------------------------------

def newline_in_ja_title(project: Path) -> None:
    path = project / "locales" / "ja" / "policy.yaml"
    text = path.read_text("utf-8")
    assert "text: プライバシーポリシー\n" in text
    path.write_text(text.replace("text: プライバシーポリシー\n", 'text: "プライバシー\\nポリシー"\n'), "utf-8")


def test_validate_refuses_a_line_break_in_a_translated_title_at_its_place(project: Path) -> None:
    newline_in_ja_title(project)
    done = policyctl(project, "validate", check=False)
    assert done.returncode == 1
    line = next(x for x in done.stdout.splitlines() if "text.control" in x or "line break" in x)
    assert line.startswith("locales/ja/policy.yaml:") and "[ja] the title contains a line break" in line


def test_enqueue_refuses_a_title_that_would_break_the_subject(project: Path) -> None:
    newline_in_ja_title(project)
    write_release(project)
    write_config(project, webhook_channel("https://hooks.example.com/x"))
    done = policyctl(project, "notify", "enqueue", VERSION, check=False)
    assert done.returncode == 1 and "line break" in done.stderr and "Traceback" not in done.stderr


def test_a_po_import_with_a_line_break_in_a_title_is_refused_and_writes_nothing(project: Path) -> None:
    po_path = project / "ja.po"
    policyctl(project, "i18n", "export", "--locale", "ja", "--format", "po", "-o", "ja.po")
    po = polib.pofile(str(po_path))
    title = next(e for e in po if e.msgctxt and e.msgctxt.endswith("title"))
    title.msgstr = "プライバシー\nポリシー"
    po.save(str(po_path))
    before = {p: p.read_bytes() for p in (project / "locales" / "ja").iterdir()}
    done = policyctl(project, "i18n", "import", "ja.po", check=False)
    assert done.returncode == 1 and "line break" in done.stderr and "ja.po:" in done.stderr
    assert {p: p.read_bytes() for p in (project / "locales" / "ja").iterdir()} == before


def test_a_stored_notice_that_cannot_be_a_subject_is_dead_at_once_not_retried_forever(
        project: Path, smtp: SMTPReceiver) -> None:
    write_release(project)
    recipients(project, "aiko@example.jp ja\ncarol@example.com en\n")
    write_config(project, email_channel(smtp.port), max_attempts=3)
    policyctl(project, "notify", "enqueue", VERSION)
    # Queued before titles were checked (or the outbox edited): the ja notice has a line break in its title.
    db = sqlite3.connect(project / "state" / "outbox.sqlite3")
    for notice_id, body in db.execute("SELECT id, body FROM notices").fetchall():
        notice = json.loads(body)
        if notice["data"]["locale"] == "ja":
            notice["data"]["title"] = "プライバシー\nポリシー"
            db.execute("UPDATE notices SET body = ? WHERE id = ?", (json.dumps(notice), notice_id))
    db.commit()
    db.close()
    done = policyctl(project, "notify", "deliver", "--until-empty", check=False)
    assert done.returncode == 1 and "not retried" in done.stderr
    assert counts(project)["dead"] == 1 and counts(project)["delivered"] == 1
    [dead] = json.loads(policyctl(project, "notify", "status", "--format", "json").stdout)["dead"]
    assert dead["attempts"] == 1 and dead["recipient"] == "aiko@example.jp"
    assert smtp.count == 1


# -- Retry-After capped -------------------------------------------------------------------------------

def test_a_retry_after_of_millennia_is_capped_by_the_backoff_and_status_still_works(project: Path) -> None:
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    calls: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["content-length"]))
            calls.append(self.headers["webhook-id"])
            self.send_response(503)
            self.send_header("retry-after", "9" * 40 if len(calls) == 1 else "Fri, 31 Dec 9999 23:59:59 GMT")
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/hook"
        write_config(project, webhook_channel(url, locales="[en]"), max_attempts=3)
        write_release(project)
        policyctl(project, "notify", "enqueue", VERSION)
        started = time.time()
        policyctl(project, "notify", "deliver", "--once", env=ENV)
        [job] = json.loads(policyctl(project, "notify", "status", "--format", "json").stdout)["retrying"]
        assert job["next_attempt"] <= time.time() + 1.0  # backoff max in the test config: PT1S
        assert "next attempt" in policyctl(project, "notify", "status").stdout
        done = policyctl(project, "notify", "deliver", "--until-empty", env=ENV, check=False)
        assert done.returncode == 1 and "gave up after 3 attempts" in done.stderr
        assert len(calls) == 3 and time.time() - started < 30
    finally:
        server.shutdown()
        server.server_close()


# -- a whole-request deadline, and a lease the living worker renews ------------------------------------

class Trickle:
    """An HTTP server that answers one byte every ``pace`` seconds (a status line, headers, a body)."""

    def __init__(self, pace: float) -> None:
        self.pace = pace
        self.requests: list[tuple[float, str]] = []  # (when, webhook-id)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/hook"
        self.stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                data += chunk
            head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1")
            key = next((line.split(":", 1)[1].strip() for line in head.split("\r\n")
                        if line.lower().startswith("webhook-id:")), "")
            self.requests.append((time.monotonic(), key))
            for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}":
                if self.stop.wait(self.pace):
                    return
                try:
                    conn.sendall(bytes([byte]))
                except OSError:
                    return

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


def test_a_receiver_trickling_a_byte_at_a_time_is_cut_off_at_the_timeout(project: Path) -> None:
    trickle = Trickle(pace=0.2)  # ~13 s for the whole answer; every byte well inside any read timeout
    try:
        config = webhook_channel(trickle.url, locales="[en]").replace("timeout: PT5S", "timeout: PT1S")
        write_config(project, config)
        write_release(project)
        policyctl(project, "notify", "enqueue", VERSION)
        started = time.monotonic()
        done = policyctl(project, "notify", "deliver", "--once", env=ENV)
        assert time.monotonic() - started < 8  # a process start, then one second, not thirteen
        assert "no complete answer within 1 s" in done.stderr
        assert counts(project)["failed-retrying"] == 1
    finally:
        trickle.close()


def test_a_slow_delivery_keeps_its_lease_so_no_other_worker_sends_it_again(project: Path) -> None:
    import subprocess
    import sys

    trickle = Trickle(pace=0.05)  # ~3 s to answer: three times the lease, inside the timeout
    try:
        config = webhook_channel(trickle.url, locales="[en]").replace("timeout: PT5S", "timeout: PT10S")
        write_config(project, config, lease="PT1S")
        write_release(project)
        policyctl(project, "notify", "enqueue", VERSION)
        procs = [subprocess.Popen([sys.executable, str(REPO / "policyctl.py"), "-C", str(project), "notify",
                                   "deliver", "--until-empty"], env={**__import__("os").environ, **ENV},
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
        outs = [p.communicate(timeout=60) for p in procs]
        assert [p.returncode for p in procs] == [0, 0], outs
        assert [k for _, k in trickle.requests] == [f"privacy-policy:{VERSION}:app:en"]  # sent once, not twice
        assert counts(project)["delivered"] == 1
    finally:
        trickle.close()


# -- a damaged, truncated or replaced outbox is refused, never read as empty ---------------------------------

def queued(project: Path, n: int = 200) -> Path:
    write_release(project)
    recipients(project, "".join(f"user{i}@example.com en\n" for i in range(n)))
    write_config(project, email_channel(1))
    assert f"{n} job(s) added" in policyctl(project, "notify", "enqueue", VERSION).stdout
    return project / "state" / "outbox.sqlite3"


@pytest.mark.parametrize("cut", [0, 4096, 0.5])
def test_a_truncated_outbox_is_refused_not_read_as_empty(project: Path, cut: float) -> None:
    path = queued(project)
    wal = path.with_name(path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0  # checkpointed when the enqueue closed it
    size = path.stat().st_size
    with path.open("r+b") as f:
        f.truncate(int(size * cut) if isinstance(cut, float) else cut)
    for action in (("status",), ("deliver", "--once")):
        done = policyctl(project, "notify", *action, check=False)
        assert done.returncode == 1, (action, done.stdout)
        assert "Traceback" not in done.stderr and ("damaged" in done.stderr or "truncated" in done.stderr
                                                   or "missing" in done.stderr or "empty" in done.stderr)
        assert "0 pending" not in done.stdout


def test_a_replaced_outbox_is_refused(project: Path, tmp_path: Path) -> None:
    path = queued(project)
    other = tmp_path / "other"
    other.mkdir()
    from policykit.notify.sqlite import SQLiteOutbox

    SQLiteOutbox(other / "outbox.sqlite3").close()
    path.unlink()
    (other / "outbox.sqlite3").rename(path)
    done = policyctl(project, "notify", "status", check=False)
    assert done.returncode == 1 and "the file was replaced" in done.stderr


def test_a_deleted_outbox_is_refused_not_recreated_empty(project: Path) -> None:
    path = queued(project)
    path.unlink()
    done = policyctl(project, "notify", "deliver", "--once", check=False)
    assert done.returncode == 1 and "outbox is gone" in done.stderr and "200 job(s)" in done.stderr
    assert not path.exists()


def test_damaged_rows_are_errors_naming_the_job_never_tracebacks(project: Path, smtp: SMTPReceiver) -> None:
    path = queued(project, 3)
    config = project / "policy" / "notify.yaml"
    config.write_text(config.read_text("utf-8").replace("port: 1\n", f"port: {smtp.port}\n"), "utf-8")
    db = sqlite3.connect(path)
    # A text where a time belongs: SQLite would sort it after every number, so the job would never be due.
    db.execute("UPDATE jobs SET next_attempt = 'soon' WHERE id = 2")
    db.commit()
    done = policyctl(project, "notify", "status")
    assert f"#2 privacy-policy:{VERSION}:customers:user1@example.com" in done.stdout
    assert "its row was damaged: next_attempt 'soon' is not a time" in done.stdout
    assert "1 job(s) made pending again" in policyctl(project, "notify", "retry", "2").stdout  # and repaired
    db.execute("INSERT INTO notices (hash, body) VALUES ('x', '{not json')")
    db.execute("UPDATE jobs SET notice_id = (SELECT id FROM notices WHERE hash = 'x') WHERE id = 3")
    db.commit()
    db.close()
    done = policyctl(project, "notify", "deliver", "--until-empty", check=False)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"job #3 privacy-policy:{VERSION}:customers:user2@example.com: its stored notice is not JSON" in done.stderr
    assert counts(project) == {"pending": 0, "in-flight": 0, "delivered": 2, "failed-retrying": 0, "dead": 1}
    assert smtp.count == 2


# -- duplicates a receiver cannot catch ---------------------------------------------------------------------

def test_a_re_export_with_other_capitals_adds_no_job_and_sends_nothing_twice(project: Path, smtp: SMTPReceiver) -> None:
    write_release(project)
    recipients(project, "Aiko.Tanaka@Example.JP ja\nbernd@example.de de\n")
    write_config(project, email_channel(smtp.port))
    policyctl(project, "notify", "enqueue", VERSION)
    policyctl(project, "notify", "deliver", "--until-empty")
    recipients(project, "AIKO.TANAKA@EXAMPLE.JP ja\nBernd@Example.DE de\naiko.tanaka@example.jp ja\n")
    assert "0 job(s) added" in policyctl(project, "notify", "enqueue", VERSION).stdout
    policyctl(project, "notify", "deliver", "--until-empty")
    assert smtp.count == 2
    db = sqlite3.connect(project / "state" / "outbox.sqlite3")
    rows = sorted(db.execute("SELECT key, recipient FROM jobs").fetchall())
    db.close()
    # The key is case-insensitive; the message goes to the local part as written, the domain in lower case.
    assert rows == [(f"privacy-policy:{VERSION}:customers:aiko.tanaka@example.jp", "Aiko.Tanaka@example.jp"),
                    (f"privacy-policy:{VERSION}:customers:bernd@example.de", "bernd@example.de")]


# -- nothing outside the project; notify.yaml checked by validate -----------------------------------------------

def test_an_outbox_path_outside_the_project_is_refused_unless_given_on_the_command_line(
        project: Path, tmp_path: Path) -> None:
    write_release(project)
    write_config(project, webhook_channel("https://hooks.example.com/x"), outbox="path: ../../../outside.sqlite3")
    done = policyctl(project, "validate", check=False)
    assert done.returncode == 1
    assert any(x.startswith("policy/notify.yaml:2:") and "leaves the project folder" in x
               for x in done.stdout.splitlines())
    refused = policyctl(project, "notify", "enqueue", VERSION, check=False)
    assert refused.returncode == 1 and "leaves the project folder" in refused.stderr
    assert not (tmp_path.parent / "outside.sqlite3").exists() and not (tmp_path / "outside.sqlite3").exists()
    # The operator may put it anywhere on the command line.
    write_config(project, webhook_channel("https://hooks.example.com/x"))
    elsewhere = tmp_path / "ops" / "outbox.sqlite3"
    done = policyctl(project, "notify", "--outbox", str(elsewhere), "enqueue", VERSION)
    assert "3 job(s) added" in done.stdout and elsewhere.exists()


def test_an_outbox_path_through_a_symlink_out_of_the_project_is_refused(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (project / "state").symlink_to(outside)
    write_release(project)
    write_config(project, webhook_channel("https://hooks.example.com/x"))
    done = policyctl(project, "notify", "enqueue", VERSION, check=False)
    assert done.returncode == 1 and "symbolic link" in done.stderr
    assert list(outside.iterdir()) == []


def test_validate_checks_notify_yaml_and_a_secret_fails_it(project: Path) -> None:
    write_config(project, webhook_channel("https://hooks.example.com/x") + "    secret: whsec_abc\n")
    done = policyctl(project, "validate", check=False)
    assert done.returncode == 1
    assert any(x.startswith("policy/notify.yaml:") and "never write a secret" in x for x in done.stdout.splitlines())
    clean = REPO / "policy" / "notify.yaml"
    (project / "policy" / "notify.yaml").write_bytes(clean.read_bytes())
    assert "notify.yaml" not in policyctl(project, "validate", check=False).stdout
