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

import dataclasses
import datetime as dt
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policykit.errors import InvalidPolicy, VersionError
from policykit.render.output import MARKER, MARKER_TEXT, check_output_folder
from policykit.site import cache, untranslated
from policykit.site.plan import DRAFT, Version, plan_site, timeline, with_gaps
from policykit.site.specs import Artefact, Published
from policykit.site.theme import load_theme

if TYPE_CHECKING:
    from policykit.changelog import Entry
    from policykit.site.workers import Job, Pool, Running

Progress = Callable[[int, int, str], None]  # (done, to do, what was just made)
Stage = Callable[[str, str, float], None]  # (stage, what it did with counts, seconds it took)
_META_VERSION = 1


@dataclass(frozen=True)
class Options:
    out: Path
    base_url: str | None = None  # default: policy.yaml's base_url
    today: dt.date | None = None  # the clock (UTC date); injected by tests and --today
    draft: bool | None = None  # None: the work tree only when nothing is released
    pdf: bool = True
    workers: int | None = None  # None: one per core; 0: render in this process
    cache_dir: Path | None = None  # default: .cache/site beside the output folder


@dataclass(frozen=True)
class Report:
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


# -- versions ---------------------------------------------------------------

def _meta_of(files: Any, label: str) -> dict[str, Any]:
    """Document, locales and titles of a tree, from its policy.yaml files (no full load)."""
    from policykit import yamlio

    def parse(data: bytes, path: str) -> Any:
        # Parsed under the plain path, so the versions that share a file share its parse
        # (yamlio remembers by bytes and name); the label goes into error messages only.
        try:
            return yamlio.parse(data, path)
        except InvalidPolicy as exc:
            raise InvalidPolicy([dataclasses.replace(d, pos=dataclasses.replace(d.pos, file=f"{label}:{d.pos.file}"))
                                 for d in exc.diagnostics]) from None

    data = files.read("policy/policy.yaml")
    if data is None:
        raise VersionError(f"{label}: no policy/policy.yaml")
    raw = parse(data, "policy/policy.yaml")
    source = str(raw.get("source_locale") or "en")
    locales = tuple(dict.fromkeys([source, *(raw.get("locales") or []), *(raw.get("fallback_locales") or [])]))
    titles = {source: str(raw.get("title") or "")}
    for tag in locales[1:]:
        tdata = files.read(f"locales/{tag}/policy.yaml")
        t = parse(tdata, f"locales/{tag}/policy.yaml") if tdata else None
        title = t.get("title") if isinstance(t, dict) else None
        titles[tag] = str(title.get("text")) if isinstance(title, dict) and title.get("text") else titles[source]
    controller = raw.get("controller")
    return {"v": _META_VERSION, "document": str(raw.get("document") or ""), "source_locale": source,
            "locales": list(locales), "titles": titles, "base_url": raw.get("base_url"),
            "controller": str(controller.get("name") or "") if isinstance(controller, dict) else ""}


def _meta_name(tree: str) -> str:
    return "tree-" + cache.digest(tree)[:32]


def _meta(store: cache.Store, tree: str, load: Callable[[], Any], label: str) -> dict[str, Any]:
    meta = _stored_meta(store, tree)
    if meta is None:
        meta = _meta_of(load(), label)
        store.put_meta(_meta_name(tree), meta)
    return meta


def _stored_meta(store: cache.Store, tree: str) -> dict[str, Any] | None:
    meta = store.meta(_meta_name(tree))
    return meta if isinstance(meta, dict) and meta.get("v") == _META_VERSION else None


def _version(meta: dict[str, Any], **kw: Any) -> Version:
    return Version(document=meta["document"], source_locale=meta["source_locale"], locales=tuple(meta["locales"]),
                   titles=meta["titles"], base_url=meta.get("base_url"), controller=meta.get("controller", ""), **kw)


def released_versions(root: Path, store: cache.Store, entries: Sequence[Entry]) -> list[Version]:
    stored = {e.tree: _stored_meta(store, e.tree) for e in entries}
    metas = {tree: meta for tree, meta in stored.items() if meta is not None}
    missing = list({e.tree: e for e in entries if e.tree not in metas}.values())
    if missing:
        metas.update(_read_metas(root, missing))
        for e in missing:
            store.put_meta(_meta_name(e.tree), metas[e.tree])
    return [_version(metas[e.tree], id=e.version, tree=e.tree, commit=e.commit, entry=e) for e in entries]


