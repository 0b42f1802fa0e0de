from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from i18n_helpers import PURPOSES_INTRO, changed, cli, edit_source, load, snapshot

from policykit.factview import vocabulary_units
from policykit.i18n.status import status

LOCALES = ["ja", "de", "zh-Hans"]


def export(root: Path, tag: str, *extra: str) -> Path:
    out = root / f"{tag}.xlf"
    assert cli(root, "export", "--locale", tag, "--format", "xliff", "-o", out.name, *extra) == 0
    return out


def tool(name: str) -> str:
    """A translate-toolkit command: the test extra's (in the venv), else the system's."""
    here = Path(sys.executable).parent / name
    found = str(here) if here.exists() else shutil.which(name)
    if found is None:
        pytest.skip(f"{name} (translate-toolkit) is not installed")
    return found


def xliff_store(path: Path):  # type: ignore[no-untyped-def]
    from translate.storage import xliff

    return xliff.xlifffile.parsefile(str(path))


@pytest.mark.parametrize("tag", LOCALES)
def test_export_then_import_without_edits_changes_no_byte(widened: Path, tag: str) -> None:
    before = snapshot(widened)
    xlf = export(widened, tag)
    assert cli(widened, "import", str(xlf)) == 0
    assert changed(before, snapshot(widened)) == []
    assert export(widened, tag).read_bytes() == xlf.read_bytes()


def test_translate_toolkit_reads_units_states_and_previous_source(git_project) -> None:  # type: ignore[no-untyped-def]
    root = git_project.path
    edit_source(root, "policy/sections/collection.yaml", PURPOSES_INTRO,
                "We may use and share your personal information for the following purposes:")
    git_project.commit("Share, too")
    store = xliff_store(export(root, "ja"))
    units = {u.xmlelement.get("id"): u for u in store.units}
    assert len(units) == 102 + len(vocabulary_units(load(root)))  # the project's strings and the table words
    current, stale = units["introduction:title"], units["collection.purposes-intro"]
    assert current.target == "はじめに" and current.istranslated() and not current.isfuzzy()
    assert stale.isreview() and stale.isfuzzy()
    [previous] = stale.getalttrans()
    assert previous.source == PURPOSES_INTRO + "\n"
    assert "personal information → 個人情報" in stale.getnotes()


def test_translate_toolkit_tools_accept_the_xliff(widened: Path, tmp_path: Path) -> None:
    for tag in LOCALES:
        xlf = export(widened, tag)
        po = tmp_path / f"{tag}.po"
        run = subprocess.run([tool("xliff2po"), str(xlf), str(po)], capture_output=True, text=True)
        assert run.returncode == 0 and po.exists(), run.stderr
        checked = tmp_path / f"{tag}-checked.xlf"
        run = subprocess.run([tool("pofilter"), "--progress=none", "-t", "xmltags", "-t", "escapes", str(xlf),
                              str(checked)], capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        if shutil.which("msgfmt"):
            run = subprocess.run(["msgfmt", "--check-format", "-o", "/dev/null", str(po)],
                                 capture_output=True, text=True)
            assert run.returncode == 0, run.stderr


def test_po2xliff_reads_our_po(widened: Path, tmp_path: Path) -> None:
    assert cli(widened, "export", "--locale", "de", "--format", "po", "-o", "de.po") == 0
    out = tmp_path / "de.xlf"
    run = subprocess.run([tool("po2xliff"), str(widened / "de.po"), str(out)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    units = [u for u in xliff_store(out).units if u.xmlelement.get("restype") != "x-gettext-domain-header"]
    assert len(units) == 102 + len(vocabulary_units(load(widened)))  # the project's strings and the table words


def test_a_target_edited_and_confirmed_in_translate_toolkit_is_imported(widened: Path) -> None:
    xlf = export(widened, "de")
    store = xliff_store(xlf)
    unit = next(u for u in store.units if u.xmlelement.get("id") == "collection.purposes-intro")
    unit.target = "Wir können Ihre personenbezogenen Daten für die folgenden Zwecke verwenden und weitergeben:\n"
    unit.markreviewneeded(False)
    unit.markapproved(True)
    store.savefile(str(xlf))
    before = snapshot(widened)
    assert cli(widened, "import", str(xlf)) == 0
    assert changed(before, snapshot(widened)) == ["locales/de/collection.yaml"]
    [de] = status(load(widened), ["de"])
    assert not de.has("stale")
    assert de.units[[u.key for u in de.units].index("collection.purposes-intro")].translated.text.endswith(  # type: ignore[union-attr]
        "verwenden und weitergeben:\n")


def _line_of(path: Path, needle: str) -> int:
    return next(i + 1 for i, line in enumerate(path.read_text("utf-8").splitlines()) if needle in line)


def test_html_in_a_target_is_rejected_with_file_and_line(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    xlf = export(project, "ja")
    text = xlf.read_text("utf-8").replace(">はじめに</target>", ">&lt;script&gt;x&lt;/script&gt;はじめに</target>")
    xlf.write_text(text, "utf-8")
    line = _line_of(xlf, "&lt;script&gt;")
    before = snapshot(project)
    assert cli(project, "import", str(xlf)) == 1
    err = capsys.readouterr().err
    assert f"{xlf}:{line}:11: error: introduction:title: raw HTML is not allowed" in err
    assert changed(before, snapshot(project)) == []


def test_a_dropped_link_and_an_unknown_id_are_both_reported(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    xlf = export(project, "de")
    text = xlf.read_text("utf-8")
    lines = text.splitlines(keepends=True)
    target = next(i for i, line in enumerate(lines) if "<target" in line and "mailto:PrivacyJP" in line)
    lines[target] = lines[target].replace("[PrivacyJP@huawei.com](mailto:PrivacyJP@huawei.com)", "PrivacyJP@huawei.com")
    text = "".join(lines)
    text = text.replace('id="contact:title" resname="contact:title"', 'id="contact:titel" resname="contact:titel"')
    xlf.write_text(text, "utf-8")
    assert cli(project, "import", str(xlf)) == 1
    err = capsys.readouterr().err
    assert f"{xlf}:{_line_of(xlf, 'contact:titel') + 2}:11: error: unknown id 'contact:titel'" in err
    assert "contact.dpo: Markdown differs from the source: link(s) to mailto:PrivacyJP@huawei.com missing" in err
    assert "2 problem(s); nothing was written" in err


def test_a_doctype_is_refused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    xlf = export(project, "ja")
    text = xlf.read_text("utf-8").replace("<xliff ", '<!DOCTYPE xliff [<!ENTITY a "aaaa">]>\n<xliff ', 1)
    xlf.write_text(text, "utf-8")
    assert cli(project, "import", str(xlf)) == 1
    assert f"{xlf}:2:" in (err := capsys.readouterr().err) and "error: a DOCTYPE is not allowed" in err


def test_malformed_xml_points_at_the_line(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    xlf = export(project, "ja")
    lines = xlf.read_text("utf-8").splitlines()
    lines[7] = lines[7].replace("</source>", "</sauce>")
    xlf.write_text("\n".join(lines), "utf-8")
    assert cli(project, "import", str(xlf)) == 1
    assert f"{xlf}:8:" in capsys.readouterr().err
