"""A cache kept in a repository's git dir, for answers that are functions of git objects.

A commit or a tree never changes, so what was computed from one (a ``log`` verdict, an
integrity check) can be kept for as long as the repository lives: in
``.git/policyctl/<name>.json``, never in the work tree, gone with the repository. A
read-only or damaged cache only costs speed.
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from policykit.git import Repository


class GitDirCache:
    """A JSON map kept in the repository's git dir (``.git/policyctl/<name>.json``), for answers
    that are functions of git objects (a commit or tree never changes): never in the work tree,
    gone with the repository; a read-only or damaged one only costs speed."""

    def __init__(self, repo: Repository, name: str) -> None:
        self.path = repo.cache_dir / f"{name}.json"
        self.dirty = False
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            data = {}
        self.data: dict[str, Any] = data if isinstance(data, dict) else {}

    def get(self, key: str) -> Any:
        return self.data.get(key)

    def put(self, key: str, value: Any) -> None:
        self.data[key] = value
        self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(self.data, ensure_ascii=False), "utf-8")
            tmp.replace(self.path)
        except OSError:
            pass
