from __future__ import annotations

from pathlib import Path

import pytest
from i18n_helpers import cli, load

from policykit.factview import vocabulary_units
from policykit.i18n.catalog import VOCABULARY_PREFIX
from policykit.i18n.notice import controlling_notice, languages_without_notice
from policykit.i18n.status import status
from policykit.load.project import load_project


def test_new_scaffolds_the_locale_and_registers_it_unpublished(project: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    before = (project / "policy/policy.yaml").read_text("utf-8")
    assert cli(project, "new", "fr") == 0
    out = capsys.readouterr().out
    assert "created locales/fr/policy.yaml" in out and "created locales/fr/glossary.yaml" in out
    after = (project / "policy/policy.yaml").read_text("utf-8")
    assert after == before.replace("fallback_locales: [zh-Hans]", "fallback_locales: [zh-Hans, fr]")
    policy = load(project)
    assert "fr" in policy.fallback_locales and "fr" not in policy.locales
    assert sorted(p.name for p in (project / "locales/fr").iterdir()) == sorted(
        ["policy.yaml", "glossary.yaml", *(f"{s.id}.yaml" for s in policy.sections)])
    assert not [d for d in load_project(project).diagnostics if d.severity == "error"]
    [fr] = status(policy, ["fr"])
    assert fr.share == 0 and not fr.published
    # the project's own 102 strings, and every word of the fact tables the policy shows
    own = [k for k in fr.missing if not k.startswith(VOCABULARY_PREFIX)]
    assert len(own) == 102 and len(fr.missing) - len(own) == len(vocabulary_units(policy))


def test_new_adds_fallback_locales_when_there_is_none(project: Path) -> None:
    path = project / "policy/policy.yaml"
    path.write_text(path.read_text("utf-8").replace("fallback_locales: [zh-Hans]\n", ""), "utf-8")
    (project / "locales/zh-Hans").rename(project / "zh-Hans-aside")
    assert cli(project, "new", "pt-BR") == 0
    text = path.read_text("utf-8")
    assert "locales: [en, ja, de]\nfallback_locales:\n  - pt-BR\n" in text
    assert load(project).fallback_locales == ("pt-BR",)


@pytest.mark.parametrize(("tag", "message"), [("en", "source locale"), ("ja", "already published"),
                                              ("xx-!!", "not a BCP 47 locale tag")])
def test_new_refuses(project: Path, tag: str, message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(project, "new", tag) == 2
    assert message in capsys.readouterr().err


def test_the_controlling_notice_is_in_the_page_language_and_names_english(project: Path) -> None:
    policy = load(project)
    assert controlling_notice(policy, "en") is None
    ja = controlling_notice(policy, "ja", href="../en/")
    assert ja is not None and ja.lang == "ja" and "英語版が優先します" in ja.text and ja.href == "../en/"
    de = controlling_notice(policy, "de")
    assert de is not None and "die Fassung auf Englisch maßgeblich" in de.text
    assert languages_without_notice(policy) == []
