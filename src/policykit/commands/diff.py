from __future__ import annotations

import os
import sys
from pathlib import Path


def diff(*, root: Path, a: str | None = None, b: str | None = None, locale: str | None = None,
         fmt: str = "text", fail_on: str | None = None, output: Path | None = None) -> int:
    """Print the classified changes from ``a`` to ``b``; 3 when the level reaches ``fail_on``."""
    from policykit.compare.diffreport import compare, render

    report = compare(root, a, b, locale=locale)
    for version in (report.before, report.after):
        if version.errors:
            print(f"policyctl diff: warning: {version.label} has {len(version.errors)} error(s), e.g. "
                  f"{version.errors[0]}; the diff covers what could be read (run `policyctl validate`)",
                  file=sys.stderr)
    if fmt == "docx":
        from policykit.render.docx_redline import render_redline

        _write(render_redline(report), output)
        return 3 if report.fails(fail_on) else 0
    color = fmt == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ and output is None
    text = render(report, fmt, color=color or bool(os.environ.get("FORCE_COLOR")))
    if output is not None:
        _write((text + "\n").encode("utf-8"), output)
    else:
        print(text)
    return 3 if report.fails(fail_on) else 0


def _write(data: bytes, output: Path | None) -> None:
    """``data`` into ``output`` (replaced whole, never half-written), or to standard output unless it is a
    terminal (a Word file is no text to show)."""
    if output is None:
        if sys.stdout.isatty():
            from policykit.errors import UsageError

            raise UsageError("--format docx writes a Word file: give -o FILE (or redirect the output)")
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    import tempfile

    target = output.resolve()
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.replace(tmp, target)
