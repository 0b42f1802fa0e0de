"""Git: the only module that talks to git.

Versions are read straight from the object store (commits, trees, blobs) through one
long-lived ``git cat-file --batch`` process per repository: no checkout, no stash, no
temporary branch, and nothing is imported to do it (a library binding costs more to import
than a whole ``policyctl diff`` may take). The few writes a release makes, and history
walks, are plain ``git`` commands. The project folder (``-C DIR``) may be anywhere inside
the repository; paths given to and returned by this module are relative to it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import subprocess
import threading
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from policykit.errors import VersionError

# The folders whose content makes a version of the policy.
POLICY_DIRS = ("policy", "locales")
_TREE_MODE = "40000"
_SUBMODULE_MODE = "160000"


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

    def read(self, path: str) -> bytes | None:
        blob = self.files.get(path)
        return None if blob is None else self.repo.blob(blob)

    def listdir(self, path: str) -> list[str]:
        return list(self._dirs.get(path.rstrip("/"), []))


class _Objects:
    """One ``git cat-file --batch`` process: ask for any object name, get its id, type and bytes."""

    def __init__(self, cwd: str) -> None:
        self._cwd = cwd
        self._proc: subprocess.Popen[bytes] | None = None
        self._stop: Callable[[], object] | None = None
        self._pid = 0
        self._lock = threading.Lock()

    def get(self, name: str) -> tuple[str, str, bytes] | None:
        """``(id, type, content)`` of the object ``name`` (any revision syntax), or None when missing."""
        with self._lock:
            proc = self._start()
            assert proc.stdin is not None and proc.stdout is not None
            try:
                proc.stdin.write(name.encode() + b"\n")
                proc.stdin.flush()
                header = proc.stdout.readline().split()
                if len(header) != 3:  # "<name> missing" or "<name> ambiguous"
                    if not header:
                        raise OSError("git cat-file stopped")
                    return None
                data = proc.stdout.read(int(header[2]))
                proc.stdout.read(1)  # the newline after the content
            except OSError as exc:
                self.close()
                raise VersionError(f"reading git objects in {self._cwd} failed: {exc}") from None
            return header[0].decode(), header[1].decode(), data

    def _start(self) -> subprocess.Popen[bytes]:
        if self._proc is None or self._pid != os.getpid():  # a forked child must not share the pipes
            self._proc = subprocess.Popen(["git", "cat-file", "--batch"], cwd=self._cwd, stdin=subprocess.PIPE,
                                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            self._pid = os.getpid()
            self._stop = weakref.finalize(self, _stop, self._proc)
        return self._proc

    def close(self) -> None:
        if self._stop is not None and self._pid == os.getpid():
            self._stop()
        self._proc = self._stop = None


def _stop(proc: subprocess.Popen[bytes]) -> None:
    streams: list[IO[bytes] | None] = [proc.stdin, proc.stdout]
    for stream in streams:
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _git(cwd: str, *args: str) -> str:
    """Run ``git args`` in ``cwd``; its output without the last newline. VersionError when it fails."""
    try:
        run = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except OSError as exc:
        raise VersionError(f"cannot run git: {exc}") from None
    if run.returncode != 0:
        message = run.stderr.decode(errors="replace").strip() or f"exit status {run.returncode}"
        raise VersionError(f"git {args[0]} failed in {cwd}: {message}")
    return run.stdout.decode(errors="replace").removesuffix("\n")


class Repository:
    """The git repository holding the project at ``root``."""

    def __init__(self, root: Path) -> None:
        def rev_parse(*args: str) -> subprocess.CompletedProcess[bytes] | None:
            try:
                return subprocess.run(["git", "rev-parse", *args], cwd=root, capture_output=True, check=False)
            except OSError:  # no such folder (or no git at all)
                return None

        found = rev_parse("--git-common-dir", "--show-toplevel")  # one process when all is well
        if found is None or found.returncode != 0:
            # Why not: outside any repository, in a bare one, or inside a git directory.
            found = rev_parse("--is-bare-repository")
            if found is None or found.returncode != 0:
                raise VersionError(f"{root} is not inside a git repository: only WORKTREE can be read "
                                   "(run `git init` and commit the policy to compare versions)")
            if found.stdout.strip() == b"true":
                raise VersionError(f"{root} is a bare git repository; point -C at a checkout")
            raise VersionError(f"{root} is inside a git directory, not a work tree; point -C at a checkout")
        common, top_dir = found.stdout.decode().splitlines()[:2]
        top = Path(top_dir).resolve()
        try:
            rel = root.resolve().relative_to(top)
        except ValueError:
            raise VersionError(f"{root} is not inside the work tree of {top}") from None
        self.top = str(top)
        self.prefix = "" if rel == Path(".") else rel.as_posix()
        self._common_dir = (root / common).resolve()
        self._objects = _Objects(self.top)
        self._commits: dict[str, tuple[str, tuple[str, ...], str, str]] = {}
        self._trees: dict[str, list[tuple[str, str, str]]] = {}
        self._files: dict[str, dict[str, str]] = {}
        self._keys: dict[str, str] = {}
        self._blobs: dict[str, bytes] = {}

    @property
    def cache_dir(self) -> Path:
        """A folder for policyctl's caches inside the git dir: never in the work tree, gone with the repo."""
        return self._common_dir / "policyctl"

    def close(self) -> None:
        """Stop the object reader now (it also stops when the repository is garbage-collected)."""
        self._objects.close()

    def _in_project(self, path: str) -> str:
        return f"{self.prefix}/{path}" if self.prefix else path

    def _run(self, *args: str) -> str:
        return _git(self.top, *args)

    # -- objects ---------------------------------------------------------------
    def _commit(self, sha: str) -> tuple[str, tuple[str, ...], str, str]:
        """(tree id, parent ids, committer line, message) of commit ``sha``."""
        if sha not in self._commits:
            found = self._objects.get(sha)
            if found is None or found[1] != "commit":
                raise VersionError(f"{sha} is not a commit in {self.top}")
            head, _, message = found[2].decode("utf-8", errors="replace").partition("\n\n")
            tree, parents, committer = "", [], ""
            for line in head.split("\n"):
                key, _, value = line.partition(" ")
                if key == "tree":
                    tree = value
                elif key == "parent":
                    parents.append(value)
                elif key == "committer":
                    committer = value
            self._commits[sha] = (tree, tuple(parents), committer, message)
        return self._commits[sha]

    def _entries(self, tree_id: str) -> list[tuple[str, str, str]]:
        """(mode, name, id) of each entry of a tree; trees are kept, versions share most of them."""
        entries = self._trees.get(tree_id)
        if entries is None:
            found = self._objects.get(tree_id)
            if found is None or found[1] != "tree":
                raise VersionError(f"git tree {tree_id} is missing in {self.top}")
            data, at, entries = found[2], 0, []
            while at < len(data):
                space = data.index(b" ", at)
                nul = data.index(b"\0", space)
                entries.append((data[at:space].decode(), data[space + 1:nul].decode("utf-8", errors="surrogateescape"),
                                data[nul + 1:nul + 21].hex()))
                at = nul + 21
            self._trees[tree_id] = entries
        return entries

    def _child(self, tree_id: str, name: str) -> tuple[str, str] | None:
        """(mode, id) of ``name`` in a tree, or None."""
        return next(((mode, oid) for mode, n, oid in self._entries(tree_id) if n == name), None)

    # -- revisions -----------------------------------------------------------
    def resolve(self, revision: str) -> str:
        """The full commit id ``revision`` names (a commit, tag, branch, ``HEAD~2`` …)."""
        if not revision or revision.startswith("-") or any(c.isspace() for c in revision):
            raise VersionError(f"{revision!r} is not a revision")
        found = self._objects.get(revision)
        if found is not None and found[1] == "tag":  # annotated tags point at the commit
            found = self._objects.get(f"{found[0]}^{{}}")
        if found is None:
            hint = " (the repository has no commits yet)" if not self.has_commits() else ""
            raise VersionError(f"no revision {revision!r} in {self.top}{hint}")
        sha, kind, _ = found
        if kind != "commit":
            raise VersionError(f"{revision!r} names a {kind}, not a commit")
        return sha

    def has_commits(self) -> bool:
        """False in a repository whose HEAD has no commit yet."""
        found = self._objects.get("HEAD")
        return found is not None and found[1] == "commit"

    def commit_info(self, sha: str) -> CommitInfo:
        _, parents, committer, message = self._commit(sha)
        seconds, zone = committer.rsplit(" ", 2)[-2:] if committer.count(" ") >= 2 else ("0", "+0000")
        offset = dt.timedelta(hours=int(zone[1:3]), minutes=int(zone[3:5])) * (-1 if zone[0] == "-" else 1)
        date = dt.datetime.fromtimestamp(int(seconds), dt.timezone(offset))
        return CommitInfo(sha, parents, date, message.split("\n", 1)[0])

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
                    if sub is not None and sub[0] == _TREE_MODE:
                        self._walk(sub[1], name, out)
            self._files[key] = out
        return self._files[key]

    def _walk(self, tree_id: str, prefix: str, out: dict[str, str]) -> None:
        for mode, name, oid in self._entries(tree_id):
            path = f"{prefix}/{name}"
            if mode == _TREE_MODE:
                self._walk(oid, path, out)
            elif mode != _SUBMODULE_MODE:  # files and symbolic links are blobs
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
        tree = self._commit(sha)[0]
        for part in self.prefix.split("/") if self.prefix else ():
            child = self._child(tree, part)
            if child is None or child[0] != _TREE_MODE:
                return None
            tree = child[1]
        return tree

    def blob(self, blob_id: str) -> bytes:
        """The content of a blob; blobs are kept, since neighbouring versions share most of them."""
        data = self._blobs.get(blob_id)
        if data is None:
            found = self._objects.get(blob_id)
            if found is None or found[1] != "blob":
                raise VersionError(f"git blob {blob_id} is missing in {self.top}")
            data = self._blobs[blob_id] = found[2]
        return data

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
        out = self._run("status", "--porcelain", "--untracked-files=all", "--",
                        *(self._in_project(p) for p in paths))
        top = f"{self.prefix}/" if self.prefix else ""
        return sorted({line[3:].split(" -> ")[-1].strip('"').removeprefix(top) for line in out.splitlines()})

    def tree_id(self, sha: str) -> str:
        """The id of the project folder's tree at ``sha`` (the whole commit's tree at the top)."""
        return self._project_tree(sha) or ""

    def read(self, sha: str, path: str) -> bytes | None:
        """Any project file at commit ``sha`` (not only the policy's), or None."""
        node: tuple[str, str] | None = None
        tree = self._project_tree(sha)
        for part in path.split("/"):
            if tree is None:
                return None
            node = self._child(tree, part)
            tree = node[1] if node is not None and node[0] == _TREE_MODE else None
        if node is None or node[0] in (_TREE_MODE, _SUBMODULE_MODE):
            return None
        return self.blob(node[1])

    def first_added(self, path: str) -> str | None:
        """The commit that first added project file ``path`` on HEAD's history, or None."""
        if not self.has_commits():
            return None
        out = self._run("log", "--diff-filter=A", "--format=%H", "HEAD", "--", self._in_project(path))
        return out.split()[-1] if out.strip() else None

    def commit_paths(self, paths: Iterable[str], message: str) -> str:
        """Commit exactly ``paths`` (project-relative) as they are in the work tree; the new commit id.

        Whatever else is staged stays staged and out of this commit.
        """
        full = [self._in_project(p) for p in paths]
        self._run("add", "--", *full)
        self._run("commit", "-q", "-m", message, "--", *full)
        return self._run("rev-parse", "--verify", "HEAD^{commit}")

    def tag(self, name: str, sha: str, message: str) -> None:
        """An annotated tag ``name`` on ``sha``; a tag that exists is an error."""
        try:
            self._run("tag", "-a", "-m", message, name, sha)
        except VersionError as exc:
            raise VersionError(f"cannot create tag {name}: {str(exc).split(': ', 1)[-1]}") from None

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
        paths = [self._in_project(d) for d in POLICY_DIRS]
        out = self._run("log", *args, "--", *paths)
        commits = []
        for line in out.splitlines():
            sha, parents, date, subject = line.split("\x1f", 3)
            commits.append(CommitInfo(sha, tuple(parents.split()), dt.datetime.fromisoformat(date), subject))
        return commits
