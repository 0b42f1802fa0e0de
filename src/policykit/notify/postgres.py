"""The outbox on a PostgreSQL server: one queue shared by ``deliver`` processes on several machines.

``outbox: {url: postgresql://user@host/db}`` in ``policy/notify.yaml`` (the
password comes from ``PGPASSWORD`` or ``~/.pgpass``, never the repository), or
``--outbox postgresql://…``. The only module that imports psycopg.

The same states, leases, tokens and retries as :mod:`.sqlite`; what differs is
how claims avoid each other: each claim is one transaction that picks due jobs
with ``FOR UPDATE SKIP LOCKED``, so any number of processes claim at once, each
getting other jobs, none waiting for another. Every state change is a
transaction, so a delivery process killed at any moment (even the whole machine)
leaves each job where it was or where it went; its leases run out and another
process takes the jobs again under the same key.

Times are the clients' clocks (seconds since the epoch), as in the SQLite
outbox: the machines that deliver must keep their clocks in step (NTP), as
leases of minutes assume.

A server that goes away (restarted, failed over, the network cut) raises
:class:`~policykit.notify.outbox.OutboxUnavailable`; the next call connects
again. Enqueueing streams the jobs into the server with ``COPY`` in one
transaction: memory stays flat for a million recipients, and a problem while
reading them queues none.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg

from policykit.errors import NotifyError
from policykit.notify.outbox import STATES, ChannelProgress, Job, JobRecord, NewJob, OutboxUnavailable, Outcome, State
from policykit.notify.rows import JOB_COLUMNS, RECORD_COLUMNS, job_from, notice_from, record_from, stored

SCHEMA_VERSION = 1
_SCHEMA = """
CREATE SCHEMA IF NOT EXISTS policyctl;
CREATE TABLE IF NOT EXISTS policyctl.meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS policyctl.notices (
    id BIGSERIAL PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS policyctl.jobs (
    id BIGSERIAL PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    document TEXT NOT NULL,
    version TEXT NOT NULL,
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    locale TEXT NOT NULL,
    notice_id BIGINT NOT NULL REFERENCES policyctl.notices(id),
    state TEXT NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'in-flight', 'delivered', 'failed-retrying', 'dead')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt DOUBLE PRECISION,
    lease_until DOUBLE PRECISION,
    lease_token TEXT,
    last_error TEXT,
    created DOUBLE PRECISION NOT NULL,
    updated DOUBLE PRECISION NOT NULL,
    delivered DOUBLE PRECISION
);
CREATE INDEX IF NOT EXISTS jobs_due ON policyctl.jobs (next_attempt, id) WHERE state IN ('pending', 'failed-retrying');
CREATE INDEX IF NOT EXISTS jobs_leased ON policyctl.jobs (lease_until) WHERE state = 'in-flight';
CREATE INDEX IF NOT EXISTS jobs_version ON policyctl.jobs (version, state);
CREATE INDEX IF NOT EXISTS jobs_delivered ON policyctl.jobs (channel, delivered) WHERE state = 'delivered';
"""
SWEEP = 1.0  # seconds between looks for expired leases (a lost worker's jobs wait at most this much longer)
_LOCK = 0x706F6C6963796374  # pg_advisory_xact_lock key ("policyct"): schema changes one process at a time
_CLAIM = (f"UPDATE policyctl.jobs SET state = 'in-flight', attempts = attempts + 1, lease_until = %s,"
          f" lease_token = %s, updated = %s, last_error = {{note}} WHERE id IN ({{pick}})"
          f" RETURNING {', '.join(JOB_COLUMNS)}, notice_id")


class PostgresOutbox:
    """An :class:`~policykit.notify.outbox.Outbox` in a PostgreSQL database. Use from one thread."""

    def __init__(self, url: str, *, clock: Callable[[], float] = time.time, connect_timeout: float = 10) -> None:
        self.url = url
        self.clock = clock
        self.connect_timeout = connect_timeout
        self._conn: psycopg.Connection[Any] | None = None
        self._notices: dict[int, tuple[dict[str, Any], str | None]] = {}
        self._swept = float("-inf")
        try:
            self.outbox_id = self._open()
        except BaseException:
            self._discard()
            raise

    # -- the connection -----------------------------------------------------
    def _connection(self) -> psycopg.Connection[Any]:
        if self._conn is None or self._conn.closed:
            try:
                # Autocommit: a claim, a renewal, a settlement of one job is one statement and one round
                # trip, atomic by itself; what must be all or nothing (enqueue) opens a transaction.
                self._conn = psycopg.connect(self.url, connect_timeout=int(max(1, self.connect_timeout)),
                                             application_name="policyctl-notify", autocommit=True)
            except psycopg.OperationalError as exc:
                raise OutboxUnavailable(f"cannot reach the outbox database {_safe(self.url)}: "
                                        f"{_first_line(exc)}") from None
        return self._conn

    @contextmanager
    def _tx(self, *, atomic: bool = True) -> Iterator[psycopg.Cursor[Any]]:
        """One transaction (``atomic``), or statements that each stand alone; a lost server is
        :class:`OutboxUnavailable` (the next call connects again)."""
        conn = self._connection()
        try:
            if atomic:
                with conn.transaction(), conn.cursor() as cur:
                    yield cur
            else:
                with conn.cursor() as cur:
                    yield cur
        except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
            self._discard()
            raise OutboxUnavailable(f"the outbox database {_safe(self.url)} went away: {_first_line(exc)}") from None
        except psycopg.Error as exc:
            raise NotifyError(f"outbox database {_safe(self.url)}: {_first_line(exc)}") from None

    def _discard(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except psycopg.Error:
                pass  # the server is gone: there is nothing to close politely
            finally:
                self._conn = None

    def _open(self) -> str:
        try:
            with self._tx() as cur:
                cur.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
                cur.execute(_SCHEMA)
                cur.execute("INSERT INTO policyctl.meta VALUES ('outbox_id', %s), ('jobs_added', '0'),"
                            " ('schema', %s) ON CONFLICT (name) DO NOTHING", (uuid.uuid4().hex, str(SCHEMA_VERSION)))
                cur.execute("SELECT name, value FROM policyctl.meta")
                meta = dict(cur.fetchall())
                cur.execute("SELECT COUNT(*) FROM policyctl.jobs")
                present = int(_one(cur)[0])
        except OutboxUnavailable as exc:
            raise NotifyError(str(exc)) from None
        if int(meta.get("schema", "0")) > SCHEMA_VERSION:
            raise NotifyError(f"{_safe(self.url)}: outbox schema {meta['schema']} is newer than this policyctl "
                              f"knows ({SCHEMA_VERSION}); upgrade policyctl")
        added = int(meta["jobs_added"]) if str(meta.get("jobs_added", "")).isdigit() else -1
        if added < 0 or "outbox_id" not in meta:
            raise NotifyError(f"{_safe(self.url)}: the outbox's own record (policyctl.meta) is damaged; restore "
                              "the database from a backup")
        if present < added:
            raise NotifyError(f"{_safe(self.url)}: {added - present} of the {added} job(s) ever queued are missing "
                              "from policyctl.jobs (rows deleted, or an older backup restored); nothing was read")
        return str(meta["outbox_id"])

    # -- writing --------------------------------------------------------------
    def enqueue(self, jobs: Iterable[NewJob]) -> int:
        """All or nothing, streamed to the server with COPY: memory stays flat however many jobs."""
        now = self.clock()
        with self._tx() as cur:
            cur.execute("CREATE TEMPORARY TABLE incoming (key TEXT, document TEXT, version TEXT, channel TEXT,"
                        " recipient TEXT, locale TEXT, notice_id BIGINT) ON COMMIT DROP")
            notice_ids: dict[str, int] = {}
            seen: dict[int, tuple[Any, str, str]] = {}
            with cur.copy("COPY incoming FROM STDIN") as copy:
                for job in jobs:
                    digest, body = stored(job.notice, seen)
                    if digest not in notice_ids:
                        notice_ids[digest] = self._notice_id(digest, body)
                    copy.write_row((job.key, job.document, job.version, job.channel, job.recipient, job.locale,
                                    notice_ids[digest]))
            cur.execute("INSERT INTO policyctl.jobs (key, document, version, channel, recipient, locale, notice_id,"
                        " next_attempt, created, updated) SELECT key, document, version, channel, recipient, locale,"
                        " notice_id, %s, %s, %s FROM incoming ON CONFLICT (key) DO NOTHING", (now, now, now))
            added = max(0, cur.rowcount)
            cur.execute("UPDATE policyctl.meta SET value = (value::bigint + %s)::text WHERE name = 'jobs_added'",
                        (added,))
        return added

    def _notice_id(self, digest: str, body: str) -> int:
        """The id of a notice, stored once (in its own short transaction, so a COPY can run beside it)."""
        with psycopg.connect(self.url, connect_timeout=int(self.connect_timeout), autocommit=True) as conn:
            row = conn.execute("INSERT INTO policyctl.notices (hash, body) VALUES (%s, %s) ON CONFLICT (hash)"
                               " DO UPDATE SET hash = EXCLUDED.hash RETURNING id", (digest, body)).fetchone()
            assert row is not None
            return int(row[0])

    def claim(self, limit: int, *, lease: float, max_attempts: int, due_before: float | None = None) -> list[Job]:
        """One statement per claim as a rule (one round trip): expired leases are looked for at most
        every ``SWEEP`` seconds, since they only appear when a worker was lost."""
        if limit <= 0:
            return []
        now = self.clock()
        token = uuid.uuid4().hex
        due = now if due_before is None else min(now, due_before)
        rows: list[Any] = []
        # Each statement stands alone: a process killed between them leaves leased jobs, which expire.
        with self._tx(atomic=False) as cur:
            if now - self._swept >= SWEEP or due_before is not None:
                self._swept = now
                cur.execute(
                    "UPDATE policyctl.jobs SET state = 'dead', lease_token = NULL, lease_until = NULL, updated = %s,"
                    " last_error = 'the lease expired ' || attempts || ' time(s): the worker was lost each time'"
                    " WHERE id IN (SELECT id FROM policyctl.jobs WHERE state = 'in-flight' AND lease_until <= %s"
                    " AND attempts >= %s FOR UPDATE SKIP LOCKED)", (now, now, max_attempts))
                cur.execute(_CLAIM.format(
                    note="'lease expired: the worker holding it was lost'",
                    pick="SELECT id FROM policyctl.jobs WHERE state = 'in-flight' AND lease_until <= %s"
                         " ORDER BY lease_until LIMIT %s FOR UPDATE SKIP LOCKED"),
                    (now + lease, token, now, now, limit))
                rows = cur.fetchall()
            if len(rows) < limit:
                cur.execute(_CLAIM.format(
                    note="last_error",
                    pick="SELECT id FROM policyctl.jobs WHERE state IN ('pending', 'failed-retrying')"
                         " AND next_attempt <= %s ORDER BY next_attempt, id LIMIT %s FOR UPDATE SKIP LOCKED"),
                    (now + lease, token, now, due, limit - len(rows)))
                rows += cur.fetchall()
            missing = {r[-1] for r in rows} - set(self._notices)
            if missing:
                cur.execute("SELECT id, body FROM policyctl.notices WHERE id = ANY(%s)", (list(missing),))
                found = dict(cur.fetchall())
                for notice_id in missing:
                    self._notices[notice_id] = notice_from(found.get(notice_id))
        return [job_from(r[:-1], *self._notices[r[-1]], token) for r in sorted(rows, key=lambda r: r[0])]

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
        with self._tx(atomic=False) as cur:  # each job's update stands alone; executemany pipelines them
            for sql, rows in (
                ("UPDATE policyctl.jobs SET state = 'delivered', delivered = %s, updated = %s, next_attempt = NULL,"
                 " lease_until = NULL, lease_token = NULL WHERE id = %s AND lease_token = %s", delivered),
                ("UPDATE policyctl.jobs SET state = 'failed-retrying', next_attempt = %s, last_error = %s,"
                 " updated = %s, lease_until = NULL, lease_token = NULL WHERE id = %s AND lease_token = %s", retry),
                ("UPDATE policyctl.jobs SET state = 'dead', next_attempt = NULL, last_error = %s, updated = %s,"
                 " lease_until = NULL, lease_token = NULL WHERE id = %s AND lease_token = %s", dead),
            ):
                if rows:
                    cur.executemany(sql, rows)

    def renew(self, jobs: Iterable[Job], *, lease: float) -> int:
        now = self.clock()
        held = [(j.id, j.token) for j in jobs]
        if not held:
            return 0
        with self._tx(atomic=False) as cur:
            cur.execute("UPDATE policyctl.jobs AS j SET lease_until = %s FROM unnest(%s::bigint[], %s::text[])"
                        " AS h(id, token) WHERE j.id = h.id AND j.lease_token = h.token AND j.state = 'in-flight'",
                        (now + lease, [h[0] for h in held], [h[1] for h in held]))
            return max(0, cur.rowcount)

    def retry(self, *, job: str | None = None, dead: bool = False) -> int:
        now = self.clock()
        with self._tx() as cur:
            if dead:
                cur.execute("UPDATE policyctl.jobs SET state = 'pending', attempts = 0, next_attempt = %s,"
                            " updated = %s WHERE state = 'dead'", (now, now))
                return cur.rowcount
            if job is None:
                return 0
            column = "id" if job.isdigit() else "key"
            cur.execute(f"SELECT id, state FROM policyctl.jobs WHERE {column} = %s FOR UPDATE",
                        (int(job) if job.isdigit() else job,))
            row = cur.fetchone()
            if row is None:
                raise NotifyError(f"no job {job!r} in the outbox (see `policyctl notify status`)")
            if row[1] not in ("dead", "failed-retrying"):
                raise NotifyError(f"job {job} is {row[1]}; only dead or failed-retrying jobs can be retried")
            cur.execute("UPDATE policyctl.jobs SET state = 'pending', attempts = 0, next_attempt = %s, updated = %s"
                        " WHERE id = %s", (now, now, row[0]))
            return cur.rowcount

    # -- reading ----------------------------------------------------------------
    def counts(self, version: str | None = None) -> dict[State, int]:
        where, args = ("WHERE version = %s", (version,)) if version else ("", ())
        with self._tx(atomic=False) as cur:
            cur.execute(f"SELECT state, COUNT(*) FROM policyctl.jobs {where} GROUP BY state", args)
            found = dict(cur.fetchall())
        return {s: int(found.get(s, 0)) for s in STATES}

    def progress(self, version: str | None = None) -> list[ChannelProgress]:
        now = self.clock()
        where, args = ("WHERE version = %s", (version,)) if version else ("", ())
        counts: dict[str, dict[State, int]] = {}
        with self._tx(atomic=False) as cur:
            cur.execute(f"SELECT channel, state, COUNT(*) FROM policyctl.jobs {where} GROUP BY channel, state"
                        " ORDER BY channel", args)
            for channel, state, n in cur.fetchall():
                if state in STATES:
                    counts.setdefault(channel, dict.fromkeys(STATES, 0))[state] = int(n)
            out = []
            for channel, by_state in counts.items():
                cur.execute("SELECT COUNT(*) FILTER (WHERE delivered >= %s), COUNT(*) FILTER (WHERE delivered >= %s),"
                            " MIN(delivered), MAX(delivered) FROM policyctl.jobs WHERE state = 'delivered'"
                            f" AND channel = %s{' AND version = %s' if version else ''}",
                            (now - 60, now - 3600, channel, *args))
                minute, hour, first, last = _one(cur)
                out.append(ChannelProgress(channel, by_state, int(minute), int(hour), first, last))
        return out

    def jobs(self, *, state: State | None = None, version: str | None = None, limit: int = 100) -> list[JobRecord]:
        clauses: list[str] = []
        args: list[object] = []
        if state:
            clauses.append("state = %s")
            args.append(state)
        if version:
            clauses.append("version = %s")
            args.append(version)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        with self._tx(atomic=False) as cur:
            cur.execute(f"SELECT {', '.join(RECORD_COLUMNS)} FROM policyctl.jobs {where} ORDER BY id LIMIT %s",
                        (*args, limit))
            rows = cur.fetchall()
        return [record_from(r) for r in rows]

    def next_due(self) -> float | None:
        with self._tx(atomic=False) as cur:
            cur.execute("SELECT LEAST((SELECT MIN(next_attempt) FROM policyctl.jobs WHERE state IN ('pending',"
                        " 'failed-retrying')),"
                        " (SELECT MIN(lease_until) FROM policyctl.jobs WHERE state = 'in-flight'))")
            row = cur.fetchone()
        return None if row is None or row[0] is None else float(row[0])

    def close(self) -> None:
        self._discard()


def _one(cur: psycopg.Cursor[Any]) -> Any:
    row = cur.fetchone()
    assert row is not None  # an aggregate always gives a row
    return row


def _safe(url: str) -> str:
    """The URL without any password, for messages."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
