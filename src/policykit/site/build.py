"""Build the whole site: every released version in every locale, incremental and atomic.

::

    changelog/ entries ─► versions (facts per tree id, cached) ─► timeline(today)
        ─► plan: every file with the key of its inputs
        ─► same plan as the site in place?  yes: done (nothing imported, nothing rendered)
        ─► render the keys the cache lacks (site pages here; policy pages, PDFs and
           redlines in the worker pool) ─► assemble in a temp folder ─► swap in

Released versions are read from the commit their changelog entry records, never
from today's files; the work tree is shown only as a draft (``draft=True``, as
``policyctl serve`` does, or when nothing is released yet).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from policykit.errors import VersionError
from policykit.render.output import MARKER, MARKER_TEXT, check_output_folder
from policykit.site import cache, untranslated
from policykit.site.plan import plan_site, site_locales, with_gaps
from policykit.site.releases import check_draft, draft_version, released_versions
from policykit.site.selection import Selection, check_locales, kept
from policykit.site.specs import Artefact, Published
from policykit.site.theme import load_theme
from policykit.site.timeline import Timeline, timeline

if TYPE_CHECKING:
    from policykit.site.workers import Job, Pool, Running

Progress = Callable[[int, int, str], None]  # (done, to do, what was just made)
Stage = Callable[[str, str, float], None]  # (stage, what it did with counts, seconds it took)


@dataclass(frozen=True)
class Options:
    out: Path
    base_url: str | None = None  # default: policy.yaml's base_url
    today: dt.date | None = None  # the clock (UTC date); injected by tests and --today
    draft: bool | None = None  # None: the work tree only when nothing is released
    pdf: bool = True
    workers: int | None = None  # None: one per core; 0: render in this process
    cache_dir: Path | None = None  # default: .cache/site beside the output folder
    only: Selection | None = None  # build --locale/--format: the files of the site to make (None: all)

    @property
    def pdfs(self) -> bool:
        """Whether this build plans PDFs (and links to them)."""
        return self.pdf and (self.only is None or self.only.pdf)


@dataclass(frozen=True)
class SiteReport:
    out: Path
    files: int
    rendered: int  # files whose bytes were made by this build
    noop: bool  # nothing changed: the site in place was kept as it was
    versions: tuple[str, ...]
    locales: tuple[str, ...]
    seconds: float
    notes: tuple[str, ...] = ()
    made: tuple[str, ...] = ()  # the paths whose bytes were rendered (one path per new key)


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


# -- rendering ---------------------------------------------------------------

def _batches(heavy: Sequence[Artefact], workers: int) -> list[list[Job]]:
    """Each PDF alone; HTML and JSON by version, runs of consecutive versions together.

    A worker loads every version it renders (tens of milliseconds each) and keeps the last
    few. A version's pages and JSON in every locale, and the redlines that end at it (which
    need the version before it), go to one worker, and so do runs of consecutive versions:
    each version is loaded about once per build instead of once per batch.
    """
    groups: dict[tuple[str, str], list[Job]] = {}
    singles: list[list[Job]] = []
    for a in heavy:
        job: Job = (a.key, a.kind, a.spec)
        if a.kind.endswith("pdf"):
            singles.append([job])
            continue
        if a.kind == "compare-html":
            version, tree = a.spec.to_record.id, a.spec.b.tree
        else:
            version, tree = a.spec.record.id, a.spec.source.tree
        # The draft has a tree per locale (each loads on its own): those group by locale.
        groups.setdefault((version, tree), []).append(job)
    runs = list(groups.values())
    # Guided chunks: each takes a share of what is left, so they shrink towards the end and
    # the workers finish together (a big last chunk would keep one worker busy alone).
    merged: list[list[Job]] = []
    while runs:
        size = max(1, len(runs) // (2 * max(1, workers)))
        merged.append([job for run in runs[:size] for job in run])
        runs = runs[size:]
    # Long jobs first, so the pool is not left waiting on one PDF at the end.
    return [*singles, *merged]


def _missing(store: cache.Store, artefacts: Iterable[Artefact], skip: Iterable[Artefact] = ()) -> list[Artefact]:
    """The artefacts whose keys the cache lacks, each key once (``skip``: keys already on their way)."""
    seen = {a.key for a in skip}
    todo = []
    for a in artefacts:
        if a.key not in seen and not store.has(a.key):
            seen.add(a.key)
            todo.append(a)
    return todo


def _render(store: cache.Store, todo: Sequence[Artefact], options: Options, pool: Pool | None,
            progress: Progress | None, started: tuple[Running, Sequence[Artefact]] | None,
            assembly: cache.Assembly) -> int:
    """Render ``todo`` (and wait for ``started``: heavy artefacts already submitted to ``pool``),
    laying out each file in ``assembly`` as soon as it exists."""
    from policykit.site.feeds import site_file
    from policykit.site.workers import Pool, produce

    done = 0
    total = len(todo) + (len(started[1]) if started else 0)

    def tick(keys: list[str], what: str) -> None:
        nonlocal done
        for key in keys:
            assembly.place(key)
        done += len(keys)
        if progress:
            progress(done, total, what)

    def render_light() -> None:
        for a in light:
            store.put(a.key, _published(a.spec) if a.kind == "published" else site_file(a.spec))
            tick([a.key], a.path)
        # What earlier builds made is laid out while the workers render.
        assembly.place_stored(skip=names)

    light = [a for a in todo if not a.heavy]
    heavy = [a for a in todo if a.heavy]
    names = {a.key: a.path for a in [*heavy, *(started[1] if started else ())]}
    if started is not None:
        assert pool is not None
        with started[0] as early, pool.submit(store, _batches(heavy, pool.size)) as late:
            render_light()
            for results in (early, late):
                for result in results:
                    tick([key for key, _ in result], names[result[-1][0]])
        return done
    if not heavy or options.workers == 0 or (pool is None and len(heavy) <= 3):
        render_light()
        for batch in _batches(heavy, 1):
            for key, _ in produce(str(store.path), batch):
                tick([key], names[key])
        return done
    own = pool is None
    pool = pool or Pool(options.workers, pdf=any(a.kind.endswith("pdf") for a in heavy))
    try:
        # The workers start (and render) while this process makes the light pages.
        with pool.submit(store, _batches(heavy, pool.size)) as results:
            render_light()
            for result in results:
                tick([key for key, _ in result], names[result[-1][0]])
    finally:
        if own:
            pool.close()
    return done


def _published(spec: Published) -> bytes:
    from policykit import published

    return published.read(Path(spec.root), spec.path, spec.sha256)


# -- the build ---------------------------------------------------------------

def build_site(root: Path, options: Options, *, progress: Progress | None = None,
               pool: Pool | None = None, stage: Stage | None = None) -> SiteReport:
    """Build the site of the project at ``root`` into ``options.out``; return what was done.

    Raises :class:`~policykit.errors.PolicyError` subclasses for bad input (a broken
    changelog entry, an invalid draft, a missing font); the site in place is then untouched.
    """
    started = time.perf_counter()
    out = options.out
    from policykit.cachestore import site_folder

    store = cache.Store(site_folder(out, options.cache_dir))
    today = options.today or _today()
    previous = cache.read_manifest(store, out)
    if previous is not None or pool is not None or options.workers == 0:
        return _build(root, options, store, today, previous, started, progress, pool, stage)
    # No site to compare with: this build renders, so the workers start now, before this
    # process reads the versions and plans (see Pool for how they get their renderers).
    from policykit.site.workers import Pool

    with Pool(options.workers, pdf=options.pdfs).started() as early:
        return _build(root, options, store, today, previous, started, progress, early, stage)


def _counted(artefacts: Iterable[Artefact]) -> str:
    kinds: dict[str, int] = {}
    for a in artefacts:
        name = {"policy-html": "pages", "policy-pdf": "PDFs", "policy-json": "JSON", "compare-html": "redlines",
                "compare-pdf": "redline PDFs"}.get(a.kind, "site pages")
        kinds[name] = kinds.get(name, 0) + 1
    return ", ".join(f"{n} {k}" for k, n in kinds.items()) or "nothing"


class _Laps:
    """Reports each stage of a build with the seconds since the previous one."""

    def __init__(self, stage: Stage | None) -> None:
        self.stage, self.last = stage, time.perf_counter()

    def __call__(self, name: str, what: str) -> None:
        now = time.perf_counter()
        if self.stage is not None:
            self.stage(name, what, now - self.last)
        self.last = now


@dataclass
class _Plan:
    """What a build makes: the files of the site (``path -> key``), the artefacts to make them
    from, and the heavy ones already submitted to the pool (before the gaps were read)."""

    files: dict[str, str]
    artefacts: list[Artefact]
    started: tuple[Running, Sequence[Artefact]] | None


def _plan(root: Path, options: Options, store: cache.Store, tl: Timeline, previous: dict[str, str] | None,
          pool: Pool | None) -> _Plan:
    current = tl.current
    assert current is not None
    only = options.only or Selection()
    salt = (cache.template_hash(), cache.tool_fingerprint())
    theme = load_theme(root)

    def plan(gaps: dict[str, untranslated.Gaps] | None) -> list[Artefact]:
        planned = plan_site(tl, root=str(root.resolve()), base_url=options.base_url or current.base_url, salt=salt,
                            author=current.controller, pdf=options.pdfs, docx=only.docx, gaps=gaps,
                            theme=theme)
        return planned if only.everything else [a for a in planned if only.selects(a.path)]

    started = None
    planned = None
    if previous is None and pool is not None and tl.draft is None:
        # Nothing to compare with, so this build renders: the heavy pages (which do not depend
        # on the translation gaps of current.json) go to the workers before the gaps are read.
        check_output_folder(options.out, root)
        planned = plan(None)
        first = _missing(store, (a for a in planned if a.heavy))
        started = (pool.submit(store, _batches(first, pool.size)), first)
    gaps = untranslated.all_gaps(root, store, (tl.in_force, tl.next))  # cached by tree id: no load when unchanged
    artefacts = plan(gaps) if planned is None else with_gaps(planned, gaps, salt)
    files = {a.path: a.key for a in artefacts}
    if not only.everything:  # the files of the site in place that the selection does not name stay
        files = kept(only, previous, store.has) | files
    files[MARKER] = cache.digest("marker", MARKER_TEXT)
    return _Plan(files, artefacts, started)


def _build(root: Path, options: Options, store: cache.Store, today: dt.date, previous: dict[str, str] | None,
           began: float, progress: Progress | None, pool: Pool | None, stage: Stage | None = None) -> SiteReport:
    from policykit.integrity import verified_entries

    done = _Laps(stage)
    out = options.out
    entries = verified_entries(root)  # a release validate rejects is never published
    versions = released_versions(root, store, entries)
    draft = None
    if options.draft or (options.draft is None and not versions):
        draft = draft_version(root, store)
    done("versions", f"{len(entries)} release(s)" + (", and the draft" if draft else ""))
    tl = timeline(versions, today, draft)
    if tl.current is None:
        raise VersionError("nothing to publish yet: no release is published on or before "
                           f"{today.isoformat()} (see `policyctl release`), and the draft is off")
    if options.only is not None:
        check_locales(options.only, site_locales(tl))
    base_url = options.base_url or tl.current.base_url
    planned = _plan(root, options, store, tl, previous, pool)
    files, started = planned.files, planned.started
    notes = () if base_url else ("no base URL (policy.yaml base_url or --base-url): no sitemap.xml, "
                                 "no canonical links",)
    shown = tuple(v.id for v in tl.shown)
    locales = tuple(dict.fromkeys(t for v in tl.shown for t in v.locales))
    if previous == files:
        done("plan", f"{len(files)} files, all in place")
        return SiteReport(out, len(files), 0, True, shown, locales, time.perf_counter() - began, notes)

    if draft is not None:
        check_draft(root)
    if not store.has(files[MARKER]):
        store.put(files[MARKER], MARKER_TEXT.encode())
    todo = _missing(store, planned.artefacts, skip=started[1] if started else ())
    everything = [*todo, *(started[1] if started else ())]
    done("plan", f"{len(files)} files, {len(everything)} to render ({_counted(everything)})")
    check_output_folder(out, root)
    with cache.staging(out) as tmp:
        assembly = cache.Assembly(store, files, tmp)
        rendered = _render(store, todo, options, pool, progress, started, assembly)
        done("render", f"{rendered} files rendered")
        assembly.finish()
        cache.swap_in(tmp, out)
    cache.write_manifest(store, out, files)
    done("publish", f"{len(files)} files swapped into {out.name}/")
    return SiteReport(out, len(files), rendered, False, shown, locales, time.perf_counter() - began, notes,
                  tuple(sorted(a.path for a in everything)))
