"""Versions come straight from git objects: any revision, releases, WORKTREE, a policy below the top."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from policykit.errors import VersionError
from policykit.versions import WORKTREE, default_base, load_version, releases

from ..conftest import GitRepo, copy_project, record_release


def _status(repo: GitRepo) -> tuple[str, float]:
    index = repo.path / ".git" / "index"
    return repo.git("status", "--porcelain"), os.stat(index).st_mtime_ns


def test_every_kind_of_revision_loads(git_project: GitRepo) -> None:
    first = git_project.git("rev-parse", "HEAD")
    git_project.git("tag", "-a", "v1", "-m", "first")
    section = git_project.path / "policy" / "sections" / "updates.yaml"
    section.write_text(section.read_text("utf-8").replace("policy", "Policy", 1), "utf-8")
    git_project.commit("edit")
    git_project.git("branch", "old", first)
    for revision in ("HEAD", "HEAD~1", first, first[:8], "v1", "old", "main", WORKTREE):
        v = load_version(git_project.path, revision)
        assert v.policy.document == "privacy-policy"
        assert (v.commit is None) == (revision == WORKTREE)
    assert load_version(git_project.path, "v1").commit == first


def test_reading_versions_touches_neither_work_tree_nor_index(git_project: GitRepo) -> None:
    p = git_project.path / "policy" / "policy.yaml"
    p.write_text(p.read_text("utf-8").replace("P30D", "P14D"), "utf-8")
    before = _status(git_project)
    assert load_version(git_project.path, "HEAD").policy.notice_period == "P30D"
    assert load_version(git_project.path, WORKTREE).policy.notice_period == "P14D"
    assert _status(git_project) == before


def test_unknown_revision_is_a_clear_error(git_project: GitRepo) -> None:
    with pytest.raises(VersionError, match="no revision 'nope'"):
        load_version(git_project.path, "nope")
    with pytest.raises(VersionError, match="no revision 'HEAD~5'"):
        load_version(git_project.path, "HEAD~5")


def test_a_revision_without_policy_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "repo").mkdir()
    repo = GitRepo(tmp_path / "repo")
    (repo.path / "README").write_text("nothing yet\n", "utf-8")
    repo.commit("start")
    copy_project(repo.path)
    repo.commit("policy")
    with pytest.raises(VersionError, match=r"has no policy/policy.yaml"):
        load_version(repo.path, "HEAD~1")


def test_not_a_git_repository(project: Path) -> None:
    with pytest.raises(VersionError, match="not inside a git repository"):
        load_version(project, "HEAD")
    assert load_version(project, WORKTREE).policy.document == "privacy-policy"


def test_policy_below_the_top_of_the_repository(tmp_path: Path) -> None:
    (tmp_path / "repo").mkdir()
    repo = GitRepo(tmp_path / "repo")
    sub = repo.path / "legal" / "privacy"
    copy_project(sub)
    repo.commit("policy in a subfolder")
    v = load_version(sub, "HEAD")
    assert v.policy.document == "privacy-policy" and v.commit is not None


def test_a_release_version_names_its_commit(git_project: GitRepo) -> None:
    first = git_project.git("rev-parse", "HEAD")
    assert default_base(git_project.path) == "HEAD"
    record_release(git_project, "1.0.0")
    p = git_project.path / "policy" / "policy.yaml"
    p.write_text(p.read_text("utf-8").replace("P30D", "P60D"), "utf-8")
    git_project.commit("longer notice")
    record_release(git_project, "1.1.0", level="minor", previous="1.0.0")
    assert [r.version for r in releases(git_project.path)] == ["1.0.0", "1.1.0"]
    assert default_base(git_project.path) == "1.1.0"
    v = load_version(git_project.path, "1.0.0")
    assert (v.commit, v.release) == (first, "1.0.0")
    assert v.policy.notice_period == "P30D"


def test_release_pointing_nowhere_is_an_error(git_project: GitRepo) -> None:
    from policykit.errors import PolicyError

    record_release(git_project, "2.0.0", commit="0" * 40)
    with pytest.raises(PolicyError, match=r"release 2\.0\.0 names commit 000000000000, which is not in this"):
        load_version(git_project.path, "2.0.0")


def test_broken_yaml_at_a_revision_names_revision_file_line(git_project: GitRepo) -> None:
    from policykit.errors import InvalidPolicy

    p = git_project.path / "policy" / "policy.yaml"
    p.write_text("document: [unclosed\n", "utf-8")
    git_project.commit("broken")
    with pytest.raises(InvalidPolicy) as err:
        load_version(git_project.path, "HEAD")
    assert str(err.value).startswith("HEAD:policy/policy.yaml:")
    shutil.rmtree(git_project.path / "policy")


def test_log_diffing_only_changed_files_agrees_with_a_full_diff(git_project: GitRepo) -> None:
    from collections import Counter

    from policykit.compare.classify import classify
    from policykit.compare.diff import diff_policies
    from policykit.compare.history import history

    sections = git_project.path / "policy" / "sections"
    c = sections / "cookies.yaml"
    c.write_text(c.read_text("utf-8").replace("cookie", "tracker", 2), "utf-8")
    u = sections / "updates.yaml"
    u.write_text(u.read_text("utf-8").replace("policy", "Policy", 1), "utf-8")
    git_project.commit("two sections")
    for ja in sorted((git_project.path / "locales" / "ja").glob("*.yaml"))[:2]:
        ja.write_text(ja.read_text("utf-8").replace("。", "。 ", 1), "utf-8")
    git_project.commit("Japanese only")
    p = git_project.path / "policy" / "policy.yaml"
    p.write_text(p.read_text("utf-8").replace("P30D", "P10D"), "utf-8")
    git_project.commit("document")
    for entry in history(git_project.path, cache=False)[:-1]:
        a = load_version(git_project.path, entry.commit + "~1").policy
        b = load_version(git_project.path, entry.commit).policy
        tags = sorted((set(a.translations) | set(b.translations)) - {b.source_locale})
        full = Counter(ch.level for ch in classify(diff_policies(a, b, locales=tags), before=a, after=b))
        assert entry.counts == {lv: n for lv, n in full.items() if n}, entry.subject


def test_log_in_worker_processes_agrees_with_one_process(git_project: GitRepo) -> None:
    from policykit.compare.history import history

    for i, name in enumerate(["cookies", "updates", "security"]):
        p = git_project.path / "policy" / "sections" / f"{name}.yaml"
        p.write_text(p.read_text("utf-8").replace("the", "The", 1 + i), "utf-8")
        git_project.commit(f"edit {name}")
    one = history(git_project.path, cache=False, workers=1)
    two = history(git_project.path, cache=False, workers=2)
    assert [e.to_json() for e in one] == [e.to_json() for e in two]
    assert len(one) == 4


def test_releases_read_once_per_content_answer_as_a_fresh_read(git_project: GitRepo) -> None:
    """``releases`` keeps what each changelog file records by its bytes (a diff resolves two versions
    through it): an edited file is read again, and the answer is a fresh process's."""
    from policykit import versions

    record_release(git_project, "1.0.0")
    entry = git_project.path / "changelog" / "1.0.0.yaml"
    first = releases(git_project.path)
    assert [(r.version, len(r.commit)) for r in first] == [("1.0.0", 40)]
    assert releases(git_project.path) == first
    entry.write_text(entry.read_text("utf-8").replace(first[0].commit, "abcdef1"), "utf-8")
    assert [r.commit for r in releases(git_project.path)] == ["abcdef1"]
    entry.write_text("commit: [unclosed\n", "utf-8")  # broken YAML records no release
    assert releases(git_project.path) == []
    entry.write_text(f"version: 1.0.0\ncommit: {first[0].commit}\n", "utf-8")
    held = releases(git_project.path)
    versions._RECORDED.clear()
    assert releases(git_project.path) == held == first


