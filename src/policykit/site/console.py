"""The site build on a terminal: a progress bar while it renders, one line when it is done.

``policyctl build`` (with or without ``--locale``/``--format``) and ``policyctl serve`` call
:func:`build_command`: the one progress reporter of every build. The bar is drawn only on an interactive terminal (not
under CI, not with ``TERM=dumb``), and rich is imported only when there is
rendering to show — a no-op rebuild imports neither rich nor any renderer.
Without a terminal (make, CI, a log file) the build prints plain lines instead: one
per stage with its counts and time, and while it renders, one every
:data:`HEARTBEAT` seconds with how far it is.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from policykit.errors import UsageError
from policykit.site.build import Options, Progress, SiteReport, Stage, build_site

if TYPE_CHECKING:
    from policykit.site.selection import Selection
    from policykit.site.workers import Pool


HEARTBEAT = 10.0  # seconds between two "render: n/total" lines without a terminal


def interactive() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI") and os.environ.get("TERM") != "dumb"


def plain_lines(out: TextIO | None = None) -> tuple[Progress, Stage]:
    """Callbacks that print a line per stage and, while rendering, a line every HEARTBEAT seconds."""
    last = [time.monotonic()]

    def say(text: str) -> None:
        print(text, file=out or sys.stderr, flush=True)

    def update(done: int, total: int, what: str) -> None:
        now = time.monotonic()
        if now - last[0] >= HEARTBEAT and done < total:
            last[0] = now
            say(f"render: {done}/{total} files ({what})")

    def stage(name: str, what: str, seconds: float) -> None:
        last[0] = time.monotonic()
        say(f"{name}: {what} ({seconds:.1f} s)")

    return update, stage


@contextmanager
def progress_bar() -> Iterator[Progress | None]:
    """A callback that drives a rich progress bar (created on the first call), or None off a terminal."""
    if not interactive():
        yield None
        return
    state: dict[str, Any] = {}

    def update(done: int, total: int, what: str) -> None:
        if "bar" not in state:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as Bar

            bar = Bar(TextColumn("{task.description}", style="dim"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=Console(stderr=True), transient=True)
            bar.start()
            state["bar"], state["task"] = bar, bar.add_task("rendering", total=total)
        state["bar"].update(state["task"], completed=done, total=total, description=what[-48:])

    try:
        yield update
    finally:
        if "bar" in state:
            state["bar"].stop()


def parse_today(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--today {value}: not a date (YYYY-MM-DD)") from None


def resolve_out(root: Path, out: Path | None) -> Path:
    return root / "build" / "site" if out is None else (out if out.is_absolute() else root / out)


def describe(report: SiteReport) -> str:
    where = os.path.relpath(report.out)
    if report.noop:
        return f"site up to date: {report.files} file(s) in {where} ({report.seconds:.2f} s, nothing rendered)"
    return (f"built the site into {where}: {report.files} file(s), {report.rendered} rendered, "
            f"{len(report.versions)} version(s) × {len(report.locales)} locale(s) in {report.seconds:.1f} s")


def build_command(*, root: Path, out: Path | None = None, base_url: str | None = None, today: str | None = None,
                  draft: bool | None = None, pdf: bool = True, pool: Pool | None = None,
                  cache_dir: Path | None = None, only: Selection | None = None) -> int:
    """Build the site (``only``: the files it selects) and print one line about it; the exit code."""
    options = Options(out=resolve_out(root, out), base_url=base_url, today=parse_today(today), draft=draft, pdf=pdf,
                      cache_dir=cache_dir, only=only)
    if interactive():
        with progress_bar() as progress:
            report = build_site(root, options, progress=progress, pool=pool)
    else:
        update, stage = plain_lines()
        report = build_site(root, options, progress=update, pool=pool, stage=stage)
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    print(describe(report) + (f" (only {only.describe()})" if only else ""), file=sys.stderr)
    return 0
