"""Load a policy project into the typed model, collecting every schema problem.

The loader reads files through a :class:`ProjectFiles` (the work tree, or a git tree
in :mod:`policykit.versions`), so any version loads the same way. It checks
shapes and types (required keys, unknown keys with a "did you mean", ids that
are safe as file names) and leaves cross-references to :mod:`policykit.validate`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from policykit import files
from policykit.diagnostics import Diagnostic
from policykit.load.base import LOCALE_TAG_RE, LOCALES_DIR, POLICY_FILE, SECTIONS_DIR, ProjectFiles, valid_locale_tag
from policykit.load.policy import Reader
from policykit.model import Policy

__all__ = ["LOCALES_DIR", "LOCALE_TAG_RE", "POLICY_FILE", "SECTIONS_DIR", "FileSource", "Loaded", "ProjectFiles",
           "read_project", "valid_locale_tag"]


class FileSource:
    """A project folder on disk: only regular files inside it are read (:mod:`policykit.files`)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.label = "WORKTREE"

    def read(self, path: str) -> bytes | None:
        return files.read(self.root, path)

    def listdir(self, path: str) -> list[str]:
        return files.listdir(self.root, path)


@dataclass
class Loaded:
    """What loading found: the policy (None when it could not be built) and every diagnostic."""

    policy: Policy | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    skipped: str = ""  # checks left out and why (see policykit.validate.skipped)


def read_project(source: ProjectFiles) -> Loaded:
    """Read a whole project, checking shapes only; never raises for bad input, returns what it found.

    Most callers want :func:`policykit.load.project.load_project`, which also runs every check."""
    reader = Reader(source)
    policy = reader.policy()
    return Loaded(policy, reader.diagnostics)
