"""The git a release makes and checks: commits of exactly its files, annotated (signed) tags,
what a tag points at and whether its signature holds, and the commit that first added a file.

Built on :class:`policykit.git.Repository`'s ``run`` and ``execute`` (git commands at the top of
the work tree): this module never touches GitPython, which :mod:`policykit.git` alone imports.
Paths given and returned are project-relative, as everywhere in :mod:`policykit.git`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from policykit.errors import VersionError

if TYPE_CHECKING:
    from policykit.git import Repository


@dataclass(frozen=True)
class TagRef:
    name: str
    object: str  # the tag object (annotated) or the commit (lightweight)
    commit: str  # what it points at
    annotated: bool
    signed: bool


def dirty(repo: Repository, paths: Iterable[str]) -> list[str]:
    """Project-relative files under ``paths`` that differ from HEAD (staged, unstaged or untracked)."""
    out = repo.run("status", "--porcelain", "--untracked-files=all", "--", *(repo.in_project(p) for p in paths))
    top = f"{repo.prefix}/" if repo.prefix else ""
    return sorted({line[3:].split(" -> ")[-1].strip('"').removeprefix(top) for line in out.splitlines()})


def commit_paths(repo: Repository, paths: Iterable[str], message: str, *, date: dt.datetime | None = None) -> str:
    """Commit exactly ``paths`` (project-relative) as they are in the work tree; the new commit id.

    Whatever else is staged stays staged and out of this commit. ``date``: the moment the
    commit records (author and committer), instead of git's clock.
    """
    full = [repo.in_project(p) for p in paths]
    repo.run("add", "--", *full)
    if date is not None:
        stamp = f"@{int(date.timestamp())} +0000"
        repo.run("-c", "core.quotePath=off", "commit", "-q", "-m", message, "--", *full,
                 env={"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp})
    else:
        repo.run("commit", "-q", "-m", message, "--", *full)
    return repo.resolve("HEAD")


def commit_folders(repo: Repository, folders: Iterable[str], message: str, *,
                   date: dt.datetime | None = None) -> str:
    """Commit the state of ``folders`` (project-relative: additions, changes, removals), dated ``date``
    (author and committer) when given; empty when nothing changed. The new commit id."""
    import os

    full = [repo.in_project(f) for f in folders]
    repo.run("add", "-A", "--", *full)
    env = dict(os.environ)
    if date is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date.isoformat()
    status, _out, err = repo.execute("commit", "-q", "--allow-empty", "-m", message, env=env)
    if status != 0:
        raise VersionError(f"git commit failed in {repo.top}: {err.strip() or status}")
    return repo.resolve("HEAD")


def tag(repo: Repository, name: str, sha: str, message: str, *, sign: bool = False) -> None:
    """An annotated tag ``name`` on ``sha`` (signed with the user's key when ``sign``, or when
    git's ``tag.gpgSign`` says so); a tag that exists is an error."""
    try:
        repo.run("tag", "-s" if sign else "-a", "-m", message, name, sha)
    except VersionError as exc:
        raise VersionError(f"cannot create tag {name}: {str(exc).split(': ', 1)[-1]}") from None


def tags(repo: Repository, prefix: str) -> dict[str, TagRef]:
    """The tags named ``prefix*``: what each points at, and whether it carries a signature."""
    out = repo.run("for-each-ref", "--format=%(refname:strip=2)%00%(objecttype)%00%(objectname)%00"
                   "%(*objectname)%00%(contents:signature)%01", f"refs/tags/{prefix}*")
    found = {}
    for record in out.split("\x01"):
        fields = record.strip("\n").split("\0")
        if len(fields) != 5:
            continue
        name, kind, oid, target, signature = fields
        found[name] = TagRef(name, oid, target if kind == "tag" else oid, kind == "tag", bool(signature.strip()))
    return found


def verify_tag(repo: Repository, name: str, allowed_signers: str | None = None) -> tuple[bool, str]:
    """``git verify-tag``: whether tag ``name``'s signature is good (and by an allowed signer,
    for SSH signatures), and git's words about it."""
    config = ["-c", f"gpg.ssh.allowedSignersFile={allowed_signers}"] if allowed_signers else []
    status, out, err = repo.execute(*config, "verify-tag", "--raw", f"refs/tags/{name}")
    said = " ".join(f"{out}\n{err}".split())
    return status == 0, said


def added_under(repo: Repository, folder: str) -> dict[str, str]:
    """Every project file ever added under ``folder`` on HEAD's history, with the commit that
    first added it (files deleted since included), from one ``git log``."""
    if not repo.has_commits():
        return {}
    top = f"{repo.prefix}/" if repo.prefix else ""
    return {name.removeprefix(top): sha for name, sha in _first_adds(repo, [repo.in_project(folder)]).items()}


def first_added_each(repo: Repository, paths: Iterable[str]) -> dict[str, str]:
    """The commit that first added each project file of ``paths`` on HEAD's history (files never
    added are left out), from one ``git log`` for all of them."""
    wanted = {repo.in_project(p): p for p in paths}
    if not wanted or not repo.has_commits():
        return {}
    return {wanted[name]: sha for name, sha in _first_adds(repo, list(wanted)).items() if name in wanted}


def _first_adds(repo: Repository, pathspecs: list[str]) -> dict[str, str]:
    """Repository path -> the commit that first added it, for every file added under ``pathspecs``."""
    out = repo.run("-c", "core.quotePath=off", "log", "--diff-filter=A", "--format=%x00%H", "--name-only",
                   "HEAD", "--", *pathspecs)
    found: dict[str, str] = {}
    for record in out.split("\0")[1:]:  # newest first: the last commit met is the first to add it
        sha, *names = record.strip().splitlines()
        for name in names:
            found[name] = sha
    return found
