from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def log(*, root: Path, revision: str = "HEAD", since: str | None = None, limit: int | None = None,
        fmt: str = "text") -> int:
    """Print each commit that touched the policy, newest first, with its level and a one-line summary."""
    from policykit.compare.history import history

    entries = history(root, revision=revision, since=since, limit=limit)
    if fmt == "json":
        print(json.dumps([e.to_json() for e in entries], ensure_ascii=False, indent=2))
        return 0
    color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    paint = {"significant": "1;31", "review": "1;35", "minor": "33", "editorial": "2", "none": "2"}
    for e in entries:
        level = e.level.ljust(11)
        if color:
            level = f"\x1b[{paint.get(e.level, '0')}m{level}\x1b[0m"
        tag = f" ({e.release})" if e.release else ""
        print(f"{e.commit[:7]} {e.date.date().isoformat()} {level} {e.subject}{tag}")
        print(f"{'':31}{e.summary}")
    if not entries:
        print("no commit touched the policy", file=sys.stderr)
    return 0
