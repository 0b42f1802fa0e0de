"""A whole-request deadline for blocking network calls.

A socket timeout bounds each read, not the request: a receiver that trickles one
byte a second never trips it, and holds a worker (and its job) for as long as it
likes. :class:`Watchdog` bounds the whole call instead: one thread per channel
watches every guarded call and, when a call's deadline passes, shuts its socket
down, so the blocked read returns at once and the channel reports "no complete
answer within N s" (a transient failure: retried, with the attempt counted).

One thread for all calls, not a timer per call: a timer thread per request
would cost more than the request on loopback.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

TICK = 0.05  # seconds between checks: how late, at most, a deadline is enforced


@dataclass
class Guard:
    """One guarded call: ``expired`` is set when the watchdog cut it off."""

    deadline: float
    sock: Callable[[], socket.socket | None]
    expired: bool = False
    done: bool = field(default=False, repr=False)


class Watchdog:
    """Cuts off guarded calls that run past their deadline (by shutting their socket down)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._by_id: dict[int, Guard] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    @contextmanager
    def guard(self, seconds: float, sock: Callable[[], socket.socket | None]) -> Iterator[Guard]:
        """Run the body with a deadline of ``seconds``; ``sock`` gives the socket to cut (it may not exist yet)."""
        g = Guard(self.clock() + seconds, sock)
        key = id(g)
        with self._lock:
            self._by_id[key] = g
            if self._thread is None:
                self._thread = threading.Thread(target=self._watch, name="notify-deadline", daemon=True)
                self._thread.start()
        try:
            yield g
        finally:
            with self._lock:
                g.done = True
                self._by_id.pop(key, None)

    def _watch(self) -> None:
        while not self._stop.wait(TICK):
            now = self.clock()
            with self._lock:
                late = [g for g in self._by_id.values() if not g.done and not g.expired and g.deadline <= now]
                for g in late:
                    g.expired = True
                    s = g.sock()
                    if s is not None:
                        with contextlib.suppress(OSError):  # already closed: the call is ending anyway
                            s.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(1)
