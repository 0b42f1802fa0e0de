"""The notice period is the law's, not the release's (issue 20, group 2): it counts from the moment
the release is made, never from a typed --published, and a release that lowers ``notice_period`` is
judged against the period in force before it. Real releases in real git repositories."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest
from tests.conftest import GitRepo
from tests.release.conftest import RELEASE_MOMENT
from tests.release.test_release import SUMMARY, add_device_id, edit, first_release, run

from policykit.changelog import dump_entry, read_entries
from policykit.integrity import earliest_effective
from policykit.load.project import load_project


def significant_change(repo: GitRepo, *, notice: str | None = None) -> Path:
    """Release 1.0.0, then commit a significant change (a new data category); the draft summary file."""
    root = repo.path
    first_release(repo)
    add_device_id(root)
    if notice is not None:
        edit(root, "policy/policy.yaml", lambda d: d.__setitem__("notice_period", notice))
    repo.commit("Collect device identifiers")
    draft = root.parent / "draft.yaml"
    draft.write_text(SUMMARY, "utf-8")
    return draft


def test_the_earliest_effective_date_leaves_the_whole_period() -> None:
    at = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC)
    assert earliest_effective(at, 30) == dt.date(2026, 6, 4)  # 06-03 09:00 is mid-day: the next day
    assert earliest_effective(at.replace(hour=0), 30) == dt.date(2026, 6, 3)
    assert earliest_effective(at, 1 / 86400) == dt.date(2026, 5, 5)  # PT1S
    tokyo = dt.datetime(2026, 5, 4, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=9)))  # 2026-05-03 23:00 UTC
    assert earliest_effective(tokyo, 30) == dt.date(2026, 6, 3)


def test_a_backdated_published_date_does_not_shorten_the_notice(
        git_project: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    draft = significant_change(git_project)
    root = git_project.path
    capsys.readouterr()
    # Published "four weeks ago" with an effective date 30 days after it: a real notice of 3 days.
    assert run(root, "release", "--published", "2026-04-04", "--effective", "2026-05-07",
               "--summary-file", str(draft)) == 1
    err = capsys.readouterr().err
    assert "less than the notice period of 30 days (notice_period: P30D)" in err
    assert "whatever --published says: --effective 2026-06-04 (Thursday 4 June 2026) or later" in err
    assert run(root, "release", "--published", "2026-04-04", "--effective", "2026-06-04",
               "--summary-file", str(draft)) == 0
    entry = read_entries(root)[-1]
    assert (entry.published, entry.effective) == (dt.date(2026, 4, 4), dt.date(2026, 6, 4))
    # The release commit records the moment the notice counted from.
    made = git_project.git("log", "-1", "--format=%cI", "privacy-policy-2.0.0^{commit}")
    assert dt.datetime.fromisoformat(made) == RELEASE_MOMENT
    assert [d for d in load_project(root).diagnostics if d.severity == "error"] == []


@pytest.mark.parametrize("lowered", ["P1D", "PT1S"])
def test_a_release_that_lowers_the_notice_period_is_judged_by_the_period_before_it(
        git_project: GitRepo, lowered: str, capsys: pytest.CaptureFixture[str]) -> None:
    draft = significant_change(git_project, notice=lowered)
    root = git_project.path
    capsys.readouterr()
    assert run(root, "release", "--effective", "2026-05-06", "--summary-file", str(draft)) == 1
    err = capsys.readouterr().err
    assert "30 days (notice_period: P30D), the notice period in force before this release" in err
    assert f"lowers notice_period to {lowered}" in err and "2026-06-04 (Thursday 4 June 2026) or later" in err
    assert run(root, "release", "--effective", "2026-06-04", "--summary-file", str(draft)) == 0


def test_validate_catches_a_release_committed_with_too_short_a_notice(git_project: GitRepo) -> None:
    """A release written and committed without `policyctl release` (by hand, or by an older tool):
    validate counts the notice from its release commit, with the period in force before it."""
    draft = significant_change(git_project, notice="P1D")
    root = git_project.path
    assert run(root, "release", "--effective", "2026-06-04", "--summary-file", str(draft)) == 0
    entry = read_entries(root)[-1]
    git_project.git("reset", "-q", "--hard", "HEAD~1")
    git_project.git("tag", "-d", "privacy-policy-2.0.0")
    # Written by hand (or by an older tool): no record of published files (policykit.published).
    hand = replace(entry, effective=dt.date(2026, 5, 20), artefacts={})
    (root / "changelog/2.0.0.yaml").write_text(dump_entry(hand), "utf-8")
    git_project.commit("Release 2.0.0", date="2026-05-04T09:00:00+00:00")
    found = {d.code: d for d in load_project(root).diagnostics if d.severity == "error"}
    # This clone saw the first 2.0.0 when `release` queued its notices: its ledger says so too.
    assert sorted(found) == ["release.ledger", "release.notice"]
    d = found["release.notice"]
    assert "with a notice period of 30 day(s) it may apply from 2026-06-04" \
        in d.message
