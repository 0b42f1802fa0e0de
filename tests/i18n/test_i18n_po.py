from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from i18n_helpers import PURPOSES_INTRO, changed, cli, edit_source, load, snapshot

from policykit.i18n.status import status

LOCALES = ["ja", "de", "zh-Hans"]


def export(root: Path, tag: str, *extra: str) -> Path:
    out = root / f"{tag}.po"
    assert cli(root, "export", "--locale", tag, "--format", "po", "-o", out.name, *extra) == 0
    return out


@pytest.mark.parametrize("tag", LOCALES)
def test_export_then_import_without_edits_changes_no_byte(project: Path, tag: str) -> None:
    before = snapshot(project)
    po = export(project, tag)
    assert cli(project, "import", str(po)) == 0
    assert changed(before, snapshot(project)) == []
    assert export(project, tag).read_bytes() == po.read_bytes()  # and the export is reproducible


def test_round_trip_with_a_stale_entry_changes_nothing(widened: Path) -> None:
    before = snapshot(widened)
    po = export(widened, "de")
    assert cli(widened, "import", str(po)) == 0
    assert changed(before, snapshot(widened)) == []


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext is not installed")
@pytest.mark.parametrize("tag", LOCALES)
def test_msgfmt_check_accepts_the_po_files(widened: Path, tag: str) -> None:
    po = export(widened, tag)
    run = subprocess.run(["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "warning" not in run.stderr, run.stderr


def test_a_stale_entry_is_fuzzy_with_the_previous_source(git_project) -> None:  # type: ignore[no-untyped-def]
    root = git_project.path
    edit_source(root, "policy/sections/collection.yaml", PURPOSES_INTRO,
                "We may use and share your personal information for the following purposes:")
    git_project.commit("Share, too")
    entry = polib.pofile(str(export(root, "ja"))).find("collection.purposes-intro", by="msgctxt")
    assert entry is not None
    assert entry.fuzzy
    assert entry.previous_msgid == PURPOSES_INTRO + "\n"
    assert entry.msgid.startswith("We may use and share")
    assert entry.msgstr == "当社は、お客様の個人情報を以下の目的で利用する場合があります。\n"
    assert "Section: How to acquire and use personal information" in entry.comment
    assert "Glossary: personal information → 個人情報" in entry.comment


def test_only_stale_and_missing_exports_just_those(widened: Path) -> None:
    po = polib.pofile(str(export(widened, "zh-Hans", "--only", "stale,missing")))
    keys = [e.msgctxt for e in po]
    assert "collection.purposes-intro" in keys and "access:title" in keys
    assert "introduction.scope" not in keys
    assert len(keys) == 1 + 46


def translate_widened_purposes(po: polib.POFile, path: Path) -> None:
    """What a translator does with the fuzzy entry of the widened purposes sentence (de), then saves."""
    entry = po.find("collection.purposes-intro", by="msgctxt")
    assert entry is not None and entry.fuzzy
    entry.msgstr = "Wir können Ihre personenbezogenen Daten für die folgenden Zwecke verwenden und weitergeben:\n"
    entry.flags.remove("fuzzy")
    po.save(str(path))


def test_a_section_can_go_to_a_translator_alone_and_come_back(widened: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    po_path = export(widened, "de", "--section", "collection", "--section", "contact")
    po = polib.pofile(str(po_path))
    from policykit.i18n.catalog import units

    every = units(load(widened), "de")
    assert [e.msgctxt for e in po] == [u.key for u in every if u.section in ("collection", "contact")]
    assert "collection:title" in [e.msgctxt for e in po] and "title" not in [e.msgctxt for e in po]
    translate_widened_purposes(po, po_path)
    before = snapshot(widened)
    assert cli(widened, "import", str(po_path)) == 0  # what the file leaves out stays as it is
    assert changed(before, snapshot(widened)) == ["locales/de/collection.yaml"]

    capsys.readouterr()
    assert cli(widened, "export", "--locale", "de", "--section", "colection") == 2
    assert "--section colection: no such section (did you mean 'collection'?)" in capsys.readouterr().err


def test_editing_one_entry_with_polib_updates_exactly_that_entry(widened: Path) -> None:
    po_path = export(widened, "de")
    po = polib.pofile(str(po_path))
    translate_widened_purposes(po, po_path)
    before = snapshot(widened)
    assert cli(widened, "import", str(po_path)) == 0
    assert changed(before, snapshot(widened)) == ["locales/de/collection.yaml"]
    old = before["locales/de/collection.yaml"].decode().splitlines()
    new = (widened / "locales/de/collection.yaml").read_text("utf-8").splitlines()
    assert [(a, b) for a, b in zip(old, new, strict=True) if a != b] == [
        ("      Wir können Ihre personenbezogenen Daten für die folgenden Zwecke verwenden:",
         "      Wir können Ihre personenbezogenen Daten für die folgenden Zwecke verwenden und weitergeben:"),
        ('    source_hash: "469cdff67abe"', '    source_hash: "75e3b21668af"'),
    ]
    [de] = status(load(widened), ["de"])
    assert not de.has("stale")


def test_confirming_a_stale_entry_unchanged_refreshes_its_hash(widened: Path) -> None:
    po_path = export(widened, "ja")
    po = polib.pofile(str(po_path))
    entry = po.find("collection.purposes-intro", by="msgctxt")
    assert entry is not None
    entry.flags.remove("fuzzy")  # the translator checked it: still right
    po.save(str(po_path))
    assert cli(widened, "import", str(po_path)) == 0
    [ja] = status(load(widened), ["ja"])
    assert not ja.has("stale")


def test_a_label_in_a_flow_mapping_keeps_its_style(project: Path) -> None:
    po_path = export(project, "de")
    po = polib.pofile(str(po_path))
    entry = po.find("facts.legal_bases.consent", by="msgctxt")
    assert entry is not None
    entry.msgstr = "Ihre ausdrückliche Einwilligung"
    po.save(str(po_path))
    assert cli(project, "import", str(po_path)) == 0
    text = (project / "locales/de/collection.yaml").read_text("utf-8")
    assert '    consent: {label: "Ihre ausdrückliche Einwilligung", source_hash: "675135ed25c5"}\n' in text


def test_new_translations_go_into_a_new_file_in_source_order(project: Path) -> None:
    po_path = export(project, "zh-Hans", "--only", "missing")
    po = polib.pofile(str(po_path))
    for entry in po:
        if entry.msgctxt in ("minors:title", "minors.under-age", "facts.age_limits.minors"):
            entry.msgstr = {"minors:title": "未成年人"}.get(entry.msgctxt, "【译文】" + entry.msgid[:10])
            if entry.msgid.endswith("\n"):
                entry.msgstr += "\n"
    po.save(str(po_path))
    assert not (project / "locales/zh-Hans/minors.yaml").exists()
    assert cli(project, "import", str(po_path)) == 0
    written = (project / "locales/zh-Hans/minors.yaml").read_text("utf-8")
    assert written.startswith("section: minors\ntitle:\n  text: 未成年人\n")
    [zh] = status(load(project), ["zh-Hans"])
    assert "minors:title" not in zh.missing


def _break(root: Path, po_path: Path, key: str, msgstr: str) -> int:
    po = polib.pofile(str(po_path))
    entry = po.find(key, by="msgctxt")
    assert entry is not None
    entry.msgstr = msgstr
    po.save(str(po_path))
    lines = po_path.read_text("utf-8").splitlines()
    start = lines.index(f'msgctxt "{key}"')
    return next(n + 1 for n in range(start, len(lines)) if lines[n].startswith("msgstr"))


def test_a_translation_that_drops_a_link_is_rejected_with_file_and_line(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    po_path = export(project, "de")
    line = _break(project, po_path, "contact.dpo", "Kontaktieren Sie bitte PrivacyJP@huawei.com.\n")
    before = snapshot(project)
    assert cli(project, "import", str(po_path)) == 1
    err = capsys.readouterr().err
    assert (f"{po_path}:{line}:1: error: contact.dpo: Markdown differs from the source: link(s) to "
            "mailto:PrivacyJP@huawei.com missing") in err
    assert "nothing was written" in err
    assert changed(before, snapshot(project)) == []


def test_raw_html_is_rejected(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    po_path = export(project, "ja")
    _break(project, po_path, "introduction:title", "<b>はじめに</b>")
    assert cli(project, "import", str(po_path)) == 1
    assert "introduction:title: raw HTML is not allowed ('<b>')" in capsys.readouterr().err


def test_an_unknown_id_is_rejected_with_file_and_line(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    po_path = export(project, "ja")
    text = po_path.read_text("utf-8") + '\nmsgctxt "collection.purpose-intro"\nmsgid "x"\nmsgstr "y"\n'
    po_path.write_text(text, "utf-8")
    line = len(text.splitlines())
    assert cli(project, "import", str(po_path)) == 1
    err = capsys.readouterr().err
    assert f"{po_path}:{line}:1: error: unknown id 'collection.purpose-intro'" in err
    assert "did you mean 'collection.purposes-intro'" in err


def test_a_broken_po_file_is_reported_not_a_traceback(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    po_path = project / "broken.po"
    po_path.write_text('msgid ""\nmsgstr ""\n"Language: ja\\n"\n\nmsgctxt "title"\nmsgid "x"\n'
                       'this is not po\nmsgstr "y"\n', "utf-8")
    assert cli(project, "import", str(po_path)) == 1
    assert f"{po_path}:7:1: error: not a valid PO file: Syntax error in po file (line 7)" in capsys.readouterr().err


def test_a_translation_of_an_older_source_stays_stale(project: Path) -> None:
    po_path = export(project, "de")
    po = polib.pofile(str(po_path))
    entry = po.find("collection.purposes-intro", by="msgctxt")
    assert entry is not None
    entry.msgstr = "Wir können Ihre personenbezogenen Daten für diese Zwecke verwenden:\n"
    po.save(str(po_path))
    # The source changes after the export, before the translator's file comes back.
    edit_source(project, "policy/sections/collection.yaml", PURPOSES_INTRO,
                "We may use and share your personal information for the following purposes:")
    assert cli(project, "import", str(po_path)) == 0
    [de] = status(load(project), ["de"])
    assert [s.key for s in de.stale] == ["collection.purposes-intro"]
