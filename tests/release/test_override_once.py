"""An override that covers a text and its translation is recorded once in the release."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from pathlib import Path

from tests.conftest import GIT_ENV
from tests.messages.cases import INTRO, edit, translated

from policykit.changelog import read_entries
from policykit.model import source_hash
from policykit.release import Draft, prepare, write


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, env={**os.environ, **GIT_ENV}, check=True, capture_output=True)


def test_one_override_of_a_text_and_its_translation_is_listed_once(tmp_path: Path) -> None:
    from policykit.compare.classify import Override

    root = translated(tmp_path)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "Start")
    write(root, prepare(root, today=dt.date(2026, 5, 4)))
    edit(root, INTRO, "handles your personal information.", "may share your personal information with partners.")
    german = root / "locales/de/introduction.yaml"
    data = json.loads(german.read_text("utf-8"))
    new = "This policy explains how ACME Ltd. may share your personal information with partners.\n"
    data["blocks"]["scope"] = {"text": "DE " + new.strip(), "source_hash": source_hash(new)}
    german.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    edit(root, "policy/policy.yaml", "notice_period: P30D", "notice_period: P30D\nlast_updated: 2026-06-01")
    _git(root, "commit", "-qam", "Say that we share")
    # The German is no real translation ("DE " and the English): held to the source it diverges, so the change is
    # left to a person, whose decision (with who decided) covers the text and its translation at once.
    override = Override(path="introduction.scope", level="minor", justification="Reviewed: no partner receives data.",
                        by="A. Tanaka (legal)")
    prepared = prepare(root, today=dt.date(2026, 6, 1), draft=Draft(overrides=(override,)))
    matched = [c for c in prepared.changes if c.path == "introduction.scope"]
    assert len(matched) >= 2 and {c.locale for c in matched} >= {"", "de"}  # the text and its translation
    write(root, prepared)
    [recorded] = read_entries(root)[-1].overrides
    assert (recorded.path, recorded.level) == ("introduction.scope", "minor")
    assert (root / "changelog/1.1.0.md").read_text("utf-8").count("`introduction.scope`: ") == 1
