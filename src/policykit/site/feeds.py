"""Machine-readable files: ``versions.json``, ``<locale>/current.json`` and ``<locale>/changes.atom``.

The JSON files follow ``policykit/schemas/versions.schema.json`` and
``current.schema.json`` (JSON Schema 2020-12); ``schema_version`` changes when a
field is removed or changes meaning. URLs are absolute when the site has a base
URL, else paths from the site's root. The Atom feed follows RFC 4287; each
release is an entry, and significant ones carry ``<category term="significant">``
and say so in their title.

Everything here is plain data → bytes: same records, same bytes.
"""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

from policykit.site.plan import absolute, compare_dir, version_dir
from policykit.site.specs import Record, SitePage
from policykit.site.timeline import DRAFT, NEVER

SCHEMA_VERSION = 1
ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _url(spec: SitePage, path: str) -> str:
    return absolute(spec.base_url, path) or path


def _dumps(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _status(spec: SitePage, r: Record) -> str:
    return dict(spec.statuses).get(r.id, DRAFT if r.id == DRAFT else "superseded")


def _artefacts(spec: SitePage, r: Record, locale: str, since: str | None = None) -> dict[str, Any]:
    """The URLs of version ``r`` in ``locale``; its redline from ``since`` (default: the version before)."""
    here = version_dir(locale, r.id)
    since = since or r.previous
    before = next((x for x in spec.records if x.id == since), None)
    compare = (compare_dir(locale, since, r.id)
               if since and before is not None and locale in before.locales else None)
    return {
        "title": r.title(locale),
        "html": _url(spec, here),
        "pdf": _url(spec, f"{here}{spec.document}.pdf") if spec.pdf else None,
        "json": _url(spec, f"{here}{spec.document}.json"),
        "compare": _url(spec, compare) if compare else None,
        "redline_pdf": _url(spec, f"{compare}redline.pdf") if compare and spec.pdf else None,
    }


def _published(r: Record, locale: str) -> dict[str, str] | None:
    """The SHA-256 of each file the release published in ``locale``; None for releases made
    before hashes were recorded (their pages are rendered with today's templates)."""
    files = dict(r.artefacts).get(locale)
    return dict(files) if files else None


def _date(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def versions_json(spec: SitePage) -> bytes:
    """Every version: dates, level, whether it needed notice or consent, every artefact's URL."""
    versions = []
    for r in spec.records:
        versions.append({
            "version": r.id,
            "status": _status(spec, r),
            "published": _date(r.published),
            "effective": _date(r.effective),
            "level": r.level,
            "previous": r.previous,
            "notify": r.notify,
            "consent": r.consent,
            "summary": dict(r.summary),
            "locales": {tag: _artefacts(spec, r, tag) | {"published": _published(r, tag)} for tag in r.locales},
        })
    return _dumps({
        "schema_version": SCHEMA_VERSION,
        "document": spec.document,
        "source_locale": spec.source_locale,
        "base_url": spec.base_url,
        "as_of": spec.today.isoformat(),
        "locales": list(spec.locales),
        "in_force": spec.in_force,
        "upcoming": spec.upcoming,
        "pending": list(spec.pending),
        "versions": versions,
    })


def _brief(spec: SitePage, r: Record | None, locale: str, since: str | None = None) -> dict[str, Any] | None:
    if r is None:
        return None
    text, lang = r.summary_in(locale, spec.source_locale)
    gaps = {vid: (list(missing), list(stale)) for vid, missing, stale in dict(spec.extra).get("gaps", ())}
    missing, stale = gaps.get(r.id, ([], []))
    out = {"version": r.id, "published": _date(r.published), "effective": _date(r.effective), "level": r.level,
           "notify": r.notify, "consent": r.consent, "summary": text, "summary_lang": lang if text else None,
           # Shown from the source (no translation) / from a translation of an older source text.
           "untranslated": missing, "stale": stale, "complete": not missing and not stale}
    return out | {k: v for k, v in _artefacts(spec, r, locale, since).items() if k != "title"}


def current_json(spec: SitePage) -> bytes:
    """For apps: the version in force in this locale, the latest one not yet in force (its redline
    from the version in force), and what every pending release together obliges."""
    locale = spec.locale or spec.source_locale
    by_id = {r.id: r for r in spec.records}
    in_force = by_id.get(spec.in_force) if spec.in_force else None
    upcoming = by_id.get(spec.upcoming) if spec.upcoming else None
    pending = [by_id[v] for v in spec.pending if v in by_id]
    shown = in_force if in_force and locale in in_force.locales else None
    # Everything released after the version in force is still to come, a release replaced before
    # it took effect included: its changes (a new purpose needing consent) reach users with the
    # release that replaced it, whose own entry records only what changed since.
    order = [r.id for r in spec.records if r.id != DRAFT]
    coming = [r for r in spec.records if r.id in order and locale in r.locales
              and (spec.in_force is None or order.index(r.id) > order.index(spec.in_force))]
    return _dumps({
        "schema_version": SCHEMA_VERSION,
        "document": spec.document,
        "locale": locale,
        "as_of": spec.today.isoformat(),
        "in_force": _brief(spec, shown, locale),
        "upcoming": _brief(spec, upcoming, locale, shown.id if shown else None),
        # Every release not yet in force that will be, soonest first (the last is ``upcoming``).
        "pending": [{"version": r.id, "effective": _date(r.effective), "level": r.level, "notify": r.notify,
                     "consent": r.consent} for r in pending],
        # What an app does today: tell users about what is coming; ask for consent again when any
        # pending release needs it (a later release does not undo an earlier one's new purpose).
        "notify": bool(pending) and any(r.notify for r in coming),
        "consent": bool(pending) and any(r.consent for r in coming),
    })


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        node.text = text
    return node


def _ident(spec: SitePage, path: str) -> str:
    return absolute(spec.base_url, path) or f"urn:policyctl:{spec.document}:{path.rstrip('/')}"


def atom(spec: SitePage) -> bytes:
    """The releases in one locale, newest first (RFC 4287)."""
    from policykit.site.pages import translations

    locale = spec.locale or spec.source_locale
    gettext = translations(locale).gettext
    ET.register_namespace("", ATOM)
    releases = [r for r in spec.records if r.id != DRAFT and locale in r.locales and r.published]
    mine = [r for r in spec.records if locale in r.locales]
    title = mine[-1].title(locale) if mine else spec.document
    author = dict(spec.extra).get("author") or spec.document
    feed_path = f"{locale}/changes.atom"
    feed = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: locale})
    _el(feed, "id", _ident(spec, feed_path))
    _el(feed, "title", gettext("Changes to %(title)s") % {"title": title})
    newest = max((r.published for r in releases if r.published), default=spec.today)
    _el(feed, "updated", f"{newest.isoformat()}T00:00:00Z")
    _el(_el(feed, "author"), "name", author)
    _el(feed, "link", rel="self", href=_url(spec, feed_path) if spec.base_url else "changes.atom",
        type="application/atom+xml")
    _el(feed, "link", rel="alternate", href=_url(spec, f"{locale}/") if spec.base_url else "./", type="text/html")
    for r in reversed(releases):
        _entry(_el(feed, "entry"), spec, r, releases, locale, gettext)
    buffer = io.BytesIO()
    ET.ElementTree(feed).write(buffer, encoding="utf-8", xml_declaration=True)
    return buffer.getvalue() + b"\n"


