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

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from policykit.site.cache import digest
from policykit.site.specs import (
    Artefact,
    ChangeRow,
    Changes,
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
from policykit.site.timeline import Timeline, Version, needs_consent, needs_notice

if TYPE_CHECKING:
    from policykit.site.theme import Theme

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


def _changes(mine: Sequence[Version], a: Version, b: Version) -> Changes:
    """The classified changes of every release after ``a`` up to ``b``, newest release first."""
    ids = [v.id for v in mine]
    rows: list[ChangeRow] = []
    for v in reversed(mine[ids.index(a.id) + 1: ids.index(b.id) + 1]):
        for c in v.entry.changes if v.entry else ():
            rows.append(ChangeRow(c.path, c.kind, c.level, c.rule, c.reason, c.level == "significant" and c.consent,
                                  v.id, c.locale))
    return Changes(tuple(rows))


@dataclass
class _Planner:
    """What every file of one plan shares, and the list the files go into, in site order."""

    tl: Timeline
    current: Version
    root: str
    base_url: str | None
    salt: tuple[str, ...]
    pdf: bool
    formats: Sequence[str]
    theme: Theme | None
    locales: tuple[str, ...] = ()
    records: dict[str, Record] = field(default_factory=dict)
    out: list[Artefact] = field(default_factory=list)
    # (from, to, versions between) -> their changes: one object (and one key) for every locale.
    changes: dict[tuple[str, ...], Changes] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.locales = site_locales(self.tl)
        self.records = {v.id: record(v, self.tl.previous(v)) for v in self.tl.shown}

    def source(self, v: Version, locale: str) -> Source:
        return Source(self.root, v.commit, v.tree_for(locale))

    def site(self, name: str, path: str, locale: str | None, **kw: Any) -> None:
        spec = SitePage(name, locale, tuple(self.records[v.id] for v in self.tl.shown), self.current.document,
                        self.current.source_locale, self.locales, self.base_url, self.tl.today,
                        here=path.rsplit("/", 1)[0] + "/" if "/" in path else "", pdf=self.pdf, theme=self.theme,
                        **kw)
        self.out.append(make(path, "site", spec, self.salt))

    def page(self, path: str, page: PolicyPage, v: Version) -> None:
        """A policy page, then its version's files (PDF, JSON…) beside it."""
        self.out.append(make(f"{path}index.html", "policy-html", page, self.salt))
        self.out.extend(_files(v, page.locale, f"{path}{page.document}", page, self.salt, self.formats))

    def links(self, here: str) -> list[tuple[str, str]]:
        document = self.current.document
        return [*((("pdf", f"{here}{document}.pdf"),) if self.pdf else ()), ("json", f"{here}{document}.json")]

    def versions(self, locale: str, mine: Sequence[Version], compares: Sequence[tuple[str, str]]) -> None:
        """The page (and files) of each version in ``locale``, with its links to the others."""
        tl, in_force = self.tl, self.tl.in_force
        neighbours = set(itertools.pairwise(v.id for v in mine))
        for v in mine:
            here = version_dir(locale, v.id)
            prev = tl.previous(v)
            links = self.links(here)
            if prev is not None and (prev.id, v.id) in neighbours:
                links.append(("previous", compare_dir(locale, prev.id, v.id)))
            if in_force is not None and v is not in_force and locale in in_force.locales:
                links.append(("in-force", f"{locale}/"))
                pair = tuple(sorted((v.id, in_force.id), key=[x.id for x in mine].index))
                if not v.draft and pair in compares and pair != (getattr(prev, "id", None), v.id):
                    links.append(("compare-in-force", compare_dir(locale, *pair)))
            kept = published_files(v, locale, self.root).get("html")
            page = PolicyPage(self.source(v, locale), locale, self.records[v.id], self.current.document,
                              self.current.source_locale, here,
                              languages=tuple((t, version_dir(t, v.id)) for t in v.locales),
                              canonical=absolute(self.base_url, here), status=tl.status(v), links=tuple(links),
                              published=(kept.path, kept.sha256) if kept else None, theme=self.theme)
            self.page(here, page, v)

    def home(self, locale: str, shown: Version, pending: Sequence[Version],
             compares: Sequence[tuple[str, str]]) -> None:
        """``<locale>/``: the version in force (and notice of what is pending), its files at a
        stable address (the same bytes as the version's own: the same key)."""
        upcoming = pending[-1] if pending else None
        notice = None
        if upcoming is not None and upcoming.effective is not None:
            pair = (shown.id, upcoming.id)
            notice = Notice(min(v.effective for v in pending if v.effective), upcoming.id,
                            compare_dir(locale, *pair) if pair in compares else None,
                            first=self.tl.in_force is None,
                            steps=tuple((v.id, v.effective) for v in pending if v.effective) if len(pending) > 1
                            else ())
        home = f"{locale}/"
        page = PolicyPage(self.source(shown, locale), locale, self.records[shown.id], self.current.document,
                          self.current.source_locale, home, languages=tuple((t, f"{t}/") for t in self.locales),
                          canonical=absolute(self.base_url, home), notice=notice, status=self.tl.status(shown),
                          links=(*self.links(version_dir(locale, shown.id)),
                                 ("permalink", version_dir(locale, shown.id))), theme=self.theme)
        self.page(home, page, shown)

    def changes_of(self, mine: Sequence[Version], a: Version, b: Version) -> Changes:
        """The changes from ``a`` to ``b``, made once per pair: a locale without some release
        in between (``mine``) gets its own."""
        ids = [v.id for v in mine]
        span = tuple(ids[ids.index(a.id): ids.index(b.id) + 1])
        found = self.changes.get(span)
        if found is None:
            found = self.changes[span] = _changes(mine, a, b)
        return found

    def compares(self, locale: str, mine: Sequence[Version], compares: Sequence[tuple[str, str]]) -> None:
        by_id = {v.id: v for v in mine}
        neighbours = set(itertools.pairwise(v.id for v in mine))
        for a_id, b_id in compares:
            a, b = by_id[a_id], by_id[b_id]
            here = compare_dir(locale, a_id, b_id)
            # A redline PDF records what a release changed: one per pair of neighbours. The pages
            # from older versions to the one in force are for reading on the web (each such PDF
            # would cost as much as a release's, for a comparison nobody has to file).
            printed = self.pdf and (a_id, b_id) in neighbours
            spec = ComparePage(self.source(a, locale), self.source(b, locale), locale, self.records[a_id],
                               self.records[b_id], self.current.document, self.current.source_locale, here,
                               self.changes_of(mine, a, b),
                               languages=tuple((t, compare_dir(t, a_id, b_id)) for t in self.locales
                                               if t in a.locales and t in b.locales),
                               canonical=absolute(self.base_url, here), pdf=printed, theme=self.theme)
            self.out.append(make(f"{here}index.html", "compare-html", spec, self.salt))
            if printed:
                self.out.append(make(f"{here}redline.pdf", "compare-pdf", spec, self.salt))


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
    formats = [f for f, wanted in (("pdf", pdf), ("json", True), ("docx", docx)) if wanted]
    plan = _Planner(tl, current, root, base_url, salt, pdf, formats, theme)
    statuses = tuple((v.id, tl.status(v)) for v in tl.shown)
    in_force = tl.in_force.id if tl.in_force else None
    for locale in plan.locales:
        mine = [v for v in tl.shown if locale in v.locales]
        compares = _pairs(mine, tl.in_force)
        plan.versions(locale, mine, compares)
        shown = current if locale in current.locales else mine[-1]
        pending = [v for v in tl.upcoming if locale in v.locales]
        plan.home(locale, shown, pending, compares)
        plan.compares(locale, mine, compares)
        upcoming = pending[-1].id if pending else None
        extra = dict(current=shown.id, in_force=in_force, upcoming=upcoming, compares=tuple(compares),
                     statuses=statuses, pending=tuple(v.id for v in pending))
        plan.site("versions", f"{locale}/versions/index.html", locale, **extra)
        plan.site("compare-form", f"{locale}/compare/index.html", locale, **extra)
        plan.site("current-json", f"{locale}/current.json", locale, **extra,
                  extra=(("gaps", _gaps(locale, in_force, upcoming, gaps)),))
        plan.site("atom", f"{locale}/changes.atom", locale, **extra, extra=(("author", author),))
    plan.site("chooser", "index.html", None, current=current.id)
    plan.site("not-found", "404.html", None, current=current.id)
    plan.site("versions-json", "versions.json", None, current=current.id, statuses=statuses, in_force=in_force,
              upcoming=tl.next.id if tl.next else None, pending=tuple(v.id for v in tl.upcoming))
    if base_url:
        pages = tuple(a.path for a in plan.out if a.path.endswith("index.html"))
        plan.site("sitemap", "sitemap.xml", None, extra=(("pages", pages),))
    return plan.out
