"""Published means translated: one check, and `validate` and every release agree by construction."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest
from tests.conftest import GIT_ENV
from tests.messages.cases import INTRO, edit, translated

from policykit.cli import main
from policykit.errors import ReleaseError
from policykit.i18n.gate import COVERAGE_CODES
from policykit.load.project import load_project
from policykit.release import prepare


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, env={**os.environ, **GIT_ENV}, check=True, capture_output=True)


def lagging(tmp: Path) -> Path:
    """German published; then an English edit (de stale) and a German file lost (de missing), committed."""
    root = translated(tmp)
    edit(root, INTRO, "handles your personal information.", "handles your personal data.")
    (root / "locales/de/contact.yaml").unlink()
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "English edited; the German contact section lost")
    return root


def test_validate_and_the_first_release_refuse_the_same_coverage_problems(tmp_path: Path) -> None:
    root = lagging(tmp_path)
    found = [d for d in load_project(root).diagnostics if d.code in COVERAGE_CODES]
    assert sorted((d.code, d.severity) for d in found) == [("locale.stale", "error"), ("locale.untranslated", "error")]
    with pytest.raises(ReleaseError) as refused:
        prepare(root, today=dt.date(2026, 5, 4))
    reasons = str(refused.value).splitlines()[1:]
    assert {r.strip() for r in reasons} == {str(d) for d in found}


def test_a_fallback_locale_may_lag(tmp_path: Path) -> None:
    root = lagging(tmp_path)
    edit(root, "policy/policy.yaml", "locales: [en, de]", "locales: [en]\nfallback_locales: [de]")
    found = [d for d in load_project(root).diagnostics if d.code in COVERAGE_CODES]
    assert [(d.code, d.severity) for d in found] == [("locale.stale", "warning")]


def test_a_preview_still_builds_a_lagging_translation(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = lagging(tmp_path)
    assert main(["-C", str(root), "validate"]) == 1
    assert main(["-C", str(root), "build", "--locale", "de", "--format", "json"]) == 0
    assert (root / "build/site/de").is_dir()
