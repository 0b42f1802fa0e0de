from __future__ import annotations

import datetime as dt
from pathlib import Path


def release(*, root: Path, version: str | None = None, effective: dt.date | None = None,
            published: dt.date | None = None, summary_file: Path | None = None, dry_run: bool = False) -> int:
    """Release HEAD's policy: classify, record in changelog/, commit and tag (print only with ``dry_run``)."""
    from policykit.release import day, prepare, read_draft, write

    draft = None
    if summary_file is not None:
        path = summary_file if summary_file.is_absolute() else root / summary_file
        try:
            data = path.read_bytes()
        except OSError as exc:
            from policykit.errors import UsageError

            raise UsageError(f"--summary-file {summary_file}: {exc.strerror}") from None
        draft = read_draft(data, str(summary_file))
    prepared = prepare(root, version=version, effective=effective, published=published, draft=draft)
    entry = prepared.entry
    counts = {lv: sum(c.level == lv for c in entry.changes) for lv in ("significant", "minor", "editorial")}
    detail = ", ".join(f"{n} {lv}" for lv, n in counts.items() if n) or "first release"
    print(f"{entry.document} {entry.version}: {entry.level} ({detail}); published {day(entry.published)}, "
          f"effective {day(entry.effective)}; from {entry.commit[:12]}")
    for note in prepared.notes:
        print(f"  note: {note}")
    for warning in prepared.warnings:
        print(f"  warning: {warning}")
    if dry_run:
        print("\n" + prepared.markdown)
        print("(dry run: nothing written, committed or tagged)")
        return 0
    done = write(root, prepared)
    kept = [f for f in done.files if f.startswith("published/")]
    listed = ", ".join(f for f in done.files if f not in kept)
    if kept:
        listed += f" and {len(kept)} published file(s) in published/{entry.version}/ (hashes in the entry)"
    print(f"wrote {listed}; committed {done.commit[:12]}; tagged {done.tag}")
    if done.notified:
        print(f"notify: {done.notified}")
    return 0
