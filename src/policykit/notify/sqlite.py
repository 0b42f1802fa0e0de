"""The default outbox: one SQLite file (write-ahead log) in the state folder.

Every state change is a transaction, so a process killed at any moment leaves
each job either where it was or where it went, never lost. Enqueueing and
retrying are flushed to disk before they return (``synchronous=FULL``), so a
queued job survives even a power cut; claims and settlements are not
(``NORMAL``, which in WAL mode still survives any crash of the process): after
a power cut the last of them may be undone, which only means a delivery is
made again under the same key — what at-least-once allows — and it makes the
outbox an order of magnitude faster. Claims are leases:
a worker that dies leaves its jobs ``in-flight`` until ``lease_until``; the
next claim after that takes them again (and counts the attempt). Each claim
carries a token, and a settlement with a stale token is ignored, so a worker
that wakes up after its lease was taken over cannot overwrite the newer state.

Notices (the payload per release and locale) are stored once and shared by
the jobs that deliver them.

An outbox that is damaged, truncated or replaced is refused, never read as an
empty queue: each outbox has an id and a count of the jobs ever added (jobs are
never deleted), kept in the file and in a small identity file beside it
(``outbox.sqlite3.id``). Opening checks the file's integrity (``PRAGMA
quick_check``), that the id is the one the identity file names, and that no job
is missing.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from policykit.errors import NotifyError
from policykit.notify.outbox import STATES, ChannelProgress, Job, JobRecord, NewJob, Outcome, State
from policykit.notify.rows import JOB_COLUMNS, RECORD_COLUMNS, job_from, notice_from, record_from, stored

SCHEMA_VERSION = 2  # 2: the meta table (outbox id, jobs ever added)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS notices (
    id INTEGER PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    document TEXT NOT NULL,
    version TEXT NOT NULL,
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    locale TEXT NOT NULL,
    notice_id INTEGER NOT NULL REFERENCES notices(id),
    state TEXT NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'in-flight', 'delivered', 'failed-retrying', 'dead')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt REAL,
    lease_until REAL,
    lease_token TEXT,
    last_error TEXT,
    created REAL NOT NULL,
    updated REAL NOT NULL,
    delivered REAL
);
CREATE INDEX IF NOT EXISTS jobs_due ON jobs (next_attempt) WHERE state IN ('pending', 'failed-retrying');
CREATE INDEX IF NOT EXISTS jobs_leased ON jobs (lease_until) WHERE state = 'in-flight';
CREATE INDEX IF NOT EXISTS jobs_version ON jobs (version, state);
CREATE INDEX IF NOT EXISTS jobs_delivered ON jobs (delivered) WHERE state = 'delivered';
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class SQLiteOutbox:
    """An :class:`~policykit.notify.outbox.Outbox` in one SQLite file. Use from one thread at a time."""

    def __init__(self, path: Path, *, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self.clock = clock
        self.identity = path.with_name(path.name + ".id")
        self._notices: dict[int, tuple[dict[str, Any], str | None]] = {}
        known = _read_identity(self.identity)
        fresh = not path.exists() or path.stat().st_size == 0
        if fresh and known is not None:
            raise NotifyError(f"{path}: the outbox is {'gone' if not path.exists() else 'empty'}, but "
                              f"{self.identity.name} says outbox {known[0]} with {known[1]} job(s) was here: it was "
                              f"deleted, truncated or replaced. Restore it from a backup; only if those jobs are "
                              f"really to be dropped, delete {self.identity} to start an empty outbox")
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)  # it holds recipients' addresses
            # One user at a time, but not always the thread that opened it (a caller may hand it on).
            self.db = sqlite3.connect(path, timeout=30.0, isolation_level=None, check_same_thread=False)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            if not fresh:
                _check_integrity(self.db, path)
            self.outbox_id, jobs_added = self._schema(path)
        except sqlite3.DatabaseError as exc:
            raise NotifyError(f"{path}: cannot open the outbox: {exc}; it is damaged or not an outbox "
                              "(restore it from a backup)") from None
        self._check_identity(known, jobs_added)
        if not fresh:
            self._quarantine()

    def _schema(self, path: Path) -> tuple[str, int]:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise NotifyError(f"{path}: outbox schema {version} is newer than this policyctl knows "
                              f"({SCHEMA_VERSION}); upgrade policyctl")
        if version < SCHEMA_VERSION:
            with self._tx(durable=True) as db:
                # Every statement is IF NOT EXISTS, so two processes creating it at once agree.
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        db.execute(statement)
                count = db.execute("SELECT COUNT(*) FROM jobs").fetchone()[0]
                db.execute("INSERT OR IGNORE INTO meta VALUES ('outbox_id', ?)", (uuid.uuid4().hex,))
                db.execute("INSERT OR IGNORE INTO meta VALUES ('jobs_added', ?)", (str(count),))
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        meta = dict(self.db.execute("SELECT name, value FROM meta").fetchall())
        if "outbox_id" not in meta or not str(meta.get("jobs_added", "")).isdigit():
            raise NotifyError(f"{path}: the outbox's own record (table meta) is missing or damaged; "
                              "restore the outbox from a backup")
        return str(meta["outbox_id"]), int(meta["jobs_added"])

    def _check_identity(self, known: tuple[str, int] | None, jobs_added: int) -> None:
        if known is not None and known[0] != self.outbox_id:
            self.db.close()
            raise NotifyError(f"{self.path}: this is outbox {self.outbox_id}, but {self.identity.name} says "
                              f"outbox {known[0]} was here: the file was replaced. Put the right file back; only "
                              f"if the other outbox's jobs are really to be dropped, delete {self.identity}")
        present = self.db.execute("SELECT COUNT(*) FROM jobs").fetchone()[0]
        expected = max(jobs_added, known[1] if known else 0)
        if present < expected:
            self.db.close()
            raise NotifyError(f"{self.path}: {expected - present} of the {expected} job(s) ever queued are "
                              "missing (the file was truncated, or an older copy put back); restore it from a "
                              "backup")
        if known != (self.outbox_id, jobs_added):
            _write_identity(self.identity, self.outbox_id, jobs_added)

    def _quarantine(self) -> None:
        """Make every job whose row has a value of the wrong type dead, naming what is wrong.

        SQLite keeps any value in any column: a text where a time belongs sorts after every number,
        so that job would silently never be due. Dead, it shows in ``status`` and exits ``deliver``
        non-zero; ``retry`` writes its columns afresh, which repairs it.
        """
        checks = (("attempts", "('integer')"), ("next_attempt", "('integer', 'real', 'null')"),
                  ("lease_until", "('integer', 'real', 'null')"))
        where = " OR ".join(f"typeof({c}) NOT IN {types}" for c, types in checks)
        bad = self.db.execute(f"SELECT id, attempts, next_attempt, lease_until FROM jobs WHERE {where}").fetchall()
        if not bad:
            return
        with self._tx(durable=True) as db:
            for job_id, *values in bad:
                wrong = [f"{name} {value!r} is not {'a count' if name == 'attempts' else 'a time'}"
                         for (name, _), value in zip(checks, values, strict=True)
                         if not (isinstance(value, int) or (name != "attempts" and (value is None
                                                                                   or isinstance(value, float))))]
                db.execute("UPDATE jobs SET state = 'dead', next_attempt = NULL, lease_until = NULL,"
                           " lease_token = NULL, attempts = CASE WHEN typeof(attempts) = 'integer' THEN attempts"
                           " ELSE 0 END, last_error = ?, updated = ? WHERE id = ?",
                           (f"its row was damaged: {'; '.join(wrong)} (retry it to repair it)", self.clock(), job_id))

    @contextmanager
    def _tx(self, *, durable: bool = False) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (BEGIN IMMEDIATE) so claims never race.

        ``durable`` flushes it to disk on commit (and with it every earlier one).
        """
        if durable:
            self.db.execute("PRAGMA synchronous=FULL")
        try:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")
        finally:
            if durable:
                self.db.execute("PRAGMA synchronous=NORMAL")

    # -- writing ----------------------------------------------------------
    def enqueue(self, jobs: Iterable[NewJob]) -> int:
        """All or nothing: a problem while ``jobs`` is read (a bad recipient line) adds none of them."""
        now = self.clock()
        added = 0
        notice_ids: dict[str, int] = {}
        seen: dict[int, tuple[Any, str, str]] = {}
        insert = ("INSERT OR IGNORE INTO jobs (key, document, version, channel, recipient, locale, notice_id,"
                  " next_attempt, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        batch: list[tuple[Any, ...]] = []
        with self._tx(durable=True) as db:
            for job in jobs:
                digest, body = stored(job.notice, seen)
                if digest not in notice_ids:
                    db.execute("INSERT OR IGNORE INTO notices (hash, body) VALUES (?, ?)", (digest, body))
                    notice_ids[digest] = db.execute("SELECT id FROM notices WHERE hash = ?", (digest,)).fetchone()[0]
                batch.append((job.key, job.document, job.version, job.channel, job.recipient, job.locale,
                              notice_ids[digest], now, now, now))
                if len(batch) >= 1000:  # a batch, not the whole stream: memory stays flat
                    added += db.executemany(insert, batch).rowcount
                    batch.clear()
            if batch:
                added += db.executemany(insert, batch).rowcount
            total = int(db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + ? WHERE name = 'jobs_added'"
                                   " RETURNING value", (added,)).fetchone()[0])
        _write_identity(self.identity, self.outbox_id, total)
        return added

    def claim(self, limit: int, *, lease: float, max_attempts: int, due_before: float | None = None) -> list[Job]:
        if limit <= 0:
            return []
        now = self.clock()
        token = uuid.uuid4().hex
        with self._tx() as db:
            db.execute(
                "UPDATE jobs SET state = 'dead', lease_token = NULL, lease_until = NULL, updated = ?,"
                " last_error = 'the lease expired ' || attempts || ' time(s): the worker was lost each time'"
                " WHERE state = 'in-flight' AND lease_until <= ? AND attempts >= ?",
                (now, now, max_attempts),
            )
            expired = [r[0] for r in db.execute(
                "SELECT id FROM jobs WHERE state = 'in-flight' AND lease_until <= ? ORDER BY lease_until LIMIT ?",
                (now, limit))]
            due = [r[0] for r in db.execute(
                "SELECT id FROM jobs WHERE state IN ('pending', 'failed-retrying') AND next_attempt <= ?"
                " ORDER BY next_attempt, id LIMIT ?",
                (now if due_before is None else min(now, due_before), limit - len(expired)))]
            claimed: list[Job] = []
            for ids, note in ((expired, "last_error = 'lease expired: the worker holding it was lost'"),
                              (due, "last_error = last_error")):
                if not ids:
                    continue
                marks = ",".join("?" * len(ids))
                rows = db.execute(
                    f"UPDATE jobs SET state = 'in-flight', attempts = attempts + 1, lease_until = ?,"
                    f" lease_token = ?, updated = ?, {note} WHERE id IN ({marks})"
                    f" RETURNING {', '.join(JOB_COLUMNS)}, notice_id",
                    (now + lease, token, now, *ids)).fetchall()
                claimed.extend(self._job(row, token) for row in rows)
            return claimed

    def _job(self, row: tuple[Any, ...], token: str) -> Job:
        notice_id = row[-1]
        found = self._notices.get(notice_id)
        if found is None:
            stored = self.db.execute("SELECT body FROM notices WHERE id = ?", (notice_id,)).fetchone()
            found = self._notices[notice_id] = notice_from(stored[0] if stored else None)
        return job_from(row[:-1], *found, token)

    def settle(self, outcomes: Iterable[Outcome]) -> None:
        now = self.clock()
        delivered, retry, dead = [], [], []
        for o in outcomes:
            if o.result == "delivered":
                delivered.append((now, now, o.job.id, o.job.token))
            elif o.result == "retry":
                retry.append((o.retry_at if o.retry_at is not None else now, o.error, now, o.job.id, o.job.token))
            else:
                dead.append((o.error, now, o.job.id, o.job.token))
        with self._tx() as db:
            db.executemany(
                "UPDATE jobs SET state = 'delivered', delivered = ?, updated = ?, next_attempt = NULL,"
                " lease_until = NULL, lease_token = NULL WHERE id = ? AND lease_token = ?", delivered)
            db.executemany(
                "UPDATE jobs SET state = 'failed-retrying', next_attempt = ?, last_error = ?, updated = ?,"
                " lease_until = NULL, lease_token = NULL WHERE id = ? AND lease_token = ?", retry)
            db.executemany(
                "UPDATE jobs SET state = 'dead', next_attempt = NULL, last_error = ?, updated = ?,"
                " lease_until = NULL, lease_token = NULL WHERE id = ? AND lease_token = ?", dead)

    def renew(self, jobs: Iterable[Job], *, lease: float) -> int:
        now = self.clock()
        with self._tx() as db:
            cur = db.executemany("UPDATE jobs SET lease_until = ? WHERE id = ? AND lease_token = ?"
                                 " AND state = 'in-flight'", [(now + lease, j.id, j.token) for j in jobs])
            return cur.rowcount

    def retry(self, *, job: str | None = None, dead: bool = False) -> int:
        now = self.clock()
        with self._tx(durable=True) as db:
            if dead:
                return db.execute(
                    "UPDATE jobs SET state = 'pending', attempts = 0, next_attempt = ?, updated = ?"
                    " WHERE state = 'dead'", (now, now)).rowcount
            if job is None:
                return 0
            column = "id" if job.isdigit() else "key"
            row = db.execute(f"SELECT id, state FROM jobs WHERE {column} = ?", (job,)).fetchone()
            if row is None:
                raise NotifyError(f"no job {job!r} in the outbox (see `policyctl notify status`)")
            if row[1] not in ("dead", "failed-retrying"):
                raise NotifyError(f"job {job} is {row[1]}; only dead or failed-retrying jobs can be retried")
            return db.execute(
                "UPDATE jobs SET state = 'pending', attempts = 0, next_attempt = ?, updated = ? WHERE id = ?",
                (now, now, row[0])).rowcount

    # -- reading ----------------------------------------------------------
    def counts(self, version: str | None = None) -> dict[State, int]:
        where, args = ("WHERE version = ?", (version,)) if version else ("", ())
        found = dict(self.db.execute(f"SELECT state, COUNT(*) FROM jobs {where} GROUP BY state", args).fetchall())
        return {s: int(found.get(s, 0)) for s in STATES}

    def progress(self, version: str | None = None) -> list[ChannelProgress]:
        now = self.clock()
        where, args = ("WHERE version = ?", (version,)) if version else ("", ())
        counts: dict[str, dict[State, int]] = {}
        for channel, state, n in self.db.execute(
                f"SELECT channel, state, COUNT(*) FROM jobs {where} GROUP BY channel, state ORDER BY channel", args):
            if state in STATES:
                counts.setdefault(channel, dict.fromkeys(STATES, 0))[state] = int(n)
        out = []
        for channel, by_state in counts.items():
            minute, hour, first, last = self.db.execute(
                "SELECT SUM(delivered >= ?), SUM(delivered >= ?), MIN(delivered), MAX(delivered) FROM jobs"
                f" WHERE state = 'delivered' AND channel = ?{' AND version = ?' if version else ''}",
                (now - 60, now - 3600, channel, *args)).fetchone()
            out.append(ChannelProgress(channel, by_state, int(minute or 0), int(hour or 0), first, last))
        return out

    def jobs(self, *, state: State | None = None, version: str | None = None, limit: int = 100) -> list[JobRecord]:
        clauses: list[str] = []
        args: list[object] = []
        if state:
            clauses.append("state = ?")
            args.append(state)
        if version:
            clauses.append("version = ?")
            args.append(version)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self.db.execute(f"SELECT {', '.join(RECORD_COLUMNS)} FROM jobs {where} ORDER BY id LIMIT ?",
                               (*args, limit)).fetchall()
        return [record_from(r) for r in rows]

    def next_due(self) -> float | None:
        row = self.db.execute(
            "SELECT MIN(t) FROM (SELECT MIN(next_attempt) AS t FROM jobs WHERE state IN ('pending', 'failed-retrying')"
            " UNION ALL SELECT MIN(lease_until) FROM jobs WHERE state = 'in-flight')").fetchone()
        return None if row[0] is None else float(row[0])

    def close(self) -> None:
        self.db.close()


def _check_integrity(db: sqlite3.Connection, path: Path) -> None:
    problems = [r[0] for r in db.execute("PRAGMA quick_check(5)").fetchall()]
    if problems != ["ok"]:
        db.close()
        raise NotifyError(f"{path}: the outbox is damaged ({'; '.join(problems)}); restore it from a backup. "
                          "Nothing was read from it")


def _read_identity(path: Path) -> tuple[str, int] | None:
    try:
        data = json.loads(path.read_text("utf-8"))
        return str(data["outbox"]), int(data["jobs_added"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise NotifyError(f"{path}: the outbox's identity file is damaged ({exc}); it should hold "
                          '{"outbox": ID, "jobs_added": N}') from None


def _write_identity(path: Path, outbox_id: str, jobs_added: int) -> None:
    """Atomically (a unique temporary file, renamed over): a crash leaves the old record or the new."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump({"outbox": outbox_id, "jobs_added": jobs_added}, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
