"""What must hold before a release is recorded: its branch, dates, version number and summary.

Each check appends the reasons that refuse the release (or the notes and warnings that do not) to
the lists :func:`policykit.release.prepare` collects, so the editor sees every problem at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from policykit import changelog
from policykit.changelog import Entry
from policykit.errors import PolicyError
from policykit.vocabulary import duration_days

if TYPE_CHECKING:
    from policykit.compare.diff import Change
    from policykit.git import Repository
    from policykit.model import Policy
    from policykit.releasedraft import Draft


def day(date: dt.date, *, iso: bool = True) -> str:
    """A date in words, with the form the command line takes: ``Monday 4 January 2027 (2027-01-04)``."""
    from babel.dates import format_date

    words = format_date(date, "EEEE d MMMM y", locale="en")
    return f"{words} ({date.isoformat()})" if iso else words


def duration(value: str) -> str:
    """An ISO 8601 duration in words: ``P30D`` → ``30 days`` (as written when CLDR cannot say it)."""
    from policykit.factview import duration_words

    try:
        return duration_words(value, "en")
    except ValueError:
        return value


def undecided_reason(changes: Sequence[Change], draft: Draft) -> str:
    """Why a release waits for a person: the changes no rule explains, and how to record the decision."""
    listed = "; ".join(f"{c.path} ({c.reason})" for c in changes[:5])
    more = f" and {len(changes) - 5} more" if len(changes) > 5 else ""
    where = draft.file or "a release draft (--summary-file)"
    return (f"{len(changes)} change(s) no rule explains need a person's decision: {listed}{more}; record each in "
            f"{where} under `overrides:` with `path`, the `level` you decide, a `justification` and `by` (who "
            "decided)")


def check_branch(repo: Repository, warnings: list[str]) -> None:
    branch, default = repo.branch(), repo.default_branch()
    if branch is None:
        warnings.append("HEAD is detached: the release is made from a commit on no branch; make releases from "
                        f"{default or 'the default branch'} so the next one follows from it")
    elif default is not None and branch != default:
        warnings.append(f"releasing from branch {branch!r}, not from the default branch {default!r}: the release's "
                        f"commit and tag stay on {branch!r} until it is merged")


def check_future_date(policy: Policy, published: dt.date, warnings: list[str]) -> None:
    if policy.last_updated is None or policy.last_updated <= published:
        return
    pos = policy.field_pos.get("last_updated")
    where = f"{pos}: " if pos is not None else ""
    warnings.append(f"{where}`last_updated` is {day(policy.last_updated)}, after the publication date "
                    f"{day(published)}: readers would see a date still to come; set `last_updated: {published}` "
                    "(or pass the --published date you mean)")


def superseded_warnings(entries: Sequence[Entry], new: Entry) -> Iterator[str]:
    """What releasing ``new`` does to releases not yet in force when it is published: one it
    takes effect on or before replaces it, and that one is then never in force (the site says
    so, and points readers, apps and feeds at ``new``)."""
    for old in entries:
        if old.version == new.version or old.effective <= new.published:
            continue  # in force by then: superseded in the ordinary way
        if new.effective <= old.effective:
            yield (f"release {new.version} (effective {new.effective}) replaces release {old.version} before it "
                   f"takes effect ({old.effective}): {old.version} will never be in force. The site, current.json "
                   f"and the feed point at {new.version}, compared with the version in force; its notice must "
                   f"tell users about both releases' changes")
        else:
            yield (f"release {old.version} is still pending (effective {old.effective}); {new.version} follows it "
                   f"on {new.effective}: readers are pointed at {new.version}, with both dates")


def choose_version(root: Path, repo: Repository, document: str, previous: Entry | None, level: str,
             wanted: str | None, reasons: list[str]) -> str:
    automatic = changelog.next_version(previous.version if previous else None, level)
    if wanted is None:
        version = automatic
    else:
        version = wanted
        try:
            changelog.parse_version(wanted)
        except PolicyError as exc:
            reasons.append(str(exc))
            return wanted
        if previous is not None:
            announced = changelog.bump_level(previous.version, wanted)
            if announced is None:
                reasons.append(f"--version {wanted} is not higher than the last release {previous.version}")
            elif level in changelog.LEVELS and \
                    changelog.LEVELS.index(announced) < changelog.LEVELS.index(level):
                reasons.append(f"--version {wanted} announces a {announced} change, but this release is {level}: "
                               f"use {automatic} (significant → MAJOR, minor → MINOR, editorial → PATCH)")
    if changelog.VERSION_RE.match(version) and (root / changelog.entry_path(version)).exists():
        reasons.append(f"{changelog.entry_path(version)} exists: version {version} is already released")
    return version


def choose_effective(policy: Policy, before: Policy | None, level: str, moment: dt.datetime, published: dt.date,
               effective: dt.date | None, reasons: list[str]) -> dt.date:
    """The effective date, checked. A significant release's notice counts from the moment the
    release is made (never from ``--published``, which an editor types), for the longer of this
    version's notice period and the one in force before it: a release cannot shorten its own
    notice. Other levels need no notice (a historical release may be recorded as it was)."""
    from policykit.integrity import earliest_effective

    if level != "significant":
        if effective is not None and effective < published:
            reasons.append(f"--effective {day(effective)} is before --published {day(published)}")
        return effective or published
    periods = [(duration_days(p.notice_period) or 0.0, p.notice_period, p is before)
               for p in (policy, before) if p is not None and p.notice_period]
    days, period, earlier = max(periods, default=(0.0, "P0D", False))
    earliest = earliest_effective(moment, days)
    notice = f"{duration(period)} (notice_period: {period})"
    which = (f"{notice}, the notice period in force before this release (it lowers notice_period to "
             f"{policy.notice_period}, which applies only to later releases)") if earlier and \
        policy.notice_period != period else notice
    if effective is None:
        reasons.append(f"a significant release needs --effective DATE: users must be told {which} before it "
                       f"applies, counted from now ({moment:%Y-%m-%d %H:%M} UTC), so --effective {earliest} "
                       f"({day(earliest, iso=False)}) or later")
        return earliest
    if effective < earliest:
        reasons.append(f"--effective {day(effective)} leaves users less than the notice period of {which}, "
                       f"counted from now ({moment:%Y-%m-%d %H:%M} UTC) when the release is made, whatever "
                       f"--published says: --effective {earliest} ({day(earliest, iso=False)}) or later")
    return effective


def last_updated_problem(before: Policy, after: Policy, level: str, since: str) -> str | None:
    """Why ``after`` cannot be released as ``level`` after release ``since`` (``before``) with
    its "last updated" date, or None. A minor or significant release moves the date on (11 CCR
    7011(e)(4), CPA Rule 6.03(A)(8): the date a reader sees is the date the policy last
    changed); an editorial one, which changes no meaning, may keep it."""
    if level not in ("significant", "minor") or before.last_updated is None:
        return None
    if after.last_updated is not None and after.last_updated > before.last_updated:
        return None
    if after.last_updated is None:
        what = f"`last_updated` was removed (release {since} had {before.last_updated})"
    elif after.last_updated == before.last_updated:
        what = f"`last_updated` is still {before.last_updated}, as in release {since}"
    else:
        what = f"`last_updated` {after.last_updated} is earlier than release {since}'s {before.last_updated}"
    return f"{what}, but the changes are {level}: readers must see the date the policy changed"


def check_last_updated(before: Policy, after: Policy, level: str, previous: Entry, published: dt.date,
                        reasons: list[str]) -> None:
    problem = last_updated_problem(before, after, level, previous.version)
    if problem is None:
        return
    pos = after.field_pos.get("last_updated")
    where = f"{pos}: " if pos is not None else ""
    reasons.append(f"{where}{problem}; set `last_updated: {published}` (or the date this version carries) "
                   "in policy/policy.yaml and commit it")


def check_summary(policy: Policy, summary: dict[str, str | None], reasons: list[str], notes: list[str]) -> None:
    if not summary.get(policy.source_locale):
        reasons.append(f"a significant release needs an editor's summary of what changes for users "
                       f"(--summary-file, with `summary: {{{policy.source_locale}: …}}`)")
        return
    for tag in policy.locales:
        if tag == policy.source_locale:
            continue
        if tag not in summary:
            reasons.append(f"the summary has no {tag!r}: translate it, or write `{tag}: pending` to send the "
                           f"{policy.source_locale} summary until the translation is there")
        elif summary[tag] is None:
            notes.append(f"summary in {tag} is pending: {tag} readers get the {policy.source_locale} summary")


def fallback_notes(policy: Policy, changes: Sequence[Change], notes: list[str]) -> None:
    """What the release changed that a fallback locale shows in the source language (a published
    locale cannot lag: policykit.i18n.gate.coverage, run by ``validate`` above, refuses it)."""
    from policykit.i18n.gate import gate

    paths = sorted({c.path for c in changes if not c.locale})
    for tag in policy.fallback_locales:
        if tag == policy.source_locale or tag in policy.locales:
            continue
        notes.extend(str(problem) for problem in gate(policy, tag, paths))
