"""The versions a site shows on a date: which release is in force, which are announced and not
yet effective, which were replaced before they took effect, and the draft.

Pure data from the changelog entries and the facts of each version's tree
(:mod:`policykit.site.releases`); :mod:`policykit.site.plan` makes the files from it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policykit.changelog import Entry


DRAFT = "draft"
RESERVED = ("versions", "compare", DRAFT)  # folder names inside a locale that are not versions


@dataclass(frozen=True)
class Version:
    """One version the site shows: a release (``entry`` set) or the work-tree draft."""

    id: str
    tree: str  # git tree id, or ``worktree:<sha256>`` for the draft
    document: str
    source_locale: str
    locales: tuple[str, ...]  # every locale this version is built in, source first
    titles: Mapping[str, str] = field(default_factory=dict)  # locale -> document title
    controller: str = ""
    commit: str | None = None
    entry: Entry | None = None
    base_url: str | None = None
    locale_trees: Mapping[str, str] = field(default_factory=dict)  # draft: a tree id per locale

    @property
    def draft(self) -> bool:
        return self.entry is None

    @property
    def published(self) -> dt.date | None:
        return self.entry.published if self.entry else None

    @property
    def effective(self) -> dt.date | None:
        return self.entry.effective if self.entry else None

    @property
    def level(self) -> str:
        return self.entry.level if self.entry else DRAFT

    def tree_for(self, locale: str) -> str:
        """The tree id a page of ``locale`` depends on (per locale for the draft)."""
        return self.locale_trees.get(locale, self.tree)


def needs_consent(entry: Entry) -> bool:
    """True when a significant release holds a change its rule marks as needing fresh consent.

    A typo fix never does: only significant changes count, and only those whose
    classification rule said ``consent`` (recorded in the change record at release).
    """
    return entry.level == "significant" and any(c.level == "significant" and c.consent for c in entry.changes)


def needs_notice(entry: Entry) -> bool:
    """Users must be told before a significant release takes effect."""
    return entry.level == "significant"


@dataclass(frozen=True)
class Timeline:
    """The versions as seen on ``today``.

    Any number of releases may be published and not yet in force. One that a later release
    replaces before it takes effect (the later one is effective on or before its date) is
    *never in force*: it is in ``replaced``, not in ``upcoming``.
    """

    today: dt.date
    releases: tuple[Version, ...]  # published on or before today, oldest first
    in_force: Version | None
    upcoming: tuple[Version, ...]  # published, not yet effective, will be in force; soonest first
    draft: Version | None = None
    replaced: frozenset[str] = frozenset()  # ids of releases that are never in force

    @property
    def current(self) -> Version | None:
        """What ``/<locale>/`` shows: in force, else the first upcoming, else the draft."""
        return self.in_force or (self.upcoming[0] if self.upcoming else None) or self.draft

    @property
    def next(self) -> Version | None:
        """The latest release not yet in force: what readers, apps and feeds are pointed at."""
        return self.upcoming[-1] if self.upcoming else None

    @property
    def shown(self) -> tuple[Version, ...]:
        """Every version that gets pages, oldest first (the draft last)."""
        return (*self.releases, *((self.draft,) if self.draft else ()))

    def previous(self, version: Version) -> Version | None:
        if version.draft:
            return self.releases[-1] if self.releases else None
        i = self.releases.index(version)
        return self.releases[i - 1] if i > 0 else None

    def following(self, version: Version) -> Version | None:
        if version.draft:
            return None
        i = self.releases.index(version)
        return self.releases[i + 1] if i + 1 < len(self.releases) else self.draft

    def status(self, version: Version) -> str:
        """in-force | upcoming | never-in-force | superseded | draft."""
        if version.draft:
            return DRAFT
        if version.id in self.replaced:
            return NEVER
        if version in self.upcoming:
            return "upcoming"
        return "in-force" if version is self.in_force else "superseded"


NEVER = "never-in-force"


def timeline(versions: Sequence[Version], today: dt.date, draft: Version | None = None) -> Timeline:
    """Which release is in force on ``today``, which are announced but not yet effective, and
    which were replaced before they took effect.

    A release dated in the future (``published`` after ``today``) is not shown yet. A release
    is never in force when a later one takes effect on or before its own effective date.
    """
    releases = tuple(v for v in versions if v.entry is not None and v.entry.published <= today)
    effective = [v for v in releases if v.entry is not None and v.entry.effective <= today]
    in_force = effective[-1] if effective else None
    replaced = frozenset(v.id for i, v in enumerate(releases)
                         if any(w.effective is not None and v.effective is not None and w.effective <= v.effective
                                for w in releases[i + 1:]))
    after = releases.index(in_force) + 1 if in_force else 0
    upcoming = tuple(sorted((v for v in releases[after:] if v.effective and v.effective > today
                             and v.id not in replaced),
                            key=lambda v: (v.effective, releases.index(v))))
    return Timeline(today, releases, in_force, upcoming, draft, replaced)
