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
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

from policykit.errors import NotifyError
from policykit.notify.outbox import STATES, Job, JobRecord, NewJob, Outcome, State

SCHEMA_VERSION = 1
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
"""
_JOB_COLUMNS = "id, key, document, version, channel, recipient, locale, notice_id, attempts"


class SQLiteOutbox:
    """An :class:`~policykit.notify.outbox.Outbox` in one SQLite file. Use from one thread."""

    def __init__(self, path: Path, *, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self.clock = clock
        self._notices: dict[int, dict[str, Any]] = {}
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)  # it holds recipients' addresses
            self.db = sqlite3.connect(path, timeout=30.0, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise NotifyError(f"{path}: outbox schema {version} is newer than this policyctl knows "
                                  f"({SCHEMA_VERSION}); upgrade policyctl")
            if version < SCHEMA_VERSION:
                # Every statement is IF NOT EXISTS, so two processes creating it at once agree.
                self.db.executescript(_SCHEMA)
                self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.DatabaseError as exc:
            raise NotifyError(f"{path}: cannot open the outbox: {exc}") from None

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
        now = self.clock()
        added = 0
        notice_ids: dict[str, int] = {}
        with self._tx(durable=True) as db:
            for job in jobs:
                body = json.dumps(job.notice, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
                digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
                if digest not in notice_ids:
                    db.execute("INSERT OR IGNORE INTO notices (hash, body) VALUES (?, ?)", (digest, body))
                    notice_ids[digest] = db.execute("SELECT id FROM notices WHERE hash = ?", (digest,)).fetchone()[0]
                cur = db.execute(
                    "INSERT OR IGNORE INTO jobs (key, document, version, channel, recipient, locale, notice_id,"
                    " next_attempt, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (job.key, job.document, job.version, job.channel, job.recipient, job.locale,
                     notice_ids[digest], now, now, now),
                )
                added += cur.rowcount
        return added

    def claim(self, limit: int, *, lease: float, max_attempts: int, due_before: float | None = None) -> list[Job]:
        if limit <= 0:
            return []
        now = self.clock()
        token = uuid.uuid4().hex
        claimed: list[Job] = []
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
            for ids, note in ((expired, "last_error = 'lease expired: the worker holding it was lost'"),
                              (due, "last_error = last_error")):
                if not ids:
                    continue
                marks = ",".join("?" * len(ids))
                rows = db.execute(
                    f"UPDATE jobs SET state = 'in-flight', attempts = attempts + 1, lease_until = ?,"
                    f" lease_token = ?, updated = ?, {note} WHERE id IN ({marks}) RETURNING {_JOB_COLUMNS}",
                    (now + lease, token, now, *ids),
                ).fetchall()
                claimed.extend(self._job(row, token) for row in rows)
        return claimed

    def _job(self, row: tuple[Any, ...], token: str) -> Job:
        job_id, key, document, version, channel, recipient, locale, notice_id, attempts = row
        notice = self._notices.get(notice_id)
        if notice is None:
            body = self.db.execute("SELECT body FROM notices WHERE id = ?", (notice_id,)).fetchone()[0]
            notice = self._notices[notice_id] = json.loads(body)
        return Job(id=job_id, key=key, document=document, version=version, channel=channel,
                   recipient=recipient, locale=locale, notice=notice, attempt=attempts, token=token)

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
        rows = self.db.execute(
            "SELECT id, key, version, channel, recipient, state, attempts, next_attempt, last_error"
            f" FROM jobs {where} ORDER BY id LIMIT ?", (*args, limit)).fetchall()
        return [JobRecord(id=r[0], key=r[1], version=r[2], channel=r[3], recipient=r[4], state=cast(State, r[5]),
                          attempts=r[6], next_attempt=r[7], last_error=r[8]) for r in rows]

    def next_due(self) -> float | None:
        row = self.db.execute(
            "SELECT MIN(t) FROM (SELECT MIN(next_attempt) AS t FROM jobs WHERE state IN ('pending', 'failed-retrying')"
            " UNION ALL SELECT MIN(lease_until) FROM jobs WHERE state = 'in-flight')").fetchone()
        return None if row[0] is None else float(row[0])

    def close(self) -> None:
        self.db.close()
