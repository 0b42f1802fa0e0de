"""The CLI as a user meets it: exit codes, output formats, -C, init, start-up cost."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from policykit.cli import main

from ..conftest import REPO


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO / "policyctl.py"), *args], cwd=cwd, capture_output=True, text=True, check=False
    )


def test_validate_real_policy_exits_0_from_a_checkout() -> None:
    result = run("-C", str(REPO), "validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors, 0 warnings" in result.stderr


def test_validate_exit_1_with_errors_and_no_traceback(project: Path) -> None:
    (project / "policy/sections/minors.yaml").write_text("id: minors\ntitle: [\n", "utf-8")
    result = run("-C", str(project), "validate")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "\npolicy/sections/minors.yaml:3:1: error: malformed YAML" in "\n" + result.stdout


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run("-C", str(tmp_path / "nope"), "validate").returncode == 2
    assert run("validate", "--format", "xml").returncode == 2


def test_not_a_project_is_a_clear_error(tmp_path: Path) -> None:
    result = run("-C", str(tmp_path), "validate")
    assert result.returncode == 1
    assert "policy/policy.yaml not found; is this a policy project?" in result.stdout


def test_json_and_github_formats(project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = project / "policy/sections/contact.yaml"
    path.write_text(path.read_text("utf-8").replace("email: PrivacyJP@huawei.com", "email: bad"), "utf-8")
    assert main(["-C", str(project), "validate", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    # The completeness warnings of the 2018 text (tests/completeness) are not what this test is about.
    assert [(d["file"], d["severity"], d["code"]) for d in report
            if d["file"].startswith("policy/") and not d["code"].startswith("completeness.")] == [
        ("policy/sections/contact.yaml", "error", "facts.value")
    ]
    assert main(["-C", str(project), "validate", "--format", "github"]) == 1
    out = capsys.readouterr().out
    assert "::error file=policy/sections/contact.yaml,line=" in out



def test_json_github_and_short_carry_the_remedy(project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = project / "policy/sections/minors.yaml"
    path.write_text(path.read_text("utf-8").replace("title:", "titel:", 1), "utf-8")
    assert main(["-C", str(project), "validate", "--format", "json"]) == 1
    [found] = [d for d in json.loads(capsys.readouterr().out) if d["code"] == "schema.unknown-key"]
    assert (found["message"], found["hint"]) == ("unknown key 'titel' in section 'minors'",
                                                 "did you mean 'title'? section 'minors' needs it")
    assert main(["-C", str(project), "validate", "--format", "github"]) == 1
    assert "::unknown key 'titel' in section 'minors'%0Adid you mean 'title'?" in capsys.readouterr().out
    assert main(["-C", str(project), "validate", "--format", "short"]) == 1
    out = capsys.readouterr().out
    assert "error: unknown key 'titel' in section 'minors'; did you mean 'title'? section 'minors' needs it\n" in out
    assert " | " not in out  # no source excerpts


def test_dash_c_after_the_verb(project: Path) -> None:
    assert main(["validate", "-C", str(project)]) == 0


def test_init_makes_a_valid_project(tmp_path: Path) -> None:
    assert (
        main(
            [
                "-C",
                str(tmp_path),
                "init",
                "acme",
                "--title",
                'ACME "Privacy": Notice',
                "--controller",
                "ACME: Ltd.",
                "--locale",
                "de",
            ]
        )
        == 0
    )
    assert (tmp_path / "acme/locales").is_dir() and (tmp_path / "acme/changelog").is_dir()
    assert (tmp_path / "acme/.gitignore").read_text().startswith("/build/")
    result = run("-C", str(tmp_path / "acme"), "validate")
    assert result.returncode == 0, result.stdout
    assert main(["-C", str(tmp_path / "acme"), "fmt", "--check"]) == 0


def test_init_refuses_to_overwrite_and_bad_tags(tmp_path: Path) -> None:
    assert main(["-C", str(tmp_path), "init", "acme"]) == 0
    assert main(["-C", str(tmp_path), "init", "acme"]) == 2
    assert main(["-C", str(tmp_path), "init", "other", "--locale", "../x"]) == 2


def test_help_does_not_import_heavy_libraries() -> None:
    code = (
        "import sys; from policykit.cli import build_parser; build_parser().format_help(); "
        "print(sorted(m for m in ('weasyprint', 'git', 'deepdiff', 'fideslang', 'markdown_it', 'babel') "
        "if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
        env={"PYTHONPATH": str(REPO / "src")},
    )
    assert out.stdout.strip() == "[]"


def test_pre_commit_hooks_name_real_commands() -> None:
    from policykit import yamlio

    hooks = yamlio.parse((REPO / ".pre-commit-hooks.yaml").read_bytes(), ".pre-commit-hooks.yaml")
    assert {h["id"] for h in hooks} == {"policyctl-validate", "policyctl-fmt"}
    for hook in hooks:
        verb = hook["entry"].split()[1]
        assert main(["-C", str(REPO), verb, *(["--check"] if verb == "fmt" else [])]) == 0
