"""The JSON file's text is exactly what ``json.dumps(indent=2, ensure_ascii=False)`` writes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policykit.load.project import load_policy
from policykit.localise import localise
from policykit.markdown import to_html, to_text
from policykit.render.json import dumps, render_json

from .conftest import ARABIC

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text()
keys = st.text() | st.integers() | st.booleans() | st.none() | st.floats(allow_nan=False)
values: st.SearchStrategy[Any] = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
    | st.dictionaries(keys, inner, max_size=4), max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(), values, max_size=5))
def test_dumps_writes_the_standard_library_text(data: dict[str, Any]) -> None:
    assert dumps(data) == json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def test_dumps_refuses_what_json_refuses() -> None:
    with pytest.raises(TypeError):
        dumps({"a": {1, 2}})
    with pytest.raises(TypeError):
        dumps({"a": {(1, 2): "tuple key"}})


def test_localised_policy_json_matches_the_standard_library(rtl_project: Path) -> None:
    policy = load_policy(rtl_project)
    for tag in ("en", "ar"):
        data = render_json(localise(policy, tag))
        assert dumps(data) == json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    assert ARABIC["title"] in dumps(render_json(localise(policy, "ar")))


def test_demoted_headings_and_plain_text_come_from_the_same_text() -> None:
    text = "Intro\n\n## Your rights\n\n> # Quoted\n\nSetext\n---\n\n- item"
    assert to_html(text, heading_offset=2).count("<h") == 3 + text.count("<h")
    assert "<h4>Your rights</h4>" in to_html(text, heading_offset=2)
    assert "<h3>Quoted</h3>" in to_html(text, heading_offset=2)
    assert "<h4>Setext</h4>" in to_html(text, heading_offset=2)
    assert "<h2>Your rights</h2>" in to_html(text)
    no_heading = "Just a paragraph with a # sign\nand --- dashes."
    assert to_html(no_heading, heading_offset=2) == to_html(no_heading)
    assert to_text(text).startswith("Intro\nYour rights\nQuoted")


def test_the_json_file_reuses_sections_only_while_they_are_unchanged(rtl_project: Path) -> None:
    import dataclasses

    from policykit.render.json import render_json_text

    policy = load_policy(rtl_project)
    for tag in ("en", "ar", "en"):
        localised = localise(policy, tag)
        expected = json.dumps(render_json(localised), ensure_ascii=False, indent=2) + "\n"
        assert render_json_text(localised) == expected == render_json_text(localised), tag
    section = localised.sections[0]
    renamed = dataclasses.replace(section, title=dataclasses.replace(section.title, value="A new \"title\""))
    edited = dataclasses.replace(localised, sections=(renamed, *localised.sections[1:]))
    assert render_json_text(edited) == json.dumps(render_json(edited), ensure_ascii=False, indent=2) + "\n"
    assert 'A new \\"title\\"' in render_json_text(edited)