def _read_metas(root: Path, entries: Sequence[Entry]) -> dict[str, dict[str, Any]]:
    """The facts of each entry's tree, from its policy.yaml files only (not every blob of it).

    Two rounds for all entries at once: each release's policy.yaml, then the
    ``locales/<tag>/policy.yaml`` of the locales it lists.
    """
    from policykit import yamlio
    from policykit.git import GitTreeSource
    from policykit.versions import open_repository

    repo = open_repository(root)
    top = repo.path_ids((e.commit, "policy/policy.yaml") for e in entries)
    files = {e.tree: {"policy/policy.yaml": oid} for e, oid in zip(entries, top, strict=True) if oid}
    wanted = []
    for e in entries:
        if e.tree not in files:
            repo.resolve(e.commit)  # a missing commit says so; else the commit has no policy
            raise VersionError(f"release {e.version}: no policy/policy.yaml in commit {e.commit[:12]}")
        try:
            raw = yamlio.parse(repo.blob(files[e.tree]["policy/policy.yaml"]), "policy/policy.yaml")
        except InvalidPolicy:
            continue  # _meta_of reports it, with the release named
        listed = [*(raw.get("locales") or []), *(raw.get("fallback_locales") or [])] if isinstance(raw, dict) else []
        wanted += [(e, f"locales/{tag}/policy.yaml") for tag in listed if isinstance(tag, str) and "/" not in tag]
    for (e, path), oid in zip(wanted, repo.path_ids((e.commit, path) for e, path in wanted), strict=True):
        if oid:
            files[e.tree][path] = oid
    return {e.tree: _meta_of(GitTreeSource(repo, files[e.tree], f"release {e.version}"), f"release {e.version}")
            for e in entries}


def _prefixes(tag: str) -> list[str]:
    parts = tag.split("-")
    return ["-".join(parts[:n]) for n in range(len(parts), 0, -1)]


def draft_version(root: Path, store: cache.Store) -> Version:
    """The work tree as a version: one tree id per locale (the source plus that locale's folders)."""
    from policykit.load import FileSource

    policy_tree = cache.worktree_hash(root, ["policy"])
    meta = _meta(store, policy_tree + "|" + cache.worktree_hash(root, ["locales"]), lambda: FileSource(root),
                 "work tree")
    trees = {}
    for tag in meta["locales"]:
        folders = [f"locales/{t}" for t in _prefixes(tag) if (root / "locales" / t).is_dir()]
        trees[tag] = cache.digest(policy_tree, cache.worktree_hash(root, folders) if folders else "")
    return _version(meta, id=DRAFT, tree=cache.digest(policy_tree, sorted(trees.items())), locale_trees=trees)


def _check_draft(root: Path) -> None:
    from policykit.diagnostics import has_errors
    from policykit.i18n.gate import COVERAGE_CODES
    from policykit.load.project import load_project

    loaded = load_project(root)
    # A draft is a preview: a translation still to be updated shows as it is (releases refuse it).
    if loaded.policy is None or has_errors(d for d in loaded.diagnostics if d.code not in COVERAGE_CODES):
        raise InvalidPolicy(loaded.diagnostics)


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
    from policykit.site.pages import site_page
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
            store.put(a.key, _published(a.spec) if a.kind == "published" else site_page(a.spec))
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
               pool: Pool | None = None, stage: Stage | None = None) -> Report:
    """Build the site of the project at ``root`` into ``options.out``; return what was done.

    Raises :class:`~policykit.errors.PolicyError` subclasses for bad input (a broken
    changelog entry, an invalid draft, a missing font); the site in place is then untouched.
    """
    started = time.perf_counter()
    out = options.out
    store = cache.Store(options.cache_dir or out.parent / ".cache" / "site")
    today = options.today or _today()
    previous = cache.read_manifest(store, out)
    if previous is not None or pool is not None or options.workers == 0:
        return _build(root, options, store, today, previous, started, progress, pool, stage)
    # No site to compare with: this build renders, so the workers start now, before this
    # process reads the versions and plans (see Pool for how they get their renderers).
    from policykit.site.workers import Pool

    with Pool(options.workers, pdf=options.pdf).started() as early:
        return _build(root, options, store, today, previous, started, progress, early, stage)


