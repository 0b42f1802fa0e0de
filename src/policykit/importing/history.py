"""A policy's past versions, imported as a git history: one dated commit per version.

The folder holds one file per version, ``<YYYY-MM-DD>-<anything>.<md|html|docx|txt>``, and
optionally ``versions.tsv`` (columns ``file``, ``date``, ``message``; lines starting ``#`` are
comments), which gives their order and each version's message; without it the files are taken in
the order of their names. The first version is imported as a new project, each later one onto
the one before (:func:`policykit.importing.import_onto`), so unchanged and edited paragraphs keep
their ids through the whole history, and an id once used is never given to other text.

:func:`import_history` is the API other tools use (e.g. to classify each pair of consecutive
versions); :func:`continuity` measures how well ids were kept between two versions.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import re
from collections.abc import Callable
from dataclasses import astuple, dataclass
from pathlib import Path

from policykit.diagnostics import Pos, error
from policykit.errors import InvalidPolicy, UsageError, VersionError
from policykit.model import Policy

_DATED_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})-.+\.(md|markdown|html?|docx|txt)$", re.IGNORECASE)
FOLDERS = ("policy", "locales")


@dataclass(frozen=True)
class SourceVersion:
    file: Path
    date: dt.date
    message: str


@dataclass(frozen=True)
class ImportedVersion:
    """One version as imported: the commit that holds it and how many blocks kept their ids."""

    file: str
    date: dt.date
    commit: str
    message: str
    blocks: int
    kept: int
    changed: bool  # False when the text equals the version before (the commit is empty)
    release: str | None = None
    release_problem: str = ""


def versions_in(folder: Path) -> list[SourceVersion]:
    """The versions of ``folder``, oldest first."""
    if not folder.is_dir():
        raise UsageError(f"{folder}: not a folder of versions")
    index = folder / "versions.tsv"
    found: list[SourceVersion] = []
    if index.is_file():
        lines = [line for line in index.read_text("utf-8").splitlines() if line and not line.startswith("#")]
        for n, row in enumerate(csv.DictReader(lines, delimiter="\t"), 2):
            name = (row.get("file") or "").strip()
            m = _DATED_RE.match(name)
            date = (row.get("date") or "").strip() or (m.group(1) if m else "")
            if not name or "/" in name or not (folder / name).is_file() or not _is_date(date):
                raise InvalidPolicy([error(Pos(str(index), n, 1), f"row {n}: needs an existing `file` in this "
                                           "folder and a `date` (YYYY-MM-DD)", "import.versions")])
            found.append(SourceVersion(folder / name, dt.date.fromisoformat(date), (row.get("message") or "").strip()))
    else:
        for path in sorted(folder.iterdir()):
            m = _DATED_RE.match(path.name)
            if m and path.is_file() and _is_date(m.group(1)):
                found.append(SourceVersion(path, dt.date.fromisoformat(m.group(1)), ""))
    if not found:
        raise UsageError(f"{folder}: no versions (files named YYYY-MM-DD-NAME.md|.html|.docx|.txt, or versions.tsv)")
    if any(b.date < a.date for a, b in itertools.pairwise(found)):
        raise UsageError(f"{index}: the versions are not in date order")
    return found


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def import_history(folder: Path, dest: Path, *, releases: bool = False, controller: str | None = None,
                   locale: str = "en", document: str | None = None,
                   progress: Callable[[ImportedVersion], None] | None = None) -> list[ImportedVersion]:
    """Import every version of ``folder`` into the project at ``dest`` as dated commits (and releases).

    ``dest`` must not hold a policy yet; a git repository is created there unless it is already
    inside one. A version that cannot be imported stops the import with its located error; the
    versions before it stay committed.
    """
    from policykit import gitrelease
    from policykit.git import Repository, init_repository
    from policykit.importing import import_file, import_onto
    from policykit.load import POLICY_FILE
    from policykit.load.project import load_policy

    versions = versions_in(folder)
    if (dest / POLICY_FILE).exists():
        raise UsageError(f"{dest / POLICY_FILE} exists: a history is imported into a folder without a policy")
    try:
        repo = Repository(dest)
    except VersionError:  # not inside a repository: make one
        dest.mkdir(parents=True, exist_ok=True)
        init_repository(dest)
        repo = Repository(dest)
    retired: dict[str, set[str]] = {"": set()}
    out: list[ImportedVersion] = []
    for n, version in enumerate(versions):
        data = version.file.read_bytes()
        if n == 0:
            done = import_file(data, version.file.name, dest, document=document, controller=controller,
                               locale=locale)
        else:
            done = import_onto(data, version.file.name, dest, retired=retired)
        policy = load_policy(dest)
        for section in policy.sections:
            retired[""].add(section.id)
            retired.setdefault(section.id, set()).update(b.id for b in section.blocks)
        message = f"Import {version.file.name} ({version.date})" + (f"\n\n{version.message}" if version.message
                                                                    else "")
        when = dt.datetime.combine(version.date, dt.time(12), dt.UTC)
        commit = gitrelease.commit_folders(repo, [f for f in FOLDERS if (dest / f).exists()], message, date=when)
        changed = n == 0 or bool(done.files or done.removed)
        imported = ImportedVersion(version.file.name, version.date, commit, version.message, done.blocks,
                                   done.kept, changed)
        if releases and changed:
            imported = _release(dest, imported, policy)
        out.append(imported)
        if progress:
            progress(imported)
    repo.close()
    return out


def _release(root: Path, version: ImportedVersion, policy: Policy) -> ImportedVersion:
    """Release the version just committed, published on its date (notice counted from there)."""
    from dataclasses import replace

    from policykit.compare.diffreport import compare
    from policykit.errors import PolicyError
    from policykit.release import Draft, prepare, write
    from policykit.versions import default_base
    from policykit.vocabulary import duration_days

    effective = None
    if default_base(root) != "HEAD" and compare(root, None, "HEAD").level == "significant":
        effective = version.date + dt.timedelta(days=int(duration_days(policy.notice_period) or 0))
    summary = f"The version of {version.date}, imported from {version.file}" + (
        f" ({version.message})." if version.message else ".")
    try:
        prepared = prepare(root, published=version.date, effective=effective,
                           draft=Draft(summary={policy.source_locale: summary}))
        released = write(root, prepared)
    except PolicyError as exc:
        return replace(version, release_problem=str(exc).replace("\n", " "))
    return replace(version, release=released.entry.version)


@dataclass(frozen=True)
class Continuity:
    """Of the paragraphs of a version that continue the one before, how many kept their id.

    ``same``: paragraphs whose text is in both versions, unchanged (a text that occurs more than
    once in either is left out: which copy is which cannot be told). ``edited``: paragraphs that
    replace a paragraph gone from the old version and share at least
    :data:`policykit.importing.align.SIMILAR` of its words in order (the most similar one).
    ``*_kept``: the paragraph kept its block id, so the diff sees the same block (changed, or
    moved to another section); ``*_in_place``: it also stayed in the section of the same id.
    """

    same: int = 0
    same_kept: int = 0
    same_in_place: int = 0
    edited: int = 0
    edited_kept: int = 0
    edited_in_place: int = 0

    def __add__(self, other: Continuity) -> Continuity:
        return Continuity(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))


def continuity(before: Policy, after: Policy) -> Continuity:
    """How many identical and edited paragraphs of ``after`` kept their id from ``before``."""
    from collections import Counter

    from policykit.importing.align import SIMILAR, similarity

    old = [(s.id, b.id, b.text) for s in before.sections for b in s.blocks if b.text is not None]
    new = [(s.id, b.id, b.text) for s in after.sections for b in s.blocks if b.text is not None]
    old_texts = Counter(t for _, _, t in old)
    new_texts = Counter(t for _, _, t in new)
    where = {t: (sid, bid) for sid, bid, t in old}
    counts = Counter[str]()
    for sid, bid, text in new:
        if old_texts[text] == 1 and new_texts[text] == 1:
            counts["same"] += 1
            counts["same_kept"] += where[text][1] == bid
            counts["same_in_place"] += where[text] == (sid, bid)
    gone = [(osid, obid, t) for osid, obid, t in old if t not in new_texts]
    for sid, bid, text in new:
        if text in old_texts or not gone:
            continue
        score, osid, obid = max((similarity(text, t), osid, obid) for osid, obid, t in gone)
        if score >= SIMILAR:
            counts["edited"] += 1
            counts["edited_kept"] += obid == bid
            counts["edited_in_place"] += (osid, obid) == (sid, bid)
    return Continuity(**counts)
