"""Every renderer's exact output for the golden fixture against its golden file (tests/golden/<family>/).

A difference fails with the unified diff; if the new output is what readers should get, regenerate
(``python -m tests.golden.regenerate``, or ``make golden``; see README.md) and review the golden diff.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from .. import goldenfiles
from ..conftest import GIT_ENV, REPO
from .cases import FAMILIES, HERE, make, pinned_environment, project
from .regenerate import COMMAND

FILES = [(family, name) for family, f in FAMILIES.items() for name in f.files]


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, dict[str, str]]]:
    """Each family's files, made once for the module (a family is one git repository or one load)."""
    with pytest.MonkeyPatch.context() as env:
        for key, value in {**pinned_environment(), **GIT_ENV}.items():
            if value is None:
                env.delenv(key, raising=False)
            else:
                env.setenv(key, value)
        env.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "cache"))
        yield {family: make(family, tmp_path_factory.mktemp(family)) for family in FAMILIES}


@pytest.mark.parametrize(("family", "name"), FILES, ids=[name for _, name in FILES])
def test_output_matches_its_golden_file(family: str, name: str, made: dict[str, dict[str, str]]) -> None:
    message = goldenfiles.mismatch(name, goldenfiles.read(HERE / name), made[family][name],
                                   regenerate=f"{COMMAND} {family}")
    if message:
        pytest.fail(message, pytrace=False)


def test_every_golden_file_belongs_to_a_family() -> None:
    on_disk = {p.relative_to(HERE).as_posix() for family in FAMILIES for p in (HERE / family).iterdir()}
    assert on_disk == {name for _, name in FILES}


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_the_fixture_is_a_valid_policy(version: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """No error and no warning: the goldens show a policy as an editor would publish it (every
    published locale complete and current), not policyctl's handling of a broken one."""
    from policykit.cli import main

    assert main(["-C", str(project(version, tmp_path)), "validate"]) == 0
    assert capsys.readouterr().err.endswith("0 errors, 0 warnings\n")


def test_an_edited_golden_file_fails_with_its_diff_and_the_command(made: dict[str, dict[str, str]]) -> None:
    now = made["render"]["render/de.html"]
    edited = now.replace("<h1>Datenschutzerklärung</h1>", "<h1>Datenschutz</h1>")
    assert edited != now
    message = goldenfiles.mismatch("render/de.html", edited, now, regenerate=f"{COMMAND} render")
    assert message is not None
    assert "--- render/de.html\n+++ policyctl now\n" in message
    assert "\n-  <h1>Datenschutz</h1>\n+  <h1>Datenschutzerklärung</h1>\n" in message
    assert message.endswith(f"regenerate and review the diff: {COMMAND} render "
                            "(or `make golden` for every golden file)")


@pytest.mark.slow
def test_a_changed_template_fails_the_golden_test(tmp_path: Path) -> None:
    """The suite run against a copy of the package whose page template says something else: the
    render goldens fail, showing the changed line and how to regenerate; the diff goldens pass."""
    package = tmp_path / "src" / "policykit"
    shutil.copytree(REPO / "src" / "policykit", package, ignore=shutil.ignore_patterns("__pycache__"))
    template = package / "render" / "templates" / "policy.html"
    text = template.read_text("utf-8")
    assert text.count('<main id="_main">') == 1
    template.write_text(text.replace('<main id="_main">', '<main id="_main" class="changed">'), "utf-8")

    env = {**os.environ, "PYTHONPATH": str(tmp_path / "src"), "CI": "1", "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("PYTEST_ADDOPTS", None)
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-k",
                          "test_output_matches_its_golden_file", str(HERE / "test_golden.py")],
                         cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    out = run.stdout
    assert run.returncode == 1, out
    pages = [name for name in FILES if name[1].startswith("render/") and name[1].endswith(".html")]
    assert f"{len(pages)} failed, {len(FILES) - len(pages)} passed" in out, out
    assert '+<main id="_main" class="changed">' in out and '-<main id="_main">' in out, out
    assert f"{COMMAND} render (or `make golden`" in out, out


def test_regenerate_refuses_in_ci_and_names_the_families(monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """A pipeline never blesses its own output; a mistyped family is named with the ones there are.
    Both refusals come before anything is made or written."""
    from .regenerate import regenerate

    before = {name: goldenfiles.read(HERE / name) for _, name in FILES}
    monkeypatch.setenv("CI", "true")
    assert regenerate([]) == 2
    assert capsys.readouterr().err == (f"{COMMAND}: refused in CI (CI is set): golden files are regenerated "
                                       "by a person, and the diff reviewed\n")
    monkeypatch.delenv("CI")
    assert regenerate(["renders"]) == 2
    assert capsys.readouterr().err == f"{COMMAND}: no family renders (families: render, diff)\n"
    assert {name: goldenfiles.read(HERE / name) for _, name in FILES} == before