def _counted(artefacts: Iterable[Artefact]) -> str:
    kinds: dict[str, int] = {}
    for a in artefacts:
        name = {"policy-html": "pages", "policy-pdf": "PDFs", "policy-json": "JSON", "compare-html": "redlines",
                "compare-pdf": "redline PDFs"}.get(a.kind, "site pages")
        kinds[name] = kinds.get(name, 0) + 1
    return ", ".join(f"{n} {k}" for k, n in kinds.items()) or "nothing"


def _build(root: Path, options: Options, store: cache.Store, today: dt.date, previous: dict[str, str] | None,
           began: float, progress: Progress | None, pool: Pool | None, stage: Stage | None = None) -> Report:
    from policykit.integrity import verified_entries

    lap = [time.perf_counter()]

    def done(name: str, what: str) -> None:
        now = time.perf_counter()
        if stage is not None:
            stage(name, what, now - lap[0])
        lap[0] = now

    out = options.out
    entries = verified_entries(root)  # a release validate rejects is never published
    versions = released_versions(root, store, entries)
    draft = None
    if options.draft or (options.draft is None and not versions):
        draft = draft_version(root, store)
    done("versions", f"{len(entries)} release(s)" + (", and the draft" if draft else ""))
    tl = timeline(versions, today, draft)
    current = tl.current
    if current is None:
        raise VersionError("nothing to publish yet: no release is published on or before "
                           f"{today.isoformat()} (see `policyctl release`), and the draft is off")
    base_url = options.base_url or current.base_url
    salt = (cache.template_hash(), cache.tool_fingerprint())
    theme = load_theme(root)

    def plan(gaps: dict[str, untranslated.Gaps] | None) -> list[Artefact]:
        return plan_site(tl, root=str(root.resolve()), base_url=base_url, salt=salt, author=current.controller,
                         pdf=options.pdf, gaps=gaps, theme=theme)

    started = None
    planned = None
    if previous is None and pool is not None and draft is None:
        # Nothing to compare with, so this build renders: the heavy pages (which do not depend
        # on the translation gaps of current.json) go to the workers before the gaps are read.
        check_output_folder(out, root)
        planned = plan(None)
        first = _missing(store, (a for a in planned if a.heavy))
        started = (pool.submit(store, _batches(first, pool.size)), first)
    gaps = untranslated.all_gaps(root, store, (tl.in_force, tl.next))  # cached by tree id: no load when unchanged
    artefacts = plan(gaps) if planned is None else with_gaps(planned, gaps, salt)
    files = {a.path: a.key for a in artefacts}
    marker_key = cache.digest("marker", MARKER_TEXT)
    files[MARKER] = marker_key
    notes = () if base_url else ("no base URL (policy.yaml base_url or --base-url): no sitemap.xml, "
                                 "no canonical links",)
    shown = tuple(v.id for v in tl.shown)
    locales = tuple(dict.fromkeys(t for v in tl.shown for t in v.locales))

    if previous == files:
        done("plan", f"{len(files)} files, all in place")
        return Report(out, len(files), 0, True, shown, locales, time.perf_counter() - began, notes)

    if draft is not None:
        _check_draft(root)
    if not store.has(marker_key):
        store.put(marker_key, MARKER_TEXT.encode())
    todo = _missing(store, artefacts, skip=started[1] if started else ())
    everything = [*todo, *(started[1] if started else ())]
    done("plan", f"{len(files)} files, {len(everything)} to render ({_counted(everything)})")
    check_output_folder(out, root)
    with cache.staging(out) as tmp:
        assembly = cache.Assembly(store, files, tmp)
        rendered = _render(store, todo, options, pool, progress, started, assembly)
        done("render", f"{rendered} files rendered")
        assembly.finish()
        cache.swap_in(tmp, out)
    if started:
        todo += started[1]
    cache.write_manifest(store, out, files)
    done("publish", f"{len(files)} files swapped into {out.name}/")
    return Report(out, len(files), rendered, False, shown, locales, time.perf_counter() - began, notes,
                  tuple(sorted(a.path for a in todo)))


def cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
