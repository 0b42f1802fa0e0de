"""Write the rendered locales into an output folder, atomically.

Layout: ``<out>/<locale>/index.html``, ``<out>/<locale>/<document>.pdf``,
``<out>/<locale>/<document>.json`` (the static site of a later stage extends it).
Everything is written into a temporary folder next to ``<out>`` and swapped in
only when every file was made, so a failed build leaves the previous output as it
was. A full build replaces ``<out>``; a partial one (some locales or formats)
keeps the previous files it did not remake.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from policykit.localise import LocalisedPolicy, localise
from policykit.model import Policy
from policykit.render.formats import FORMATS
from policykit.render.html import Links, alternates
from policykit.render.output import MARKER, MARKER_TEXT, check_output_folder

__all__ = ["MARKER", "MARKER_TEXT", "Built", "Progress", "check_output_folder", "write_site"]

Progress = Callable[[int, int, str], None]  # (files done, files in all, the file just made)


@dataclass(frozen=True)
class Built:
    """What a build wrote: the folder and the files (relative, with ``/``) it made."""

    out: Path
    files: tuple[str, ...]
    locales: tuple[str, ...]


def write_site(
    policy: Policy,
    out: Path,
    *,
    locales: Sequence[str],
    formats: Sequence[str],
    full: bool = True,
    progress: Progress | None = None,
) -> Built:
    """Render ``locales`` × ``formats`` of ``policy`` into ``out`` and swap it in atomically."""
    jobs = [(tag, FORMATS[name]) for tag in locales for name in formats]
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    made: list[str] = []
    try:
        # mkdtemp makes a private folder; the site is meant to be readable like any other.
        umask = os.umask(0)
        os.umask(umask)
        staging.chmod(0o777 & ~umask)
        pdf_name = FORMATS["pdf"].filename(policy.document)
        pdfs: list[tuple[str, LocalisedPolicy, Links]] = []
        for tag in locales:
            localised = localise(policy, tag)
            has_pdf = "pdf" in formats or (not full and (out / tag / pdf_name).is_file())
            links = Links(languages=alternates(policy.all_locales, tag),
                          pdf=pdf_name if has_pdf else None)
            (staging / tag).mkdir()
            for name in formats:
                fmt = FORMATS[name]
                rel = f"{tag}/{fmt.filename(policy.document)}"
                if name == "pdf":
                    pdfs.append((rel, localised, links))  # the slow part: rendered below, in parallel
                    continue
                (staging / rel).write_bytes(fmt.render(localised, links=links))
                made.append(rel)
                if progress:
                    progress(len(made), len(jobs), rel)
        for rel, data in _render_pdfs(pdfs):
            (staging / rel).write_bytes(data)
            made.append(rel)
            if progress:
                progress(len(made), len(jobs), rel)
        if not full and out.is_dir():
            _carry_over(out, staging, set(made))
        (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Built(out, tuple(made), tuple(locales))


def _pdf(localised: LocalisedPolicy, links: Links) -> bytes:
    return FORMATS["pdf"].render(localised, links=links)


def _render_pdfs(jobs: list[tuple[str, LocalisedPolicy, Links]]) -> Iterator[tuple[str, bytes]]:
    """Each PDF as it is done. Two or more go to one worker process per core, since a PDF is
    CPU-bound and takes about half a second; the bytes do not depend on where they were made."""
    workers = min(len(jobs), len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)
    if workers < 2:
        for rel, localised, links in jobs:
            yield rel, _pdf(localised, links)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("forkserver")  # no fork of a process that may run threads (rich)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = [(rel, pool.submit(_pdf, localised, links)) for rel, localised, links in jobs]
        for rel, future in futures:
            yield rel, future.result()


def _carry_over(old: Path, new: Path, made: set[str]) -> None:
    """Keep the previous build's files that this (partial) build did not make."""
    for path in sorted(old.rglob("*")):
        rel = path.relative_to(old).as_posix()
        if rel in made or rel == MARKER or path.is_dir():
            continue
        target = new / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, target)  # same file system: no copy needed, files are never rewritten
        except OSError:
            shutil.copy2(path, target)


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():
        staging.rename(out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    old.rmdir()
    out.rename(old)
    try:
        staging.rename(out)
    except BaseException:
        old.rename(out)
        raise
    shutil.rmtree(old, ignore_errors=True)
