"""policyctl diff and log from the command line, including the commands of the PR workflow in docs/diff.md."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from policykit.cli import main

from ..conftest import REPO, GitRepo

SCHEMA = json.loads((REPO / "src" / "policykit" / "schemas" / "diff.schema.json").read_text("utf-8"))


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _widen(repo: GitRepo) -> None:
    """A significant change (a new advertising purpose) and an editorial one (a heading), uncommitted."""
    p = repo.path / "policy" / "sections" / "collection.yaml"
    text = p.read_text("utf-8")
    text = text.replace("title: Personal information we collect and how we use it", "title: What personal "
                        "information we collect and how we use it")
    text = text.replace("  legal_bases:\n", "    - id: advertising\n      label: Showing you advertising\n"
                        "      taxonomy: marketing.advertising\n      legal_bases: [consent]\n  legal_bases:\n", 1)
    p.write_text(text, "utf-8")


def test_text_output_groups_by_section_significant_first(git_project: GitRepo,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    _widen(git_project)
    code, out, _ = _run(capsys, "-C", str(git_project.path), "diff")
    assert code == 0
    assert "HEAD (" in out and "→ WORKTREE" in out and "level: SIGNIFICANT" in out
    lines = out.splitlines()
    sig = next(i for i, line in enumerate(lines) if "facts.purposes.advertising" in line)
    edit = next(i for i, line in enumerate(lines) if line.strip().startswith("editorial") and "collection" in line)
    assert sig < edit
    assert "[purpose.added]" in out and "needs fresh consent" in out


def test_fail_on_exits_3_at_or_above_the_threshold(git_project: GitRepo,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    root = str(git_project.path)
    assert _run(capsys, "-C", root, "diff", "--fail-on", "significant")[0] == 0  # nothing changed
    _widen(git_project)
    assert _run(capsys, "-C", root, "diff", "--fail-on", "significant")[0] == 3
    assert _run(capsys, "-C", root, "diff", "--fail-on", "minor")[0] == 3
    git_project.commit("advertising")
    p = git_project.path / "policy" / "sections" / "updates.yaml"
    p.write_text(p.read_text("utf-8").replace("policy", "policy ", 1), "utf-8")
    assert _run(capsys, "-C", root, "diff", "--fail-on", "minor")[0] == 0


def test_json_output_follows_the_schema(git_project: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    _widen(git_project)
    code, out, _ = _run(capsys, "-C", str(git_project.path), "diff", "HEAD", "WORKTREE", "--format", "json")
    data = json.loads(out)
    jsonschema.validate(data, SCHEMA)
    assert (code, data["level"], data["to"]["commit"]) == (0, "significant", None)
    added = next(c for c in data["changes"] if c["path"] == "facts.purposes.advertising")
    assert added["kind"] == "added" and added["rule"] == "purpose.added" and added["consent"] is True
    assert added["after"]["taxonomy"] == "marketing.advertising"


def test_markdown_is_a_pull_request_comment(git_project: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    _widen(git_project)
    _, out, _ = _run(capsys, "-C", str(git_project.path), "diff", "--format", "markdown")
    assert out.startswith("### Privacy policy diff")
    assert "| 🔴 significant | 1 |" in out
    assert "`facts.purposes.advertising`" in out and "`purpose.added`" in out


def test_html_is_a_redline_in_the_chosen_locale(git_project: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    p = git_project.path / "policy" / "sections" / "updates.yaml"
    p.write_text(p.read_text("utf-8").replace("policy", "notice", 1), "utf-8")
    _, out, _ = _run(capsys, "-C", str(git_project.path), "diff", "--format", "html")
    assert out.startswith("<!doctype html>") and "<del>" in out and "<ins>" in out
    _, ja, _ = _run(capsys, "-C", str(git_project.path), "diff", "--format", "html", "--locale", "ja")
    assert '<html lang="ja">' in ja


def test_a_translation_change_shows_with_locale(git_project: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    files = sorted((git_project.path / "locales" / "ja").glob("*.yaml"))
    if not files:
        pytest.skip("no Japanese translation in this checkout")
    target = next(f for f in files if "30" in f.read_text("utf-8") or "日" in f.read_text("utf-8"))
    text = target.read_text("utf-8")
    target.write_text(text.replace("。", "。 ", 1), "utf-8")
    _, out, _ = _run(capsys, "-C", str(git_project.path), "diff", "--locale", "ja", "--format", "json")
    data = json.loads(out)
    assert data["locale"] == "ja"
    assert all(c["locale"] == "ja" for c in data["changes"])


def test_errors_are_one_line_with_exit_1(git_project: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "-C", str(git_project.path), "diff", "nope")
    assert code == 1 and "no revision 'nope'" in err and "Traceback" not in err
    code, _, err = _run(capsys, "-C", str(git_project.path), "diff", "--locale", "fr")
    assert code == 2 and "not a locale of this policy" in err


def test_pull_request_workflow_commands(git_project: GitRepo) -> None:
    """The steps of the example workflow (docs/diff.md), run as the workflow runs them."""
    base = git_project.git("rev-parse", "HEAD")
    git_project.git("checkout", "-q", "-b", "pr")
    _widen(git_project)
    git_project.commit("Add advertising")
    cmd = [sys.executable, str(REPO / "policyctl.py"), "-C", str(git_project.path)]
    v = subprocess.run([*cmd, "validate", "--format", "github"], capture_output=True, text=True)
    assert "Traceback" not in v.stderr
    assert all(line.startswith("::") for line in v.stdout.splitlines())
    d = subprocess.run([*cmd, "diff", base, "HEAD", "--format", "markdown", "--fail-on", "significant"],
                       capture_output=True, text=True)
    assert d.returncode == 3, d.stderr
    assert d.stdout.startswith("### Privacy policy diff") and "significant" in d.stdout


def test_log_lists_commits_with_levels_and_caches_them(git_project: GitRepo, capsys: pytest.CaptureFixture[str],
                                                       tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICYCTL_CACHE_DIR", str(tmp_path / "cache"))
    _widen(git_project)
    git_project.commit("Add advertising")
    p = git_project.path / "policy" / "sections" / "updates.yaml"
    p.write_text(p.read_text("utf-8").replace("policy", "Policy", 1), "utf-8")
    git_project.commit("Capitalise")
    (git_project.path / "README").write_text("not the policy\n", "utf-8")
    git_project.commit("Unrelated")
    root = str(git_project.path)
    code, out, _ = _run(capsys, "-C", root, "log", "--format", "json")
    entries = json.loads(out)
    assert code == 0
    assert [(e["subject"], e["level"]) for e in entries] == [
        ("Capitalise", "editorial"), ("Add advertising", "significant"), ("Import the 2018 policy", "none")]
    assert entries[1]["consent"] is True
    cache = [p for p in (tmp_path / "cache" / "log").rglob("*") if p.is_file()]
    assert len(cache) == 3  # one entry per commit that touched the policy, in the cache store
    assert _run(capsys, "-C", root, "log", "--format", "json")[1] == out  # read back from the cache
    assert [e["subject"] for e in json.loads(_run(capsys, "-C", root, "log", "--limit", "1", "--format",
                                                       "json")[1])] == ["Capitalise"]
    since = json.loads(_run(capsys, "-C", root, "log", "--since", "HEAD~2", "--format", "json")[1])
    assert [e["subject"] for e in since] == ["Capitalise"]
    _, text, _ = _run(capsys, "-C", root, "log")
    assert "significant" in text and "Add advertising" in text


def test_the_pr_summary_says_when_last_updated_must_move_before_release(git_project: GitRepo,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    root = str(git_project.path)
    assert _run(capsys, "-C", root, "release", "--published", "2018-05-01")[0] == 0
    _widen(git_project)
    policy = git_project.path / "policy" / "policy.yaml"
    dated = next(line for line in policy.read_text("utf-8").splitlines() if line.startswith("last_updated:"))
    still = f"`last_updated` is still {dated.split()[1]}, as in release 1.0.0, but the changes are significant"
    _, out, _ = _run(capsys, "-C", root, "diff", "--format", "markdown")  # the latest release → WORKTREE
    assert f"> **Before release:** {still}" in out
    _, out, _ = _run(capsys, "-C", root, "diff")
    assert f"before release: {still}" in out
    _, out, _ = _run(capsys, "-C", root, "diff", "--format", "json")
    data = json.loads(out)
    jsonschema.validate(data, SCHEMA)
    assert data["notes"] == [f"{still}: readers must see the date the policy changed; move it on before releasing"]

    policy.write_text(policy.read_text("utf-8").replace(dated, "last_updated: 2099-01-01"), "utf-8")
    _, out, _ = _run(capsys, "-C", root, "diff", "--format", "json")
    data = json.loads(out)
    assert "notes" not in data and data["level"] == "significant"
    _, out, _ = _run(capsys, "-C", root, "diff", "HEAD", "WORKTREE")  # not from a release: nothing to say
    assert "before release" not in out
