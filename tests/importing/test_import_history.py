"""A folder of dated versions imported as a git history; and every version of every policy of the corpus.

The corpus tests read the Platform Governance Archive (PGA v2) dataset (Open Terms Archive engine;
Lab Platform Governance, Media and Technology, ZeMKI, University of Bremen; ODC-By 1.0) through
the ``corpus`` fixture of conftest.py.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest

from policykit import importing
from policykit.cli import main
from policykit.importing.history import Continuity, continuity, import_history
from policykit.load.project import load_policy, load_project
from policykit.versions import load_version

V1 = """# Shop Privacy Policy

## What we collect

We collect your name and your address when you order.

We collect your payment details through our payment provider.

## Sharing

We share your address with the courier that delivers your order.
"""
V2 = V1.replace("your name and your address", "your name, your address and your phone number").replace(
    "## Sharing\n", "## Sharing\n\nWe never sell your data.\n\n")
V3 = V2.replace("We collect your payment details through our payment provider.\n\n", "") + (
    "\n## Your rights\n\nYou may ask for a copy of your data.\n")


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "versions"
    folder.mkdir()
    rows = ["# Shop Privacy Policy: every version", "file\tcommit\tdate\tmessage"]
    for n, (date, text) in enumerate((("2021-03-01", V1), ("2022-06-15", V2), ("2023-01-10", V3))):
        name = f"{date}-v{n + 1}.md"
        (folder / name).write_text(text, "utf-8")
        rows.append(f"{name}\tv{n + 1}\t{date}\tVersion {n + 1}")
    (folder / "versions.tsv").write_text("\n".join(rows) + "\n", "utf-8")
    return folder


def test_a_folder_of_versions_becomes_one_dated_commit_each_with_stable_ids(tmp_path: Path) -> None:
    dest = tmp_path / "shop"
    versions = import_history(_folder(tmp_path), dest, controller="Shop Ltd.")
    assert [(v.file, v.date) for v in versions] == [("2021-03-01-v1.md", dt.date(2021, 3, 1)),
                                                    ("2022-06-15-v2.md", dt.date(2022, 6, 15)),
                                                    ("2023-01-10-v3.md", dt.date(2023, 1, 10))]
    log = subprocess.run(["git", "-C", str(dest), "log", "--format=%H %cI %s"], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    assert [line.split(" ", 2)[1:] for line in reversed(log)] == [
        ["2021-03-01T12:00:00+00:00", "Import 2021-03-01-v1.md (2021-03-01)"],
        ["2022-06-15T12:00:00+00:00", "Import 2022-06-15-v2.md (2022-06-15)"],
        ["2023-01-10T12:00:00+00:00", "Import 2023-01-10-v3.md (2023-01-10)"]]
    assert [line.split(" ")[0] for line in reversed(log)] == [v.commit for v in versions]
    first, second, third = (load_version(dest, v.commit).policy for v in versions)
    ids = [[f"{s.id}.{b.id}" for s in p.sections for b in s.blocks] for p in (first, second, third)]
    assert ids[0] == ["what-we-collect.we-collect-your-name-and", "what-we-collect.we-collect-your-payment-details",
                          "sharing.we-share-your-address-with"]
    # edited paragraph keeps its id, new paragraphs get new ones, a removed one goes
    assert ids[1] == ["what-we-collect.we-collect-your-name-and", "what-we-collect.we-collect-your-payment-details",
                           "sharing.we-never-sell-your-data", "sharing.we-share-your-address-with"]
    assert ids[2] == ["what-we-collect.we-collect-your-name-and", "sharing.we-never-sell-your-data",
                          "sharing.we-share-your-address-with", "your-rights.you-may-ask-for-a"]
    assert continuity(first, second) == Continuity(same=2, same_kept=2, same_in_place=2, edited=1, edited_kept=1,
                                                   edited_in_place=1)


def test_log_and_diff_work_on_the_imported_history(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dest = tmp_path / "shop"
    dest.mkdir()
    assert main(["-C", str(dest), "import", str(_folder(tmp_path)), "--history", "--controller", "Shop"]) == 0
    out = capsys.readouterr().out
    assert "2022-06-15" in out and "imported 3 versions" in out
    assert main(["-C", str(dest), "log"]) == 0
    log = capsys.readouterr().out
    assert log.count("Import 20") == 3
    assert main(["-C", str(dest), "diff", "HEAD~2", "HEAD", "--format", "json"]) == 0
    diff = capsys.readouterr().out
    assert '"path": "what-we-collect.we-collect-your-payment-details"' in diff
    assert '"path": "your-rights"' in diff


def test_a_release_per_version_where_the_release_rules_allow_it(tmp_path: Path) -> None:
    """The first version is released on its date; a later one whose changes no rule explains needs a person's
    decision (`policyctl release` refuses it): the refusal is reported and the import goes on."""
    dest = tmp_path / "shop"
    versions = import_history(_folder(tmp_path), dest, releases=True, controller="Shop Ltd.")
    assert [v.release for v in versions] == ["1.0.0", None, None]
    assert "published: 2021-03-01" in (dest / "changelog" / "1.0.0.yaml").read_text("utf-8")
    assert all(v.release_problem.startswith("release ") and "refused" in v.release_problem for v in versions[1:])
    assert "no rule explains need a person's decision" in versions[1].release_problem
    assert len(subprocess.run(["git", "-C", str(dest), "log", "--format=%H"], capture_output=True, text=True,
                              check=True).stdout.split()) == 4  # three versions and the release of the first
    assert not [d for d in load_project(dest).diagnostics if d.severity == "error"]


def test_every_version_of_the_corpus_imports_validates_and_keeps_its_ids(corpus: Path, tmp_path: Path) -> None:
    """Each policy's whole history: every version imports and validates (import_onto validates each before it
    writes); every paragraph identical in two consecutive versions keeps its id (target 100 %); edited
    paragraphs keep theirs in at least 95 % of cases."""
    total = Continuity()
    versions = 0
    for folder in sorted(p for p in corpus.iterdir() if p.is_dir()):
        dest = tmp_path / folder.name
        imported = import_history(folder, dest)
        versions += len(imported)
        previous = None
        for version in imported:
            policy = load_version(dest, version.commit).policy
            if previous is not None:
                total = total + continuity(previous, policy)
            previous = policy
        assert not [d for d in load_project(dest).diagnostics if d.severity == "error"]
    assert versions == 128
    assert total.same > 7000 and total.same_kept == total.same
    assert total.edited > 400 and total.edited_kept / total.edited >= 0.95


def test_importing_any_corpus_version_twice_changes_nothing(corpus: Path, tmp_path: Path) -> None:
    files = sorted(p for p in corpus.glob("*/*.md"))
    for n, path in enumerate(files):
        dest = tmp_path / f"v{n}"
        data = path.read_bytes()
        importing.import_file(data, path.name, dest)
        again = importing.import_onto(data, path.name, dest)
        assert (again.files, again.removed) == ((), ()), path
        assert load_policy(dest).sections
    assert len(files) == 128
