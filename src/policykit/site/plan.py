"""What the site holds: versions, what is in force on a date, and every file with its key.

The plan is pure data computed from the changelog entries, a few facts about
each version's tree (its locales and titles, cached by tree id) and the date.
Every file of the site is an :class:`Artefact` whose ``key`` hashes all its
inputs, so comparing plans tells exactly what must be rendered, and an equal
plan means nothing at all has to be done.

Layout (``<v>`` is a version like ``2.0.0``; ``draft`` is the work tree)::

    index.html                       language chooser (no JavaScript)
    404.html  sitemap.xml  versions.json
    <locale>/index.html              the version in force today (+ notice of what is pending)
    <locale>/current.json            in force, upcoming, pending, notify? consent?  (for apps)
    <locale>/changes.atom            releases, significant ones marked
    <locale>/versions/index.html     every version with dates, level and summary
    <locale>/<v>/index.html  <v>/<document>.pdf  <v>/<document>.json  (+ <v>/<document>.html:
                                     what its release published, when it recorded that)
    <locale>/compare/index.html      pick any two versions
    <locale>/compare/<a>...<b>/index.html  (neighbours, and every version to the one in force)
    <locale>/compare/<a>...<b>/redline.pdf (neighbours)
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from policykit.site.cache import digest
from policykit.site.specs import (
    Artefact,
    ChangeRow,
    ComparePage,
    Notice,
    PolicyPage,
    Published,
    Record,
    SitePage,
    Source,
    keyable,
    make,
)

if TYPE_CHECKING:
    from policykit.changelog import Entry
    from policykit.site.theme import Theme

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


# -- urls -----------------------------------------------------------------

def version_dir(locale: str, version: str) -> str:
    return f"{locale}/{version}/"


def compare_dir(locale: str, a: str, b: str) -> str:
    return f"{locale}/compare/{a}...{b}/"


def relative(from_dir: str, to: str) -> str:
    """A relative link from a page in folder ``from_dir`` (``en/1.0.0/``) to site path ``to``."""
    depth = from_dir.count("/")
    return "../" * depth + to if to or depth else "./"


def absolute(base_url: str | None, path: str) -> str | None:
    if not base_url:
        return None
    return base_url.rstrip("/") + "/" + path


# -- the plan -------------------------------------------------------------

def record(version: Version, previous: Version | None) -> Record:
    entry = version.entry
    return Record(
        id=version.id,
        published=version.published,
        effective=version.effective,
        level=version.level,
        locales=version.locales,
        titles=tuple(sorted(version.titles.items())),
        summary=tuple(sorted(entry.summary.items())) if entry else (),
        notify=needs_notice(entry) if entry else False,
        consent=needs_consent(entry) if entry else False,
        previous=previous.id if previous else None,
        changes=len(entry.changes) if entry else 0,
        artefacts=tuple((tag, tuple(sorted(files.items()))) for tag, files in sorted(entry.artefacts.items()))
        if entry else (),
    )



def site_locales(tl: Timeline) -> tuple[str, ...]:
    """Every locale with at least one page: the current version's order first."""
    order: dict[str, None] = {}
    for v in (tl.current, *reversed(tl.shown)):
        if v is not None:
            order.update(dict.fromkeys(v.locales))
    return tuple(order)


def _files(v: Version, locale: str, stem: str, page: PolicyPage, salt: tuple[str, ...],
           formats: Sequence[str]) -> list[Artefact]:
    """The files of a version in ``formats`` (PDF, JSON, DOCX): keyed on what they are made of
    only, so every copy shares one render.

    A release that recorded what it published serves those files instead (its PDF whether or not
    this build makes PDFs: it exists already), and its page's HTML as published beside them; a
    format it did not publish (DOCX) is rendered."""
    kept = published_files(v, locale, page.source.root)
    served = [Artefact(f"{stem}.{ext}", "published", spec, digest("published", spec.sha256))
              for ext, spec in kept.items()]
    bare = PolicyPage(page.source, locale, page.record, page.document, page.source_locale, here="")
    return served + [Artefact(f"{stem}.{ext}", f"policy-{ext}", bare, digest(f"policy-{ext}", keyable(bare), *salt))
                     for ext in formats if not kept or ext == "docx"]


def published_files(v: Version, locale: str, root: str) -> dict[str, Published]:
    """The files release ``v`` recorded as published in ``locale`` (none for older releases)."""
    from policykit.published import artefact_path

    files = v.entry.artefacts.get(locale, {}) if v.entry is not None else {}
    return {fmt: Published(root, artefact_path(v.id, locale, v.document, fmt), sha)
            for fmt, sha in sorted(files.items())}


