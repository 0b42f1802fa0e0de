from __future__ import annotations

import os
import sys
from pathlib import Path


def diff(*, root: Path, a: str | None = None, b: str | None = None, locale: str | None = None,
         fmt: str = "text", fail_on: str | None = None) -> int:
    """Print the classified changes from ``a`` to ``b``; 3 when the level reaches ``fail_on``."""
    from policykit.diffreport import compare, render

    report = compare(root, a, b, locale=locale)
    for version in (report.before, report.after):
        if version.errors:
            print(f"policyctl diff: warning: {version.label} has {len(version.errors)} error(s), e.g. "
                  f"{version.errors[0]}; the diff covers what could be read (run `policyctl validate`)",
                  file=sys.stderr)
    color = fmt == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    print(render(report, fmt, color=color or bool(os.environ.get("FORCE_COLOR"))))
    return 3 if report.fails(fail_on) else 0
