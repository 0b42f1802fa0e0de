"""A private PostgreSQL server for the tests and the benchmark: initdb + pg_ctl in a temp folder.

The server is PostgreSQL from Debian (``system-packages.txt``), started on a free
loopback port with its socket in its own folder, so it never touches a cluster
the machine already runs. PostgreSQL refuses to run as root: as root (CI is)
the cluster belongs to the ``postgres`` user the Debian package creates.

``python tests/notify/pg_server.py start DIR`` prints the URL; ``stop DIR`` stops it.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ENV_URL = "POLICYCTL_TEST_POSTGRES"  # a server someone else started: used as it is


class NoPostgres(Exception):
    """No PostgreSQL server can be started here; the message says why and what to install."""


def _bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    if candidates:
        return candidates[0]
    raise NoPostgres(f"{name} not found: install PostgreSQL (Debian package `postgresql`, listed in "
                     "system-packages.txt; `make setup` installs it)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    folder: Path
    port: int
    user: str | None  # run as this user (when we are root)

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def url(self) -> str:
        return f"postgresql://{self.user or _me()}@127.0.0.1:{self.port}/postgres"

    def _run(self, *argv: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        cmd = list(argv) if self.user is None else ["runuser", "-u", self.user, "--", *argv]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False,
                              env={**os.environ, "LC_ALL": "C.UTF-8"})
        if check and done.returncode != 0:
            raise NoPostgres(f"{' '.join(argv[:2])} failed ({done.returncode}): {done.stderr.strip()[-800:]}")
        return done

    def start(self) -> Server:
        self._run(_bin("pg_ctl"), "start", "-w", "-t", "60", "-D", str(self.data), "-l",
                  str(self.folder / "server.log"), "-o", f"-p {self.port} -k {self.folder} -h 127.0.0.1")
        return self

    def stop(self, mode: str = "fast") -> None:
        self._run(_bin("pg_ctl"), "stop", "-w", "-t", "60", "-m", mode, "-D", str(self.data), check=False)

    def restart_later(self, down: float) -> None:
        """Stop the server now (connections are cut) and start it again ``down`` seconds later."""
        self.stop("immediate")
        time.sleep(down)
        self.start()


def _me() -> str:
    return pwd.getpwuid(os.getuid()).pw_name


def create(folder: Path | None = None) -> Server:
    """A new cluster, started; :class:`NoPostgres` when that cannot be done here."""
    initdb = _bin("initdb")
    user = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            raise NoPostgres("running as root, and there is no `postgres` user to own the cluster (the Debian "
                             "package `postgresql` creates it)") from None
        user = "postgres"
    folder = folder or Path(tempfile.mkdtemp(prefix="policyctl-pg-"))
    folder.mkdir(parents=True, exist_ok=True)
    if user is not None:
        shutil.chown(folder, user)
    folder.chmod(0o700)
    server = Server(folder, _free_port(), user)
    server._run(initdb, "-D", str(server.data), "-A", "trust", "-U", user or _me(), "-E", "UTF8",
                "--no-sync", "--no-instructions")
    with (server.data / "postgresql.conf").open("a") as conf:
        # A test server: durability is not what is tested here (the kill -9 tests kill the clients).
        conf.write("\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 100\n"
                   "shared_buffers = 64MB\n")
    if user is not None:
        shutil.chown(server.data / "postgresql.conf", user)
    return server.start()


def destroy(server: Server) -> None:
    server.stop("immediate")
    shutil.rmtree(server.folder, ignore_errors=True)


if __name__ == "__main__":
    action, where = sys.argv[1], Path(sys.argv[2])
    if action == "start":
        print(create(where).url)
    else:
        Server(where, 0, "postgres" if os.geteuid() == 0 else None).stop()
