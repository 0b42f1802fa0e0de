"""No hidden facts: where each fact is published, and the errors when one would be shown nowhere.

Also the words of the fact tables: translated in every published locale (the package ships
ja, de and zh-Hans; a project may override any word), stale when the English changes, and
durations CLDR can write.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policykit.cli import main
from policykit.factview import where_shown
from policykit.load import FileSource, read_project
from policykit.load.project import load_policy, load_project
from policykit.localise import localise
from policykit.model import source_hash

from .test_validate import line_of, replace

DISCLOSURE = "policy/sections/disclosure.yaml"
RECIPIENTS_BLOCK = "  - id: recipients\n    list: recipients\n"


def errors(root: Path) -> list[str]:
    return [str(d) for d in load_project(root).diagnostics if d.severity == "error"]


def test_every_fact_of_the_real_policy_is_published_once(project: Path) -> None:
    policy = load_policy(project)
    shown = where_shown(policy)
    assert sorted(shown) == sorted(f.path for f in policy.facts())
    assert shown["facts.recipients.cloud-hosting"] == "disclosure.recipients"
    assert shown["facts.transfers.consent"] == "transfers.transfer-table"
    assert shown["facts.contacts.ppc-japan"] == "access.authorities"


def test_removing_the_only_placement_of_a_kind_is_an_error_at_its_facts(project: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    replace(project, DISCLOSURE, RECIPIENTS_BLOCK, "")
    line = line_of(project, DISCLOSURE, "- id: certified-partners")
    assert errors(project) == [
        f"{DISCLOSURE}:{line}:7: error: recipients of section 'disclosure' (certified-partners, affiliates, "
        "authorities, reorganisation-parties, cloud-hosting) are published nowhere: no block shows them; add a "
        "block `- id: recipients` with `list: recipients` where readers should see them"]
    assert main(["-C", str(project), "validate"]) == 1
    capsys.readouterr()
    # check no longer cites what the page does not state.
    assert main(["-C", str(project), "check", "--format", "json", "--jurisdiction", "gdpr"]) == 1
    data = json.loads(capsys.readouterr().out)
    found = {r["id"]: r for r in data["jurisdictions"][0]["requirements"]}
    assert found["gdpr.13.1.e"]["status"] == "missing"
    assert "exist but no block publishes them" in " ".join(found["gdpr.13.1.e"]["gaps"])
    cited = [e["ref"] for r in found.values() for e in r["evidence"]]
    assert not [ref for ref in cited if ref.startswith("facts.recipients.")]


def test_items_choose_facts_and_each_fact_must_be_shown_exactly_once(project: Path) -> None:
    line, _ = replace(project, DISCLOSURE, RECIPIENTS_BLOCK,
                      "  - id: recipients\n    list: recipients\n    items: [affiliates, authorites, affiliates]\n")
    hidden = [f"{DISCLOSURE}:{line_of(project, DISCLOSURE, '- id: ' + fid)}:7: error: facts.recipients.{fid} is "
              "published nowhere: no `list: recipients` block of section 'disclosure' names it in its `items`; "
              "add it where readers should see it"
              for fid in ("certified-partners", "authorities", "reorganisation-parties", "cloud-hosting")]
    assert errors(project) == sorted([
        f"{DISCLOSURE}:{line + 2}:25: error: block disclosure.recipients shows recipients item 'authorites', "
        "but section 'disclosure' has no such item (did you mean 'authorities'?)",
        f"{DISCLOSURE}:{line + 2}:37: error: recipients item 'affiliates' is shown twice: by "
        "disclosure.recipients and by disclosure.recipients; show each fact once",
        *hidden,
    ])


def test_items_on_a_text_block_is_an_error(project: Path) -> None:
    line, _ = replace(project, "policy/sections/minors.yaml", "  - id: parental-consent\n",
                      "  - id: parental-consent\n    items: [adults]\n")
    assert any(e.startswith(f"policy/sections/minors.yaml:{line + 1}:") and "this block has no `list`" in e
               for e in errors(project))


def test_a_policy_that_places_nothing_shows_each_sections_facts_at_its_end(tmp_path: Path,
                                                                           capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "new"
    assert main(["init", str(root)]) == 0
    policy = load_policy(root)
    assert where_shown(policy) == {"facts.contacts.privacy-contact": "contact._contacts"}
    contact = next(s for s in localise(policy, "en").sections if s.id == "contact")
    table = contact.blocks[-1]
    assert (table.anchor, table.list, [i.id for i in table.items]) == ("contact._contacts", "contacts",
                                                                        ["privacy-contact"])
    assert [c.attr for c in table.columns] == ["role", "email"]
    capsys.readouterr()
    assert main(["-C", str(root), "check", "--format", "json"]) in (0, 1)
    refs = [e for j in json.loads(capsys.readouterr().out)["jurisdictions"] for r in j["requirements"]
            for e in r["evidence"] if e["ref"] == "facts.contacts.privacy-contact"]
    assert refs and all(e["shown_in"] == "contact._contacts" for e in refs)


def _publish_french(project: Path) -> None:
    assert main(["-C", str(project), "i18n", "new", "fr"]) == 0
    replace(project, "policy/policy.yaml", "locales: [en, ja, de]", "locales: [en, ja, de, fr]")
    replace(project, "policy/policy.yaml", "fallback_locales: [zh-Hans, fr]", "fallback_locales: [zh-Hans]")


def test_table_words_untranslated_in_a_published_locale_are_an_error(project: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    _publish_french(project)
    # The words of the tables are units of the locale like any other: published means translated.
    [found] = [d for d in load_project(project).diagnostics if d.code == "locale.untranslated"]
    assert str(found.pos) == f"policy/policy.yaml:{line_of(project, 'policy/policy.yaml', 'locales: [')}:23"
    assert found.message.startswith("locale 'fr' is published, but ")
    from policykit.i18n.catalog import units

    fr = units(read_project(FileSource(project)).policy, "fr")  # type: ignore[arg-type]
    assert any(u.key.startswith("vocabulary:") and u.state == "missing" for u in fr)
    assert "`policyctl i18n export --locale fr --only missing`" in found.hint
    capsys.readouterr()
    assert main(["-C", str(project), "validate"]) == 1


def test_table_words_go_through_the_po_workflow_and_show_on_the_page(project: Path, tmp_path: Path) -> None:
    import polib

    assert main(["-C", str(project), "i18n", "new", "fr"]) == 0  # a fallback locale: it may be partial
    po_path = tmp_path / "fr.po"
    assert main(["-C", str(project), "i18n", "export", "--locale", "fr", "--format", "po",
                 "--output", str(po_path)]) == 0
    po = polib.pofile(str(po_path))
    terms = [e for e in po if e.msgctxt and e.msgctxt.startswith("vocabulary:")]
    assert {e.msgctxt for e in terms} >= {"vocabulary:transfers.mechanism.adequacy", "vocabulary:retention.period"}
    for entry in terms:  # a translator's work, marked so the test can find it
        entry.msgstr = "FR " + entry.msgid
    po.save(str(po_path))
    assert main(["-C", str(project), "i18n", "import", str(po_path)]) == 0
    assert not [e for e in errors(project) if "vocabulary" in e]
    written = (project / "locales/fr/vocabulary.yaml").read_text("utf-8")
    assert "transfers.mechanism.adequacy:" in written and "FR Adequacy decision" in written
    transfers = next(s for s in localise(load_policy(project), "fr").sections if s.id == "transfers")
    adequacy = next(i for i in transfers.facts["transfers"] if i.id == "adequacy")
    mechanism = adequacy.cell("mechanism")
    assert mechanism is not None and mechanism.values[0].text.value == "FR Adequacy decision"
    assert mechanism.values[0].text.lang == "fr"
    # The source changed: a translation made from other English is stale, and says so.
    text = written.replace(source_hash("Adequacy decision"), source_hash("An older phrase"))
    (project / "locales/fr/vocabulary.yaml").write_text(text, "utf-8")
    stale = [str(d) for d in load_project(project).diagnostics if d.code == "locale.stale"
             and "vocabulary:transfers.mechanism.adequacy" in d.message]
    assert len(stale) == 1 and stale[0].startswith("locales/fr/vocabulary.yaml:")


def test_an_unknown_table_word_is_an_error_with_a_suggestion(project: Path) -> None:
    (project / "locales/ja/vocabulary.yaml").write_text(
        "locale: ja\nterms:\n  transfers.mechanism.adequcy: {text: 十分性, source_hash: \"0123456789ab\"}\n", "utf-8")
    assert errors(project) == [
        "locales/ja/vocabulary.yaml:3:3: error: [ja] 'transfers.mechanism.adequcy' is no word of the fact "
        "tables (did you mean 'transfers.mechanism.adequacy'?)"]


def test_a_project_word_overrides_the_packages(project: Path) -> None:
    (project / "locales/de/vocabulary.yaml").write_text(
        "locale: de\nterms:\n  transfers.mechanism.adequacy:\n    text: Angemessenheitsbeschluss der EU-Kommission\n"
        f"    source_hash: \"{source_hash('Adequacy decision')}\"\n", "utf-8")
    assert not errors(project)
    transfers = next(s for s in localise(load_policy(project), "de").sections if s.id == "transfers")
    cell = next(i for i in transfers.facts["transfers"] if i.id == "adequacy").cell("mechanism")
    assert cell is not None and cell.values[0].text.value == "Angemessenheitsbeschluss der EU-Kommission"


def test_a_duration_cldr_cannot_write_is_an_error(project: Path) -> None:
    line, col = replace(project, "policy/sections/security.yaml", "period: P3Y", "period: P0D")
    assert f"policy/sections/security.yaml:{line}:{col + len('period: ')}: error: facts.retention.support-messages: " \
           "period 'P0D' cannot be shown in en: 'P0D' is a duration of zero" in errors(project)


def test_the_shipped_table_words_are_complete_and_current() -> None:
    from policykit.factview import all_vocabulary
    from policykit.load.translations import package_vocabulary

    phrases = all_vocabulary()
    for tag in ("ja", "de", "zh-Hans"):
        shipped = package_vocabulary(tag)
        assert sorted(shipped) == sorted(phrases), tag
        stale = [k for k, t in shipped.items() if t.source_hash != source_hash(phrases[k])]
        assert not stale, (tag, stale)
