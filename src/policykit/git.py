"""Git: the only module that imports GitPython.

Versions are read straight from the object store (commits, trees, blobs) through
GitPython's object database, which keeps one ``git cat-file --batch`` process per
repository: no checkout, no stash, no temporary branch, and neither the work tree nor the
index is read. GitPython is imported when a repository is opened, never at module import,
so commands that read only the work tree do not pay for it. History walks, and the few
writes a release makes (:mod:`policykit.gitrelease`), are git commands run through
GitPython (:meth:`Repository.run`). The project folder (``-C DIR``) may be anywhere inside
the repository; paths given to and returned by this module are relative to it.
"""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

from policykit.errors import VersionError
from policykit.gitsource import GitTreeSource

if TYPE_CHECKING:
    import git

# The folders whose content makes a version of the policy.
POLICY_DIRS = ("policy", "locales")
# Tree entry kinds, as ``mode >> 12`` (git.objects.tree.Tree's ids).
_TREE = 0o04
_SUBMODULE = 0o16


@dataclass(frozen=True)
class CommitInfo:
    sha: str
    parents: tuple[str, ...]
    date: dt.datetime
    subject: str

    @property
    def short(self) -> str:
        return self.sha[:7]


class Repository:
    """The git repository holding the project at ``root``."""

    def __init__(self, root: Path) -> None:
        import git

        try:  # GitPython finds the repository itself: no `git rev-parse` process
            self.repo = git.Repo(root, search_parent_directories=True)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            raise VersionError(f"{root} is not inside a git repository: only WORKTREE can be read "
                               "(run `git init` and commit the policy to compare versions)") from None
        if self.repo.working_tree_dir is None:
            self.repo.close()
            raise VersionError(f"{root} is a bare git repository; point -C at a checkout")
        top = Path(self.repo.working_tree_dir).resolve()
        here = root.resolve()
        if any(here.is_relative_to(Path(d).resolve()) for d in (self.repo.git_dir, self.repo.common_dir)):
            self.repo.close()
            raise VersionError(f"{root} is inside a git directory, not a work tree; point -C at a checkout")
        try:
            rel = here.relative_to(top)
        except ValueError:
            self.repo.close()
            raise VersionError(f"{root} is not inside the work tree of {top}") from None
        self.top = str(top)
        self.prefix = "" if rel == Path(".") else rel.as_posix()
        # GitPython's persistent cat-file process is not thread-safe: one reader at a time.
        self._lock = threading.Lock()
        self._commits: dict[str, git.Commit] = {}
        self._trees: dict[str, list[tuple[int, str, str]]] = {}
        self._files: dict[str, dict[str, str]] = {}
        self._keys: dict[str, str] = {}
        self._blobs: dict[str, bytes] = {}
        # The reader stops when this object goes, even from inside a reference cycle (say, an
        # exception's traceback): weakref callbacks run before any finalizer of the cycle, so
        # GitPython closes its process itself instead of the process object being collected
        # while it still runs.
        weakref.finalize(self, self.repo.close)

    @property
    def cache_dir(self) -> Path:
        """A folder for policyctl's caches inside the git dir: never in the work tree, gone with the repo."""
        return Path(self.repo.common_dir).resolve() / "policyctl"

    def close(self) -> None:
        """Stop the object reader now (it also stops when the repository is garbage-collected)."""
        with self._lock:
            self.repo.close()

    def in_project(self, path: str) -> str:
        """A project-relative path as the repository names it (from the top of the work tree)."""
        return f"{self.prefix}/{path}" if self.prefix else path

    def execute(self, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
        """Run ``git args`` at the top of the work tree: its exit status, output and error text."""
        try:
            status, out, err = self.repo.git.execute(["git", *args], with_extended_output=True,
                                                     with_exceptions=False, env=env)
        except OSError as exc:  # GitCommandNotFound is one
            raise VersionError(f"cannot run git: {exc}") from None
        return int(status), str(out), str(err)

    def run(self, *args: str, env: dict[str, str] | None = None) -> str:
        """Run ``git args`` at the top of the work tree; its output. VersionError with git's message."""
        status, out, err = self.execute(*args, env=env)
        if status != 0:
            message = err.strip() or f"exit status {status}"
            raise VersionError(f"git {args[0]} failed in {self.top}: {message}")
        return out

    # -- objects ---------------------------------------------------------------
    def _object(self, name: str) -> tuple[str, str, bytes] | None:
        """``(id, type, content)`` of the object ``name`` (an id or any revision syntax), or None."""
        with self._lock:
            try:
                if len(name) == 40:  # an object id: the object database
                    found = self.repo.odb.stream(bytes.fromhex(name))
                    sha, kind, data = found.binsha.hex(), _text(found.type), found.read()
                else:  # a revision: git itself reads its syntax
                    sha, kind, _, data = self.repo.git.get_object_data(name)
                    sha, kind = _text(sha), _text(kind)  # typed str, but bytes from the pipe
            except ValueError:  # "<name> missing" or "<name> ambiguous" (or not hex)
                return None
            except OSError as exc:
                self.repo.git.clear_cache()  # the next read starts a fresh process
                raise VersionError(f"reading git objects in {self.top} failed: {exc}") from None
        return sha, kind, data

    def _commit(self, sha: str) -> git.Commit:
        commit = self._commits.get(sha)
        if commit is None:
            import git

            found = self._object(sha)
            if found is None or found[1] != "commit":
                raise VersionError(f"{sha} is not a commit in {self.top}")
            # GitPython parses the bytes already read (its Serializable interface), not reading them again.
            commit = git.Commit(self.repo, bytes.fromhex(found[0]))._deserialize(BytesIO(found[2]))
            self._commits[sha] = commit
        return commit

    def _entries(self, tree_id: str) -> list[tuple[int, str, str]]:
        """(kind, name, id) of each entry of a tree; trees are kept, versions share most of them."""
        entries = self._trees.get(tree_id)
        if entries is None:
            from git.objects.fun import tree_entries_from_data

            found = self._object(tree_id)
            if found is None or found[1] != "tree":
                raise VersionError(f"git tree {tree_id} is missing in {self.top}")
            entries = [(mode >> 12, name, binsha.hex()) for binsha, mode, name in tree_entries_from_data(found[2])]
            self._trees[tree_id] = entries
        return entries

    def _child(self, tree_id: str, name: str) -> tuple[int, str] | None:
        """(kind, id) of ``name`` in a tree, or None."""
        return next(((kind, oid) for kind, n, oid in self._entries(tree_id) if n == name), None)

    # -- revisions -----------------------------------------------------------
    def resolve(self, revision: str) -> str:
        """The full commit id ``revision`` names (a commit, tag, branch, ``HEAD~2`` …)."""
        if not revision or revision.startswith("-") or any(c.isspace() for c in revision):
            raise VersionError(f"{revision!r} is not a revision")
        found = self._object(revision)  # git itself reads the revision syntax
        if found is not None and found[1] == "tag":  # annotated tags point at the commit
            found = self._object(f"{found[0]}^{{}}")
        if found is None:
            hint = " (the repository has no commits yet)" if not self.has_commits() else ""
            raise VersionError(f"no revision {revision!r} in {self.top}{hint}")
        sha, kind, _ = found
        if kind != "commit":
            raise VersionError(f"{revision!r} names a {kind}, not a commit")
        return sha

    def has_commits(self) -> bool:
        """False in a repository whose HEAD has no commit yet."""
        found = self._object("HEAD")
        return found is not None and found[1] == "commit"

    def commit_info(self, sha: str) -> CommitInfo:
        c = self._commit(sha)
        # committer_tz_offset is seconds west of UTC; a plain timezone keeps the value picklable and comparable.
        date = dt.datetime.fromtimestamp(c.committed_date, dt.timezone(dt.timedelta(seconds=-c.committer_tz_offset)))
        return CommitInfo(c.hexsha, tuple(p.hexsha for p in c.parents), date, str(c.summary))

    # -- trees ----------------------------------------------------------------
    def files(self, sha: str) -> dict[str, str]:
        """Every file of the policy at commit ``sha``: project-relative path -> blob id (empty without one)."""
        key = self.tree_key(sha)
        if key not in self._files:
            out: dict[str, str] = {}
            tree = self._project_tree(sha)
            if tree is not None:
                for name in POLICY_DIRS:
                    sub = self._child(tree, name)
                    if sub is not None and sub[0] == _TREE:
                        self._walk(sub[1], name, out)
            self._files[key] = out
        return self._files[key]

    def _walk(self, tree_id: str, prefix: str, out: dict[str, str]) -> None:
        for kind, name, oid in self._entries(tree_id):
            path = f"{prefix}/{name}"
            if kind == _TREE:
                self._walk(oid, path, out)
            elif kind != _SUBMODULE:  # files and symbolic links are blobs
                out[path] = oid

    def tree_key(self, sha: str) -> str:
        """What identifies the policy's content at ``sha``: the ids of its ``policy/`` and ``locales/`` trees."""
        if sha not in self._keys:
            tree = self._project_tree(sha)
            ids = []
            for name in POLICY_DIRS:
                sub = self._child(tree, name) if tree is not None else None
                ids.append(sub[1][:16] if sub is not None else "-")
            self._keys[sha] = ".".join(ids)
        return self._keys[sha]

    def _project_tree(self, sha: str) -> str | None:
        tree: str = self._commit(sha).tree.hexsha
        for part in self.prefix.split("/") if self.prefix else ():
            child = self._child(tree, part)
            if child is None or child[0] != _TREE:
                return None
            tree = child[1]
        return tree

    def blob(self, blob_id: str) -> bytes:
        """The content of a blob; blobs are kept, since neighbouring versions share most of them."""
        data = self._blobs.get(blob_id)
        if data is None:
            found = self._object(blob_id)
            if found is None or found[1] != "blob":
                raise VersionError(f"git blob {blob_id} is missing in {self.top}")
            data = self._blobs[blob_id] = found[2]
        return data

    def path_ids(self, wanted: Iterable[tuple[str, str]]) -> list[str | None]:
        """The blob id of each ``(commit, project path)``, or None where there is none.

        One ``git cat-file --batch-check`` for all of them: a site build asks this for a
        few files of every release, where walking each release's trees would read
        thousands of objects one at a time.
        """
        import tempfile

        pairs = list(wanted)
        if not pairs:
            return []
        names = "".join(f"{sha}:{self.in_project(path)}\n" for sha, path in pairs)
        if any(c in names for c in "\r\0") or names.count("\n") != len(pairs):
            raise VersionError("a path or revision contains a line break")
        with tempfile.TemporaryFile() as stdin:
            stdin.write(names.encode())
            stdin.seek(0)
            try:
                status, out, err = self.repo.git.execute(
                    ["git", "cat-file", "--batch-check=%(objectname) %(objecttype)"], istream=stdin,
                    with_extended_output=True, with_exceptions=False)
            except OSError as exc:
                raise VersionError(f"cannot run git: {exc}") from None
        lines = str(out).splitlines()
        if status != 0 or len(lines) != len(pairs):
            raise VersionError(f"git cat-file failed in {self.top}: {str(err).strip() or f'exit status {status}'}")
        ids: list[str | None] = []
        for line in lines:
            oid, _, kind = line.partition(" ")
            ids.append(oid if kind == "blob" else None)  # "<name> missing", or a folder
        return ids

    def source(self, sha: str, label: str, only: Iterable[str] | None = None) -> GitTreeSource:
        """The policy at ``sha`` as a loader source; ``only`` limits it to some files (the rest look absent)."""
        files = self.files(sha)
        if only is not None:
            wanted = set(only)
            files = {p: b for p, b in files.items() if p in wanted}
        return GitTreeSource(self, files, label)

    # -- what releases ask (their writes and tags: policykit.gitrelease) ------
    def branch(self) -> str | None:
        """The branch checked out, or None when HEAD is detached."""
        try:
            return str(self.repo.active_branch.name)
        except TypeError:  # GitPython's word for a detached HEAD
            return None

    def default_branch(self) -> str | None:
        """The branch releases are made from: the remote's default (``origin/HEAD``), else
        ``init.defaultBranch``, else ``main`` or ``master`` when exactly one exists; None if unknown."""
        import git

        heads = {h.name for h in self.repo.heads}
        try:
            remote = self.repo.git.symbolic_ref("--quiet", "refs/remotes/origin/HEAD")
            return str(remote).removeprefix("refs/remotes/origin/")
        except git.GitCommandError:  # no remote, or it names no default
            pass
        configured = self.repo.config_reader().get_value("init", "defaultBranch", "")
        if configured and str(configured) in heads:
            return str(configured)
        usual = [b for b in ("main", "master") if b in heads]
        return usual[0] if len(usual) == 1 else None

    def tree_id(self, sha: str) -> str:
        """The id of the project folder's tree at ``sha`` (the whole commit's tree at the top)."""
        return self._project_tree(sha) or ""

    def read(self, sha: str, path: str) -> bytes | None:
        """Any project file at commit ``sha`` (not only the policy's), or None."""
        blob = self.blob_id(sha, path)
        return None if blob is None else self.blob(blob)

    def blob_id(self, sha: str, path: str) -> str | None:
        """The blob id of any project file at commit ``sha``, or None."""
        node: tuple[int, str] | None = None
        tree = self._project_tree(sha)
        for part in path.split("/"):
            if tree is None:
                return None
            node = self._child(tree, part)
            tree = node[1] if node is not None and node[0] == _TREE else None
        if node is None or node[0] in (_TREE, _SUBMODULE):
            return None
        return node[1]

    def is_ancestor(self, ancestor: str, descendant: str) -> bool:
        """Whether commit ``ancestor`` is ``descendant`` or one of its ancestors."""
        status, _, err = self.repo.git.execute(["git", "merge-base", "--is-ancestor", ancestor, descendant],
                                               with_extended_output=True, with_exceptions=False)
        if status not in (0, 1):
            raise VersionError(f"git merge-base failed in {self.top}: {str(err).strip()}")
        return status == 0

    def config(self, key: str) -> str | None:
        """A git setting as git reads it (system, global, then this repository's), or None."""
        status, out, _ = self.repo.git.execute(["git", "config", "--get", key], with_extended_output=True,
                                               with_exceptions=False)
        return str(out).strip() if status == 0 else None

    # -- history ---------------------------------------------------------------
    def history(self, revision: str = "HEAD", *, since: str | None = None, limit: int | None = None,
                after: str | None = None) -> list[CommitInfo]:
        """Commits that touched the policy, newest first (``after``: only those not reachable from it)."""
        if revision == "HEAD" and not self.has_commits():
            return []
        args = ["--format=%H%x1f%P%x1f%cI%x1f%s", f"{after}..{revision}" if after else revision]
        if since:
            args.insert(0, f"--since={since}")
        if limit:
            args.insert(0, f"--max-count={int(limit)}")
        paths = [self.in_project(d) for d in POLICY_DIRS]
        out = self.run("log", *args, "--", *paths)
        commits = []
        for line in out.splitlines():
            sha, parents, date, subject = line.split("\x1f", 3)
            commits.append(CommitInfo(sha, tuple(parents.split()), dt.datetime.fromisoformat(date), subject))
        return commits


def _text(value: str | bytes) -> str:
    return value.decode() if isinstance(value, bytes) else value


def work_tree_top(path: Path) -> Path | None:
    """The top of the git work tree ``path`` is in, or None when it is in none."""
    import git

    try:
        repo = git.Repo(path, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return None
    try:
        return Path(repo.working_tree_dir).resolve() if repo.working_tree_dir else None
    finally:
        repo.close()


def init_repository(path: Path) -> None:
    """``git init`` at ``path`` (the branch name is git's own default, ``init.defaultBranch``)."""
    import git

    git.Repo.init(path).close()
