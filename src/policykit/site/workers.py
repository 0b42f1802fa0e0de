"""The pages that need the policy itself, rendered in a pool of long-lived worker processes.

A worker loads each version (:func:`policykit.versions.load_version`, from the
commit's objects) it is asked about once (kept per tree id), localises
it, renders through the one registry of output formats (:mod:`policykit.render.formats`)
and writes the bytes straight into the cache, so only keys and sizes travel back.
WeasyPrint is imported once per worker, never per PDF: a fresh process per PDF
costs about a second, a warm worker tens of milliseconds.

Workers come from the one process pool of :mod:`policykit.pool` (a ``forkserver`` that
imports the renderers once, before it forks them).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policykit.errors import InvalidPolicy
from policykit.memo import LRU
from policykit.site.cache import Store
from policykit.site.specs import ComparePage, PolicyPage, Source

if TYPE_CHECKING:
    from policykit.git import Repository
    from policykit.localise import LocalisedPolicy
    from policykit.model import Policy

Job = tuple[str, str, Any]  # (key, kind, spec)
_LOADED: LRU[tuple[str, str | None, str], Policy] = LRU(8)  # versions kept loaded per worker


@cache
def _repository(root: str) -> Repository:
    from policykit.versions import open_repository

    return open_repository(Path(root))


def load_version(source: Source) -> Policy:
    """The policy of ``source`` (a commit, or the work tree), loaded once per process."""
    from policykit import versions

    key = (source.root, source.commit, source.tree)
    loaded = _LOADED.get(key)
    if loaded is not None:
        return loaded
    root = Path(source.root)
    if source.commit is None:
        version = versions.load_version(root)
    else:
        version = versions.load_version(root, source.commit, repo=_repository(source.root))
    if version.errors:
        raise InvalidPolicy(version.diagnostics)
    _LOADED.put(key, version.policy)
    return version.policy


# Two versions in every locale: a redline needs the version before, localised a batch earlier.
_LOCALISED: LRU[tuple[str, str | None, str, str], LocalisedPolicy] = LRU(128)


def localised(source: Source, locale: str) -> LocalisedPolicy:
    """``localise`` once per (version, locale) in this process: a version's page, JSON, PDF
    and the two redlines it takes part in all read the same localised text."""
    from policykit.localise import localise

    key = (source.root, source.commit, source.tree, locale)
    found = _LOCALISED.get(key)
    if found is None:
        found = localise(load_version(source), locale)
        _LOCALISED.put(key, found)
    return found


def localised_page(page: PolicyPage) -> LocalisedPolicy:
    localised_ = localised(page.source, page.locale)
    if page.record.level == "draft":
        return localised_
    return dataclasses.replace(localised_, version=page.record.id, effective_from=page.record.effective)


def policy_document(page: PolicyPage) -> bytes:
    """The policy page itself, without what the site adds (what a release keeps as published)."""
    from policykit.render.chrome import language_name
    from policykit.render.formats import FORMATS
    from policykit.render.html import Alternate, Links
    from policykit.site.plan import relative

    links = dict(page.links)
    languages = tuple(Alternate(tag, language_name(tag, tag), relative(page.here, path), tag == page.locale)
                      for tag, path in page.languages)
    # No `versions` link from the renderer: the site's own navigation (nav.html, added by
    # decorate_policy_page) already links every version, as it does on every site page.
    return FORMATS["html"].render(localised_page(page), links=Links(
        languages=languages, pdf=relative(page.here, links["pdf"]) if "pdf" in links else None))


def policy_html(page: PolicyPage) -> bytes:
    """The page of the site: the policy page (as its release published it, when it recorded
    that) with the site's notices and navigation added."""
    from policykit import published
    from policykit.site import pages

    if page.published is not None:
        html = published.read(Path(page.source.root), *page.published).decode("utf-8")
    else:
        html = policy_document(page).decode("utf-8")
    return pages.decorate_policy_page(html, page).encode("utf-8")


def policy_file(page: PolicyPage, name: str) -> bytes:
    """The version's file in format ``name`` of :data:`policykit.render.formats.FORMATS`
    (PDF, JSON, DOCX), as the renderers make it, without the site's navigation."""
    from policykit.render.formats import FORMATS
    from policykit.render.html import Links

    return FORMATS[name].render(localised_page(page), links=Links())


def compare_html(spec: ComparePage, *, paged: bool = False) -> bytes:
    """The redline page (``paged``: what the redline PDF lays out)."""
    from policykit.site import pages, redline

    tag_a = spec.locale if spec.locale in spec.from_record.locales else spec.source_locale
    blocks = redline.redline_localised(localised(spec.a, tag_a), localised(spec.b, spec.locale))
    return pages.compare_page(spec, blocks, paged=paged).encode("utf-8")


