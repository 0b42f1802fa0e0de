"""The memoised YAML parse and Markdown conversions: same answers, nothing shared between callers."""

from __future__ import annotations

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


def test_parse_cache_is_bounded_by_source_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    limit = 12 * len(DOC)  # the source and its pickled parse: a few files' worth
    monkeypatch.setattr(yamlio, "PARSE_CACHE_BYTES", limit)
    for i in range(20):
        assert yamlio.parse(DOC + f"# {i}\n".encode(), "many.yaml")["id"] == "intro"
    held = yamlio._PARSED_BYTES
    assert held <= limit
    assert sum(len(data) + len(frozen) for (data, _), frozen in yamlio._PARSED.items()) == held


def test_markdown_conversions_repeat_exactly() -> None:
    text = "# Heading\n\nSee [our notice](https://example.com/) and <b>this</b>."
    html = markdown.to_html(text, heading_offset=2)
    assert html == markdown.to_html(text, heading_offset=2)
    assert "<h3>Heading</h3>" in html and "&lt;b&gt;" in html
    assert "<h1>Heading</h1>" in markdown.to_html(text)  # the offset is part of the key
    assert markdown.to_text(text) == markdown.to_text(text) == (
        "Heading\nSee our notice <https://example.com/> and <b>this</b>.")
