"""``policyctl serve`` never leaves the site folder and answers every bad request with a status
(issue 20, group 4): a real server on loopback, real symbolic links, raw requests on a socket."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from policykit.commands.serve import make_server

SECRET = b"TOP-SECRET outside the site\n"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    site = tmp_path / "site"
    (site / "en").mkdir(parents=True)
    (site / "en/index.html").write_text("<h1>Privacy Policy</h1>", "utf-8")
    (site / "404.html").write_text("<h1>Page not found</h1>", "utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_bytes(SECRET)
    (outside / "index.html").write_bytes(SECRET)
    (site / "leak.txt").symlink_to(outside / "secret.txt")
    (site / "leakdir").symlink_to(outside, target_is_directory=True)
    (site / "indexleak").mkdir()
    (site / "indexleak/index.html").symlink_to(outside / "index.html")
    os.mkfifo(site / "fifo.html")
    server = make_server(site, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield site, server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def request(port: int, target: str) -> tuple[int, bytes]:
    """Send a raw GET (no client-side cleaning of the path); the status and the body."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(f"GET {target} HTTP/1.0\r\nHost: localhost\r\n\r\n".encode("latin-1"))
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    assert data, f"{target}: the connection was dropped without a status"
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


BAD = ["/%00", "/en/%00index.html", "/leak.txt", "/leakdir/secret.txt", "/leakdir/", "/indexleak/",
       "/../outside/secret.txt", "/%2e%2e/outside/secret.txt", "/en/..%2f..%2foutside/secret.txt",
       "/fifo.html", "/%0d%0aSet-Cookie:x", "/en/%ff%fe"]


@pytest.mark.parametrize("target", BAD)
def test_every_bad_request_gets_a_status_and_nothing_from_outside(served: tuple[Path, int], target: str) -> None:
    _, port = served
    status, body = request(port, target)
    assert status in (400, 404), (target, status)
    assert SECRET not in body


def test_good_pages_are_still_served(served: tuple[Path, int]) -> None:
    _, port = served
    assert request(port, "/en/") == (200, b"<h1>Privacy Policy</h1>")
    assert request(port, "/en")[0] == 301
    assert request(port, "/missing/")[0] == 404


def test_folders_are_never_listed(served: tuple[Path, int]) -> None:
    site, port = served
    (site / "empty").mkdir()
    status, body = request(port, "/empty/")
    assert status == 404 and b"Directory listing" not in body