def compare_pdf(spec: ComparePage) -> bytes:
    from policykit.render.fonts import check_fonts
    from policykit.render.pdf import write_pdf

    page = compare_html(spec, paged=True).decode("utf-8")
    check_fonts(page, spec.locale)
    return write_pdf(page)


# The site's own pages; every other ``policy-<format>`` kind is a file of the format registry.
PRODUCERS: dict[str, Callable[[Any], bytes]] = {
    "policy-html": policy_html,
    "compare-html": compare_html,
    "compare-pdf": compare_pdf,
}


def producer(kind: str) -> Callable[[Any], bytes]:
    """What renders an artefact of ``kind``."""
    found = PRODUCERS.get(kind)
    if found is not None:
        return found
    name = kind.removeprefix("policy-")
    return lambda spec: policy_file(spec, name)


def produce(store_path: str, jobs: Sequence[Job]) -> list[tuple[str, int]]:
    """Render ``jobs`` into the cache at ``store_path``; runs inside a worker (or inline).

    Markdown conversions and YAML parses are remembered by their own modules
    (:mod:`policykit.markdown`, :mod:`policykit.yamlio`), so a long-lived worker
    parses each block text and each file once.
    """
    store = Store(Path(store_path))
    done = []
    for key, kind, spec in jobs:
        if not store.has(key):
            store.put(key, producer(kind)(spec))
        done.append((key, kind))
    return [(key, store.object(key).stat().st_size) for key, _ in done]


# What every worker needs, imported by the forkserver before it forks them so that none imports
# it again: the renderers, and what loading a release needs (GitPython, ruamel.yaml).
_PRELOAD = ["policykit.site.workers", "policykit.localise", "policykit.render.html", "policykit.render.json",
            "policykit.site.pages", "policykit.site.redline", "policykit.versions", "jinja2", "markdown_it",
            "git", "ruamel.yaml", "ruamel.yaml.resolver"]


def _warm(kinds: tuple[str, ...]) -> None:
    """Import what the worker will need once, before the first job (a worker lives for the build)."""
    from policykit.pool import die_with_parent

    die_with_parent()
    import policykit.localise
    import policykit.render.html  # noqa: F401

    if any(k.endswith("pdf") for k in kinds):
        import weasyprint  # noqa: F401


class Running:
    """Batches submitted to a :class:`Pool`: iterate for each batch's results as it finishes."""

    def __init__(self, pending: set[Future[list[tuple[str, int]]]]) -> None:
        self._pending = pending

    def __iter__(self) -> Iterator[list[tuple[str, int]]]:
        while self._pending:
            finished, self._pending = wait(self._pending, return_when=FIRST_COMPLETED)
            for future in finished:
                yield future.result()

    def __enter__(self) -> Running:
        return self

    def __exit__(self, *exc: object) -> None:
        for future in self._pending:
            future.cancel()


class Pool:
    """Worker processes that live as long as the pool (a build, or a whole ``serve`` session)."""

    def __init__(self, workers: int | None = None, *, pdf: bool = True) -> None:
        from policykit.pool import cpu_count, executor

        self.size = max(1, workers or cpu_count())
        kinds = ("policy-pdf",) if pdf else ()
        # The renderers are imported once, by the forkserver, and every worker starts with
        # them, instead of each worker spending 0.4 s importing while the build plans.
        self._executor = executor(self.size, preload=[*_PRELOAD, *(["weasyprint"] if pdf else [])],
                                  initializer=_warm, initargs=(kinds,))

    def started(self) -> Pool:
        """Start every worker now (they start on first use otherwise); returns the pool."""
        for _ in range(self.size):
            self._executor.submit(os.getpid)
        return self

    def submit(self, store: Store, batches: Iterable[Sequence[Job]]) -> Running:
        """Start every batch now; iterate the result (inside ``with``) for each batch's results.

        Leaving the ``with`` block cancels what has not started, so a failure here or in a
        worker (a :class:`~policykit.errors.PolicyError`, raised when its batch is reached)
        leaves no work queued.
        """
        return Running({self._executor.submit(produce, str(store.path), list(batch)) for batch in batches if batch})

    def run(self, store: Store, batches: Iterable[Sequence[Job]]) -> Iterator[list[tuple[str, int]]]:
        """Run each batch in some worker; yield each batch's results as it finishes."""
        with self.submit(store, batches) as results:
            yield from results

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> list[Any]:
        """Run a plain function over ``items`` in the same workers (benchmarks compare against it)."""
        return list(self._executor.map(fn, items))

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
