"""Policy × locale → LocalisedPolicy: the fallback chain and how fallbacks are marked."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from policykit import yamlio
from policykit.errors import RenderError
from policykit.load.project import load_policy
from policykit.localise import fallback_chain, localise
from policykit.model import Policy

from .conftest import add_locale


def test_source_locale_has_no_fallbacks(real_policy: Policy) -> None:
    en = localise(real_policy, "en")
    assert en.chain == ("en",)
    assert en.fallback_count == 0
    assert en.title.value == real_policy.title
    assert all(s.title.lang == "en" and not s.title.fallback for s in en.sections)


def test_every_published_locale_is_fully_translated(translated_project: Path) -> None:
    # A release's published locales (the release gate requires them complete); between a source
    # revision and its translation update, the working tree's ja and de fall back where they lag.
    released = load_policy(translated_project)
    for tag in released.locales:
        localised = localise(released, tag)
        assert localised.fallback_count == 0, tag
        assert {s.title.lang for s in localised.sections} == {tag}


def test_partial_locale_falls_back_block_by_block_and_says_in_which_language(real_policy: Policy) -> None:
    zh = localise(real_policy, "zh-Hans")
    assert zh.chain == ("zh-Hans", "en")
    translated = [s for s in zh.sections if s.fallback_lang is None]
    untranslated = [s for s in zh.sections if s.fallback_lang == "en"]
    assert translated and untranslated
    for section in untranslated:
        source = real_policy.section(section.id)
        assert source is not None
        assert section.title.value == source.title
        assert all(b.fallback_lang == "en" for b in section.blocks)


def test_pt_br_falls_back_to_pt_then_to_the_source(project: Path) -> None:
    add_locale(project, "pt", title="Política de Privacidade",
               sections={"introduction": {"title": "Introdução", "scope": "A Huawei respeita a privacidade."}})
    add_locale(project, "pt-BR", sections={"introduction": {"title": "Introdução (Brasil)"}})
    policy = load_policy(project)
    assert fallback_chain(policy, "pt-BR") == ("pt-BR", "pt", "en")

    br = localise(policy, "pt-BR")
    intro = br.sections[0]
    assert (intro.title.value, intro.title.lang, intro.title.fallback) == ("Introdução (Brasil)", "pt-BR", False)
    scope = intro.blocks[0]
    assert scope.text is not None
    assert (scope.text.value, scope.text.lang, scope.fallback_lang) == ("A Huawei respeita a privacidade.", "pt", "pt")
    assert br.title.value == "Política de Privacidade" and br.title.lang == "pt"
    other = intro.blocks[1]
    assert other.text is not None and other.text.lang == "en" and other.fallback_lang == "en"
    assert br.sections[1].fallback_lang == "en"


def test_stale_translation_is_shown_and_flagged(project: Path) -> None:
    path = project / "policy/sections/introduction.yaml"
    text = path.read_text("utf-8")
    edited = text.replace("  - id: scope\n    text: |\n      ", "  - id: scope\n    text: |\n      In short: ", 1)
    assert edited != text  # the source of the scope block really changed
    path.write_text(edited, "utf-8")
    policy = load_policy(project)
    scope = localise(policy, "ja").sections[0].blocks[0]
    assert scope.text is not None
    assert scope.text.lang == "ja" and scope.text.stale and scope.fallback_lang is None


def test_rtl_locale_has_rtl_direction(rtl_project: Path) -> None:
    ar = localise(load_policy(rtl_project), "ar")
    assert ar.direction == "rtl"
    assert ar.sections[0].title.value == "مقدمة"


def test_localised_policy_pickles_for_worker_processes(real_policy: Policy) -> None:
    ja = localise(real_policy, "ja")
    assert pickle.loads(pickle.dumps(ja)) == ja


def test_unknown_locale_tag_is_a_render_error(real_policy: Policy) -> None:
    with pytest.raises(RenderError, match="'xx-Nope'"):
        localise(real_policy, "xx-Nope")


def test_versions_that_share_a_section_file_share_its_localised_section(project: Path) -> None:
    # The loader keeps one model object per distinct file, so localise hands every version the
    # same localised section, and content_key (what the renderers' caches go by) pickles it once.
    from policykit.localise import content_key

    before = localise(load_policy(project), "ja")
    path = project / "locales/ja/introduction.yaml"
    path.write_text(path.read_text("utf-8").replace("title:", "title: ", 1), "utf-8")  # same data, new bytes
    ja = project / "locales/ja" / f"{before.sections[1].id}.yaml"
    data = yamlio.load_roundtrip(ja.read_text("utf-8"), ja.name)
    block = before.sections[1].blocks[0].id
    data["blocks"][block]["text"] = "改訂：" + data["blocks"][block]["text"]
    ja.write_text(yamlio.dump_roundtrip(data), "utf-8")
    after = localise(load_policy(project), "ja")

    assert after.sections[2] is before.sections[2]  # neither file changed
    assert after.sections[1] is not before.sections[1]
    assert after.sections[1].blocks[0].text is not None and after.sections[1].blocks[0].text.value.startswith("改訂：")
    assert content_key(after.sections[1]) != content_key(before.sections[1])
    # A file whose bytes changed but not its data: a new object, with the same content and key.
    assert after.sections[0] is not before.sections[0] and after.sections[0] == before.sections[0]
    assert content_key(after.sections[0]) == content_key(before.sections[0])
    assert content_key(after.sections[2]) is content_key(before.sections[2])  # pickled once
    assert localise(load_policy(project), "de").sections[2] is not after.sections[2]  # per locale
