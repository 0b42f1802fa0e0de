"""The one way policyctl fans work out to processes: a pool started by a ``forkserver``.

The site build (:class:`policykit.site.workers.Pool`), ``serve`` and ``log``
(:mod:`policykit.history`) all take their workers from :func:`executor`, with one
start method for all of them:

- not ``fork``: a process that runs a thread (rich's progress bar, ``serve``'s server)
  or holds a ``git cat-file`` pipe (GitPython) must not be copied, as a held lock
  would be copied held and a child would read from its parent's pipe;
- not ``spawn``: each worker would import the renderers (and WeasyPrint) again, about
  0.4 s of a 2-core machine per worker before its first page;
- ``forkserver``: a fresh, single-threaded server process, started once per process
  that asks for a pool, imports what the workers need (``preload``) once, and forks
  each worker from itself. It holds no pipe of the build and runs no thread.

This module owns :mod:`multiprocessing` and :mod:`concurrent.futures`' process pool.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

START_METHOD = "forkserver"


def executor(workers: int, *, preload: Sequence[str] = (), initializer: Callable[..., object] | None = None,
             initargs: tuple[Any, ...] = ()) -> ProcessPoolExecutor:
    """A process pool of ``workers`` forked from the forkserver.

    ``preload``: modules the server imports before it forks a worker. The first pool of a
    process starts the server and its list counts; a later pool's list is imported by the
    workers themselves (give ``initializer`` the imports that must not be missed).
    """
    import multiprocessing

    context = multiprocessing.get_context(START_METHOD)
    if preload:
        context.set_forkserver_preload(list(preload))
    return ProcessPoolExecutor(max(1, workers), mp_context=context, initializer=initializer, initargs=initargs)


def cpu_count() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def die_with_parent() -> None:
    """On Linux, have the kernel kill this worker when the process that started it (the
    forkserver, which ends with the build) dies, even by SIGKILL, where nothing of the dying
    build runs to stop its workers: they (and the ``git cat-file`` they hold a pipe of) would
    live on."""
    import ctypes
    import signal
    import sys

    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:
        os._exit(1)  # the server died while this worker started
