"""The output folder a build may replace, and how a build recognises it.

Kept apart from the renderers so that a no-op site rebuild can check its
folder without importing any of them.
"""

from __future__ import annotations

from pathlib import Path

from policykit.errors import RenderError

# Written into every output folder so that a later build knows it may replace it.
MARKER = ".policyctl-build"
MARKER_TEXT = "Made by `policyctl build`; the whole folder is replaced by the next build.\n"


def check_output_folder(out: Path, root: Path) -> None:
    """Refuse to replace a folder that a build did not make (``--out .`` would wipe the project)."""
    out_abs, root_abs = out.resolve(), root.resolve()
    if out_abs == root_abs or out_abs in root_abs.parents:
        raise RenderError(f"{out}: the output folder must not be the project folder or contain it")
    if out.is_file():
        raise RenderError(f"{out}: is a file, not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise RenderError(f"{out}: exists and was not made by `policyctl build` (no {MARKER} in it); "
                          "remove it or choose another --out")
