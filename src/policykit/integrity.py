"""A release is what it was: every release is checked wherever one is used.

``validate`` reports every problem (:func:`check_releases`); ``build``, ``notify
enqueue`` and ``diff`` refuse to use releases while any is reported
(:func:`verified_entries`). Each release is bound to:

* its **entry**: ``entry_hash`` matches the entry, and the file is byte for byte the
  one its release commit added; the **Markdown twin** likewise;
* its **commit and tree**: the commit exists, its tree is the recorded ``tree``, its
  files hash to ``content_hash``, and it is an ancestor of the release commit;
* the **chain**: each entry names the one before it as ``previous``, and no entry
  (or twin) that HEAD's history ever added is missing; no release tag lacks its entry;
* its **tag** ``<document>-<version>``, when present: it points at the release
  commit; with signed releases required (git config ``policyctl.signedReleasesFrom``),
  it is signed by a key of ``gpg.ssh.allowedSignersFile`` (``git verify-tag``);
* its **notice**: a significant release takes effect no sooner than the notice period
  after its release commit was made, the period being the longer of its own and the
  one in force at the release before it;
* the **ledger**: what this clone saw of each release before (kept in the git dir,
  outside the history a forger can rewrite) must not have changed.

Everything stored in the repository can be recomputed by a forger who can rewrite
history; only the ledger and signatures checked against keys configured outside the
repository resist that. docs/release.md says what each check proves, and what a
fresh clone (no ledger, maybe no tags) can and cannot prove.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policykit import changelog, files, gitrelease, yamlio
from policykit.changelog import Entry
from policykit.diagnostics import Diagnostic, Pos, error
from policykit.errors import InvalidPolicy, PolicyError
from policykit.ledger import LEDGER_FILE, LEDGER_KEY, Ledger, ReleaseEvidence
from policykit.validate import register_project

if TYPE_CHECKING:
    from policykit.git import Repository
    from policykit.gitrelease import TagRef

SIGNED_FROM_KEY = "policyctl.signedReleasesFrom"
SIGNERS_KEY = "gpg.ssh.allowedSignersFile"


def twin_path(version: str) -> str:
    return changelog.entry_path(version).removesuffix(".yaml") + ".md"


def earliest_effective(moment: dt.datetime, days: float) -> dt.date:
    """The first date (UTC) on which a change may apply when users are told at ``moment``:
    the whole notice period must have passed when that day begins."""
    deadline = moment.astimezone(dt.UTC) + dt.timedelta(days=days)
    midnight = deadline.replace(hour=0, minute=0, second=0, microsecond=0)
    return deadline.date() if deadline == midnight else deadline.date() + dt.timedelta(days=1)


def notice_days(repo: Repository, commit: str) -> float:
    """The notice period (days) that ``policy/policy.yaml`` at ``commit`` states; 0 without one."""
    from policykit.vocabulary import duration_days

    data = repo.read(commit, "policy/policy.yaml")
    try:
        raw = yamlio.parse(data, "policy/policy.yaml") if data is not None else None
    except InvalidPolicy:
        return 0.0
    value = raw.get("notice_period") if isinstance(raw, dict) else None
    return (duration_days(value) or 0.0) if isinstance(value, str) else 0.0


@register_project
def check_releases(root: Path) -> Iterator[Diagnostic]:
    """Every problem with the releases in ``root/changelog/`` (see the module docstring)."""
    yield from _Checker(root).run()


def verified_entries(root: Path) -> list[Entry]:
    """The releases, oldest first, once every check passes; :class:`InvalidPolicy` (each problem,
    located) when any fails: ``build``, ``notify`` and ``diff`` never use what ``validate`` rejects.

    A full check opens the repository (GitPython alone takes 0.4 s to import): when nothing it
    depends on changed since the last check that passed (:func:`_stamp`), it is not run again,
    so a no-op site rebuild stays fast.
    """
    verify_releases(root)
    return changelog.read_entries(root)


def verify_releases(root: Path, repo: Repository | None = None,
                    parse: Callable[[bytes, str], Entry] = changelog.parse_entry) -> None:
    """:class:`InvalidPolicy` (each problem, located) unless every release checks out: what
    :func:`verified_entries` asks, for a caller that needs no entry (``diff`` naming a release).

    A check that passed read every entry, and its stamp covers the changelog's bytes: the
    entries it vouches for read without error, so they need not be parsed again to know it.
    ``repo``: the caller's open repository of ``root``, for the check to read its objects
    through (a diff then reads the blobs of both versions once, not once per reader); ``parse``: how
    the caller reads a changelog file (a diff has read each to name its release: not again).
    """
    from policykit.cachestore import Cache

    store, state = Cache("releases-verified"), _git_state(root)
    stamp = _stamp(root, state)
    if stamp is None or store.get(stamp) is None:
        problems = [d for d in _Checker(root, repo, parse).run() if d.severity == "error"]
        if problems:
            raise InvalidPolicy(problems)
        # The check may have recorded releases in the ledger, a file: refs and config are as they were.
        stamp = _stamp(root, state)
        if stamp is not None:
            store.put(stamp, b"verified")


def _git_state(root: Path) -> tuple[bytes, bytes, bytes] | None:
    """What git says of ``root`` that a check depends on: where its repository is and HEAD, every ref
    (tags, replacements), the trust settings; None when git cannot say. Three processes: a check
    that runs asks once, not again to stamp what it vouched for (it writes none of them)."""
    import subprocess

    def git(*args: str) -> bytes | None:
        try:
            done = subprocess.run(["git", *args], cwd=root, capture_output=True, timeout=60)
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout if done.returncode in (0, 1) else None

    where = git("rev-parse", "--git-common-dir", "--show-prefix", "HEAD")
    refs = git("show-ref", "--head")
    config = git("config", "--get-regexp", r"^(policyctl\.|gpg\.|user\.signingkey)")
    if where is None or refs is None or config is None or len(where.splitlines()) != 3:
        return None
    return where, refs, config


def _stamp(root: Path, state: tuple[bytes, bytes, bytes] | None) -> bytes | None:
    """The key of everything a check reads: git's ``state`` (:func:`_git_state`), the allowed signers,
    the changelog's files and the ledger; the cache store adds the code (the package key). None when
    git cannot say (the full check then runs and reports)."""
    import hashlib

    if state is None:
        return None
    where, refs, config = state
    common = Path(os.fsdecode(where.splitlines()[0]))
    folder = (root / common if not common.is_absolute() else common) / "policyctl"
    h = hashlib.sha256(b"\0".join([where, refs, config, str(root.resolve()).encode()]))
    for line in config.decode("utf-8", "replace").splitlines():
        name, _, value = line.partition(" ")
        if name in ("gpg.ssh.allowedsignersfile", LEDGER_KEY.lower()):
            h.update(_bytes(Path(os.path.expanduser(value))))
    h.update(_bytes(folder / LEDGER_FILE))
    for path in sorted((root / changelog.CHANGELOG_DIR).glob("*")):
        h.update(path.name.encode() + b"\0" + _bytes(path) + b"\0")
    return h.digest()


def _bytes(path: Path) -> bytes:
    try:
        return files.read(path.parent, path.name) or b"-"
    except InvalidPolicy:
        return b"!"


def verified_entry(root: Path, version: str) -> Entry:
    """Release ``version`` once every release checks out (see :func:`verified_entries`)."""
    for entry in verified_entries(root):
        if entry.version == version:
            return entry
    return changelog.find_entry(root, version)  # raises: no such release


class _Checker:
    def __init__(self, root: Path, repo: Repository | None = None,
                 parse: Callable[[bytes, str], Entry] = changelog.parse_entry) -> None:
        self.root = root
        self.repo: Any = repo
        self.parse = parse

    def run(self) -> Iterator[Diagnostic]:
        try:
            entries = changelog.read_entries(self.root, self.parse)
        except InvalidPolicy as exc:
            yield from exc.diagnostics
            return
        try:
            from policykit.git import Repository

            self.repo = self.repo or Repository(self.root)
        except PolicyError:
            for entry in entries:
                yield error(entry.pos, f"release {entry.version} cannot be verified: the project is not in a git "
                            "repository, and a release is bound to its commit (clone the repository)",
                            "release.unverifiable")
            return
        if not self.repo.has_commits():
            return
        yield from self._check(entries)

    def _check(self, entries: list[Entry]) -> Iterator[Diagnostic]:
        repo = self.repo
        added = gitrelease.added_under(repo, changelog.CHANGELOG_DIR)
        document = entries[0].document if entries else _document(self.root)
        tags = gitrelease.tags(repo, f"{document}-") if document else {}
        releases = []
        for entry in entries:
            rel = ReleaseEvidence(entry)
            found = list(self._entry(rel, added, tags.get(f"{entry.document}-{entry.version}")))
            rel.ok = not found
            releases.append(rel)
            yield from found
        yield from self._chain(entries, added, tags, document)
        yield from _signatures(repo, releases)
        yield from _notice(repo, releases)
        yield from Ledger(repo).check([r for r in releases if r.ok], {e.version for e in entries})

    def _entry(self, rel: ReleaseEvidence, added: dict[str, str], tag: TagRef | None) -> Iterator[Diagnostic]:
        entry, repo, at = rel.entry, self.repo, rel.entry.pos
        if entry.entry_hash != changelog.entry_hash(entry):
            yield error(at, f"changelog entry {entry.version} was edited after its release (its entry_hash no "
                        "longer matches); released versions are immutable — make a new release instead",
                        "release.edited")
            return
        try:
            rel.commit = repo.resolve(entry.commit)
        except PolicyError:
            yield error(at, f"release {entry.version} names commit {entry.commit[:12]}, which is not in this "
                        "repository (history rewritten, or a shallow clone?)", "release.commit")
            return
        if repo.tree_id(rel.commit) != entry.tree:
            yield error(at, f"release {entry.version}: commit {entry.commit[:12]} has tree "
                        f"{repo.tree_id(rel.commit)[:12]}, not the released {entry.tree[:12]}", "release.tree")
        if _content_hash(repo, rel.commit) != entry.content_hash:
            yield error(at, f"release {entry.version}: commit {entry.commit[:12]} no longer holds the content it "
                        "released (content hash differs)", "release.content")
        rel.release_commit = added.get(entry.file, "")
        if not rel.release_commit:
            yield error(at, f"changelog entry {entry.version} is not committed: a release is recorded by "
                        "`policyctl release`, which commits its entry; an entry written by hand is not a release",
                        "release.uncommitted")
            return
        yield from self._files(rel)
        if not repo.is_ancestor(rel.commit, rel.release_commit):
            yield error(at, f"release {entry.version}: its entry was committed in {rel.release_commit[:12]}, which "
                        f"does not descend from the released commit {entry.commit[:12]}", "release.commit")
        if tag is not None:
            rel.tag = tag
            if tag.commit != rel.release_commit:
                yield error(at, f"tag {tag.name} points at {tag.commit[:12]}, not at the release commit "
                            f"{rel.release_commit[:12]} that added changelog entry {entry.version}: the tag was "
                            f"moved; put it back (`git tag -f {tag.name} {rel.release_commit[:12]}`)", "release.tag")

    def _files(self, rel: ReleaseEvidence) -> Iterator[Diagnostic]:
        """The entry and its Markdown twin must be the bytes the release commit added."""
        entry, repo = rel.entry, self.repo
        for path, what in ((entry.file, "entry"), (twin_path(entry.version), "Markdown twin")):
            released = repo.read(rel.release_commit, path)
            try:
                now = files.read(self.root, path)
            except InvalidPolicy as exc:
                yield from exc.diagnostics
                continue
            if released is None:
                if what == "entry":
                    yield error(entry.pos, f"changelog entry {entry.version} is not in the commit that added it",
                                "release.edited")
                continue  # a release made before twins were committed
            blob = repo.blob_id(rel.release_commit, path)
            if what == "entry":
                rel.entry_blob = blob or ""
            else:
                rel.twin_blob = blob or ""
            if now is None:
                yield error(Pos(path, 1, 1), f"the {what} of release {entry.version} was deleted; restore it "
                            f"(`git checkout {rel.release_commit[:12]} -- {path}`)", "release.deleted")
            elif now != released:
                yield error(Pos(path, 1, 1), f"the {what} of release {entry.version} differs from the one its "
                            f"release commit {rel.release_commit[:12]} added; released versions are immutable "
                            f"(restore it with `git checkout {rel.release_commit[:12]} -- {path}`)", "release.edited")

    def _chain(self, entries: list[Entry], added: dict[str, str], tags: dict[str, TagRef],
               document: str | None) -> Iterator[Diagnostic]:
        known = {e.version for e in entries}
        for before, entry in zip([None, *entries], entries, strict=False):
            expected = before.version if before else None
            if entry.previous != expected and entry.previous not in known:
                yield error(entry.pos, f"release {entry.version} follows {entry.previous}, whose changelog entry "
                            f"is missing (deleted?); restore changelog/{entry.previous}.yaml", "release.deleted")
            elif entry.previous != expected:
                yield error(entry.pos, f"release {entry.version} names {entry.previous} as the release before it, "
                            f"but the changelog has {expected or 'none'} there", "release.chain")
        for path, sha in sorted(added.items()):
            name = path.removeprefix(f"{changelog.CHANGELOG_DIR}/")
            if name.endswith(".yaml") and changelog.VERSION_RE.match(name[:-5]) and name[:-5] not in known:
                yield error(Pos(path, 1, 1), f"release {name[:-5]} was recorded in commit {sha[:12]} and its "
                            f"changelog entry has been deleted; released versions are immutable (restore it with "
                            f"`git checkout {sha[:12]} -- {path}`)", "release.deleted")
        head = self.repo.resolve("HEAD")
        for name, tag in sorted(tags.items()):
            version = name.removeprefix(f"{document}-")
            # A tag on another branch's release is not this history's; one in it must have its entry.
            if changelog.VERSION_RE.match(version) and version not in known and \
                    changelog.entry_path(version) not in added and self.repo.is_ancestor(tag.commit, head):
                yield error(Pos(changelog.entry_path(version), 1, 1), f"tag {name} marks a release whose changelog "
                            "entry is missing", "release.deleted")


def _document(root: Path) -> str | None:
    try:
        raw = yamlio.parse(files.read(root, "policy/policy.yaml") or b"", "policy/policy.yaml")
    except InvalidPolicy:
        return None
    value = raw.get("document") if isinstance(raw, dict) else None
    return value if isinstance(value, str) and value else None


def _signatures(repo: Repository, releases: list[ReleaseEvidence]) -> Iterator[Diagnostic]:
    """Signed tags, verified against keys configured outside the repository."""
    signed_from = repo.config(SIGNED_FROM_KEY)
    signers = repo.config(SIGNERS_KEY)
    if signed_from is not None and not changelog.VERSION_RE.match(signed_from):
        yield error(Pos(".git/config", 1, 1), f"git config {SIGNED_FROM_KEY} is {signed_from!r}, not a version",
                    "release.signature")
        return
    for rel in releases:
        entry = rel.entry
        required = signed_from is not None and \
            changelog.parse_version(entry.version) >= changelog.parse_version(signed_from)
        tag = rel.tag
        if required and (tag is None or not tag.signed):
            what = "has no tag" if tag is None else f"has an unsigned tag {tag.name}"
            yield error(entry.pos, f"release {entry.version} {what}, but releases from {signed_from} on must carry "
                        f"a signed tag (git config {SIGNED_FROM_KEY}); fetch the tags (`git fetch --tags`)",
                        "release.signature")
            continue
        if tag is None or not tag.signed or not rel.ok:
            continue
        if not signers:
            if required:
                yield error(entry.pos, f"release {entry.version}: signed releases are required, but git config "
                            f"{SIGNERS_KEY} names no allowed signers to check the tag against", "release.signature")
            continue
        good, said = gitrelease.verify_tag(repo, tag.name, os.path.expanduser(signers))
        if not good:
            yield error(entry.pos, f"release {entry.version}: the signature of tag {tag.name} does not verify "
                        f"against the allowed signers ({said[:200] or 'no reason given'})", "release.signature")


def _notice(repo: Repository, releases: list[ReleaseEvidence]) -> Iterator[Diagnostic]:
    """A significant release applies no sooner than the notice period after it was really made."""
    commits = {r.entry.version: r.commit for r in releases}
    for rel in releases:
        entry = rel.entry
        if not entry.significant or not rel.release_commit or not rel.commit:
            continue
        made = repo.commit_info(rel.release_commit).date
        before = commits.get(entry.previous or "")
        period = max(notice_days(repo, rel.commit), notice_days(repo, before) if before else 0.0)
        earliest = earliest_effective(made, period)
        if entry.effective < earliest:
            yield error(entry.pos, f"release {entry.version} takes effect {entry.effective}, but it was made at "
                        f"{made.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC (its release commit): with a notice period "
                        f"of {period:g} day(s) it may apply from {earliest} at the earliest", "release.notice")


def _content_hash(repo: Repository, sha: str) -> str:
    """The content hash of the files of commit ``sha``. Not cached: keeping it in the cache store
    measured no gain on `validate` (CPU 1.20 s without, 1.26 s with; docs/architecture.md)."""
    return changelog.content_hash((path, repo.blob(blob)) for path, blob in repo.files(sha).items())
