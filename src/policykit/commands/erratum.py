from __future__ import annotations

import datetime as dt
from pathlib import Path


def erratum(*, root: Path, version: str, by: str, reason: str, locale: str | None = None,
            dry_run: bool = False) -> int:
    """Correct release ``version``'s recorded classification by an erratum (the release stays as it was)."""
    from policykit.errata import prepare, render_markdown, write

    made = prepare(root, version, by=by, reason=reason, locale=locale, today=dt.datetime.now(dt.UTC).date())
    print(f"{made.document} {made.release}: erratum {made.number}, {len(made.corrections)} classification(s) "
          "corrected")
    if dry_run:
        print("\n" + render_markdown(made))
        print("(dry run: nothing written or committed)")
        return 0
    yaml_path, md_path, sha = write(root, made)
    print(f"wrote {yaml_path}, {md_path}; committed {sha[:12]}")
    return 0