Gaps = Mapping[str, Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]]]


def _gaps(locale: str, in_force: Any, upcoming: Any, gaps: Gaps | None) -> tuple[Any, ...]:
    """The translation gaps ``current.json`` of ``locale`` reports: of the version in force and the next."""
    known = gaps or {}
    return tuple((vid, *known[vid].get(locale, ((), ()))) for vid in (in_force, upcoming)
                 if isinstance(vid, str) and vid in known)


def with_gaps(artefacts: Sequence[Artefact], gaps: Gaps | None, salt: tuple[str, ...]) -> list[Artefact]:
    """``artefacts`` (a plan) with each ``current.json`` keyed on ``gaps``: the same as planning
    with ``gaps`` in the first place, as no other file depends on them, without keying every
    file again (a build plans before it reads the gaps, to start its workers early)."""
    out = []
    for a in artefacts:
        if a.kind == "site" and a.spec.name == "current-json":
            spec = a.spec
            extra = dict(spec.extra) | {"gaps": _gaps(spec.locale, spec.in_force, spec.upcoming, gaps)}
            a = make(a.path, a.kind, replace(spec, extra=tuple(extra.items())), salt)
        out.append(a)
    return out


def _pairs(mine: Sequence[Version], in_force: Version | None) -> list[tuple[str, str]]:
    """The redlines of a locale: between neighbours, and from every version to the one in force
    (older ones to it, it to newer ones), oldest pair first."""
    ids = [v.id for v in mine]
    pairs = set(itertools.pairwise(ids))
    if in_force is not None and in_force.id in ids:
        at = ids.index(in_force.id)
        pairs |= {(ids[i], in_force.id) for i in range(at)} | {(in_force.id, ids[i]) for i in range(at + 1, len(ids))}
    return sorted(pairs, key=lambda p: (ids.index(p[1]), ids.index(p[0])))


def _changes(mine: Sequence[Version], a: Version, b: Version) -> tuple[ChangeRow, ...]:
    """The classified changes of every release after ``a`` up to ``b``, newest release first."""
    ids = [v.id for v in mine]
    rows: list[ChangeRow] = []
    for v in reversed(mine[ids.index(a.id) + 1: ids.index(b.id) + 1]):
        for c in v.entry.changes if v.entry else ():
            rows.append(ChangeRow(c.path, c.kind, c.level, c.rule, c.reason, c.level == "significant" and c.consent,
                                  v.id, c.locale))
    return tuple(rows)


