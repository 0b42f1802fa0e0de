"""Whole commands timed in turn, A B A B …: ``python benchmarks/ab.py N 'a=CMD' 'b=CMD' …``.

Each command runs through ``sh -c`` N times, the commands alternating (a shared machine's
speed drifts; pairs keep the ratio fair). Wall seconds, and CPU seconds of the command and
of every process it started: this process is the subreaper of what the command leaves
behind (a forkserver pool outlives its build) and reaps it, so a build's workers count.
Prints each command's medians (min, max) and each command's ratio to the last one.
How the caches' figures in docs/architecture.md were measured.
"""

from __future__ import annotations

import ctypes
import os
import resource
import statistics
import subprocess
import sys
import time


def run(command: str) -> tuple[float, float]:
    """Wall and CPU seconds of ``command`` (its descendants included)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(["sh", "-c", command], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    wall = time.perf_counter() - started
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            break
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        print(f"exit {done.returncode}: {command}\n{done.stderr.decode()[-500:]}", flush=True)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def main(argv: list[str]) -> int:
    ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER (Linux)
    n, named = int(argv[0]), [arg.split("=", 1) for arg in argv[1:]]
    results: dict[str, list[tuple[float, float]]] = {name: [] for name, _ in named}
    for _ in range(n):
        for name, command in named:
            results[name].append(run(command))
    for name, _ in named:
        wall, cpu = ([r[i] for r in results[name]] for i in (0, 1))
        print(f"{name}: wall median {statistics.median(wall):.2f} s (min {min(wall):.2f} max {max(wall):.2f}); "
              f"CPU median {statistics.median(cpu):.2f} s (min {min(cpu):.2f} max {max(cpu):.2f})  n={n}")
    last = named[-1][0]
    for name, _ in named[:-1]:
        pairs = list(zip(results[name], results[last], strict=True))
        print(f"  {name}/{last}: wall ratio median {statistics.median(a[0] / b[0] for a, b in pairs):.2f}, "
              f"CPU ratio median {statistics.median(a[1] / b[1] for a, b in pairs):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
