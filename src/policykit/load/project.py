"""The one way to load a project: read it, run every registered check, return what was found.

As MkDocs' ``load_config`` is the one place a site's configuration is read and
validated, :func:`load_project` is the one place a policy project is: the commands,
the site builder, the importer and a Python caller all come through here.
:func:`load_policy` is its strict form, for callers that need a policy or an error.

The check modules register themselves with :mod:`policykit.validate`; importing them
here (and only here) is what puts them in the registry, as pre-commit's
``all_languages.py`` lists its languages. A new check is one decorated function and,
when it lives in a new module, one line below.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

# Every module that registers a check (imported for that effect alone).
from policykit import checks, completeness, errata, factview, integrity, prosefacts, published  # noqa: F401
from policykit.compare import rules as _rules
from policykit.diagnostics import Diagnostic, has_errors
from policykit.errors import InvalidPolicy
from policykit.i18n import glossary  # noqa: F401
from policykit.i18n.gate import COVERAGE_CODES
from policykit.load import FileSource, Loaded, read_project
from policykit.model import Policy
from policykit.notify import config  # noqa: F401
from policykit.validate import register_project, skipped, validate, validate_folder

# The classifier's rules module is not made to know about the registry: registered from here.
register_project(_rules.check_project_rules)

__all__ = ["Level", "load_policy", "load_project", "validate"]

# How far to go: "schema" reads and checks shapes only; "policy" adds every check of the policy;
# "project" adds the checks of the folder (releases, published files, notify.yaml, rules, errata).
Level = Literal["schema", "policy", "project"]


def load_project(root: Path, *, level: Level = "project") -> Loaded:
    """Load the project at ``root``: the policy (None when it could not be built) and every diagnostic,
    sorted. Never raises for bad input."""
    loaded = read_project(FileSource(root))
    if level == "schema":
        return loaded
    if loaded.policy is not None:
        loaded.diagnostics.extend(validate(loaded.policy))
    if level == "project":
        loaded.diagnostics.extend(validate_folder(root))
    loaded.diagnostics.sort(key=Diagnostic.sort_key)
    loaded.skipped = skipped(loaded.policy)
    return loaded


def load_policy(root: Path) -> Policy:
    """Load and check the policy at ``root``; raise :class:`InvalidPolicy` on any error.

    A translation that lags behind its source is not one here: the policy renders (stale units
    shown, marked), as previews do; ``validate`` and ``release`` refuse to publish it."""
    loaded = load_project(root, level="policy")
    if loaded.policy is None or has_errors(d for d in loaded.diagnostics if d.code not in COVERAGE_CODES):
        raise InvalidPolicy(loaded.diagnostics)
    return loaded.policy
