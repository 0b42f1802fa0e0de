"""The exceptions policyctl raises on purpose.

::

    PolicyError                 anything the user can fix; one line, exit 1
    ├── UsageError              the command line is wrong; exit 2
    ├── InvalidPolicy           the policy has errors; carries the diagnostics
    ├── VersionError            a revision or release that cannot be found or read
    ├── ReleaseError            a release was refused (the message says why)
    ├── RenderError             a page or PDF cannot be built (e.g. no font for a script)
    └── NotifyError             the outbox or a channel is misconfigured

Anything else that escapes is a bug and gets a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policykit.diagnostics import Diagnostic


class PolicyError(Exception):
    """An expected failure: the CLI prints the message and exits with ``exit_code``."""

    exit_code = 1


class UsageError(PolicyError):
    exit_code = 2


class InvalidPolicy(PolicyError):
    """The policy (or a file of it) has errors; ``diagnostics`` lists every one."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        errors = [d for d in self.diagnostics if d.severity == "error"]
        first = errors[0] if errors else None
        more = f" (and {len(errors) - 1} more; run `policyctl validate`)" if len(errors) > 1 else ""
        super().__init__(f"{first}{more}" if first else "invalid policy")


class VersionError(PolicyError):
    pass


class ReleaseError(PolicyError):
    pass


class RenderError(PolicyError):
    pass


class NotifyError(PolicyError):
    pass
