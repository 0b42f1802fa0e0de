from __future__ import annotations

import sys
from pathlib import Path

from policykit.diagnostics import format_diagnostics
from policykit.errors import InvalidPolicy


def fmt(*, root: Path, check: bool = False) -> int:
    """Rewrite the project's YAML in canonical form; with ``check``, only list what would change."""
    from policykit import files
    from policykit.fmt import format_text, kind_of, project_files
    from policykit.yamllimits import decode

    changed, broken = [], []
    for rel in project_files(root):
        try:
            data = files.read(root, rel)
            if data is None:
                continue
            text = decode(data, rel)
            new = format_text(text, rel, kind_of(rel) or "")
        except InvalidPolicy as exc:
            broken.extend(exc.diagnostics)
            continue
        if new != text:
            changed.append(rel)
            if not check:
                files.write(root, rel, new.encode("utf-8"))
    if broken:
        from policykit.validate import project_text

        print(format_diagnostics(broken, source=project_text(root)), file=sys.stderr)
    for rel in changed:
        print(f"would reformat {rel}" if check else f"reformatted {rel}")
    if check and changed:
        print(f"{len(changed)} file(s) would be reformatted; run `policyctl fmt`", file=sys.stderr)
    return 1 if broken or (check and changed) else 0
