"""One version of the project read as files, straight from git objects.

:class:`GitTreeSource` is the :class:`policykit.load.ProjectFiles` the loader reads a past
version through: the paths and blob ids of one commit's policy files, the blobs fetched
through the repository's object reader when the loader asks for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policykit.git import Repository


class GitTreeSource:
    """A :class:`policykit.load.ProjectFiles` reading one version's files straight from git objects."""

    def __init__(self, repo: Repository, files: dict[str, str], label: str) -> None:
        self.repo = repo
        self.files = files  # project-relative path -> blob id
        self.label = label
        dirs: dict[str, set[str]] = {}
        for path in files:
            parts = path.split("/")
            for i in range(1, len(parts)):
                dirs.setdefault("/".join(parts[:i]), set()).add(parts[i])
        self._dirs = {k: sorted(v) for k, v in dirs.items()}

    def read(self, path: str) -> bytes | None:
        blob = self.files.get(path)
        return None if blob is None else self.repo.blob(blob)

    def listdir(self, path: str) -> list[str]:
        return list(self._dirs.get(path.rstrip("/"), []))

