"""``policyctl cache``: where policyctl keeps its caches, and the one way to drop them."""

from __future__ import annotations

import sys
from pathlib import Path


def cache(*, root: Path, action: str) -> int:
    """``policyctl cache dir|clear``: print the cache folders, or remove them (the next run computes anew)."""
    from policykit.cachestore import clear, site_folder, user_folder

    folders = [user_folder(), site_folder(root / "build" / "site")]
    if action == "dir":
        for folder in folders:
            print(folder)
        return 0
    try:
        removed = clear(folders)
    except OSError as exc:
        print(f"policyctl cache: cannot remove {exc.filename}: {exc.strerror}; nothing else was removed after it",
              file=sys.stderr)
        return 1
    for folder in removed:
        print(f"removed {folder}")
    if not removed:
        print("no cache to remove")
    return 0
