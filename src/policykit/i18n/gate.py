"""Release gating: a locale may not publish a changed unit whose translation is stale or missing.

The release stage calls :func:`gate` for every locale with the units its release
changed. A problem is *blocking* unless the locale is in ``fallback_locales`` of
``policy/policy.yaml``; then the site shows the source text for that unit, marked
as not yet translated, and the release records it (``current.json``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from policykit.errors import UsageError
from policykit.i18n.catalog import State, Unit, units
from policykit.model import Policy


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
