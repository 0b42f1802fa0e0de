"""The YAML parse and Markdown conversions: the same answers every time, nothing shared between callers.

(Parses are not cached: a disk and memory cache of them measured no gain a user would notice;
see docs/architecture.md.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from policykit import markdown, yamlio
from policykit.errors import InvalidPolicy

DOC = b"id: intro\ntitle: Introduction\nblocks:\n  - id: scope\n    text: |\n      We *process* data.\n"


def test_parse_returns_a_fresh_copy_each_time() -> None:
    first = yamlio.parse(DOC, "policy/sections/intro.yaml")
    first["title"] = "changed"
    first["blocks"][0]["id"] = "other"
    first["blocks"].append("extra")
    first.key_pos.clear()
    first["blocks"].item_pos.clear()

    second = yamlio.parse(DOC, "policy/sections/intro.yaml")
    assert second == {"id": "intro", "title": "Introduction",
                      "blocks": [{"id": "scope", "text": "We *process* data.\n"}]}
    assert str(second.key_pos["title"]) == "policy/sections/intro.yaml:2:1"
    assert str(second.where("blocks")) == "policy/sections/intro.yaml:4:3"
    assert [str(p) for p in second["blocks"].item_pos] == ["policy/sections/intro.yaml:4:5"]
    assert str(second["blocks"][0].where("text")) == "policy/sections/intro.yaml:6:7"


def test_parse_positions_name_the_file_asked_for() -> None:
    a = yamlio.parse(DOC, "HEAD~1:policy/sections/intro.yaml")
    b = yamlio.parse(DOC, "HEAD:policy/sections/intro.yaml")
    assert a.pos.file == "HEAD~1:policy/sections/intro.yaml"
    assert b.pos.file == "HEAD:policy/sections/intro.yaml"


def test_parse_errors_are_raised_every_time() -> None:
    for _ in range(2):
        with pytest.raises(InvalidPolicy) as caught:
            yamlio.parse(b"a: 1\na: 2\n", "dup.yaml")
        assert "duplicate key 'a'" in str(caught.value.diagnostics[0])


def test_markdown_conversions_repeat_exactly() -> None:
    text = "# Heading\n\nSee [our notice](https://example.com/) and <b>this</b>."
    html = markdown.to_html(text, heading_offset=2)
    assert html == markdown.to_html(text, heading_offset=2)
    assert "<h3>Heading</h3>" in html and "&lt;b&gt;" in html
    assert "<h1>Heading</h1>" in markdown.to_html(text)  # the offset is part of the key
    assert markdown.to_text(text) == markdown.to_text(text) == (
        "Heading\nSee our notice <https://example.com/> and <b>this</b>.")


def test_loading_reuses_each_unchanged_file_and_repeats_its_diagnostics(project: Path) -> None:
    from policykit.load import FileSource, read_project

    ja = project / "locales/ja/cookies.yaml"
    text = ja.read_text("utf-8")
    ja.write_text(text.replace('source_hash: "', 'source_hash: "X', 1), "utf-8")  # one bad hash
    first, second = read_project(FileSource(project)), read_project(FileSource(project))
    assert first.policy is not None and second.policy is not None
    bad = [str(d) for d in first.diagnostics if d.code == "locale.hash"]
    assert len(bad) == 1 and bad[0].startswith("locales/ja/cookies.yaml:")
    assert [str(d) for d in second.diagnostics] == [str(d) for d in first.diagnostics]
    assert second.policy.translations["ja"].sections["cookies"] is first.policy.translations["ja"].sections["cookies"]
    assert second.policy.sections[0] is first.policy.sections[0]

    ja.write_text(text, "utf-8")  # fixed: new bytes, read afresh
    third = read_project(FileSource(project))
    assert third.policy is not None and not [d for d in third.diagnostics if d.code == "locale.hash"]
    fixed = third.policy.translations["ja"].sections["cookies"]
    assert fixed is not first.policy.translations["ja"].sections["cookies"]
    assert fixed != first.policy.translations["ja"].sections["cookies"]


def test_every_real_file_parses_to_what_ruamel_itself_reads() -> None:
    """Our parser (C composer, positions, the once-per-document version resolver) reads the
    same values ruamel's own safe loader does: strings, numbers, booleans, dates, nulls."""
    from ruamel.yaml import YAML

    from ..conftest import REPO

    paths = sorted(p for folder in ("policy", "locales", "changelog") for p in (REPO / folder).rglob("*.yaml"))
    assert len(paths) > 20
    typed = b"n: 12\nf: 1.5\nyes_: true\nno_: null\nday: 2018-05-25\ncode: 0o17\nword: yes\nhash: '0123'\n"
    for data, name in [(p.read_bytes(), str(p)) for p in paths] + [(typed, "typed.yaml")]:
        assert yamlio._parse(data, name) == YAML(typ="safe", pure=True).load(data), name
