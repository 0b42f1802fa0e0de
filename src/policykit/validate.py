"""The registry of checks, and the one runner of them: nothing here knows what a check is about.

A check module registers its checks with a decorator, as pre-commit's languages and
MkDocs' config options declare themselves::

    @register
    def check_facts(policy: Policy) -> Iterator[Diagnostic]: ...

``validate`` imports none of them: :mod:`policykit.load.project` (the one way to load a
project, as MkDocs' ``load_config``) imports every check module, then runs them. Each
check returns diagnostics; nothing here prints or exits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from policykit.diagnostics import Diagnostic
from policykit.model import Policy

Check = Callable[[Policy], Iterator[Diagnostic]]
ProjectCheck = Callable[[Path], Iterator[Diagnostic]]

CHECKS: list[Check] = []
# Checks of the policy as a whole. While a file cannot be read they would report what that file
# holds as missing, so they wait until every file reads (one cause, one message).
WHOLE_CHECKS: list[Check] = []
# Checks that need the project folder, not only the policy (released files, notify.yaml, rules, errata).
PROJECT_CHECKS: list[ProjectCheck] = []


def register(check: Check) -> Check:
    """Run ``check`` on every loaded policy."""
    CHECKS.append(check)
    return check


def register_whole(check: Check) -> Check:
    """Run ``check`` on a policy once every one of its files could be read."""
    WHOLE_CHECKS.append(check)
    return check


def register_project(check: ProjectCheck) -> ProjectCheck:
    """Run ``check`` on the project folder (it reads files beside the policy)."""
    PROJECT_CHECKS.append(check)
    return check


def validate(policy: Policy) -> list[Diagnostic]:
    """Every semantic problem of a loaded policy (the checks of the whole wait while a file cannot be read),
    in file order: the order checks registered in is not part of what they say."""
    out: list[Diagnostic] = []
    for check in CHECKS if policy.unreadable else [*CHECKS, *WHOLE_CHECKS]:
        out.extend(check(policy))
    out.sort(key=Diagnostic.sort_key)
    return out


def validate_folder(root: Path) -> list[Diagnostic]:
    """Every problem the project checks find in the folder ``root``."""
    return [d for project_check in PROJECT_CHECKS for d in project_check(root)]


def skipped(policy: Policy | None) -> str:
    """What :func:`validate` left unchecked and why, or ""."""
    if policy is not None and not policy.unreadable:
        return ""
    return "completeness and translation coverage are checked once every file can be read"


def project_text(root: Path, *, also: Path | None = None) -> Callable[[str], str | None]:
    """The text of a project file by its name in a diagnostic (for source excerpts); ``also``: a
    second folder to look in (where a file named on the command line is)."""

    def read(name: str) -> str | None:
        for base in (root, also) if also is not None else (root,):
            path = base / name
            try:
                if path.is_file() and path.stat().st_size <= 4 * 1024 * 1024:
                    return path.read_text("utf-8-sig", errors="replace")
            except OSError:
                continue
        return None

    return read
