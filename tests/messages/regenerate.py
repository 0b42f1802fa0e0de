"""Write the golden files anew: ``python -m tests.messages.regenerate [FAMILY …]`` (default: every family;
``make golden`` also regenerates the renderers' golden files in ``tests/golden``).

Refuses to run in CI (``CI`` set): a golden file changes only when a person has looked at the
new output, and the change is reviewed as a diff.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from .. import goldenfiles
from .cases import FAMILIES, GOLDEN, pinned_environment, render

COMMAND = "python -m tests.messages.regenerate"


def regenerate(families: list[str]) -> int:
    refusal = goldenfiles.refused(COMMAND, families, FAMILIES)
    if refusal:
        print(refusal, file=sys.stderr)
        return 2
    os.environ.update(pinned_environment())
    os.environ.setdefault("GIT_CONFIG_GLOBAL", os.devnull)
    from ..conftest import GIT_ENV

    os.environ.update(GIT_ENV)
    for family in families or sorted(FAMILIES):
        with tempfile.TemporaryDirectory() as tmp:
            text = render(family, Path(tmp))
        print(goldenfiles.write(GOLDEN / f"{family}.txt", text))
    return 0


if __name__ == "__main__":
    sys.exit(regenerate(sys.argv[1:]))
