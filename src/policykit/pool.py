"""The one way policyctl fans work out to processes: a pool started by a ``forkserver``.

The site build (:class:`policykit.site.workers.Pool`), ``serve`` and ``log``
(:mod:`policykit.compare.history`) all take their workers from :func:`executor`, with one
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
    """End this worker as soon as the process that made the pool ends, however it ends (SIGKILL,
    the OOM killer): nothing of a killed build runs to stop its workers, and a worker of a
    forkserver would wait for work forever (it holds both ends of its queue). The forkserver
    lives while any worker does, so it then ends too, and the ``git cat-file`` readers of the
    workers see their input close and end.

    A daemon thread waits on the parent's sentinel (readable once the build is gone); a worker
    never forks, so the thread costs nothing but a blocked read.
    """
    import multiprocessing
    import threading
    from multiprocessing.connection import wait

    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()
