from __future__ import annotations

from pathlib import Path

from i18n_helpers import edit_source, load

from policykit.diagnostics import Diagnostic
from policykit.i18n.glossary import problem, terms_in
from policykit.load import FileSource, read_project
from policykit.load.project import load_project
from policykit.model import Term


def glossary_diagnostics(root: Path) -> list[Diagnostic]:
    return [d for d in load_project(root).diagnostics if d.code.startswith("glossary") or "glossary" in d.pos.file]


def test_the_real_translations_follow_their_glossaries(project: Path) -> None:
    policy = load(project)
    assert len(policy.translations["ja"].glossary) >= 15
    assert len(policy.translations["de"].glossary) >= 15
    assert glossary_diagnostics(project) == []


def test_the_glossary_file_is_not_read_as_a_section(project: Path) -> None:
    loaded = read_project(FileSource(project))
    assert not [d for d in loaded.diagnostics if d.code == "locale.unknown-section"]
    assert "glossary" not in loaded.policy.translations["ja"].sections  # type: ignore[union-attr]


def test_another_term_in_a_translation_is_a_warning_at_the_translation(project: Path) -> None:
    edit_source(project, "locales/de/contact.yaml", "an den Datenschutzbeauftragten (DSB)",
                "an den Datenschutzverantwortlichen (DSB)")
    [d] = glossary_diagnostics(project)
    assert d.severity == "warning"
    assert str(d.pos) == "locales/de/contact.yaml:8:7"
    assert d.message.startswith("[de] contact.dpo: uses 'Datenschutzverantwortliche' for 'data protection "
                                "officer'; the glossary says 'Datenschutzbeauftragte'")


def test_a_translation_without_the_term_is_a_warning(project: Path) -> None:
    edit_source(project, "locales/ja/collection.yaml", "label: お客様の同意", "label: お客様の承認")
    [d] = glossary_diagnostics(project)
    assert "facts.legal_bases.consent: the source says 'consent' but the translation has no '同意'" in d.message


def test_a_longer_term_takes_its_phrase_from_a_shorter_one() -> None:
    glossary = (Term("personal information", "personenbezogene Daten"),
                Term("personal information protection", "Schutz personenbezogener Daten", forms=("Datenschutz",)))
    found = terms_in("Training on security and personal information protection", glossary)
    assert [t.term for t in found] == ["personal information protection"]
    assert problem(found[0], "Schulungen zu Sicherheit und Datenschutz") is None
    both = terms_in("personal information protection and personal information", glossary)
    assert {t.term for t in both} == {"personal information", "personal information protection"}


def test_terms_match_whole_words_hyphens_plurals_and_variants() -> None:
    tp = Term("third party", "Dritte", variants=("third parties",))
    assert terms_in("a third-party provider", (tp,)) == [tp]
    assert terms_in("to third parties", (tp,)) == [tp]
    assert terms_in("thirdparty", (tp,)) == []
    cookie = Term("cookie", "クッキー", avoid=("Cookie",))
    assert problem(cookie, "詳細は<https://www.allaboutcookies.org>をご覧ください。クッキー") is None
    assert problem(cookie, "ブラウザのCookie設定") == "uses 'Cookie' for 'cookie'; the glossary says 'クッキー'"


def test_a_malformed_glossary_is_an_error_with_its_position(project: Path) -> None:
    (project / "locales/ja/glossary.yaml").write_text(
        "locale: ja\nterms:\n  - term: consent\n    use: 同意\n  - term: consent\n    use: 承諾\n"
        "  - term: cookie\n    avoid: Cookie\n", "utf-8")
    found = {(str(d.pos), d.code) for d in load_project(project).diagnostics if "glossary.yaml" in d.pos.file}
    assert ("locales/ja/glossary.yaml:5:5", "glossary.duplicate") in found
    assert ("locales/ja/glossary.yaml:7:5", "glossary.schema") in found  # no `use`
    assert ("locales/ja/glossary.yaml:8:12", "glossary.schema") in found  # avoid is not a list
