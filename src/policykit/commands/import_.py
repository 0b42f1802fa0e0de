"""``policyctl import FILE``: a policy from a Word, HTML, Markdown or text file, or a folder of its versions."""

from __future__ import annotations

import sys
from pathlib import Path

from policykit.errors import UsageError


def import_(*, root: Path, source: Path, onto: bool = False, history: bool = False, release: bool = False,
            document: str | None = None, title: str | None = None, controller: str | None = None,
            locale: str = "en", fmt: str = "text") -> int:
    """Import ``source`` into the project at ``root``; 1 with located errors, nothing written, on bad input."""
    from policykit.diagnostics import format_diagnostics

    path = source if source.is_absolute() else root / source
    if history or path.is_dir():
        return _history(root, path, release=release, controller=controller, locale=locale, document=document)
    if release:
        raise UsageError("--release goes with a folder of versions (--history)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{source}: {exc.strerror}") from None
    from policykit import importing

    if onto:
        done = importing.import_onto(data, str(source), root)
    else:
        done = importing.import_file(data, str(source), root, document=document, title=title,
                                     controller=controller, locale=locale)
    if done.diagnostics:
        print(format_diagnostics(done.diagnostics, fmt), file=sys.stderr)
    what = f"{done.sections} sections, {done.blocks} blocks"
    if onto:
        changed = len(done.files) + len(done.removed)
        print(f"imported {source} onto {root}: {what}, {done.kept} kept their ids; "
              + (f"{changed} file(s) changed (see `policyctl diff`)" if changed else "nothing changed"))
    else:
        print(f"imported {source} into {root}: {what}; next: policyctl -C {root} validate")
    return 0


def _history(root: Path, folder: Path, *, release: bool, controller: str | None, locale: str,
             document: str | None) -> int:
    from policykit.importing.history import import_history

    versions = import_history(folder, root, releases=release, controller=controller, locale=locale,
                              document=document, progress=lambda v: print(
                                  f"{v.date} {v.commit[:10]} {v.file}: {v.kept}/{v.blocks} blocks kept their ids"
                                  + (f"; released {v.release}" if v.release else "")
                                  + (f"; not released: {v.release_problem}" if v.release_problem else "")))
    print(f"imported {len(versions)} versions of {folder} into {root}: see `policyctl -C {root} log`")
    return 0
