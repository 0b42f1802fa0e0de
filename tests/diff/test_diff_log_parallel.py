"""`log`'s parallel path (worker processes, taken from PARALLEL_FROM uncached commits) says what the serial
path says, commit by commit: a real repository whose history holds edits of every level."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from policykit.compare import history as history_module
from policykit.compare.history import LogEntry, history

from ..conftest import GitRepo
from .diffkit import Project, base, block, item, write


def _edits() -> list[tuple[str, Any]]:
    """Commit messages and the edits they make, as an editor would commit them one by one."""
    def share(p: Project) -> None:
        block(p, "collection", "intro")["text"] = ("We share your data with advertising partners. "
                                                   "We keep logs for 30 days.")

    def reword(p: Project) -> None:
        block(p, "collection", "definition")["text"] = ("Personal information means information about an "
                                                        "identified or identifiable person.")

    def longer_logs(p: Project) -> None:
        item(p, "collection", "retention", "logs")["period"] = "P90D"

    def younger(p: Project) -> None:
        block(p, "collection", "children")["text"] = "Children under 13 may not use the service."

    def relabel(p: Project) -> None:
        item(p, "sharing", "recipients", "hosting")["label"] = "Cloud hosting provider"

    def typo(p: Project) -> None:
        block(p, "sharing", "recipients")["text"] = "We use procesors to run the service."

    def typo_fixed(p: Project) -> None:
        block(p, "sharing", "recipients")["text"] = "We use processors to run the service."

    return [("Share with advertisers", share), ("Define personal information more widely", reword),
            ("Keep logs longer", longer_logs), ("Lower the minimum age", younger),
            ("Rename the hosting provider", relabel), ("Typo", typo), ("Fix the typo", typo_fixed)]


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = GitRepo(tmp_path_factory.mktemp("log-parallel"))
    project = base()
    write(repo.path, project)
    repo.commit("Start")
    for n, (message, edit) in enumerate(_edits()):
        edit(project)
        write(repo.path, project)
        repo.commit(message)
        if n == 2:  # a commit that does not touch the policy is not listed
            (repo.path / "README.md").write_text("Our policy.\n", "utf-8")
            repo.commit("Add a README")
    return repo.path


@pytest.fixture(scope="module")
def serial(edited: Path) -> list[LogEntry]:
    return history(edited, cache=False, workers=1)


def test_the_history_holds_commits_of_several_levels(serial: list[LogEntry]) -> None:
    # What the parallel path must reproduce is not a run of identical answers.
    assert len(serial) == len(_edits()) + 1
    assert serial[-1].summary == "first version of the policy"
    assert {"significant", "minor", "editorial", "none"} <= {e.level for e in serial}
    assert len({e.summary for e in serial}) == len(serial)


def test_worker_processes_give_the_serial_answer_for_every_commit(edited: Path, serial: list[LogEntry]) -> None:
    assert history(edited, cache=False, workers=2) == serial


def test_the_parallel_path_starts_at_the_threshold_and_not_below(edited: Path, serial: list[LogEntry],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[int] = []
    real = history_module._in_parallel

    def counted(root: Path, todo: list[tuple[str | None, str]], workers: int | None = None) -> dict[str, Any]:
        started.append(len(todo))
        found = real(root, todo, workers)
        assert set(found) == {sha for _, sha in todo}, "every uncached commit is summarised by a worker"
        return found

    monkeypatch.setattr(history_module, "_in_parallel", counted)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)  # a one-core machine never starts the pool
    assert history(edited, cache=False, parallel_from=len(serial) + 1) == serial
    assert started == []
    assert history(edited, cache=False, parallel_from=len(serial)) == serial
    assert started == [len(serial)]
