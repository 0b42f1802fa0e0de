"""Hostile YAML (issue 20, group 5): nesting and alias expansion are refused with a located error,
before anything recursive meets them and before a build would render them; nothing crashes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from policykit import yamlio, yamllimits
from policykit.cli import main
from policykit.errors import InvalidPolicy
from policykit.load.project import load_project

NESTED = {
    "flow-330": "a: " + "[" * 330 + "]" * 330 + "\n",
    "flow-50000": "a: " + "[" * 50_000 + "]" * 50_000 + "\n",
    "mappings-400": "".join(" " * i + "a:\n" for i in range(400)),
    "sequences-400": "".join(" " * i + "-\n" for i in range(400)),
    "compact-400": "- " * 400 + "x\n",
}


@pytest.mark.parametrize("name", sorted(NESTED))
def test_deep_nesting_is_a_located_error_for_the_model_and_for_fmt(name: str) -> None:
    text = NESTED[name]
    for parse in (lambda: yamlio.parse(text.encode(), "deep.yaml"), lambda: yamlio.load_roundtrip(text, "deep.yaml")):
        with pytest.raises(InvalidPolicy) as caught:
            parse()
        [d] = caught.value.diagnostics
        assert d.code == "yaml.too-deep" and d.pos.file == "deep.yaml" and d.pos.line >= 1
        assert f"nested more than {yamllimits.MAX_DEPTH} levels deep" in d.message


def test_nesting_up_to_the_limit_still_parses() -> None:
    lists = yamllimits.MAX_DEPTH - 1  # under the top mapping: MAX_DEPTH levels in all
    value = yamlio.parse(("a: " + "[" * lists + "]" * lists).encode(), "ok.yaml")["a"]
    for _ in range(lists - 1):
        [value] = value
    assert value == []


def test_50000_levels_do_not_crash_the_process(project: Path) -> None:
    """Once a segfault: the whole CLI, in its own process, must exit 1 with the located error."""
    (project / "policy/sections/contact.yaml").write_text(NESTED["flow-50000"], "utf-8")
    done = subprocess.run([sys.executable, "-m", "policykit", "-C", str(project), "validate"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "policy/sections/contact.yaml:1:53: error: YAML nested more than" in done.stdout
    assert "Traceback" not in done.stderr


def test_an_alias_amplifying_text_is_refused_before_the_build(project: Path, tmp_path: Path) -> None:
    """A 200 KB string referred to by 5,000 aliases: few nodes, but a gigabyte of text once expanded."""
    big = "x" * 200_000
    path = project / "policy/sections/contact.yaml"
    path.write_text(path.read_text("utf-8") + f"\nbomb: &b \"{big}\"\nmore: [{', '.join(['*b'] * 5000)}]\n", "utf-8")
    found = [d for d in load_project(project).diagnostics if d.code == "yaml.alias-bomb"]
    assert [str(d.pos) for d in found] == ["policy/sections/contact.yaml:1:1"]
    assert "1,000,200,000 characters" in found[0].message or "characters of text" in found[0].message
    assert main(["-C", str(project), "build", "--format", "json", "--out", str(tmp_path / "site")]) == 1
    assert not (tmp_path / "site").exists()


def test_a_node_count_alias_bomb_is_still_refused() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 7)]
    with pytest.raises(InvalidPolicy, match="aliases expand"):
        yamlio.parse("\n".join(lines).encode(), "billion.yaml")


def test_the_depth_bound_leaves_real_policy_files_to_the_fast_path() -> None:
    from tests.conftest import REPO

    files = [*REPO.glob("policy/**/*.yaml"), *REPO.glob("locales/*/*.yaml"), *REPO.glob("changelog/*.yaml")]
    assert files and all(yamllimits.depth_bound(p.read_text("utf-8")) <= yamllimits.MAX_DEPTH for p in files)
