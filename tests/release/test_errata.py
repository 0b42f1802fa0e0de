"""A release that recorded a wrong classification is corrected by an erratum, never by editing it.

A real git repository: release 1.0.0 of the 2018 policy, then 1.1.0 whose entry records the German
translation of a block as "a new organisation is named" (what the 2.0.0 classifier did with ordinary
German nouns). ``policyctl erratum`` writes the correction beside the release; the release's entry stays
byte for byte; an erratum edited or removed later is a located error.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from tests.conftest import GitRepo, record_release

from policykit import changelog, yamlio
from policykit.cli import main
from policykit.errata import read_errata
from policykit.git import Repository
from policykit.load.project import load_project

WRONG = changelog.ChangeRecord(
    path="introduction.scope", kind="text-changed", level="significant", rule="text.named-party",
    reason="A new organisation or product is named (added “Privatsphäre”): a possible new recipient.",
    locale="de")


def _release_with_a_wrong_finding(repo: GitRepo) -> Path:
    root = repo.path
    path = root / "locales/de/introduction.yaml"
    data = yamlio.load_roundtrip(path.read_text("utf-8"), path.name)
    scope = data["blocks"]["scope"]
    scope["text"] = yamlio.literal(str(scope["text"]).replace("respektieren die Privatsphäre",
                                                              "achten die Privatsphäre"))
    path.write_text(yamlio.dump_roundtrip(data), "utf-8")
    sha = repo.commit("German: another word for respect")
    files = Repository(root).files(sha)
    entry = changelog.Entry(
        version="1.1.0", document="privacy-policy", level="significant", published=dt.date(2018, 5, 10),
        effective=dt.date(2030, 1, 1), previous="1.0.0", commit=sha, tree=repo.git("rev-parse", f"{sha}^{{tree}}"),
        content_hash=changelog.content_hash((p, (root / p).read_bytes()) for p in files),
        summary={"en": "A word of the German translation.\n"}, changes=(WRONG,))
    (root / changelog.entry_path("1.1.0")).write_text(changelog.dump_entry(entry), "utf-8")
    repo.commit("Release 1.1.0")
    return root


@pytest.fixture
def released(git_project: GitRepo) -> Path:
    record_release(git_project, "1.0.0")
    return _release_with_a_wrong_finding(git_project)


def test_an_erratum_corrects_the_recorded_finding_and_leaves_the_release_as_it_was(
        released: Path, capsys: pytest.CaptureFixture[str]) -> None:
    entry_before = (released / "changelog/1.1.0.yaml").read_bytes()
    assert main(["-C", str(released), "erratum", "1.1.0", "--locale", "de", "--by", "A. Tanaka (legal)",
                 "--reason", "German nouns were read as newly named organisations."]) == 0
    assert "erratum 1, 1 classification(s) corrected" in capsys.readouterr().out
    [e] = read_errata(released)
    [c] = e.corrections
    assert (c.path, c.locale, c.was.level, c.was.rule) == ("introduction.scope", "de", "significant",
                                                           "text.named-party")
    assert c.now.rule != "text.named-party" and c.now.level != "significant"
    assert (e.by, e.number) == ("A. Tanaka (legal)", 1)
    assert (released / "changelog/1.1.0.yaml").read_bytes() == entry_before
    md = (released / "changelog/errata/1.1.0-1.md").read_text("utf-8")
    assert "`introduction.scope` [de] | significant (`text.named-party`)" in md
    assert [d for d in load_project(released).diagnostics if d.severity == "error"] == []


def test_nothing_to_correct_and_no_such_release_are_refused(released: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-C", str(released), "erratum", "1.1.0", "--locale", "ja", "--by", "x", "--reason", "y"]) == 1
    assert "nothing to correct" in capsys.readouterr().err
    assert main(["-C", str(released), "erratum", "9.9.9", "--by", "x", "--reason", "y"]) == 1
    assert "9.9.9" in capsys.readouterr().err
    assert not (released / "changelog/errata").exists()


def test_an_erratum_edited_or_removed_is_a_located_error(released: Path) -> None:
    assert main(["-C", str(released), "erratum", "1.1.0", "--by", "x", "--reason", "y"]) == 0
    path = released / "changelog/errata/1.1.0-1.yaml"
    path.write_text(path.read_text("utf-8").replace("by: x", "by: someone else"), "utf-8")
    found = [str(d) for d in load_project(released).diagnostics if d.code and d.code.startswith("errata.")]
    assert found == ["changelog/errata/1.1.0-1.yaml:1:1: error: erratum 1 to 1.1.0 was edited after it was written "
                     "(its entry_hash does not match); errata are never edited: write a new one"]
    path.rename(released / "changelog/errata/1.1.0-2.yaml")
    codes = [d.code for d in load_project(released).diagnostics if d.severity == "error"]
    assert "errata.file-name" in codes


def test_an_erratum_removed_is_an_error(released: Path) -> None:
    for _ in range(2):
        assert main(["-C", str(released), "erratum", "1.1.0", "--by", "x", "--reason", "y"]) == 0
    assert [e.number for e in read_errata(released)] == [1, 2]
    (released / "changelog/errata/1.1.0-1.yaml").unlink()
    found = [str(d) for d in load_project(released).diagnostics if d.code == "errata.numbers"]
    assert found == ["changelog/errata/1.1.0-1.yaml:1:1: error: the errata of release 1.1.0 are numbered [2]: an "
                     "erratum was removed or misnumbered; errata are never deleted (a new one corrects an earlier one)"]


def test_a_dry_run_shows_the_corrections_and_writes_nothing(released: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-C", str(released), "erratum", "1.1.0", "--by", "x", "--reason", "y", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "| `introduction.scope` [de] | significant (`text.named-party`) |" in out and "dry run" in out
    assert not (released / "changelog/errata").exists()
