"""What each file of the site is made from: the artefact with its key, and the typed inputs
(specs) the producers render from (:mod:`policykit.site.workers`, :mod:`policykit.site.pages`,
:mod:`policykit.site.feeds`).

A spec is plain, picklable data: a worker receives it, and :func:`keyable` turns it into the
data its key hashes (fields marked ``metadata={"key": False}`` left out).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field, fields, is_dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from policykit.site.cache import digest

if TYPE_CHECKING:
    from policykit.site.theme import Theme


# -- artefacts ------------------------------------------------------------

@dataclass(frozen=True)
class Artefact:
    """One file of the site: where it goes, what makes it, and the key of its inputs.

    ``kind`` names the producer (see :mod:`policykit.site.workers` for pages that
    render the policy, :mod:`policykit.site.pages` for the rest); ``spec`` is its
    picklable input. ``key`` is computed from ``spec`` plus the tree, locale,
    template hash and tool fingerprint: equal keys, equal bytes.
    """

    path: str
    kind: str
    spec: Any
    key: str

    @property
    def heavy(self) -> bool:
        """Rendered in the worker pool (it needs the policy itself)."""
        return self.kind.startswith(("policy-", "compare-"))


_PLAIN = (str, int, float, bool, type(None), dt.date)


def keyable(value: Any) -> Any:
    """``value`` as plain data for a key, without fields marked ``metadata={"key": False}``.

    A :class:`Record` or :class:`Changes` stands for itself by its own digest, computed once:
    a plan names the same records and the same changes in thousands of keys (a redline's
    changes in every locale, each version's record in every page), and hashing each once,
    instead of serialising it into every key that names it, keeps a no-op rebuild cheap.
    """
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is Record or kind is Changes:
        return value.key
    if kind is tuple or kind is list:
        if all(type(v) in _PLAIN or (type(v) is tuple and all(type(x) in _PLAIN for x in v)) for v in value):
            return value  # the common case (paths, (tag, path) pairs): nothing to convert
        return [keyable(v) for v in value]
    if kind is dict:
        return {str(k): keyable(v) for k, v in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        return {name: keyable(getattr(value, name)) for name in _key_fields(kind)}
    return value


_KEY_FIELDS: dict[type, tuple[str, ...]] = {}


def _key_fields(kind: type) -> tuple[str, ...]:
    """The fields of dataclass ``kind`` that its key covers (``fields()`` is slow to ask each time)."""
    found = _KEY_FIELDS.get(kind)
    if found is None:
        found = _KEY_FIELDS[kind] = tuple(f.name for f in fields(kind) if f.metadata.get("key", True))
    return found


def make(path: str, kind: str, spec: Any, salt: tuple[str, ...]) -> Artefact:
    return Artefact(path, kind, spec, digest(kind, path, keyable(spec), *salt))


# -- what each file is made from ---------------------------------------------

@dataclass(frozen=True)
class Record:
    """A version as the light pages and feeds see it (no policy text)."""

    id: str
    published: dt.date | None
    effective: dt.date | None
    level: str
    locales: tuple[str, ...]
    titles: tuple[tuple[str, str], ...]
    summary: tuple[tuple[str, str | None], ...] = ()
    notify: bool = False
    consent: bool = False
    previous: str | None = None
    changes: int = 0
    # What the release recorded as published: (locale, ((format, sha256), …)); () before hashes.
    artefacts: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()

    @cached_property
    def key(self) -> str:
        """The digest of this record, computed once: a plan names each record in many keys."""
        return digest(*(keyable(getattr(self, f.name)) for f in fields(self)))

    def title(self, locale: str) -> str:
        titles = dict(self.titles)
        return titles.get(locale) or next(iter(titles.values()), "")

    def summary_in(self, locale: str, source_locale: str) -> tuple[str | None, str]:
        """The summary in ``locale`` (``pt-BR → pt → source``) and the language it is in."""
        texts = dict(self.summary)
        parts = locale.split("-")
        for tag in [*("-".join(parts[:n]) for n in range(len(parts), 0, -1)), source_locale]:
            if texts.get(tag):
                return texts[tag], tag
        return None, source_locale


@dataclass(frozen=True)
class Source:
    """Where a worker reads a version from: a commit of the repository, or the work tree."""

    root: str = field(metadata={"key": False})  # where the repository is: not part of any key
    commit: str | None = None  # None: the work tree
    tree: str = ""


@dataclass(frozen=True)
class Notice:
    """"This policy changes on <date> — see what changes" (or: takes effect on <date>)."""

    date: dt.date  # when the text first changes (the soonest pending release)
    version: str  # the latest pending release: what the text becomes
    href: str | None  # the redline from the version shown to ``version``, when there is one
    first: bool = False  # nothing is in force yet: the policy *takes effect* on that date
    steps: tuple[tuple[str, dt.date], ...] = ()  # every pending release and its date, when there are several


@dataclass(frozen=True)
class ChangeRow:
    """One classified change as a compare page lists it (from the changelog entry of ``version``)."""

    path: str
    kind: str
    level: str
    rule: str
    reason: str
    consent: bool
    version: str
    locale: str = ""  # set for a change of one translation alone (editors' bookkeeping)


@dataclass(frozen=True)
class Changes:
    """The classified changes a compare page lists (every release's, newest first): the same
    for every locale of a pair of versions, and keyed once (see :func:`keyable`)."""

    rows: tuple[ChangeRow, ...] = ()

    @cached_property
    def key(self) -> str:
        return digest([keyable(row) for row in self.rows])

    def __iter__(self) -> Iterator[ChangeRow]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class PolicyPage:
    """One (version, locale) page of the policy, or its PDF or JSON."""

    source: Source
    locale: str
    record: Record
    document: str
    source_locale: str
    here: str  # the page's folder, e.g. ``en/1.0.0/``
    languages: tuple[tuple[str, str], ...] = ()  # (tag, site path) of the same page in each locale
    canonical: str | None = None
    notice: Notice | None = None
    status: str = "in-force"  # in-force | superseded | upcoming | never-in-force | draft
    links: tuple[tuple[str, str], ...] = ()  # (role, site path): pdf, json, previous, in-force, permalink
    # The page as its release published it (published/…, with its recorded hash): shown as it
    # was, the site only adding its notices and navigation (policykit.published).
    published: tuple[str, str] | None = None
    theme: Theme | None = None


@dataclass(frozen=True)
class Published:
    """A file kept as its release published it: served byte for byte (see :mod:`policykit.published`)."""

    root: str = field(metadata={"key": False})
    path: str = ""  # from the project's root: published/<version>/<locale>/<document>.<ext>
    sha256: str = ""


@dataclass(frozen=True)
class ComparePage:
    """The redline between two versions in one locale (HTML page or PDF)."""

    a: Source
    b: Source
    locale: str
    from_record: Record
    to_record: Record
    document: str
    source_locale: str
    here: str
    changes: Changes  # every release's changes from ``from_record`` to ``to_record``
    languages: tuple[tuple[str, str], ...] = ()
    canonical: str | None = None
    pdf: bool = True
    theme: Theme | None = None


@dataclass(frozen=True)
class SitePage:
    """A page or file that needs no policy text: chooser, lists, feeds, sitemap, 404."""

    name: str  # chooser | versions | compare-form | not-found | atom | versions-json | current-json | sitemap
    locale: str | None
    records: tuple[Record, ...]
    document: str
    source_locale: str
    locales: tuple[str, ...]
    base_url: str | None
    today: dt.date
    here: str
    current: str | None = None  # the version /<locale>/ shows
    in_force: str | None = None
    upcoming: str | None = None
    compares: tuple[tuple[str, str], ...] = ()  # built (from, to) pairs in this locale
    statuses: tuple[tuple[str, str], ...] = ()  # version id -> Timeline.status
    pending: tuple[str, ...] = ()  # every release not yet in force that will be, soonest first
    extra: tuple[tuple[str, Any], ...] = ()
    pdf: bool = True  # PDFs are built (else no page links to one)
    theme: Theme | None = None
