"""The site's own pages: language chooser, version list, compare form and redline, 404,
and what the site adds to a policy page (canonical link, status, upcoming-change notice).

Templates live in ``site/templates`` (jinja2, autoescape on); the words around them
come from the site's gettext catalogs (``site/messages/<tag>.po``) with the
renderer's chrome catalogs as fallback, dates and language names from CLDR
(:mod:`policykit.render.chrome`). Pages are self-contained: the stylesheet is
inline and nothing loads from elsewhere.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from typing import TYPE_CHECKING, Any

from policykit.errors import RenderError
from policykit.site.plan import relative
from policykit.site.specs import ComparePage, PolicyPage, SitePage
from policykit.templating import package_data

if TYPE_CHECKING:
    from babel.support import NullTranslations
    from jinja2 import Environment
    from markupsafe import Markup

    from policykit.site.redline import RedSection
    from policykit.site.theme import Theme

LEVELS = ("significant", "review", "minor", "editorial", "initial", "draft")


@package_data
def translations(tag: str) -> NullTranslations:
    """The site's words in ``tag`` (``pt-BR → pt``), then the renderer's chrome, then English."""
    from policykit import templating
    from policykit.render import chrome

    return templating.chained(templating.catalog_chain("policykit.site", "messages", tag), chrome.translations(tag))


@package_data
def environment(tag: str, overrides: str | None = None) -> Environment:
    """The site's templates with the words of ``tag``; ``overrides``: a theme's custom_dir."""
    from policykit import templating

    return templating.environment("policykit.site", translations(tag), overrides=overrides)


@package_data
def site_css() -> str:
    """The site's own rules: a policy page already carries the renderer's, so it adds these only."""
    text = resources.files("policykit.site").joinpath("static", "site.css").read_text("utf-8")
    if "</" in text:
        raise ValueError("a stylesheet must not contain '</'")
    return text


@package_data
def css(paged: bool = False) -> str:
    """The stylesheet of the site's own pages: the renderer's, then the site's."""
    from policykit.render.html import stylesheet

    text = stylesheet("policy.css") + "\n" + site_css()
    if paged:
        text += "\n" + resources.files("policykit.site").joinpath("static", "paged.css").read_text("utf-8")
    if "</" in text:
        raise ValueError("a stylesheet must not contain '</'")
    return text


def _helpers(tag: str, here: str) -> dict[str, Any]:
    from markupsafe import Markup

    from policykit.render import chrome

    gettext = translations(tag).gettext

    def time(date: dt.date | None) -> Markup:
        if date is None:
            return Markup("")
        return Markup('<time datetime="{}">{}</time>').format(date.isoformat(), chrome.format_date(date, tag))

    def level_badge(level: str) -> Markup:
        names = {"significant": gettext("significant"), "review": gettext("needs review"), "minor": gettext("minor"),
                 "editorial": gettext("editorial"), "initial": gettext("first release"), "draft": gettext("draft")}
        return Markup('<span class="level {}">{}</span>').format(level, names.get(level, level))

    def version_label(version: str) -> str:
        return gettext("Version %(version)s") % {"version": version}

    def chooser_prompt(in_tag: str) -> str:
        return translations(in_tag).gettext("Choose your language")

    return {"time": time, "level_badge": level_badge, "version_label": version_label,
            "rel": lambda path: relative(here, path), "chooser_prompt": chooser_prompt,
            "language_name": lambda lang: chrome.language_name(lang, tag)}


def _render(template: str, tag: str, here: str, theme: Theme | None = None, **context: Any) -> str:
    from markupsafe import Markup

    from policykit.render import chrome

    env = environment(tag, theme.folder if theme else None)
    paged = context.pop("paged_css", False)
    style = css(paged) if theme is None else _themed_css(theme, paged)
    base = {"lang": tag, "direction": chrome.text_direction(tag), "css": Markup(style),
            "canonical": None, "alternates": (), "feed": None, "noindex": False,
            "logo": theme.logo if theme else "", "logo_alt": theme.logo_alt if theme else ""}
    return env.get_template(template).render(**(base | _helpers(tag, here) | context))


