"""policykit.git reads the object store through GitPython (one `git cat-file --batch`), and writes with git commands."""

from __future__ import annotations

import datetime as dt
import gc
import os
from pathlib import Path

import pytest

from policykit.errors import VersionError
from policykit.git import Repository
from policykit.gitrelease import tag

from ..conftest import GitRepo, copy_project


def test_files_blobs_and_keys_match_what_git_says(git_project: GitRepo) -> None:
    repo = Repository(git_project.path)
    head = repo.resolve("HEAD")
    files = repo.files(head)
    listed = git_project.git("ls-tree", "-r", "--format=%(path) %(objectname)", "HEAD", "--", "policy", "locales")
    assert files == dict(line.split(" ") for line in listed.splitlines())
    assert repo.blob(files["policy/policy.yaml"]) == (git_project.path / "policy/policy.yaml").read_bytes()
    assert repo.read(head, "policy/policy.yaml") == (git_project.path / "policy/policy.yaml").read_bytes()
    assert repo.read(head, "policy") is None and repo.read(head, "policy/nope.yaml") is None
    policy_tree = git_project.git("rev-parse", "HEAD:policy")
    assert repo.tree_key(head).startswith(policy_tree[:16] + ".")
    assert repo.tree_id(head) == git_project.git("rev-parse", "HEAD^{tree}")


def test_path_ids_name_many_files_of_many_commits_in_one_go(git_project: GitRepo) -> None:
    first = git_project.git("rev-parse", "HEAD")
    (git_project.path / "policy/policy.yaml").write_text(
        (git_project.path / "policy/policy.yaml").read_text("utf-8") + "# edited\n", "utf-8")
    second = git_project.commit("edit")
    repo = Repository(git_project.path)
    ids = repo.path_ids([(first, "policy/policy.yaml"), (second, "policy/policy.yaml"), (second, "policy"),
                         (second, "policy/nope.yaml"), ("0" * 40, "policy/policy.yaml")])
    assert ids == [git_project.git("rev-parse", f"{first}:policy/policy.yaml"),
                   git_project.git("rev-parse", f"{second}:policy/policy.yaml"), None, None, None]
    assert ids[0] != ids[1] and repo.path_ids([]) == []
    with pytest.raises(VersionError, match="line break"):
        repo.path_ids([(second, "policy/a\nb.yaml")])


def test_commit_info_reads_the_committer_date_and_subject(git_project: GitRepo) -> None:
    first = git_project.git("rev-parse", "HEAD")
    second = git_project.commit("Second edit\n\nwith a body", date="2020-02-03T04:05:06+09:00")
    info = Repository(git_project.path).commit_info(second)
    assert info.parents == (first,)
    assert info.subject == "Second edit"
    assert info.date == dt.datetime(2020, 2, 3, 4, 5, 6, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    assert info.date.utcoffset() == dt.timedelta(hours=9)


def test_revisions_that_are_not_commits_are_refused(git_project: GitRepo) -> None:
    repo = Repository(git_project.path)
    git_project.git("tag", "-a", "v1", "-m", "annotated")
    assert repo.resolve("v1") == repo.resolve("HEAD")
    with pytest.raises(VersionError, match="names a tree, not a commit"):
        repo.resolve("HEAD^{tree}")
    with pytest.raises(VersionError, match="is not a revision"):
        repo.resolve("--all")
    with pytest.raises(VersionError, match=r"git blob 0{40} is missing"):
        repo.blob("0" * 40)


def test_an_empty_repository_has_no_commits(tmp_path: Path) -> None:
    (tmp_path / "repo").mkdir()
    repo = Repository(GitRepo(tmp_path / "repo").path)
    assert not repo.has_commits()
    assert repo.history() == []
    with pytest.raises(VersionError, match="no commits yet"):
        repo.resolve("HEAD")


def test_an_existing_tag_is_a_clear_error(git_project: GitRepo) -> None:
    repo = Repository(git_project.path)
    tag(repo, "v9", repo.resolve("HEAD"), "first")
    with pytest.raises(VersionError, match=r"cannot create tag v9: .*already exists"):
        tag(repo, "v9", repo.resolve("HEAD"), "again")


def test_a_bare_repository_or_a_git_dir_is_refused(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "work")
    GitRepo(project).commit("policy")
    bare = tmp_path / "bare.git"
    GitRepo(project).git("clone", "-q", "--bare", str(project), str(bare))
    with pytest.raises(VersionError, match="bare git repository"):
        Repository(bare)
    with pytest.raises(VersionError, match="not a work tree"):
        Repository(project / ".git")


def _object_readers(top: Path) -> list[int]:
    """Our child processes running `git cat-file` in ``top`` (read from /proc)."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if not proc.name.isdigit() or int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1]) != os.getpid():
                continue
            if b"cat-file" in (proc / "cmdline").read_bytes() and (proc / "cwd").resolve() == top.resolve():
                found.append(int(proc.name))
        except OSError:  # gone while we looked
            continue
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads child processes from /proc")
def test_the_object_reader_stops_on_close_and_with_the_repository(git_project: GitRepo) -> None:
    repo = Repository(git_project.path)
    head = repo.resolve("HEAD")
    assert _object_readers(git_project.path)  # one reader, kept between reads
    repo.close()
    assert _object_readers(git_project.path) == []
    # Reads after close() start a new reader and still answer.
    assert repo.read(head, "policy/policy.yaml") == (git_project.path / "policy/policy.yaml").read_bytes()
    assert repo.commit_info(head).sha == head
    assert _object_readers(git_project.path)
    del repo
    gc.collect()
    assert _object_readers(git_project.path) == []


def test_reads_leave_the_work_tree_and_index_alone(git_project: GitRepo) -> None:
    first = git_project.git("rev-parse", "HEAD")
    policy = git_project.path / "policy/policy.yaml"
    committed = policy.read_bytes()
    policy.write_bytes(committed + b"# edited, not staged\n")
    status = git_project.git("status", "--porcelain")
    index = (git_project.path / ".git/index").read_bytes()
    repo = Repository(git_project.path)
    assert repo.read(repo.resolve("HEAD"), "policy/policy.yaml") == committed
    assert repo.files(first) and repo.history()
    repo.close()
    assert (git_project.path / ".git/index").read_bytes() == index
    assert policy.read_bytes() == committed + b"# edited, not staged\n"
    assert git_project.git("status", "--porcelain") == status
