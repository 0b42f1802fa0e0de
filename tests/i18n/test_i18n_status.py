from __future__ import annotations

import json
from pathlib import Path

import pytest
from i18n_helpers import PURPOSES_INTRO, cli, edit_source, load

from policykit.i18n.history import git_history
from policykit.i18n.status import status, to_text


def test_real_locales_ja_and_de_are_complete_and_zh_hans_partial(project: Path) -> None:
    by_tag = {s.tag: s for s in status(load(project))}
    assert list(by_tag) == ["ja", "de", "zh-Hans"]
    for tag in ("ja", "de"):
        assert by_tag[tag].published
        assert not by_tag[tag].has("stale") and not by_tag[tag].has("missing")
        assert by_tag[tag].share == 1.0
    zh = by_tag["zh-Hans"]
    assert not zh.published and zh.has("missing") and not zh.has("stale")
    assert 0.3 < zh.share < 0.7
    assert "access:title" in zh.missing and "introduction:title" not in zh.missing


def test_a_source_edit_makes_exactly_that_entry_stale_in_every_locale(widened: Path) -> None:
    for s in status(load(widened)):
        assert [st.key for st in s.stale] == ["collection.purposes-intro"], s.tag


def test_a_label_edit_makes_exactly_that_label_stale(project: Path) -> None:
    edit_source(project, "policy/sections/collection.yaml", "label: Gender\n", "label: Gender or sex\n")
    for s in status(load(project)):
        assert [st.key for st in s.stale] == ["facts.data_categories.gender"], s.tag
        assert s.counts["label"]["stale"] == 1 and s.counts["block"]["stale"] == 0


def test_stale_shows_the_source_diff_since_the_translation_from_git_history(git_project) -> None:  # type: ignore[no-untyped-def]
    root = git_project.path
    edit_source(root, "policy/sections/collection.yaml", PURPOSES_INTRO,
                "We may use and share your personal information for the following purposes:")
    git_project.commit("Share, too")
    [ja] = status(load(root), ["ja"], git_history(root))
    [stale] = ja.stale
    assert stale.previous == PURPOSES_INTRO + "\n"
    assert stale.diff == "We may use{+ and share+} your personal information for the following purposes:"
    assert stale.where == "locales/ja/collection.yaml:18:7"
    assert "source diff: We may use{+ and share+} your" in to_text([ja])


def test_without_git_a_stale_entry_says_source_changed(widened: Path) -> None:
    [de] = status(load(widened), ["de"], git_history(widened))
    assert de.stale[0].diff is None
    assert "source changed (no git history available)" in to_text([de])


def test_fail_on_exits_1_only_for_the_states_asked(widened: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(widened, "status", "--locale", "ja", "--fail-on", "missing") == 0
    assert cli(widened, "status", "--locale", "ja", "--fail-on", "stale") == 1
    assert cli(widened, "status", "--locale", "zh-Hans", "--fail-on", "missing") == 1
    assert "ja: stale (--fail-on stale)" in capsys.readouterr().err
    assert cli(widened, "status", "--fail-on", "outdated") == 2


def test_json_lists_counts_words_and_stale_entries(widened: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(widened, "status", "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    ja = data[0]
    assert ja["locale"] == "ja" and ja["published"] is True
    blocks = ja["counts"]["blocks"]
    assert blocks["translated"] + blocks["diverging"] == 27 and (blocks["stale"], blocks["missing"]) == (1, 0)
    assert len(ja["diverging"]) == sum(c["diverging"] for c in ja["counts"].values())
    assert [s["key"] for s in ja["stale"]] == ["collection.purposes-intro"]
    assert ja["words"]["stale"] == 12 and 0.99 < ja["share_of_words"] < 1


def test_an_unknown_locale_is_a_usage_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(project, "status", "--locale", "fr") == 2
    assert "policyctl i18n new fr" in capsys.readouterr().err
