"""Releases: classify what changed since the last release, record it in ``changelog/``, commit and tag.

A release is made from ``HEAD``: its ``policy/`` and ``locales/`` must be
committed, valid, and different from the last release. The version number
follows from the level (see :func:`policykit.changelog.next_version`). A
significant release needs an effective date at least the notice period after
publication and a summary for users in every published locale (or marked
pending). Then ``changelog/<version>.yaml`` and its Markdown twin are written,
committed (only those two files) and tagged ``<document>-<version>``.

:func:`check_releases` is the other half of immutability: ``validate`` fails
when an entry was edited after its release, or when the commit it names no
longer holds the content it recorded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from policykit import changelog, gitrelease
from policykit.changelog import ChangeRecord, Entry, RecordedOverride
from policykit.diagnostics import Diagnostic
from policykit.errors import PolicyError, ReleaseError
from policykit.releasechecks import (
    check_branch,
    check_future_date,
    check_last_updated,
    check_summary,
    choose_effective,
    choose_version,
    day,
    duration,
    fallback_notes,
    last_updated_problem,
    superseded_warnings,
    undecided_reason,
)
from policykit.releasedraft import PENDING, Draft, read_draft

if TYPE_CHECKING:
    from policykit.compare.diff import Change
    from policykit.git import Repository
    from policykit.model import Policy

# day, duration, read_draft, last_updated_problem and the draft's names are re-exported: the commands and
# the site use them from here.
__all__ = ["PENDING", "Draft", "Prepared", "Released", "check_releases", "day", "duration", "last_updated_problem",
           "now", "prepare", "read_draft", "superseded_warnings", "write"]

@dataclass(frozen=True)
class Prepared:
    """A release ready to be written: its entry, its Markdown, and the classified changes behind it."""

    entry: Entry
    markdown: str
    changes: tuple[Change, ...]
    tag: str
    notes: tuple[str, ...] = ()  # what the editor should know (translations pending, fallbacks)
    moment: dt.datetime | None = None  # when the release is made: its commit records it, the notice counts from it
    # What looks wrong but does not stop the release (and what it does to a pending release).
    warnings: tuple[str, ...] = ()


def _repo(root: Path) -> Repository:
    from policykit.git import Repository

    return Repository(root)


def _content(repo: Repository, sha: str) -> str:
    return changelog.content_hash((path, repo.blob(blob)) for path, blob in repo.files(sha).items())


def now() -> dt.datetime:
    """The clock a release is made by: the notice period counts from here, never from a typed date."""
    return dt.datetime.now(dt.UTC)


def _refuse(version: str | None, reasons: Sequence[str], warnings: Sequence[str] = ()) -> ReleaseError:
    """Every reason, and every warning too: fixing the reasons should not reveal new surprises."""
    return ReleaseError("\n  ".join([f"release {version or '?'} refused:", *reasons,
                                     *(f"warning: {w}" for w in warnings)]))


def prepare(root: Path, *, version: str | None = None, effective: dt.date | None = None,
            published: dt.date | None = None, draft: Draft | None = None,
            today: dt.date | None = None) -> Prepared:
    """Everything a release of ``HEAD`` would record; :class:`ReleaseError` listing every reason
    when it must not happen (uncommitted files, errors, dates, versions, translations, all at once)."""
    from policykit.git import POLICY_DIRS
    from policykit.load.project import validate
    from policykit.versions import load_version

    repo = _repo(root)
    reasons: list[str] = []
    notes: list[str] = []
    warnings: list[str] = []
    dirty = gitrelease.dirty(repo, POLICY_DIRS)
    if dirty:
        listed = ", ".join(dirty[:5]) + (f" and {len(dirty) - 5} more" if len(dirty) > 5 else "")
        reasons.append(f"uncommitted changes to the policy ({listed}); a release is made from a commit, so "
                       "they would not be in it: commit them (or stash them) first")
    check_branch(repo, warnings)
    head = load_version(root, "HEAD", repo=repo)
    policy = head.policy
    # Every error of HEAD, each with its place: the same checks as `validate`, translation coverage
    # (published means translated) among them.
    reasons.extend(str(d) for d in (*head.diagnostics, *validate(policy)) if d.severity == "error")
    assert head.commit is not None
    previous = changelog.latest(root)
    moment = now()
    published = published or today or moment.date()
    check_future_date(policy, published, warnings)
    draft = draft or Draft()
    summary = {(policy.source_locale if k == "" else k): v for k, v in draft.summary.items()}

    changes: list[Change] = []
    before: Policy | None = None
    if previous is None:
        level = changelog.FIRST
        if draft.overrides:
            reasons.append("the first release has no changes to override")
    else:
        changes, before, level = _since_previous(root, repo, version, policy, head.commit, previous, draft,
                                                 published, reasons, warnings)

    version = choose_version(root, repo, policy.document, previous, level, version, reasons)
    effective = choose_effective(policy, before, level, moment, published, effective, reasons)
    if level == "significant":
        check_summary(policy, summary, reasons, notes)
    elif summary.get(policy.source_locale) is None and previous is not None:
        notes.append("no summary: readers see only the list of changes")
    if previous is not None:
        fallback_notes(policy, changes, notes)
    if reasons:
        raise _refuse(version, reasons, warnings)

    entry = _entry(repo, policy, head.commit, version, level, published, effective, previous, summary, changes)
    return Prepared(entry=entry, markdown=changelog.render_markdown(entry, title=policy.title,
                                                                   language_names=_language_names(policy, entry)),
                    changes=tuple(changes), tag=f"{policy.document}-{version}", notes=tuple(notes), moment=moment,
                    warnings=(*warnings, *superseded_warnings(changelog.read_entries(root), entry)))


def _entry(repo: Repository, policy: Policy, head: str, version: str, level: str, published: dt.date,
           effective: dt.date, previous: Entry | None, summary: dict[str, str | None],
           changes: Sequence[Change]) -> Entry:
    """The changelog entry a release records."""
    records = tuple(ChangeRecord(path=c.path, kind=c.kind, level=c.level, rule=c.rule, reason=c.reason,
                                 citation=c.citation, locale=c.locale, consent=c.consent) for c in changes)
    return Entry(
        version=version, document=policy.document, level=level, published=published, effective=effective,
        previous=previous.version if previous else None, commit=head, tree=repo.tree_id(head),
        content_hash=_content(repo, head),
        summary={tag: summary.get(tag) for tag in _ordered_locales(policy, summary)},
        changes=records, overrides=_recorded_overrides(changes),
    )


def _since_previous(root: Path, repo: Repository, version: str | None, policy: Policy, head: str,
                    previous: Entry, draft: Draft, published: dt.date, reasons: list[str],
                    warnings: list[str]) -> tuple[list[Change], Policy, str]:
    """The classified changes since the last release, the policy it released, and the level of this one;
    refused at once when nothing changed (the other reasons found so far are listed too)."""
    from policykit.compare.classify import apply_overrides, check_overrides, classify, load_rules
    from policykit.compare.diff import diff_policies, level_of
    from policykit.versions import load_version

    try:
        prev_sha = repo.resolve(previous.commit)
    except PolicyError:
        raise _refuse(version, [*reasons, f"{previous.file}: the last release names commit {previous.commit}, "
                                "which is not in this repository"], warnings) from None
    if repo.tree_key(prev_sha) == repo.tree_key(head):
        raise _refuse(version, [*reasons, f"nothing changed since release {previous.version} (commit "
                                f"{previous.commit[:7]}): policy/ and locales/ are the same"], warnings)
    before = load_version(root, prev_sha, repo=repo).policy
    changes = classify(diff_policies(before, policy, locales=[t for t in policy.all_locales
                                                              if t != policy.source_locale]),
                       load_rules(root), before=before, after=policy)
    if not changes:
        raise _refuse(version, [*reasons, f"nothing changed since release {previous.version}: the files differ, "
                                "but not in anything the policy says (only formatting or comments?)"], warnings)
    bad = check_overrides(changes, draft.overrides)
    reasons.extend(str(d) for d in bad)
    if not bad:
        changes = apply_overrides(changes, draft.overrides)
    undecided = [c for c in changes if c.level == "review"]
    if undecided:
        reasons.append(undecided_reason(undecided, draft))
    # Until a person decides, a change left to review weighs as significant (so the other checks a
    # significant release needs are reported now too).
    level = "significant" if level_of(changes) == "review" else level_of(changes)
    check_last_updated(before, policy, level, previous, published, reasons)
    if published < previous.published:
        reasons.append(f"--published {day(published)} is before the last release ({previous.version}, "
                       f"published {day(previous.published)})")
    return changes, before, level


def _recorded_overrides(changes: Sequence[Change]) -> tuple[RecordedOverride, ...]:
    """One record per override the editor wrote, though it may cover several changes (a text and its
    translations): ``was`` is the highest level the classifier had given them."""
    from policykit.compare.diff import LEVELS

    out: dict[tuple[str, str, str, str], RecordedOverride] = {}
    for c in changes:
        if not c.classified_as:
            continue
        key = (c.path, c.level, c.justification, c.decided_by)
        seen = out.get(key)
        if seen is None or LEVELS.index(c.classified_as) > LEVELS.index(seen.was):
            out[key] = RecordedOverride(path=c.path, level=c.level, was=c.classified_as, justification=c.justification,
                                by=c.decided_by)
    return tuple(out.values())


def _ordered_locales(policy: Policy, summary: dict[str, str | None]) -> list[str]:
    tags = [policy.source_locale, *policy.locales, *sorted(summary)]
    return [t for t in dict.fromkeys(tags) if t in summary]


def _language_names(policy: Policy, entry: Entry) -> dict[str, str]:
    from babel import Locale

    names = {}
    for tag in entry.summary:
        try:
            names[tag] = Locale.parse(tag, sep="-").get_display_name(Locale.parse(policy.source_locale, sep="-"))
        except (ValueError, LookupError):
            continue
    return {k: v for k, v in names.items() if v}


# -- writing ---------------------------------------------------------------------
@dataclass(frozen=True)
class Released:
    entry: Entry
    commit: str
    tag: str
    files: tuple[str, ...]
    notified: str | None = None  # the enqueue report, or why notification jobs were not queued


def write(root: Path, prepared: Prepared, *, publish: bool = True) -> Released:
    """Write the entry and its Markdown, commit exactly those two files (and, with ``publish``,
    the files the release publishes, their hashes recorded in the entry: policykit.published),
    tag the commit, queue notices."""
    entry = prepared.entry
    yaml_path = changelog.entry_path(entry.version)
    md_path = yaml_path.removesuffix(".yaml") + ".md"
    kept: tuple[str, ...] = ()
    markdown = prepared.markdown
    if publish:
        from policykit.site.archive import publish as publish_files

        entry, kept = publish_files(root, entry)
        markdown = markdown.rstrip("\n") + "\n\n" + changelog.published_markdown(entry)
    (root / changelog.CHANGELOG_DIR).mkdir(exist_ok=True)
    (root / yaml_path).write_text(changelog.dump_entry(entry), "utf-8")
    (root / md_path).write_text(markdown, "utf-8")
    repo = _repo(root)
    what = f"{entry.level}, effective {entry.effective}"
    sha = gitrelease.commit_paths(repo, [yaml_path, md_path, *kept],
                                  f"Release {entry.document} {entry.version} ({what})\n\n"
                                  f"Made from {entry.commit}; {len(entry.changes)} classified change(s).",
                                  date=prepared.moment)
    gitrelease.tag(repo, prepared.tag, sha, f"{entry.document} {entry.version} ({what})",
                   sign=_must_sign(repo, entry.version))
    notified = None
    if entry.significant:
        notified = _enqueue(root, entry)
    return Released(entry, sha, prepared.tag, (yaml_path, md_path, *kept), notified)


def _must_sign(repo: Repository, version: str) -> bool:
    """Whether this clone requires signed release tags from a version at or before ``version``."""
    from policykit.integrity import SIGNED_FROM_KEY

    since = repo.config(SIGNED_FROM_KEY)
    return bool(since and changelog.VERSION_RE.match(since)
                and changelog.parse_version(version) >= changelog.parse_version(since))


def _enqueue(root: Path, entry: Entry) -> str:
    from policykit.notify.config import CONFIG_FILE

    if not (root / CONFIG_FILE).is_file():
        return f"no {CONFIG_FILE}: no notification jobs queued"
    from policykit.notify.jobs import enqueue_release, superseded_note

    try:
        note = superseded_note(root, entry)
        report = enqueue_release(root, entry.version)
        return "\n  ".join([str(report), *(f"warning: {w}" for w in report.warnings),
                            *([f"note: {note}"] if note else [])])
    except PolicyError as exc:
        return (f"notification jobs NOT queued: {exc}. The release stands; queue them with "
                f"`policyctl notify enqueue {entry.version}` once that is fixed")


# -- immutability: policykit.integrity (re-exported for callers that import it from here) --------
def check_releases(root: Path) -> Iterator[Diagnostic]:
    """Every problem with the releases (see :func:`policykit.integrity.check_releases`)."""
    from policykit.integrity import check_releases as check

    return check(root)
