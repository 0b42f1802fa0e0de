from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from policykit.errors import InvalidPolicy, UsageError

if TYPE_CHECKING:
    from policykit.render.publish import Built, Progress


def build(
    *,
    root: Path,
    locales: Sequence[str] | None = None,
    formats: str = "html,pdf,json",
    out: Path | None = None,
    base_url: str | None = None,
    today: str | None = None,
    draft: bool = False,
) -> int:
    """Render the policy at ``root`` for each locale into ``out`` (default ``build/site``)."""
    if not locales and formats == "html,pdf,json":
        # No flags: the whole site, every released version (issue #7, policykit.site).
        from policykit.site.console import build_command

        return build_command(root=root, out=out, base_url=base_url, today=today, draft=draft or None)
    from policykit.diagnostics import has_errors
    from policykit.load.project import load_project
    from policykit.render.formats import FORMATS
    from policykit.render.publish import check_output_folder, write_site
    from policykit.vocabulary import did_you_mean

    started = time.perf_counter()
    wanted = [f.strip() for f in formats.split(",") if f.strip()]
    for name in wanted:
        if name not in FORMATS:
            raise UsageError(f"--format: unknown format {name!r}{did_you_mean(name, FORMATS)}; "
                             f"choose from {', '.join(FORMATS)}")
    if not wanted:
        raise UsageError("--format: name at least one of " + ", ".join(FORMATS))
    wanted = list(dict.fromkeys(wanted))
    out = root / "build" / "site" if out is None else (out if out.is_absolute() else root / out)

    from policykit.i18n.gate import COVERAGE_CODES

    loaded = load_project(root)
    policy = loaded.policy
    if policy is None or has_errors(d for d in loaded.diagnostics if d.code not in COVERAGE_CODES):
        raise InvalidPolicy(loaded.diagnostics)
    tags = list(dict.fromkeys(locales)) if locales else list(policy.all_locales)
    for tag in tags:
        if tag not in policy.all_locales:
            raise UsageError(f"--locale {tag}: not a locale of this policy"
                             f"{did_you_mean(tag, policy.all_locales, cutoff=0.5)}"
                             f" (it builds {', '.join(policy.all_locales)})")
    check_output_folder(out, root)
    full = not locales and len(wanted) == len(FORMATS)

    if _interactive():
        built = _with_progress_bar(lambda progress: write_site(
            policy, out, locales=tags, formats=wanted, full=full, progress=progress), len(tags) * len(wanted))
    else:
        built = write_site(policy, out, locales=tags, formats=wanted, full=full)

    warnings = sum(d.severity == "warning" for d in loaded.diagnostics)
    note = f"; {warnings} warning(s), see `policyctl validate`" if warnings else ""
    shown = os.path.relpath(out) if not out.is_relative_to(Path.cwd()) else out.relative_to(Path.cwd())
    print(f"built {len(built.files)} file(s) for {len(tags)} locale(s) into {shown} "
          f"in {time.perf_counter() - started:.1f} s{note}", file=sys.stderr)
    return 0


def _interactive() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI") and os.environ.get("TERM") != "dumb"


def _with_progress_bar(run: Callable[[Progress], Built], total: int) -> Built:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("building", total=total)

        def progress(done: int, all_: int, what: str) -> None:
            bar.update(task, completed=done, description=what)

        return run(progress)