def _themed_css(theme: Theme, paged: bool) -> str:
    from policykit.render.html import stylesheet

    text = stylesheet("policy.css") + "\n" + themed_site_css(theme)
    if paged:
        text += "\n" + resources.files("policykit.site").joinpath("static", "paged.css").read_text("utf-8")
    return text


def themed_site_css(theme: Theme | None) -> str:
    from policykit.site.theme import stylesheet

    return stylesheet(theme, site_css())


# -- site pages -------------------------------------------------------------

def _choices(spec: SitePage) -> list[tuple[str, str, str]]:
    from policykit.render import chrome

    current = next((r for r in spec.records if r.id == spec.current), spec.records[-1])
    return [(tag, chrome.language_name(tag, tag), current.title(tag)) for tag in spec.locales]


def site_page(spec: SitePage) -> bytes:
    """The bytes of an HTML :class:`SitePage` (:func:`policykit.site.feeds.site_file` makes every kind)."""
    from policykit.site.plan import absolute

    source = spec.source_locale
    if spec.name == "chooser":
        current = next(r for r in spec.records if r.id == spec.current)
        alternates = [(t, absolute(spec.base_url, f"{t}/")) for t in spec.locales] if spec.base_url else []
        html = _render("chooser.html", source, "", spec.theme, title=current.title(source), choices=_choices(spec),
                       canonical=absolute(spec.base_url, ""), alternates=alternates)
    elif spec.name == "not-found":
        current = next(r for r in spec.records if r.id == spec.current)
        # Served for any missing path, at any depth: links must not be relative.
        home = absolute(spec.base_url, "") or "/"
        words = {tag: {"title": translations(tag).gettext("Page not found"),
                       "text": translations(tag).gettext("There is no page at this address.")} for tag in spec.locales}
        choices = [(*choice, words[choice[0]]) for choice in _choices(spec)]
        html = _render("not_found.html", source, "", spec.theme, title=current.title(source), choices=choices,
                       home=home, noindex=True)
    else:
        locale = spec.locale or source
        mine = [r for r in spec.records if locale in r.locales]
        context = dict(locale=locale, records=mine, mine=mine, document=spec.document, source_locale=source,
                       pdf=spec.pdf, in_force=spec.in_force, upcoming=spec.upcoming, compares=set(spec.compares),
                       statuses=dict(spec.statuses), pending=set(spec.pending),
                       title=mine[-1].title(locale) if mine else "", feed=relative(spec.here, f"{locale}/changes.atom"))
        template = {"versions": "versions.html", "compare-form": "compare_form.html"}[spec.name]
        if spec.name == "compare-form":
            context["compares"] = list(spec.compares)
        alternates = [(t, absolute(spec.base_url, spec.here.replace(f"{locale}/", f"{t}/", 1)))
                      for t in spec.locales] if spec.base_url else []
        html = _render(template, locale, spec.here, spec.theme, canonical=absolute(spec.base_url, spec.here),
                       alternates=alternates, **context)
    return html.encode("utf-8")


# -- policy pages -----------------------------------------------------------

def _insert(html: str, marker: str, fragment: str, *, before: bool = True) -> str:
    at = html.find(marker)
    if at < 0:
        raise RenderError(f"the policy template has no {marker!r}: the site cannot add its links")
    at = at if before else at + len(marker)
    return html[:at] + fragment + html[at:]


