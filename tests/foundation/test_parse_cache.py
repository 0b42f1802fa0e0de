"""The memoised YAML parse (in memory and on disk) and Markdown conversions: same answers, nothing shared."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from policykit import markdown, parsecache, yamlio
from policykit.errors import InvalidPolicy
from policykit.memo import LRU

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
    monkeypatch.setattr(parsecache._PARSED, "limit", limit)
    for i in range(20):
        assert yamlio.parse(DOC + f"# {i}\n".encode(), "many.yaml")["id"] == "intro"
    held = parsecache._PARSED.held
    assert held <= limit
    assert sum(len(data) + len(frozen) for (data, _), frozen in parsecache._PARSED.items()) == held
    assert len(parsecache._PARSED) < 20


def test_markdown_conversions_repeat_exactly() -> None:
    text = "# Heading\n\nSee [our notice](https://example.com/) and <b>this</b>."
    html = markdown.to_html(text, heading_offset=2)
    assert html == markdown.to_html(text, heading_offset=2)
    assert "<h3>Heading</h3>" in html and "&lt;b&gt;" in html
    assert "<h1>Heading</h1>" in markdown.to_html(text)  # the offset is part of the key
    assert markdown.to_text(text) == markdown.to_text(text) == (
        "Heading\nSee our notice <https://example.com/> and <b>this</b>.")


@pytest.fixture
def disk_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh user cache folder; the in-memory cache emptied, so reads reach the disk."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv(parsecache.NO_DISK_CACHE_ENV, raising=False)
    parsecache._disk_folder.cache_clear()
    monkeypatch.setattr(parsecache, "_PARSED", LRU(parsecache._PARSED.limit, parsecache._PARSED._size))
    yield tmp_path / "policyctl"
    parsecache._disk_folder.cache_clear()


def _forget_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parsecache, "_PARSED", LRU(parsecache._PARSED.limit, parsecache._PARSED._size))


def test_parse_results_are_kept_on_disk_and_read_back(disk_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = yamlio.parse(DOC, "policy/sections/intro.yaml")
    entries = [p for p in disk_cache.rglob("*") if p.is_file()]
    assert len(entries) == 1
    _forget_in_memory(monkeypatch)

    def refuse(data: bytes, name: str) -> None:
        raise AssertionError("parsed again instead of reading the disk cache")

    monkeypatch.setattr(yamlio, "_parse", refuse)
    again = yamlio.parse(DOC, "policy/sections/intro.yaml")
    assert again == first
    assert str(again["blocks"][0].where("text")) == "policy/sections/intro.yaml:6:7"
    with pytest.raises(AssertionError, match="parsed again"):  # another name is another entry
        yamlio.parse(DOC, "policy/sections/other.yaml")


def test_a_damaged_disk_entry_is_parsed_again(disk_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    yamlio.parse(DOC, "intro.yaml")
    (entry,) = [p for p in disk_cache.rglob("*") if p.is_file()]
    whole = entry.read_bytes()
    entry.write_bytes(whole[:20])  # a writer killed half-way
    _forget_in_memory(monkeypatch)
    assert yamlio.parse(DOC, "intro.yaml")["title"] == "Introduction"
    assert entry.read_bytes() == whole  # removed, and written again whole


def test_invalid_files_are_not_kept_on_disk(disk_cache: Path) -> None:
    with pytest.raises(InvalidPolicy):
        yamlio.parse(b"a: 1\na: 2\n", "dup.yaml")
    assert not [p for p in disk_cache.rglob("*") if p.is_file()]


def test_the_disk_cache_can_be_switched_off(disk_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(parsecache.NO_DISK_CACHE_ENV, "1")
    parsecache._disk_folder.cache_clear()
    yamlio.parse(DOC, "intro.yaml")
    assert not disk_cache.exists()


def test_the_disk_cache_folder_belongs_to_this_parser(disk_cache: Path) -> None:
    stale = disk_cache / "yaml-0000000000000000"
    (stale / "ab").mkdir(parents=True)
    recent = disk_cache / "yaml-1111111111111111"
    recent.mkdir()
    week_ago = time.time() - 8 * 24 * 3600
    os.utime(stale, (week_ago, week_ago))
    yamlio.parse(DOC, "intro.yaml")
    ours = parsecache._disk_folder(yamlio._PARSER_CODE)
    assert ours is not None
    assert sorted(p.name for p in disk_cache.iterdir()) == sorted([recent.name, ours.name])


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


def test_a_cache_folder_others_can_write_to_is_not_used(disk_cache: Path) -> None:
    yamlio.parse(DOC, "intro.yaml")
    folder = parsecache._disk_folder(yamlio._PARSER_CODE)
    assert folder is not None
    folder.chmod(0o777)  # planted pickles could run code: such a folder is ignored
    parsecache._disk_folder.cache_clear()
    assert parsecache._disk_folder(yamlio._PARSER_CODE) is None
    folder.chmod(0o700)
    parsecache._disk_folder.cache_clear()
    assert parsecache._disk_folder(yamlio._PARSER_CODE) == folder
