"""diff --format docx: a Word redline that LibreOffice reads as the same changes as diff --format json."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from policykit import importing, markdown
from policykit.cli import main
from policykit.load.project import load_policy
from policykit.localise import localise
from policykit.render.docx import render_docx

from ..conftest import GitRepo
from .libreoffice import read_redline, resolved_text
from .test_import_onto import _counsel_edits


def _words(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", text.lower()))


def _plain(value: object) -> str:
    return markdown.to_text(value) if isinstance(value, str) else ""


def test_the_word_redline_has_the_json_changes_as_tracked_changes_with_comments(
        git_project: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = git_project.path
    a = git_project.git("rev-parse", "HEAD")
    before = load_policy(root)
    edited = _counsel_edits(render_docx(localise(before, "en")))
    importing.import_onto(edited, "counsel.docx", root)
    b = git_project.commit("Counsel's edits, imported from Word")
    after = load_policy(root)

    assert main(["-C", str(root), "diff", a, b, "--format", "json"]) == 0
    changes = json.loads(capsys.readouterr().out)["changes"]
    red_file = tmp_path / "redline.docx"
    assert main(["-C", str(root), "diff", a, b, "--format", "docx", "-o", str(red_file)]) == 0
    red = read_redline(red_file, tmp_path / "lo")

    # Every change of the JSON has a comment with its level, kind, path and reason.
    notes = "\n".join(red.comments.values())
    assert {c["path"] for c in changes} >= {"collection.separation", "collection.non-pii", "contact",
                                            "collection.we-never-sell-personal-information"}
    for c in changes:
        assert f"{c['level'].upper()} {c['kind']} {c['path']}: {c['reason']} [{c['rule']}]" in notes
    # The tracked changes LibreOffice lists are those changes' words: per comment, what was inserted
    # minus what was deleted is what the JSON's `after` has more than its `before`.
    for name, text in red.comments.items():
        mine = [c for c in changes if f"{c['kind']} {c['path']}:" in text]
        inserted = sum((_words(r.text) for r in red.revisions if r.kind == "insertion" and name in r.comments),
                       Counter())
        deleted = sum((_words(r.text) for r in red.revisions if r.kind == "deletion" and name in r.comments),
                      Counter())
        want_plus = sum((_words(_plain(c["after"])) for c in mine), Counter())
        want_minus = sum((_words(_plain(c["before"])) for c in mine), Counter())
        inserted.subtract(deleted)
        want_plus.subtract(want_minus)
        assert +inserted == +want_plus and -inserted == -want_plus, (text, red.revisions)
    assert {r.kind for r in red.revisions} == {"insertion", "deletion"}
    # No revision outside a comment (the paragraph marks of whole inserted or deleted paragraphs, which
    # LibreOffice lists as revisions without text, end just after their comment's range).
    assert not [r for r in red.revisions if r.text.strip() and not r.comments]

    # Accepting every change gives version B as LibreOffice reads B's own export; rejecting every one gives A.
    plain_b = read_redline(_saved(render_docx(localise(after, "en")), tmp_path / "b.docx"), tmp_path / "lo-b")
    plain_a = read_redline(_saved(render_docx(localise(before, "en")), tmp_path / "a.docx"), tmp_path / "lo-a")
    assert red.accepted == plain_b.accepted
    assert red.rejected == plain_a.accepted
    assert red.accepted != red.rejected
    # And as a reviewer does it: LibreOffice's own Accept All gives B's text, Reject All gives A's.
    accepted = resolved_text(red_file, tmp_path / "lo-accept")
    assert accepted == resolved_text(tmp_path / "b.docx", tmp_path / "lo-accept")
    rejected = resolved_text(red_file, tmp_path / "lo-reject", accept=False)
    assert rejected == resolved_text(tmp_path / "a.docx", tmp_path / "lo-reject")
    added, removed = "We never sell personal information", "We also collect information that does not identify"
    assert any(p.startswith(added) for p in accepted) and not any(p.startswith(removed) for p in accepted)
    assert any(p.startswith(removed) for p in rejected) and not any(p.startswith(added) for p in rejected)


def _saved(data: bytes, path: Path) -> Path:
    path.write_bytes(data)
    return path


def test_docx_is_never_written_to_a_terminal(git_project: GitRepo, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code = main(["-C", str(git_project.path), "diff", "HEAD", "WORKTREE", "--format", "docx"])
    assert code == 2
    assert "give -o FILE" in capsys.readouterr().err