def plan_site(tl: Timeline, *, root: str, base_url: str | None, salt: tuple[str, ...],
              author: str = "", pdf: bool = True, docx: bool = False,
              gaps: Gaps | None = None, theme: Theme | None = None) -> list[Artefact]:
    """Every file of the site for timeline ``tl``, each with the key of its inputs.

    ``pdf``: the PDFs of every version and the redline PDFs (and the links to them);
    ``docx``: a Word file beside each version's PDF (asked for by ``build --format docx``).

    ``gaps``: version id -> locale -> (untranslated, stale) unit keys, for ``current.json``
    (see :mod:`policykit.site.untranslated`); part of that file's key.
    """
    current = tl.current
    if current is None:
        return []
    document, source_locale = current.document, current.source_locale
    locales = site_locales(tl)
    previous = {v.id: tl.previous(v) for v in tl.shown}
    records = {v.id: record(v, previous[v.id]) for v in tl.shown}
    all_records = tuple(records[v.id] for v in tl.shown)
    statuses = tuple((v.id, tl.status(v)) for v in tl.shown)
    out: list[Artefact] = []
    formats = [f for f, wanted in (("pdf", pdf), ("json", True), ("docx", docx)) if wanted]

    def source(v: Version, locale: str) -> Source:
        return Source(root, v.commit, v.tree_for(locale))

    def site(name: str, path: str, locale: str | None, **kw: Any) -> None:
        spec = SitePage(name, locale, all_records, document, source_locale, locales, base_url, tl.today,
                        here=path.rsplit("/", 1)[0] + "/" if "/" in path else "", pdf=pdf, theme=theme, **kw)
        out.append(make(path, "site", spec, salt))

    for locale in locales:
        mine = [v for v in tl.shown if locale in v.locales]
        compares = _pairs(mine, tl.in_force)
        neighbours = set(itertools.pairwise(v.id for v in mine))
        home = f"{locale}/"
        for v in mine:
            here = version_dir(locale, v.id)
            prev = previous[v.id]
            links = [*((("pdf", f"{here}{document}.pdf"),) if pdf else ()), ("json", f"{here}{document}.json")]
            if prev is not None and (prev.id, v.id) in neighbours:
                links.append(("previous", compare_dir(locale, prev.id, v.id)))
            if tl.in_force is not None and v is not tl.in_force and locale in tl.in_force.locales:
                links.append(("in-force", home))
                pair = tuple(sorted((v.id, tl.in_force.id), key=[x.id for x in mine].index))
                if not v.draft and pair in compares and pair != (getattr(prev, "id", None), v.id):
                    links.append(("compare-in-force", compare_dir(locale, *pair)))
            kept = published_files(v, locale, root).get("html")
            page = PolicyPage(source(v, locale), locale, records[v.id], document, source_locale, here,
                              languages=tuple((t, version_dir(t, v.id)) for t in v.locales),
                              canonical=absolute(base_url, here), status=tl.status(v), links=tuple(links),
                              published=(kept.path, kept.sha256) if kept else None, theme=theme)
            out.append(make(f"{here}index.html", "policy-html", page, salt))
            out.extend(_files(v, locale, f"{here}{document}", page, salt, formats))

        shown = current if locale in current.locales else mine[-1]
        pending = [v for v in tl.upcoming if locale in v.locales]
        upcoming = pending[-1] if pending else None
        notice = None
        if upcoming is not None and upcoming.effective is not None:
            pair = (shown.id, upcoming.id)
            notice = Notice(min(v.effective for v in pending if v.effective), upcoming.id,
                            compare_dir(locale, *pair) if pair in compares else None,
                            first=tl.in_force is None,
                            steps=tuple((v.id, v.effective) for v in pending if v.effective) if len(pending) > 1
                            else ())
        here = version_dir(locale, shown.id)
        links = [*((("pdf", f"{here}{document}.pdf"),) if pdf else ()), ("json", f"{here}{document}.json"),
                 ("permalink", here)]
        page = PolicyPage(source(shown, locale), locale, records[shown.id], document, source_locale, home,
                          languages=tuple((t, f"{t}/") for t in locales), canonical=absolute(base_url, home),
                          notice=notice, status=tl.status(shown), links=tuple(links), theme=theme)
        out.append(make(f"{home}index.html", "policy-html", page, salt))
        # The PDF and JSON in force also live at a stable address (the same bytes: same key).
        out.extend(_files(shown, locale, f"{home}{document}", page, salt, formats))

        by_id = {v.id: v for v in mine}
        for a_id, b_id in compares:
            a, b = by_id[a_id], by_id[b_id]
            here = compare_dir(locale, a_id, b_id)
            # A redline PDF records what a release changed: one per pair of neighbours. The pages
            # from older versions to the one in force are for reading on the web (each such PDF
            # would cost as much as a release's, for a comparison nobody has to file).
            printed = pdf and (a_id, b_id) in neighbours
            spec = ComparePage(source(a, locale), source(b, locale), locale, records[a_id], records[b_id],
                               document, source_locale, here, _changes(mine, a, b),
                               languages=tuple((t, compare_dir(t, a_id, b_id)) for t in locales
                                               if t in a.locales and t in b.locales),
                               canonical=absolute(base_url, here), pdf=printed, theme=theme)
            out.append(make(f"{here}index.html", "compare-html", spec, salt))
            if printed:
                out.append(make(f"{here}redline.pdf", "compare-pdf", spec, salt))

        extra = dict(current=shown.id, in_force=tl.in_force.id if tl.in_force else None,
                     upcoming=upcoming.id if upcoming is not None else None, compares=tuple(compares),
                     statuses=statuses, pending=tuple(v.id for v in pending))
        site("versions", f"{locale}/versions/index.html", locale, **extra)
        site("compare-form", f"{locale}/compare/index.html", locale, **extra)
        site("current-json", f"{locale}/current.json", locale, **extra,
             extra=(("gaps", _gaps(locale, extra["in_force"], extra["upcoming"], gaps)),))
        site("atom", f"{locale}/changes.atom", locale, **extra, extra=(("author", author),))

    site("chooser", "index.html", None, current=current.id)
    site("not-found", "404.html", None, current=current.id)
    site("versions-json", "versions.json", None, current=current.id, statuses=statuses,
         in_force=tl.in_force.id if tl.in_force else None, upcoming=tl.next.id if tl.next else None,
         pending=tuple(v.id for v in tl.upcoming))
    if base_url:
        pages = tuple(a.path for a in out if a.path.endswith("index.html"))
        site("sitemap", "sitemap.xml", None, extra=(("pages", pages),))
    return out
