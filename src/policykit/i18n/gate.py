"""Published means translated, and what a release tells about the locales that fall back.

:func:`coverage` is the one check of translation coverage: ``validate`` runs it
(``policykit.validate``) and so does every release, through ``validate``, so the two
cannot disagree. A locale in ``locales`` of ``policy/policy.yaml`` is published:
each of its units (titles, blocks, fact labels, the words of the fact tables) must
be translated from the current source; a missing or stale one is an error. A locale
in ``fallback_locales`` may lag: a stale unit is a warning, a missing one shows the
source text, marked.

:func:`gate` lists, for one locale, the units a release changed whose translation
is stale or missing: the release notes them for a fallback locale, and the site
marks them as not yet translated (``current.json``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from policykit.diagnostics import Diagnostic, error, warning
from policykit.errors import UsageError
from policykit.i18n.catalog import State, Unit, units
from policykit.model import Policy

# The codes of coverage's findings. A preview (a draft build, `build --locale`, `serve`) shows a
# lagging translation as it is: publishing is what must wait for it.
COVERAGE_CODES = ("locale.stale", "locale.untranslated")

# How many unit keys an "untranslated" error names before it says "and N more".
_NAMED = 5


@dataclass(frozen=True)
class GateProblem:
    locale: str
    key: str  # the unit key (see policykit.i18n.catalog)
    state: State  # "stale" or "missing"
    blocking: bool  # False when the locale may fall back to the source for it
    where: str  # the translation's file:line:col, or the file it belongs in

    def __str__(self) -> str:
        verdict = "blocks the release" if self.blocking else "falls back to the source (marked untranslated)"
        return f"{self.where}: [{self.locale}] {self.key} is {self.state}; {verdict}"


def _matches(unit: Unit, path: str) -> bool:
    """Whether a changed ``path`` covers ``unit``.

    ``path`` is a unit key (``collection.definition``, ``collection:title``,
    ``facts.purposes.security``, ``title``), a section id (every unit of it) or a
    fact kind ``facts.<kind>`` (every label of that kind).
    """
    key = unit.key
    if unit.kind == "term":  # a table word: changed with any fact of its kind (facts.<kind>...)
        kind = key.split(":", 1)[1].split(".", 1)[0]
        return path == f"facts.{kind}" or path.startswith(f"facts.{kind}.")
    return key == path or unit.section == path or (key.startswith(path + ".") and path.startswith("facts."))


def gate(policy: Policy, locale: str, changed_paths: Iterable[str] | None = None) -> list[GateProblem]:
    """The changed units of ``locale`` whose translation is stale or missing (``None``: every unit)."""
    if locale not in policy.all_locales:
        raise UsageError(f"locale {locale!r} is not configured in policy/policy.yaml")
    if locale == policy.source_locale:
        return []
    paths = None if changed_paths is None else list(changed_paths)
    blocking = locale not in policy.fallback_locales
    out = []
    for unit in units(policy, locale):
        if unit.state == "translated" or (paths is not None and not any(_matches(unit, p) for p in paths)):
            continue
        where = str(unit.translated.pos) if unit.translated is not None else unit.file
        out.append(GateProblem(locale, unit.key, unit.state, blocking, where))
    return out


def coverage(policy: Policy) -> list[Diagnostic]:
    """Published means translated: every stale or missing unit of every translated locale.

    A stale unit is reported where its translation stands: an error in a published
    locale, a warning in a fallback locale (the source changed; the translation is not
    wrong, it waits for its translator). The missing units of a published locale are one
    error per locale, at the locale's entry in ``locales``, naming the first of them.
    """
    out: list[Diagnostic] = []
    if not policy.source_locale_ok:
        return out  # which locales are translations is not known; the tag's error says why
    for tag in policy.all_locales:
        if tag == policy.source_locale:
            continue
        published = tag in policy.locales
        all_units = units(policy, tag)
        for unit in all_units:
            if unit.state == "stale" and unit.translated is not None:
                out.append(_stale(unit, tag, published))
        missing = [u for u in all_units if u.state == "missing"]
        if missing and published:
            out.append(_untranslated(policy, tag, all_units, missing))
    return out


def _stale(unit: Unit, tag: str, published: bool) -> Diagnostic:
    assert unit.translated is not None
    what = {"block": "the text of", "title": "", "label": "the label of", "term": "the table word"}[unit.kind]
    message = (f"[{tag}] {what + ' ' if what else ''}{unit.key} is stale: its source changed after it was "
               f"translated (source: {unit.source_pos if unit.source_pos.line else unit.source_file})")
    if published:
        return error(unit.translated.pos, message, "locale.stale", hint=(
            f"{tag} is published, so it must match the source: have it translated again "
            f"(`policyctl i18n export --locale {tag} --only stale,missing`), or move {tag} to "
            "`fallback_locales` until it is"))
    return warning(unit.translated.pos, message, "locale.stale")


def _untranslated(policy: Policy, tag: str, all_units: list[Unit], missing: list[Unit]) -> Diagnostic:
    words = sum(u.words for u in all_units) or 1
    done = sum(u.words for u in all_units if u.state == "translated")
    named = ", ".join(u.key for u in missing[:_NAMED])
    more = f" and {len(missing) - _NAMED} more" if len(missing) > _NAMED else ""
    at = policy.field_pos.get(f"locales.{tag}", policy.where("locales"))
    return error(at, f"locale {tag!r} is published, but {len(missing)} of its {len(all_units)} units are not "
                 f"translated ({done * 100 // words}% of words are): {named}{more}", "locale.untranslated",
                 length=len(tag), hint=(
                     f"translate them (`policyctl i18n export --locale {tag} --only missing`, then "
                     f"`policyctl i18n import`), or move {tag} to `fallback_locales`, whose pages show the "
                     "source text for what is not translated yet, marked"))

