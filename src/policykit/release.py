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
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from policykit import changelog, yamlio
from policykit.changelog import ChangeRecord, Entry, Override
from policykit.diagnostics import Diagnostic, Pos, error
from policykit.errors import InvalidPolicy, PolicyError, ReleaseError
from policykit.vocabulary import duration_days

if TYPE_CHECKING:
    from policykit.classify import Override as ClassifyOverride
    from policykit.diff import Change
    from policykit.git import Repository
    from policykit.model import Policy

PENDING = "pending"


@dataclass(frozen=True)
class Draft:
    """The editor's part of a release (``--summary-file``): the summary per locale and any overrides."""

    summary: dict[str, str | None] = field(default_factory=dict)  # None: translation pending
    overrides: tuple[ClassifyOverride, ...] = ()
    file: str = ""


def read_draft(data: bytes, name: str) -> Draft:
    """Parse a release draft::

        summary:
          en: |
            What changes for users …
          ja: pending          # or null: the translation will follow
        overrides:
          - path: collection.definition
            level: editorial
            justification: Only the spelling changed; the meaning is the same.

    A file with only text (no ``summary:`` key) is the source-locale summary.
    """
    from policykit.classify import Override as ClassifyOverride

    raw = yamlio.parse(data, name)
    if isinstance(raw, str):
        return Draft(summary={"": raw}, file=name)
    problems: list[Diagnostic] = []
    if not isinstance(raw, yamlio.LMap):
        raise InvalidPolicy([error(Pos(name, 1, 1), "a release draft is a mapping with `summary` "
                                   "(and optional `overrides`)", "release.draft")])
    for key in raw:
        if key not in ("summary", "overrides"):
            problems.append(error(raw.key_pos[key], f"unknown key {key!r} in a release draft "
                                  "(summary, overrides)", "release.draft"))
    summary: dict[str, str | None] = {}
    s = raw.get("summary")
    if isinstance(s, str):
        summary[""] = s
    elif isinstance(s, yamlio.LMap):
        for tag, text in s.items():
            if text is None or text == PENDING:
                summary[tag] = None
            elif isinstance(text, str) and text.strip():
                summary[tag] = text.strip() + "\n"
            else:
                problems.append(error(s.where(tag), f"summary for {tag!r} must be text, or `pending`",
                                      "release.draft"))
    elif s is not None:
        problems.append(error(raw.where("summary"), "summary must map locales to text", "release.draft"))
    overrides = []
    items = raw.get("overrides") or []
    for item, pos in zip(items, getattr(items, "item_pos", []), strict=False):
        if not isinstance(item, yamlio.LMap) or not isinstance(item.get("path"), str) \
                or not isinstance(item.get("level"), str):
            problems.append(error(pos, "an override needs `path`, `level` and `justification`", "release.draft"))
            continue
        unknown = sorted(set(item) - {"path", "level", "justification", "kind", "by"})
        if unknown:
            problems.append(error(item.key_pos[unknown[0]], f"unknown key {unknown[0]!r} in an override "
                                  "(path, level, justification, kind, by)", "release.draft"))
        overrides.append(ClassifyOverride(path=item["path"], level=item["level"],
                                          justification=str(item.get("justification") or ""),
                                          kind=str(item.get("kind") or ""), by=str(item.get("by") or ""),
                                          pos=item.pos))
    if problems:
        raise InvalidPolicy(problems)
    return Draft(summary=summary, overrides=tuple(overrides), file=name)


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


def _refuse(version: str | None, reasons: Sequence[str], warnings: Sequence[str] = ()) -> ReleaseError:
    """Every reason, and every warning too: fixing the reasons should not reveal new surprises."""
    return ReleaseError("\n  ".join([f"release {version or '?'} refused:", *reasons,
                                     *(f"warning: {w}" for w in warnings)]))


