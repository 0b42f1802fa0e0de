"""The `log` cache is keyed by the installed package (every file of it), not only by the rules file
and the tool version: no hand-kept list of the modules a classification depends on."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from policykit.cachekey import hash_package, package_files

from ..conftest import GitRepo
from .diffkit import base, block, write

SRC = Path(__file__).resolve().parents[2] / "src"


def test_the_key_covers_every_file_of_the_package_a_new_module_included(tmp_path: Path) -> None:
    copy = tmp_path / "policykit"
    shutil.copytree(SRC / "policykit", copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert hash_package(copy) == hash_package()
    assert {p.relative_to(copy) for p in package_files(copy)} == {p.relative_to(SRC / "policykit")
                                                                    for p in package_files()}
    seen = {hash_package(copy)}
    for edit in ("compare/prose.py", "render/templates", "data/rules.yaml"):
        target = copy / edit
        if target.is_dir():
            target = sorted(p for p in target.rglob("*") if p.is_file())[0]
        target.write_bytes(target.read_bytes() + b"\n# an edit\n")
        seen.add(hash_package(copy))
    (copy / "a_new_heuristic.py").write_text("RULE = 1\n", "utf-8")  # no list to add it to
    seen.add(hash_package(copy))
    (copy / "__pycache__").mkdir(exist_ok=True)
    (copy / "__pycache__" / "prose.cpython-312.pyc").write_bytes(b"compiled")
    assert hash_package(copy) in seen, "bytecode is no part of the key"
    assert len(seen) == 5


def _log(src: Path, repo: Path, cache: Path) -> str:
    env = {**os.environ, "PYTHONPATH": str(src), "POLICYCTL_CACHE_DIR": str(cache)}
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
    cache = tmp_path / "cache"
    first = _log(src, repo.path, cache)
    entries = {p.name for p in (cache / "log").rglob("*") if p.is_file()}
    assert len(entries) == 2, entries  # one per commit
    assert "significant" in first
    assert _log(src, repo.path, cache) == first  # read back
    assert {p.name for p in (cache / "log").rglob("*") if p.is_file()} == entries

    # The same rules file and version, another classifier: a longer period is now read as editorial.
    rules = src / "policykit" / "data" / "rules.yaml"
    values = src / "policykit" / "compare" / "values.py"
    values.write_text(values.read_text("utf-8").replace(
        'return Finding("duration", direction,', 'return Finding("format",'), "utf-8")
    assert rules.read_bytes() == (SRC / "policykit" / "data" / "rules.yaml").read_bytes()
    second = _log(src, repo.path, cache)
    assert len({p.name for p in (cache / "log").rglob("*") if p.is_file()}) == 4  # new keys, old ones unread
    assert second != first  # recomputed with the new code, not read back from the old cache
