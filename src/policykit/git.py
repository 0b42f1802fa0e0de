"""Git, read-only: the only module that imports GitPython.

Everything here reads the object store (commits, trees, blobs) and never
touches the user's work tree or index: no checkout, no stash, no temporary
branch. The project folder (``-C DIR``) may be anywhere inside the repository;
paths given to and returned by this module are relative to it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policykit.errors import VersionError

if TYPE_CHECKING:
    import git

# The folders whose content makes a version of the policy.
POLICY_DIRS = ("policy", "locales")


@dataclass(frozen=True)
class CommitInfo:
    sha: str
    parents: tuple[str, ...]
    date: dt.datetime
    subject: str

    @property
    def short(self) -> str:
        return self.sha[:7]


class GitTreeSource:
    """A :class:`policykit.load.Source` reading one version's files straight from git objects."""

    def __init__(self, repo: Repository, files: dict[str, str], label: str) -> None:
        self.repo = repo
        self.files = files  # project-relative path -> blob id
        self.label = label
        dirs: dict[str, set[str]] = {}
        for path in files:
            parts = path.split("/")
            for i in range(1, len(parts)):
                dirs.setdefault("/".join(parts[:i]), set()).add(parts[i])
        self._dirs = {k: sorted(v) for k, v in dirs.items()}
        self._fetched = False

    def read(self, path: str) -> bytes | None:
        blob = self.files.get(path)
        if blob is None:
            return None
        if not self._fetched:
            self.repo.prefetch(self.files.values())  # one round trip for the whole version
            self._fetched = True
        return self.repo.blob(blob)

    def listdir(self, path: str) -> list[str]:
        return list(self._dirs.get(path.rstrip("/"), []))


