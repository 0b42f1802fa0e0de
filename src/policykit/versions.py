"""The policy at any version: a commit, tag, branch, ``HEAD~2``, a release, or ``WORKTREE``.

A release is ``changelog/<version>.yaml`` in the work tree with a ``commit:``
key (written by ``policyctl release``); naming its version as a revision
means that commit. Git versions are read from the object store
(:mod:`policykit.git`), never by checking anything out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policykit.diagnostics import Diagnostic, Pos
from policykit.errors import InvalidPolicy, VersionError
from policykit.load import POLICY_FILE, FileSource, ProjectFiles, read_project
from policykit.memo import LRU
from policykit.model import Policy

if TYPE_CHECKING:
    from policykit.changelog import Entry
    from policykit.git import Repository

WORKTREE = "WORKTREE"
CHANGELOG_DIR = "changelog"
_VERSION_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]*$")
_FULL_SHA_RE = re.compile(r"^[0-9a-f]{40}$")


@dataclass(frozen=True)
class Release:
    version: str
    commit: str
    file: str


@dataclass(frozen=True)
class LoadedVersion:
    """One version of the policy and what loading it found."""

    revision: str  # as the user named it: HEAD, 1.2.0, WORKTREE, a commit id …
    commit: str | None  # None for WORKTREE
    policy: Policy
    diagnostics: tuple[Diagnostic, ...] = ()
    release: str | None = None
    key: str = ""  # the policy's tree ids ("" for WORKTREE): equal keys, equal content

    @property
    def label(self) -> str:
        if self.commit is None:
            return self.revision
        short = self.commit[:7]
        return self.revision if self.revision.startswith(short) else f"{self.revision} ({short})"

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]


def _version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"[.+-]", version))


def releases(root: Path) -> list[Release]:
    """Every release recorded in ``changelog/`` (a YAML file with a ``commit:``), oldest version first."""
    from policykit import files

    folder = root / CHANGELOG_DIR
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.glob("*.yaml")):
        name = f"{CHANGELOG_DIR}/{path.name}"
        found = _recorded(files.read(root, name) or b"", name)
        if found is not None:
            out.append(found)
    return sorted(out, key=lambda r: _version_key(r.version))


# A diff resolves both its versions through releases() and, cold, checks every release, which reads
# every entry: the changelog's files (one of them 107 KB) were parsed to name the release and again by
# the check. Keyed by the bytes, so an edited file is read again; bounded by the bytes held, as a long-lived
# process (``serve``) meets many. Each holds the file's entry (None: not a valid one) and its release.
_RECORDED: LRU[tuple[str, bytes], tuple[Entry | None, Release | None]] = LRU(4 << 20, lambda key, _: len(key[1]))


def _recorded(data: bytes, name: str) -> Release | None:
    """The release the changelog file ``name`` (its bytes ``data``) records, or None."""
    return _read(data, name)[1]


def _entry(data: bytes, name: str) -> Entry:
    """The entry the changelog file ``name`` holds (:func:`changelog.parse_entry`, read once per content)."""
    from policykit.changelog import parse_entry

    return _read(data, name)[0] or parse_entry(data, name)  # an invalid one: raises, located


def _read(data: bytes, name: str) -> tuple[Entry | None, Release | None]:
    from policykit import yamlio
    from policykit.changelog import parse_entry

    held = _RECORDED.get((name, data))
    if held is not None:
        return held
    entry: Entry | None = None
    try:
        entry = parse_entry(data, name)
        raw: Any = {"commit": entry.commit, "version": entry.version}
    except InvalidPolicy:  # not a valid entry (the check refuses it): what it records, if anything
        try:
            raw = yamlio.parse(data, name)
        except InvalidPolicy:
            raw = None
    found = None
    commit = raw.get("commit") if isinstance(raw, dict) else None
    if isinstance(commit, str) and re.fullmatch(r"[0-9a-f]{7,40}", commit):
        version = raw.get("version", Path(name).stem)
        found = Release(str(version), commit, name)
    _RECORDED.put((name, data), (entry, found))
    return entry, found


def release(root: Path, version: str) -> Release | None:
    """The release ``version``, or None when ``changelog/<version>.yaml`` does not record one."""
    if not _VERSION_NAME_RE.match(version):
        return None
    return next((r for r in releases(root) if r.version == version), None)


def default_base(root: Path) -> str:
    """What ``diff`` compares against by default: the latest release, or HEAD before any release."""
    found = releases(root)
    return found[-1].version if found else "HEAD"


def open_repository(root: Path) -> Repository:
    from policykit.git import Repository

    return Repository(root)


def resolve(root: Path, revision: str, repo: Repository | None = None) -> tuple[str, str | None]:
    """The commit id ``revision`` names and the release it is (if it names one)."""
    repo = repo or open_repository(root)
    # A full commit id names that commit (no release is called that): no need to read changelog/.
    rel = None if _FULL_SHA_RE.match(revision) else release(root, revision)
    if rel is not None:
        from policykit.integrity import verify_releases

        verify_releases(root, repo, _entry)  # a release is compared only as it was released
        try:
            return repo.resolve(rel.commit), rel.version
        except VersionError:
            raise VersionError(f"{rel.file}: release {rel.version} names commit {rel.commit}, "
                               "which is not in this repository") from None
    return repo.resolve(revision), None


def load_version(root: Path, revision: str = WORKTREE, *, repo: Repository | None = None) -> LoadedVersion:
    """The policy at ``revision``; :class:`VersionError` when the revision or its policy/ is missing.

    Problems in the files are returned as diagnostics (the version still loads
    when a model could be built); their file names carry the revision
    (``HEAD~2:policy/sections/cookies.yaml:4:7``).
    """
    if revision == WORKTREE:
        source: ProjectFiles = FileSource(root)
        if source.read(POLICY_FILE) is None:
            raise VersionError(f"{root / POLICY_FILE} not found: is {root} a policy project? (use -C DIR)")
        return _load(source, revision, None, None, "")
    repo = repo or open_repository(root)
    sha, rel = resolve(root, revision, repo)
    files = repo.files(sha)
    if POLICY_FILE not in files:
        where = f"{repo.prefix}/{POLICY_FILE}" if repo.prefix else POLICY_FILE
        raise VersionError(f"{revision} ({sha[:7]}) has no {where}: the policy did not exist yet there")
    return _load(repo.source(sha, revision), revision, sha, rel, repo.tree_key(sha))


def _load(source: ProjectFiles, revision: str, sha: str | None, rel: str | None, key: str) -> LoadedVersion:
    loaded = read_project(source)
    diagnostics = tuple(loaded.diagnostics)
    if sha is not None:
        diagnostics = tuple(replace(d, pos=Pos(f"{revision}:{d.pos.file}", d.pos.line, d.pos.col))
                            for d in diagnostics)
    if loaded.policy is None:
        raise InvalidPolicy(diagnostics)
    return LoadedVersion(revision, sha, loaded.policy, diagnostics, rel, key)


@dataclass
class VersionCache:
    """Policies loaded once per content (a history walk meets each version, or file, more than once).

    A partial version (``only`` some files) is keyed by the blob ids of those
    files, so the "after" of one commit that changed a file is found again as
    the "before" of the next commit that changes it.
    """

    repo: Repository
    size: int = 256
    _items: dict[Any, Policy | None] = field(default_factory=dict)

    def policy(self, sha: str, only: frozenset[str] | None = None) -> Policy | None:
        files = self.repo.files(sha)
        if POLICY_FILE not in files:
            return None
        key: Any = self.repo.tree_key(sha) if only is None else tuple(sorted(
            (p, b) for p, b in files.items() if p in only))
        if key not in self._items:
            if len(self._items) >= self.size:
                self._items.pop(next(iter(self._items)))
            self._items[key] = read_project(self.repo.source(sha, sha[:7], only)).policy
        return self._items[key]
