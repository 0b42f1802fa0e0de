"""``policyctl build``: the site, or the part of it that ``--locale``/``--format`` select."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


def build(
    *,
    root: Path,
    locales: Sequence[str] | None = None,
    formats: str = "html,pdf,json",
    out: Path | None = None,
    base_url: str | None = None,
    today: str | None = None,
    draft: bool = False,
) -> int:
    """Build the site of the policy at ``root`` into ``out`` (default ``build/site``).

    ``locales``/``formats`` select files of the one site plan (:mod:`policykit.site.selection`):
    the same pipeline, layout, swap and progress reporter as a full build.
    """
    from policykit.site.console import build_command
    from policykit.site.selection import Selection, parse_formats

    only = Selection(tuple(dict.fromkeys(locales or ())), parse_formats(formats))
    return build_command(root=root, out=out, base_url=base_url, today=today, draft=draft or None,
                         only=None if only.everything else only)
