"""Load a policy project into the typed model, collecting every schema problem.

The loader reads files through a :class:`Source` (the work tree, or a git tree
in :mod:`policykit.versions`), so any version loads the same way. It checks
shapes and types (required keys, unknown keys with a "did you mean", ids that
are safe as file names) and leaves cross-references to :mod:`policykit.validate`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from policykit import files
from policykit.diagnostics import Diagnostic, has_errors
from policykit.errors import InvalidPolicy
from policykit.load.base import LOCALE_TAG_RE, LOCALES_DIR, POLICY_FILE, SECTIONS_DIR, Source, valid_locale_tag
from policykit.load.policy import Reader
from policykit.model import Policy

__all__ = ["LOCALES_DIR", "LOCALE_TAG_RE", "POLICY_FILE", "SECTIONS_DIR", "FileSource", "Loaded", "Source",
           "load_policy", "load_project", "valid_locale_tag"]


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


def load_project(source: Source) -> Loaded:
    """Read a whole project; never raises for bad input, returns what it found."""
    reader = Reader(source)
    policy = reader.policy()
    return Loaded(policy, reader.diagnostics)


def load_policy(root: Path, *, check: Callable[[Policy], list[Diagnostic]] | None = None) -> Policy:
    """Load and validate the project at ``root``; raise :class:`InvalidPolicy` on any error.

    A translation that lags behind its source is not one here: the policy renders (stale units
    shown, marked), as previews do; ``validate`` and ``release`` refuse to publish it."""
    from policykit.i18n.gate import COVERAGE_CODES
    from policykit.validate import validate

    loaded = load_project(FileSource(root))
    diagnostics = loaded.diagnostics
    if loaded.policy is not None:
        diagnostics = diagnostics + validate(loaded.policy)
    if loaded.policy is None or has_errors(d for d in diagnostics if d.code not in COVERAGE_CODES):
        raise InvalidPolicy(diagnostics)
    return loaded.policy
