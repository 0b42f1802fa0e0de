"""The `log` cache is keyed by the classifier's code, not only by the rules file and the tool version."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from policykit.classify import CLASSIFIER_MODULES, code_fingerprint

from ..conftest import GitRepo
from .diffkit import base, block, write

SRC = Path(__file__).resolve().parents[2] / "src"


def test_the_fingerprint_covers_every_classifier_module_and_changes_with_any_of_them() -> None:
    modules = SRC / "policykit"
    sources = [(modules / name).read_bytes() for name in CLASSIFIER_MODULES]
    assert code_fingerprint(sources) == code_fingerprint()
    for i in range(len(sources)):
        edited = [*sources[:i], sources[i] + b"\n# a new heuristic\n", *sources[i + 1:]]
        assert code_fingerprint(edited) != code_fingerprint(), CLASSIFIER_MODULES[i]


def _log(src: Path, repo: Path) -> str:
    env = {**os.environ, "PYTHONPATH": str(src)}
    out = subprocess.run([sys.executable, "-m", "policykit", "-C", str(repo), "log"], env=env,
                         capture_output=True, text=True, check=True)
    return out.stdout


def test_a_changed_classifier_does_not_read_the_old_classifiers_cached_answers(tmp_path: Path) -> None:
    (tmp_path / "repo").mkdir()
    repo = GitRepo(tmp_path / "repo")
    project = base()
    write(repo.path, project)
    repo.commit("start")
    block(project, "collection", "intro")["text"] = "We will not share your data with anyone. We keep logs for 90 days."
    write(repo.path, project)
    repo.commit("longer logs")

    # A copy of the package, so that its classifier can change without touching the one under test.
    src = tmp_path / "src"
    shutil.copytree(SRC / "policykit", src / "policykit", ignore=shutil.ignore_patterns("__pycache__"))
    first = _log(src, repo.path)
    caches = repo.path / ".git" / "policyctl"
    names = {p.name for p in caches.glob("log-*.json")}
    assert len(names) == 1 and code_fingerprint() in next(iter(names)), names
    assert "significant" in first

    # The same rules file and version, another classifier: a longer period is now read as editorial.
    rules = src / "policykit" / "data" / "rules.yaml"
    prose = src / "policykit" / "prose.py"
    prose.write_text(prose.read_text("utf-8").replace(
        'out.append(Finding("duration", direction,', 'out.append(Finding("format",'), "utf-8")
    assert rules.read_bytes() == (SRC / "policykit" / "data" / "rules.yaml").read_bytes()
    second = _log(src, repo.path)
    assert len({p.name for p in caches.glob("log-*.json")}) == 2
    assert second != first  # recomputed with the new code, not read back from the old cache
