"""Write the renderers' golden files anew: ``python -m tests.golden.regenerate [FAMILY …]`` (default: every
family; ``make golden`` also regenerates the messages' golden files).

Refuses to run in CI (``CI`` set): a golden file changes only when a person has looked at the new
output, and the change is reviewed as a diff.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from .. import goldenfiles
from .cases import FAMILIES, HERE, make, pinned_environment

COMMAND = "python -m tests.golden.regenerate"


def regenerate(families: list[str]) -> int:
    refusal = goldenfiles.refused(COMMAND, families, FAMILIES)
    if refusal:
        print(refusal, file=sys.stderr)
        return 2
    for key, value in pinned_environment().items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    from ..conftest import GIT_ENV

    os.environ.update(GIT_ENV)
    for family in families or list(FAMILIES):
        with tempfile.TemporaryDirectory() as tmp:
            files = make(family, Path(tmp))
        for name, text in sorted(files.items()):
            print(goldenfiles.write(HERE / name, text))
        for stale in sorted((HERE / family).glob("*")):  # a locale or format the family no longer makes
            if f"{family}/{stale.name}" not in files:
                stale.unlink()
                print(f"{stale}: removed")
    return 0


if __name__ == "__main__":
    sys.exit(regenerate(sys.argv[1:]))