def prepare(root: Path, *, version: str | None = None, effective: dt.date | None = None,
            published: dt.date | None = None, draft: Draft | None = None,
            today: dt.date | None = None) -> Prepared:
    """Everything a release of ``HEAD`` would record; :class:`ReleaseError` listing every reason
    when it must not happen (uncommitted files, errors, dates, versions, translations, all at once)."""
    from policykit.classify import apply_overrides, check_overrides, classify, load_rules
    from policykit.diff import diff_policies, level_of
    from policykit.git import POLICY_DIRS
    from policykit.load.project import validate
    from policykit.versions import load_version

    repo = _repo(root)
    reasons: list[str] = []
    notes: list[str] = []
    warnings: list[str] = []
    dirty = repo.dirty(POLICY_DIRS)
    if dirty:
        listed = ", ".join(dirty[:5]) + (f" and {len(dirty) - 5} more" if len(dirty) > 5 else "")
        reasons.append(f"uncommitted changes to the policy ({listed}); a release is made from a commit, so "
                       "they would not be in it: commit them (or stash them) first")
    _check_branch(repo, warnings)
    head = load_version(root, "HEAD", repo=repo)
    policy = head.policy
    # Every error of HEAD, each with its place: the same checks as `validate`, translation coverage
    # (published means translated) among them.
    reasons.extend(str(d) for d in (*head.diagnostics, *validate(policy)) if d.severity == "error")
    assert head.commit is not None
    previous = changelog.latest(root)
    moment = now()
    published = published or today or moment.date()
    _check_future_date(policy, published, warnings)
    draft = draft or Draft()
    summary = {(policy.source_locale if k == "" else k): v for k, v in draft.summary.items()}

    changes: list[Change] = []
    before: Policy | None = None
    if previous is None:
        level = changelog.FIRST
        if draft.overrides:
            reasons.append("the first release has no changes to override")
    else:
        try:
            prev_sha = repo.resolve(previous.commit)
        except PolicyError:
            raise _refuse(version, [*reasons, f"{previous.file}: the last release names commit {previous.commit}, "
                                    "which is not in this repository"], warnings) from None
        if repo.tree_key(prev_sha) == repo.tree_key(head.commit):
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
            reasons.append(_undecided(undecided, draft))
        # Until a person decides, a change left to review weighs as significant (so the other checks a
        # significant release needs are reported now too).
        level = "significant" if level_of(changes) == "review" else level_of(changes)
        _check_last_updated(before, policy, level, previous, published, reasons)
        if published < previous.published:
            reasons.append(f"--published {day(published)} is before the last release ({previous.version}, "
                           f"published {day(previous.published)})")

    version = _version(root, repo, policy.document, previous, level, version, reasons)
    effective = _effective(policy, before, level, moment, published, effective, reasons)
    if level == "significant":
        _check_summary(policy, summary, reasons, notes)
    elif summary.get(policy.source_locale) is None and previous is not None:
        notes.append("no summary: readers see only the list of changes")
    if previous is not None:
        _gate(policy, changes, notes)
    if reasons:
        raise _refuse(version, reasons, warnings)

    records = tuple(ChangeRecord(path=c.path, kind=c.kind, level=c.level, rule=c.rule, reason=c.reason,
                                 citation=c.citation, locale=c.locale, consent=c.consent) for c in changes)
    overrides = _recorded_overrides(changes)
    entry = Entry(
        version=version, document=policy.document, level=level, published=published, effective=effective,
        previous=previous.version if previous else None, commit=head.commit, tree=repo.tree_id(head.commit),
        content_hash=_content(repo, head.commit),
        summary={tag: summary.get(tag) for tag in _ordered_locales(policy, summary)},
        changes=records, overrides=overrides,
    )
    return Prepared(entry=entry, markdown=changelog.render_markdown(entry, title=policy.title,
                                                                   language_names=_language_names(policy, entry)),
                    changes=tuple(changes), tag=f"{policy.document}-{version}", notes=tuple(notes), moment=moment,
                    warnings=(*warnings, *superseded_warnings(changelog.read_entries(root), entry)))


def _recorded_overrides(changes: Sequence[Change]) -> tuple[Override, ...]:
    """One record per override the editor wrote, though it may cover several changes (a text and its
    translations): ``was`` is the highest level the classifier had given them."""
    from policykit.diff import LEVELS

    out: dict[tuple[str, str, str, str], Override] = {}
    for c in changes:
        if not c.classified_as:
            continue
        key = (c.path, c.level, c.justification, c.decided_by)
        seen = out.get(key)
        if seen is None or LEVELS.index(c.classified_as) > LEVELS.index(seen.was):
            out[key] = Override(path=c.path, level=c.level, was=c.classified_as, justification=c.justification,
                                by=c.decided_by)
    return tuple(out.values())


def _undecided(changes: Sequence[Change], draft: Draft) -> str:
    """Why a release waits for a person: the changes no rule explains, and how to record the decision."""
    listed = "; ".join(f"{c.path} ({c.reason})" for c in changes[:5])
    more = f" and {len(changes) - 5} more" if len(changes) > 5 else ""
    where = draft.file or "a release draft (--summary-file)"
    return (f"{len(changes)} change(s) no rule explains need a person's decision: {listed}{more}; record each in "
            f"{where} under `overrides:` with `path`, the `level` you decide, a `justification` and `by` (who "
            "decided)")


def _check_branch(repo: Repository, warnings: list[str]) -> None:
    branch, default = repo.branch(), repo.default_branch()
    if branch is None:
        warnings.append("HEAD is detached: the release is made from a commit on no branch; make releases from "
                        f"{default or 'the default branch'} so the next one follows from it")
    elif default is not None and branch != default:
        warnings.append(f"releasing from branch {branch!r}, not from the default branch {default!r}: the release's "
                        f"commit and tag stay on {branch!r} until it is merged")


def _check_future_date(policy: Policy, published: dt.date, warnings: list[str]) -> None:
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


def _version(root: Path, repo: Repository, document: str, previous: Entry | None, level: str,
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


def _effective(policy: Policy, before: Policy | None, level: str, moment: dt.datetime, published: dt.date,
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


def _check_last_updated(before: Policy, after: Policy, level: str, previous: Entry, published: dt.date,
                        reasons: list[str]) -> None:
    problem = last_updated_problem(before, after, level, previous.version)
    if problem is None:
        return
    pos = after.field_pos.get("last_updated")
    where = f"{pos}: " if pos is not None else ""
    reasons.append(f"{where}{problem}; set `last_updated: {published}` (or the date this version carries) "
                   "in policy/policy.yaml and commit it")


def _check_summary(policy: Policy, summary: dict[str, str | None], reasons: list[str], notes: list[str]) -> None:
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


def _gate(policy: Policy, changes: Sequence[Change], notes: list[str]) -> None:
    """What the release changed that a fallback locale shows in the source language (a published
    locale cannot lag: policykit.i18n.gate.coverage, run by ``validate`` above, refuses it)."""
    from policykit.i18n.gate import gate

    paths = sorted({c.path for c in changes if not c.locale})
    for tag in policy.fallback_locales:
        if tag == policy.source_locale or tag in policy.locales:
            continue
        notes.extend(str(problem) for problem in gate(policy, tag, paths))


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
    sha = repo.commit_paths([yaml_path, md_path, *kept],
                            f"Release {entry.document} {entry.version} ({what})\n\n"
                            f"Made from {entry.commit}; {len(entry.changes)} classified change(s).",
                            date=prepared.moment)
    repo.tag(prepared.tag, sha, f"{entry.document} {entry.version} ({what})", sign=_must_sign(repo, entry.version))
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
