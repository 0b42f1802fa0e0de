from __future__ import annotations

import sys
from pathlib import Path

from policykit.diagnostics import counted, format_diagnostics, has_errors


def validate(*, root: Path, fmt: str = "text") -> int:
    """Report every problem of the project at ``root``; 1 when any is an error."""
    from policykit.load.project import load_project
    from policykit.validate import project_text

    loaded = load_project(root)
    output = format_diagnostics(loaded.diagnostics, fmt, source=project_text(root))
    if output:
        print(output, flush=True)
    if fmt in ("text", "short"):
        skipped = f"; {loaded.skipped}" if loaded.skipped else ""
        print(f"{counted(loaded.diagnostics)}{skipped}", file=sys.stderr)
    return 1 if has_errors(loaded.diagnostics) else 0