def test_naming_a_release_cold_parses_each_changelog_file_once_and_checks_the_entries_a_fresh_read_gives(
        git_project: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cold diff names a release (``releases``) and checks every release (which reads every entry): the
    check reads the entries ``releases`` parsed, the ones a plain ``read_entries`` gives, not parsing again."""
    from policykit import changelog, versions, yamlio
    record_release(git_project, "1.0.0")
    monkeypatch.setenv("POLICYCTL_CACHE_DIR", str(tmp_path / "cache"))
    versions._RECORDED.clear()
    parsed: list[str] = []
    plain_parse = yamlio.parse

    def counted(data: bytes, name: str) -> object:
        parsed.append(name)
        return plain_parse(data, name)

    monkeypatch.setattr(yamlio, "parse", counted)
    assert load_version(git_project.path, "1.0.0").release == "1.0.0"
    assert [n for n in parsed if n.startswith("changelog/")] == ["changelog/1.0.0.yaml"]
    assert list((tmp_path / "cache" / "releases-verified").rglob("*"))  # the check ran, and passed
    fresh = changelog.read_entries(git_project.path)
    read = changelog.read_entries(git_project.path, versions._entry)
    assert read == fresh and [(e.file, e.pos) for e in read] == [(e.file, e.pos) for e in fresh]


def test_a_release_named_after_its_entry_broke_is_refused(git_project: GitRepo) -> None:
    """Naming a release checks every release (the check's record is keyed by the changelog's bytes):
    an entry broken after a check passed is refused, located, as before any check."""
    from policykit.errors import InvalidPolicy

    record_release(git_project, "1.0.0")
    assert load_version(git_project.path, "1.0.0").release == "1.0.0"
    entry = git_project.path / "changelog" / "1.0.0.yaml"
    entry.write_text(entry.read_text("utf-8") + "surprise: 1\n", "utf-8")
    with pytest.raises(InvalidPolicy, match=r"changelog/1\.0\.0\.yaml:\d+:1: .*unknown key 'surprise'"):
        load_version(git_project.path, "1.0.0")
