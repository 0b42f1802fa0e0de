"""The outboxes under test: SQLite (a temp file) and PostgreSQL (a private server started for the session).

The PostgreSQL server is the one ``POLICYCTL_TEST_POSTGRES`` names, else a private
cluster this session starts with initdb/pg_ctl (``pg_server.py``). On CI (``CI``
set) a server that cannot be started fails the tests with the reason; on a
developer's machine without PostgreSQL they are skipped, with the reason.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pg_server
import pytest
from notify_project import Clock

from policykit.notify.outbox import Outbox

ENGINES = ("sqlite", "postgres")


@pytest.fixture(scope="session")
def pg() -> Iterator[pg_server.Server | str]:
    """The test server: a started private cluster, or the URL of one given in the environment."""
    given = os.environ.get(pg_server.ENV_URL)
    if given:
        yield given
        return
    try:
        server = pg_server.create()
    except (pg_server.NoPostgres, OSError) as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL tests must run on CI, but no server could be started: {exc}", pytrace=False)
        pytest.skip(f"no PostgreSQL server: {exc}")
    yield server
    pg_server.destroy(server)


@pytest.fixture
def pg_url(pg: pg_server.Server | str) -> Iterator[str]:
    """A URL to an empty outbox database (the policyctl schema dropped before each test)."""
    import psycopg

    url = pg if isinstance(pg, str) else pg.url
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS policyctl CASCADE")
    yield url


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def make_box(engine: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[..., Outbox]]:
    """Opens the outbox under test (again: the same store); closes every one it opened."""
    opened: list[Outbox] = []
    url = request.getfixturevalue("pg_url") if engine == "postgres" else None

    def make(**kw: Any) -> Outbox:
        box: Outbox
        if url is not None:
            from policykit.notify.postgres import PostgresOutbox

            box = PostgresOutbox(url, **kw)
        else:
            from policykit.notify.sqlite import SQLiteOutbox

            box = SQLiteOutbox(tmp_path / "state" / "outbox.sqlite3", **kw)
        opened.append(box)
        return box

    yield make
    for box in opened:
        box.close()


@pytest.fixture
def box(make_box: Callable[..., Outbox], clock: Clock) -> Outbox:
    return make_box(clock=clock)
