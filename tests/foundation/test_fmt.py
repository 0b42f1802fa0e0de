"""fmt: canonical order and indentation, every comment kept, idempotent."""

from __future__ import annotations

import re
from pathlib import Path

from policykit.cli import main
from policykit.fmt import format_text, project_files

MESSY = """\
# A section written by hand.
facts:
    # the contacts come first here
    contacts:
      - role: data-protection-officer   # the DPO
        email: dpo@example.com
        label: Data protection officer
        id: dpo
blocks:
      - text: |
          Write to the DPO.
        id: dpo   # stable id
title: Contact   # shown as the heading
id: contact
"""


def comments(text: str) -> list[str]:
    return sorted(m.group(0).strip() for m in re.finditer(r"#[^\n]*", text))


def test_fmt_orders_keys_and_keeps_every_comment() -> None:
    out = format_text(MESSY, "policy/sections/contact.yaml", "section")
    assert comments(out) == comments(MESSY)
    keys = [line.split(":")[0].strip("- ") for line in out.splitlines() if re.match(r"^\s*(- )?\w+:", line)]
    assert keys == ["id", "title", "blocks", "id", "text", "facts", "contacts", "id", "label", "role", "email"]
    assert re.search(r"\n  - id: dpo +# stable id\n", out)
    assert "\ntitle: Contact   # shown as the heading\n" in out


def test_fmt_is_idempotent() -> None:
    once = format_text(MESSY, "x.yaml", "section")
    assert format_text(once, "x.yaml", "section") == once


def test_real_policy_is_already_formatted(project: Path) -> None:
    assert main(["-C", str(project), "fmt", "--check"]) == 0


def test_fmt_check_lists_files_and_changes_nothing(project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = project / "policy/sections/minors.yaml"
    messy = path.read_text("utf-8").replace("id: minors\ntitle:", "title:", 1)
    messy = messy.replace("blocks:", "id: minors\nblocks:", 1)
    path.write_text(messy, "utf-8")
    assert main(["-C", str(project), "fmt", "--check"]) == 1
    assert "would reformat policy/sections/minors.yaml" in capsys.readouterr().out
    assert path.read_text("utf-8") == messy
    assert main(["-C", str(project), "fmt"]) == 0
    assert path.read_text("utf-8").startswith(("id: minors\n", "#"))
    assert comments(path.read_text("utf-8")) == comments(messy)
    assert main(["-C", str(project), "fmt", "--check"]) == 0


def test_fmt_reports_a_broken_file_and_leaves_it(project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = project / "policy/sections/minors.yaml"
    path.write_text("id: minors\ntitle: [\n", "utf-8")
    assert main(["-C", str(project), "fmt"]) == 1
    assert "policy/sections/minors.yaml:3:1: error: malformed YAML" in capsys.readouterr().err
    assert path.read_text("utf-8") == "id: minors\ntitle: [\n"


def test_fmt_covers_policy_sections_and_locales(project: Path) -> None:
    files = project_files(project)
    assert "policy/policy.yaml" in files
    assert "policy/sections/collection.yaml" in files
    assert any(f.startswith("locales/ja/") for f in files)
