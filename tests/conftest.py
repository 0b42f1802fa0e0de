"""Shared fixtures: a temp copy of the real policy, and real git repositories.

Git author, committer and dates are pinned (as pre-commit's tests do) so that
commit ids, and everything derived from them, are reproducible.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Legal Editor",
    "GIT_AUTHOR_EMAIL": "editor@example.com",
    "GIT_COMMITTER_NAME": "Legal Editor",
    "GIT_COMMITTER_EMAIL": "editor@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


@pytest.fixture(autouse=True)
def _pinned_git_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    # The cache store (log summaries, fideslang keys) lives in a per-session folder, not the user's home.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "cache"))
    monkeypatch.delenv("POLICYCTL_CACHE_DIR", raising=False)


def copy_project(dest: Path) -> Path:
    """A copy of the real policy (policy/, locales/) at ``dest``.

    Not changelog/: its entries name commits of this repository, which a temp
    repository does not have; tests that need releases make their own.
    """
    for name in ("policy", "locales"):
        if (REPO / name).exists():
            shutil.copytree(REPO / name, dest / name)
    return dest


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A temp copy of the real policy, safe to break."""
    return copy_project(tmp_path / "project")


class GitRepo:
    """A real git repository in a temp dir, with pinned identities and dates."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._tick = 0
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        env = {**os.environ, **GIT_ENV}
        out = subprocess.run(["git", *args], cwd=self.path, env=env, check=True, capture_output=True, text=True)
        return out.stdout.strip()

    def commit(self, message: str, *, date: str | None = None) -> str:
        """Stage everything and commit; dates advance one day per commit unless given."""
        self._tick += 1
        when = date or (dt.datetime(2018, 5, 1, 12, tzinfo=dt.UTC) + dt.timedelta(days=self._tick)).isoformat()
        self.git("add", "-A")
        env = {**os.environ, **GIT_ENV, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
        subprocess.run(["git", "commit", "-q", "--allow-empty", "-m", message], cwd=self.path, env=env,
                       check=True, capture_output=True)
        return self.git("rev-parse", "HEAD")


@pytest.fixture
def git_project(tmp_path: Path) -> Iterator[GitRepo]:
    """The real policy committed once in a fresh git repository."""
    path = copy_project(tmp_path / "repo")
    repo = GitRepo(path)
    repo.commit("Import the 2018 policy")
    yield repo


def materialise_release(version: str, dest: Path) -> Path:
    """policy/ and locales/ exactly as released in ``version`` (release 1.0.0 is the May 2018 policy),
    taken with `git archive` from the commit that ``changelog/<version>.yaml`` records."""
    import io
    import tarfile

    from policykit.changelog import find_entry

    commit = find_entry(REPO, version).commit
    tar = subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", commit, "policy", "locales"],
                         check=True, capture_output=True).stdout
    dest.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
        archive.extractall(dest, filter="data")
    return dest


@pytest.fixture
def project_2018(tmp_path: Path) -> Path:
    """The 2018 policy as first released (1.0.0), with its translations: a temp copy, safe to break."""
    return materialise_release("1.0.0", tmp_path / "project-1.0.0")


# The release whose text the tests that need complete translations use as handles (its ja and
# de are complete: the release gate requires it). The working tree's translations may lag
# behind a source revision until the translators catch up.
TRANSLATED_RELEASE = "1.0.1"


@pytest.fixture
def translated_project(tmp_path: Path) -> Path:
    """The policy as released in TRANSLATED_RELEASE, every published locale complete: a temp copy."""
    return materialise_release(TRANSLATED_RELEASE, tmp_path / f"project-{TRANSLATED_RELEASE}")


def record_release(repo: GitRepo, version: str, *, level: str = "initial", previous: str | None = None,
                   day: str = "2018-05-01", commit: str | None = None) -> Any:
    """Record HEAD's policy as release ``version`` the way `policyctl release` binds one (entry bound
    to the commit, its tree and content, then committed), without classifying anything: for tests
    that need a release to name, not a real one. ``commit`` forces the commit the entry names."""
    from policykit import changelog
    from policykit.git import Repository

    sha = repo.git("rev-parse", "HEAD")
    files = Repository(repo.path).files(sha)
    entry = changelog.Entry(
        version=version, document="privacy-policy", level=level, published=dt.date.fromisoformat(day),
        effective=dt.date.fromisoformat(day), previous=previous, commit=commit or sha,
        tree=repo.git("rev-parse", f"{sha}^{{tree}}"),
        content_hash=changelog.content_hash((p, (repo.path / p).read_bytes()) for p in files), summary={})
    dest = repo.path / changelog.entry_path(version)
    dest.parent.mkdir(exist_ok=True)
    dest.write_text(changelog.dump_entry(entry), "utf-8")
    repo.commit(f"Release {version}")
    return entry
