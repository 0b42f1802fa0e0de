from __future__ import annotations

import sys
from pathlib import Path

from policykit.diagnostics import format_diagnostics, has_errors


def validate(*, root: Path, fmt: str = "text") -> int:
    """Report every problem of the project at ``root``; 1 when any is an error."""
    from policykit.validate import validate_project

    loaded = validate_project(root)
    output = format_diagnostics(loaded.diagnostics, fmt)
    if output:
        print(output, flush=True)
    errors = sum(d.severity == "error" for d in loaded.diagnostics)
    warnings = len(loaded.diagnostics) - errors
    if fmt == "text":
        print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)
    return 1 if has_errors(loaded.diagnostics) else 0