def _entry(entry: ET.Element, spec: SitePage, r: Record, releases: list[Record], locale: str,
           gettext: Callable[[str], str]) -> None:
    """One release in the feed: its page, its redline and its summary with the date it takes effect."""
    assert r.published is not None and r.effective is not None
    _el(entry, "id", _ident(spec, version_dir(locale, r.id)))
    heading = gettext("Version %(version)s") % {"version": r.id}
    if r.level == "significant":
        heading = gettext("Significant change: %(what)s") % {"what": heading}
    _el(entry, "title", heading)
    _el(entry, "published", f"{r.published.isoformat()}T00:00:00Z")
    _el(entry, "updated", f"{r.published.isoformat()}T00:00:00Z")
    _el(entry, "category", term=r.level, label=r.level)
    page = version_dir(locale, r.id)
    _el(entry, "link", rel="alternate", type="text/html", href=_url(spec, page) if spec.base_url else f"{r.id}/")
    artefacts = _artefacts(spec, r, locale)
    if artefacts["compare"]:
        _el(entry, "link", rel="related", type="text/html",
            href=artefacts["compare"] if spec.base_url else f"compare/{r.previous}...{r.id}/")
    text, lang = r.summary_in(locale, spec.source_locale)
    if _status(spec, r) == NEVER:
        later = next((x.id for x in releases if x.previous == r.id), "")
        effective = gettext("Replaced by version %(version)s before it took effect; never in force.") % {
            "version": later}
    else:
        effective = gettext("In force from %(date)s.") % {"date": r.effective.isoformat()}
    summary = _el(entry, "summary", f"{text.strip()}\n\n{effective}" if text else effective, type="text")
    if text and lang != locale:
        summary.set(XML_LANG, lang)


PRODUCERS: dict[str, Callable[[SitePage], bytes]] = {
    "versions-json": versions_json,
    "current-json": current_json,
    "atom": atom,
}


def site_file(spec: SitePage) -> bytes:
    """The bytes of any :class:`SitePage`: a feed or the sitemap here, an HTML page from
    :mod:`policykit.site.pages` (which imports nothing of this module: no cycle)."""
    from policykit.site import pages, sitemap

    if spec.name in PRODUCERS:
        return PRODUCERS[spec.name](spec)
    if spec.name == "sitemap":
        return sitemap.sitemap(spec)
    return pages.site_page(spec)
