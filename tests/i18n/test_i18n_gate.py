from __future__ import annotations

from pathlib import Path

import polib
import pytest
from i18n_helpers import cli, edit_source, load

from policykit.errors import UsageError
from policykit.i18n.gate import gate


def test_the_real_policy_passes_the_gate_for_published_locales(project: Path) -> None:
    policy = load(project)
    assert gate(policy, "ja", None) == [] and gate(policy, "de", None) == []
    assert gate(policy, "en", None) == []


def test_gate_refuses_a_changed_stale_block_then_passes_after_import(widened: Path) -> None:
    policy = load(widened)
    [p] = gate(policy, "de", ["collection.purposes-intro"])
    assert (p.key, p.state, p.blocking) == ("collection.purposes-intro", "stale", True)
    assert str(p) == ("locales/de/collection.yaml:16:7: [de] collection.purposes-intro is stale; "
                      "blocks the release")
    assert gate(policy, "de", ["collection.definition", "facts.purposes.security"]) == []  # unchanged units

    assert cli(widened, "export", "--locale", "de", "--only", "stale", "-o", "de.po") == 0
    po = polib.pofile(str(widened / "de.po"))
    [entry] = po
    entry.msgstr = "Wir können Ihre personenbezogenen Daten für die folgenden Zwecke verwenden und weitergeben:\n"
    entry.flags.remove("fuzzy")
    po.save()
    assert cli(widened, "import", str(widened / "de.po")) == 0
    assert gate(load(widened), "de", ["collection.purposes-intro"]) == []
    assert [p.key for p in gate(load(widened), "ja", ["collection.purposes-intro"])] == ["collection.purposes-intro"]


def test_a_fallback_locale_does_not_block(project: Path) -> None:
    problems = gate(load(project), "zh-Hans", ["access", "facts.rights"])
    assert problems and not any(p.blocking for p in problems)
    assert {p.state for p in problems} == {"missing"}
    assert "access:title" in {p.key for p in problems}
    assert all(p.key.startswith(("access", "facts.")) for p in problems)
    assert "falls back to the source" in str(problems[0])


def test_a_changed_label_path_matches_only_that_label(project: Path) -> None:
    edit_source(project, "policy/sections/collection.yaml", "label: Gender\n", "label: Gender or sex\n")
    policy = load(project)
    assert [p.key for p in gate(policy, "ja", ["facts.data_categories"])] == ["facts.data_categories.gender"]
    assert gate(policy, "ja", ["facts.data_categories.name"]) == []


def test_an_unconfigured_locale_is_a_usage_error(project: Path) -> None:
    with pytest.raises(UsageError):
        gate(load(project), "fr", None)
