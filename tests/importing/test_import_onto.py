"""Word round trips of the real policy, and a new version imported onto a project (import --onto)."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

from policykit import importing
from policykit.cli import main
from policykit.load.project import load_policy, load_project
from policykit.localise import localise
from policykit.model import Policy
from policykit.render.docx import render_docx


def _text_blocks(policy: Policy) -> list[tuple[str, str, list[tuple[str, str]]]]:
    return [(s.id, s.title, [(b.id, b.text) for b in s.blocks if b.text is not None]) for s in policy.sections]


def _files(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_an_exported_docx_imports_as_the_same_blocks(project: Path, tmp_path: Path) -> None:
    policy = load_policy(project)
    data = render_docx(localise(policy, "en"))
    assert render_docx(localise(policy, "en")) == data  # the same policy, the same bytes
    fresh = tmp_path / "fresh"
    done = importing.import_file(data, "policy.docx", fresh, controller=policy.controller.name)
    imported = load_policy(fresh)
    assert imported.title == policy.title
    assert _text_blocks(imported) == _text_blocks(policy)
    assert "13 fact table(s) (categories, sources, purposes, …) not imported" in str(done.diagnostics[0])


def test_build_writes_the_word_file_of_each_locale(project: Path, tmp_path: Path) -> None:
    assert main(["-C", str(project), "build", "--format", "docx", "--locale", "en", "--locale", "ja",
                 "--out", str(tmp_path / "out")]) == 0
    policy = load_policy(project)
    for tag in ("en", "ja"):
        assert (tmp_path / "out" / tag / "privacy-policy.docx").read_bytes() == render_docx(localise(policy, tag))


def test_an_exported_docx_imported_onto_its_project_changes_nothing(project: Path) -> None:
    data = render_docx(localise(load_policy(project), "en"))
    before = _files(project)
    done = importing.import_onto(data, "policy.docx", project)
    assert (done.files, done.removed) == ((), ())
    assert _files(project) == before


def _counsel_edits(data: bytes) -> bytes:
    """What counsel does in Word: edit one paragraph, add one, delete one, retitle a section."""
    d = docx.Document(io.BytesIO(data))
    paragraphs = d.paragraphs
    edited = next(p for p in paragraphs if p.text.startswith("We keep personal information and non-personal"))
    edited.runs[0].text = edited.runs[0].text.replace("apart", "strictly apart")
    gone = next(p for p in paragraphs if p.text.startswith("We also collect information that does not identify"))
    gone._p.getparent().remove(gone._p)
    after = next(p for p in paragraphs if p.text.startswith("Some of the personal information we collect is sens"))
    new = after.insert_paragraph_before("We never sell personal information, and we never share it for "
                                        "cross-context behavioural advertising.")
    after._p.addprevious(new._p)
    heading = next(p for p in paragraphs if p.text == "How to contact us")
    heading.runs[0].text = "Contact us"
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def test_a_new_version_keeps_ids_gets_new_ones_and_drops_translations_of_removed_blocks(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = load_policy(project)
    source = project.parent / "counsel.docx"
    source.write_bytes(_counsel_edits(render_docx(localise(old, "en"))))
    code = main(["-C", str(project), "import", str(source), "--onto"])
    out, err = capsys.readouterr()
    assert code == 0, err
    new = load_policy(project)
    collection = new.section("collection")
    assert collection is not None
    ids = [b.id for b in collection.blocks]
    old_ids = [b.id for b in old.section("collection").blocks]  # type: ignore[union-attr]
    # The edited paragraph keeps its id; the new one gets an id from its words; the removed one is gone;
    # the fact lists stay where they were.
    assert collection.block("separation").text.startswith("We keep personal information and non-personal "  # type: ignore[union-attr]
                                                          "information strictly apart.")
    assert "we-never-sell-personal-information" in ids
    assert ids.index("we-never-sell-personal-information") == ids.index("sensitive-information") - 1
    assert "non-pii" not in ids
    assert [i for i in ids if i not in ("we-never-sell-personal-information",)] == \
        [i for i in old_ids if i != "non-pii"]
    assert new.section("contact").title == "Contact us"  # type: ignore[union-attr]
    # Translations: the removed block's entries are gone, the edited block's are stale, the rest still match.
    for tag in ("ja", "de"):
        entries = new.translations[tag].sections["collection"].blocks
        assert "non-pii" not in entries and "separation" in entries
    found = load_project(project).diagnostics
    stale = [d.message for d in found if d.code == "locale.stale"]
    for tag in ("ja", "de"):
        assert any(m.startswith(f"[{tag}] the text of collection.separation is stale") for m in stale), stale
        assert any(m.startswith(f"[{tag}] contact") and "is stale" in m for m in stale), stale
    # What is left is the translators' work (published locales: errors until translated), nothing else.
    assert {d.code for d in found if d.severity == "error"} <= {"locale.stale", "locale.untranslated"}
    assert "translation unit(s) of published locales are now stale or untranslated" in err
    assert "kept their ids" in out