class Repository:
    """The git repository holding the project at ``root``."""

    def __init__(self, root: Path) -> None:
        import git

        try:
            self.repo = git.Repo(root, search_parent_directories=True)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            raise VersionError(f"{root} is not inside a git repository: only WORKTREE can be read "
                               "(run `git init` and commit the policy to compare versions)") from None
        if self.repo.working_tree_dir is None:
            raise VersionError(f"{root} is a bare git repository; point -C at a checkout")
        top = Path(self.repo.working_tree_dir).resolve()
        try:
            rel = root.resolve().relative_to(top)
        except ValueError:
            raise VersionError(f"{root} is not inside the work tree of {top}") from None
        self.prefix = "" if rel == Path(".") else rel.as_posix()
        self._files: dict[str, dict[str, str]] = {}
        self._keys: dict[str, str] = {}
        self._blobs: dict[str, bytes] = {}

    @property
    def cache_dir(self) -> Path:
        """A folder for policyctl's caches inside the git dir: never in the work tree, gone with the repo."""
        return Path(self.repo.common_dir) / "policyctl"

    def _in_project(self, path: str) -> str:
        return f"{self.prefix}/{path}" if self.prefix else path

    # -- revisions -----------------------------------------------------------
    def resolve(self, revision: str) -> str:
        """The full commit id ``revision`` names (a commit, tag, branch, ``HEAD~2`` …)."""
        from gitdb.exc import BadName, BadObject

        if not revision or revision.startswith("-") or any(c.isspace() for c in revision):
            raise VersionError(f"{revision!r} is not a revision")
        try:
            obj = self.repo.rev_parse(revision)
            while obj.type == "tag":  # annotated tags point at the commit
                obj = obj.object
            kind = self.repo.odb.info(obj.binsha).type.decode()  # does the object exist?
        except (BadName, BadObject, ValueError, IndexError) as exc:
            hint = " (the repository has no commits yet)" if not self.repo.head.is_valid() else ""
            raise VersionError(f"no revision {revision!r} in {self.repo.working_tree_dir}{hint}: {exc}") from None
        if kind != "commit":
            raise VersionError(f"{revision!r} names a {kind}, not a commit")
        return str(obj.hexsha)

    def commit_info(self, sha: str) -> CommitInfo:
        c = self.repo.commit(sha)
        return CommitInfo(c.hexsha, tuple(p.hexsha for p in c.parents), c.committed_datetime,
                          str(c.summary))

    # -- trees ----------------------------------------------------------------
    def files(self, sha: str) -> dict[str, str]:
        """Every file of the policy at commit ``sha``: project-relative path -> blob id (empty without one)."""
        key = self.tree_key(sha)
        if key not in self._files:
            out: dict[str, str] = {}
            tree = self._project_tree(sha)
            if tree is not None:
                for name in POLICY_DIRS:
                    sub = _child(tree, name)
                    if sub is not None and sub.type == "tree":
                        _walk(sub, name, out)
            self._files[key] = out
        return self._files[key]

    def tree_key(self, sha: str) -> str:
        """What identifies the policy's content at ``sha``: the ids of its ``policy/`` and ``locales/`` trees."""
        if sha not in self._keys:
            tree = self._project_tree(sha)
            ids = []
            for name in POLICY_DIRS:
                sub = _child(tree, name) if tree is not None else None
                ids.append(sub.hexsha[:16] if sub is not None else "-")
            self._keys[sha] = ".".join(ids)
        return self._keys[sha]

    def _project_tree(self, sha: str) -> git.Tree | None:
        tree = self.repo.commit(sha).tree
        for part in self.prefix.split("/") if self.prefix else ():
            child = _child(tree, part)
            if child is None or child.type != "tree":
                return None
            tree = child
        return tree

    def blob(self, blob_id: str) -> bytes:
        """The content of a blob; blobs are kept, since neighbouring versions share most of them."""
        data = self._blobs.get(blob_id)
        if data is None:
            data = self._blobs[blob_id] = bytes(self.repo.odb.stream(bytes.fromhex(blob_id)).read())
        return data

    def prefetch(self, blob_ids: Iterable[str]) -> None:
        """Read many blobs at once (one ``git cat-file --batch``) instead of one round trip each."""
        import subprocess

        missing = sorted({b for b in blob_ids if b not in self._blobs})
        if len(missing) < 4:
            return
        out = subprocess.run(["git", "cat-file", "--batch"], cwd=self.repo.working_tree_dir, check=True,
                             input="".join(f"{b}\n" for b in missing).encode(), capture_output=True).stdout
        at = 0
        while at < len(out):
            end = out.index(b"\n", at)
            head = out[at:end].split()
            if len(head) != 3:  # "<id> missing": leave it to blob() to report
                at = end + 1
                continue
            size = int(head[2])
            self._blobs[head[0].decode()] = out[end + 1: end + 1 + size]
            at = end + 1 + size + 1

    def source(self, sha: str, label: str, only: Iterable[str] | None = None) -> GitTreeSource:
        """The policy at ``sha`` as a loader source; ``only`` limits it to some files (the rest look absent)."""
        files = self.files(sha)
        if only is not None:
            wanted = set(only)
            files = {p: b for p, b in files.items() if p in wanted}
        return GitTreeSource(self, files, label)

    # -- releases: the few writes policyctl makes (policykit.release) ----------
    def dirty(self, paths: Iterable[str]) -> list[str]:
        """Project-relative files under ``paths`` that differ from HEAD (staged, unstaged or untracked)."""
        out = self.repo.git.status("--porcelain", "--untracked-files=all", "--",
                                   *(self._in_project(p) for p in paths))
        top = f"{self.prefix}/" if self.prefix else ""
        return sorted({line[3:].split(" -> ")[-1].strip('"').removeprefix(top) for line in out.splitlines()})

    def tree_id(self, sha: str) -> str:
        """The id of the project folder's tree at ``sha`` (the whole commit's tree at the top)."""
        tree = self._project_tree(sha)
        return str(tree.hexsha) if tree is not None else ""

    def read(self, sha: str, path: str) -> bytes | None:
        """Any project file at commit ``sha`` (not only the policy's), or None."""
        node: Any = self._project_tree(sha)
        for part in path.split("/"):
            node = _child(node, part) if node is not None and node.type == "tree" else None
        return self.blob(str(node.hexsha)) if node is not None and node.type == "blob" else None

    def first_added(self, path: str) -> str | None:
        """The commit that first added project file ``path`` on HEAD's history, or None."""
        if not self.repo.head.is_valid():
            return None
        out = self.repo.git.log("--diff-filter=A", "--format=%H", "HEAD", "--", self._in_project(path))
        return out.split()[-1] if out.strip() else None

    def commit_paths(self, paths: Iterable[str], message: str) -> str:
        """Commit exactly ``paths`` (project-relative) as they are in the work tree; the new commit id.

        Whatever else is staged stays staged and out of this commit.
        """
        full = [self._in_project(p) for p in paths]
        self.repo.git.add("--", *full)
        self.repo.git.commit("-q", "-m", message, "--", *full)
        return str(self.repo.head.commit.hexsha)

    def tag(self, name: str, sha: str, message: str) -> None:
        """An annotated tag ``name`` on ``sha``; a tag that exists is an error."""
        import git

        try:
            self.repo.create_tag(name, ref=sha, message=message)
        except git.GitCommandError as exc:
            raise VersionError(f"cannot create tag {name}: {exc.stderr.strip() or exc}") from None

    # -- history ---------------------------------------------------------------
    def history(self, revision: str = "HEAD", *, since: str | None = None, limit: int | None = None,
                after: str | None = None) -> list[CommitInfo]:
        """Commits that touched the policy, newest first (``after``: only those not reachable from it)."""
        if not self.repo.head.is_valid() and revision == "HEAD":
            return []
        args = ["--format=%H%x1f%P%x1f%cI%x1f%s", f"{after}..{revision}" if after else revision]
        if since:
            args.insert(0, f"--since={since}")
        if limit:
            args.insert(0, f"--max-count={int(limit)}")
        paths = [self._in_project(d) for d in POLICY_DIRS]
        out = self.repo.git.log(*args, "--", *paths)
        commits = []
        for line in out.splitlines():
            sha, parents, date, subject = line.split("\x1f", 3)
            commits.append(CommitInfo(sha, tuple(parents.split()), dt.datetime.fromisoformat(date), subject))
        return commits


def _child(tree: git.Tree, name: str) -> git.objects.base.IndexObject | None:
    try:
        return tree / name
    except KeyError:
        return None


def _walk(tree: git.Tree, prefix: str, out: dict[str, str]) -> None:
    for entry in tree:
        path = f"{prefix}/{entry.name}"
        if entry.type == "tree":
            _walk(entry, path, out)
        elif entry.type == "blob":
            out[path] = entry.hexsha