def decorate_policy_page(html: str, page: PolicyPage) -> str:
    """Add the site's parts to a rendered policy page: canonical link, feed, notices, navigation."""
    from markupsafe import Markup, escape

    head = ""
    if page.canonical:
        head += f'<link rel="canonical" href="{escape(page.canonical)}">\n'
    feed = relative(page.here, f"{page.locale}/changes.atom")
    head += f'<link rel="alternate" type="application/atom+xml" href="{escape(feed)}">\n'
    # No request for /favicon.ico (a 404 in every log): the theme's logo, or none at all.
    head += f'<link rel="icon" href="{escape(page.theme.logo if page.theme and page.theme.logo else "data:,")}">\n'
    head += f"<style>\n{Markup(themed_site_css(page.theme))}\n</style>\n"
    theme = page.theme
    notices = environment(page.locale, theme.folder if theme else None).get_template("policy_notice.html").render(
        page=page, links=dict(page.links), locale=page.locale, **_helpers(page.locale, page.here))
    html = _insert(html, "</head>", head)
    if theme is not None and theme.logo:
        logo = str(Markup('\n  <img class="site-logo" src="{}" alt="{}">').format(theme.logo, theme.logo_alt))
        html = _insert(html, '<header class="masthead">', logo, before=False)
    return _insert(html, "</header>", notices)


# -- compare ----------------------------------------------------------------

def compare_page(spec: ComparePage, sections: list[RedSection], *, paged: bool = False) -> str:
    """The compare page: the redline first, each change explained beside it in the reader's
    language (:mod:`policykit.site.reasons`); rules, paths and translation updates for editors
    in a collapsed part. ``paged`` (the PDF): the readers' part only, with the address of the
    web page where the editors' part is."""
    from policykit.render import chrome
    from policykit.site import reasons

    shown = [s for s in sections if s.changed]
    anchors = {s.id for s in shown} | {b.anchor for s in shown for b in s.blocks} | {
        r.anchor for s in shown for b in s.blocks for r in b.rows}
    gettext = translations(spec.locale).gettext
    grouped: dict[str, list[Any]] = {}
    for row in spec.changes:
        if not row.locale:
            grouped.setdefault(reasons.anchor_for(row.path, anchors), []).append(row)
    whys = {anchor: reasons.explain(rows, gettext) for anchor, rows in grouped.items()}
    labels = {r.anchor: "".join(t for op, t in r.cells[0] if op != "-") for s in shown for b in s.blocks
              for r in b.rows}

    def anchor_of(path: str) -> str | None:
        return reasons.anchor_for(path, anchors) or None

    languages = [(t, chrome.language_name(t, t), relative(spec.here, href)) for t, href in spec.languages]
    base = spec.canonical[: -len(spec.here)] if spec.canonical else None
    alternates = [(t, base + href) for t, href in spec.languages] if base and not paged else []
    versions = {r.version for r in spec.changes}

    def runs(section: RedSection) -> list[tuple[str, list[Any]]]:
        """The section's blocks, runs of unchanged ones together (shown collapsed: readers see changes)."""
        out: list[tuple[str, list[Any]]] = []
        for blk in section.blocks:
            kind = "unchanged" if blk.state == "same" and not whys.get(blk.anchor) else "block"
            if kind == "unchanged" and out and out[-1][0] == "unchanged":
                out[-1][1].append(blk)
            else:
                out.append((kind, [blk]))
        return out

    return _render("compare.html", spec.locale, spec.here, spec.theme, a=spec.from_record, b=spec.to_record,
                   locale=spec.locale, source_locale=spec.source_locale, title=spec.to_record.title(spec.locale),
                   sections=sections, whys=whys, general=whys.get(""), row_label=lambda r: labels.get(r.anchor, ""),
                   editorial_rows=[c for c in spec.changes if not c.locale],
                   translation_rows=[c for c in spec.changes if c.locale], many_versions=len(versions) > 1,
                   consent=any(c.consent for c in spec.changes),
                   notify=any(c.level == "significant" for c in spec.changes),
                   paged=paged, paged_css=paged, anchor_of=anchor_of, languages=languages, pdf=spec.pdf,
                   runs=runs, editors_url=f"{spec.canonical}#_editors" if spec.canonical else None,
                   editors_path=spec.here,
                   canonical=None if paged else spec.canonical, alternates=alternates,
                   feed=None if paged else relative(spec.here, f"{spec.locale}/changes.atom"))
