"""Nothing outside the project is read or written (issue 20, group 4): real symbolic links, a real
FIFO, a link to /dev/zero, a link loop, links planted at the temporary names policyctl once used."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import polib
import pytest

from policykit import files
from policykit.cli import main
from policykit.errors import InvalidPolicy
from policykit.load import FileSource, read_project
from policykit.load.project import load_project

SECRET = "TOP-SECRET outside the project\n"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A file outside the project that no command may read into a page or overwrite."""
    path = tmp_path / "outside" / "secret.yaml"
    path.parent.mkdir()
    path.write_text(SECRET, "utf-8")
    return path


def errors(root: Path) -> list[str]:
    return [str(d) for d in load_project(root).diagnostics if d.severity == "error"]


def test_a_section_linked_from_outside_is_a_located_error_and_not_read(project: Path, outside: Path) -> None:
    section = project / "policy/sections/contact.yaml"
    outside.write_bytes(section.read_bytes().replace(b"Contact", b"TOP-SECRET"))
    section.unlink()
    section.symlink_to(outside)
    found = errors(project)
    assert any(e.startswith("policy/sections/contact.yaml:1:1: error: is a symbolic link to ") and "outside the project"
               in e for e in found), found
    loaded = read_project(FileSource(project))
    assert loaded.policy is None or all("TOP-SECRET" not in s.title for s in loaded.policy.sections)
    assert main(["-C", str(project), "validate"]) == 1


def test_a_translation_folder_linked_from_outside_is_refused(project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere-de"
    os.rename(project / "locales/de", elsewhere)
    (project / "locales/de").symlink_to(elsewhere, target_is_directory=True)
    found = errors(project)
    assert any(e.startswith("locales/de/") and "outside the project" in e for e in found), found


def test_a_link_that_stays_inside_the_project_is_read(project: Path) -> None:
    section = project / "policy/sections/contact.yaml"
    kept = project / "policy/contact-original.yaml"
    os.rename(section, kept)
    section.symlink_to(Path("../contact-original.yaml"))
    assert errors(project) == []


def test_a_fifo_is_refused_at_once_without_waiting_for_a_writer(project: Path) -> None:
    section = project / "policy/sections/contact.yaml"
    section.unlink()
    os.mkfifo(section)
    result: list[list[str]] = []
    worker = threading.Thread(target=lambda: result.append(errors(project)), daemon=True)
    worker.start()
    worker.join(30)
    if worker.is_alive():  # unblock the reader so that the test run can end, then fail
        fd = os.open(section, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
        pytest.fail("validate hangs on a FIFO")
    assert any("contact.yaml:1:1: error: is a FIFO (named pipe), not a regular file" in e for e in result[0])


def test_a_link_to_dev_zero_is_refused_before_any_byte_is_read(tmp_path: Path) -> None:
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    with pytest.raises(InvalidPolicy, match="outside the project"):
        files.read(tmp_path, "zero.yaml")
    # Even a device inside the project folder is not read: its size says nothing.
    with pytest.raises(InvalidPolicy, match="is a device, not a regular file"):
        files.read(Path("/"), "dev/zero")


def test_a_file_larger_than_the_limit_is_refused_from_its_size(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as fp:
        fp.truncate(64 * 1024 * 1024)  # sparse: 64 MiB that were never written
    with pytest.raises(InvalidPolicy, match=r"big.yaml:1:1: error: file is 67,108,864 bytes; the limit is 1,048,576"):
        files.read(tmp_path, "big.yaml")


def test_a_symlink_loop_is_a_located_error(project: Path) -> None:
    section = project / "policy/sections/contact.yaml"
    section.unlink()
    section.symlink_to("contact.yaml")
    found = errors(project)
    assert any(e.startswith("policy/sections/contact.yaml:1:1: error: a loop of symbolic links") for e in found), found


def test_fmt_never_writes_through_a_link_planted_at_a_temporary_name(project: Path, outside: Path) -> None:
    section = project / "policy/sections/contact.yaml"
    text = section.read_text("utf-8")
    section.write_text(text.replace("\nid: contact", "\nid:    contact", 1) if "\nid: contact" in text
                       else "\n" + text, "utf-8")
    (project / "policy/sections/.contact.yaml.fmt-tmp").symlink_to(outside)
    assert main(["-C", str(project), "fmt"]) == 0
    assert outside.read_text("utf-8") == SECRET
    assert section.read_text("utf-8") == text or section.read_text("utf-8").strip() == text.strip()
    assert not section.is_symlink()
    assert sorted(p.name for p in section.parent.glob(".contact*")) == [".contact.yaml.fmt-tmp"]


def test_i18n_new_never_writes_through_a_link_planted_at_a_temporary_name(project: Path, outside: Path) -> None:
    (project / "policy/.policy.yaml.i18n-tmp").symlink_to(outside)
    assert main(["-C", str(project), "i18n", "new", "fr"]) == 0
    assert outside.read_text("utf-8") == SECRET
    assert "fr" in (project / "policy/policy.yaml").read_text("utf-8")


def test_i18n_import_never_writes_through_a_link_planted_at_a_temporary_name(project: Path, outside: Path) -> None:
    po = project / "de.po"
    assert main(["-C", str(project), "i18n", "export", "--locale", "de", "--format", "po", "-o", po.name]) == 0
    catalog = polib.pofile(str(po))
    entry = next(e for e in catalog if e.msgstr and e.msgctxt and e.msgctxt.startswith("contact."))
    entry.msgstr += " (geprüft)"
    catalog.save(str(po))
    (project / "locales/de/.contact.yaml.i18n-tmp").symlink_to(outside)
    assert main(["-C", str(project), "i18n", "import", str(po)]) == 0
    assert outside.read_text("utf-8") == SECRET
    assert "(geprüft)" in (project / "locales/de/contact.yaml").read_text("utf-8")


def test_writing_into_a_folder_linked_outside_is_refused(tmp_path: Path, outside: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    (root / "locales").symlink_to(outside.parent, target_is_directory=True)
    with pytest.raises(InvalidPolicy, match="outside the project"):
        files.write(root, "locales/secret.yaml", b"overwritten")
    assert outside.read_text("utf-8") == SECRET


def test_a_write_replaces_a_link_at_the_target_instead_of_following_it(tmp_path: Path, outside: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    (root / "a.yaml").symlink_to(outside)
    files.write(root, "a.yaml", b"new\n")
    assert outside.read_text("utf-8") == SECRET
    assert not (root / "a.yaml").is_symlink() and (root / "a.yaml").read_bytes() == b"new\n"
    assert [p.name for p in root.iterdir()] == ["a.yaml"]  # no temporary file left
