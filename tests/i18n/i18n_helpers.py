"""Shared bits of the i18n tests: loading a project, running the CLI, editing a source block."""

from __future__ import annotations

from pathlib import Path

from policykit.cli import main
from policykit.load import FileSource, read_project
from policykit.model import Policy

PURPOSES_INTRO = "We may use your personal information for the following purposes:"


def load(root: Path) -> Policy:
    loaded = read_project(FileSource(root))
    assert loaded.policy is not None, loaded.diagnostics
    return loaded.policy


def cli(root: Path, *args: str) -> int:
    return main(["-C", str(root), "i18n", *args])


def edit_source(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} not once in {rel}"
    path.write_text(text.replace(old, new), "utf-8")


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under locales/ and policy/, by relative path."""
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for d in ("locales", "policy") for p in sorted((root / d).rglob("*")) if p.is_file()}


def changed(before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
