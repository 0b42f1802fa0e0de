"""Which units of a released version each locale has not (or not freshly) translated.

``<locale>/current.json`` says, for the version in force and the upcoming one,
which units of that locale are shown from the source (``untranslated``: no
translation) or from an outdated translation (``stale``), in the unit keys of
:mod:`policykit.i18n` (``title``, ``collection:title``, ``collection.definition``,
``facts.purposes.security``). The answer comes from
:func:`policykit.i18n.gate.gate` on the version's policy, which needs the policy
loaded; it is stored in the site's cache under the version's tree id and the tool
fingerprint (``meta/i18n-<digest>.json``), so each tree is loaded for this once,
ever, and a no-op rebuild reads a small JSON file instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from policykit.site import cache
from policykit.site.timeline import Version

_VERSION = 1
Gaps = Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]]  # locale -> (untranslated keys, stale keys)


def _compute(root: Path, version: Version) -> dict[str, Any]:
    from policykit import versions
    from policykit.errors import InvalidPolicy
    from policykit.i18n.gate import gate

    assert version.commit is not None
    loaded = versions.load_version(root, version.commit)
    if loaded.errors:
        raise InvalidPolicy(loaded.diagnostics)
    policy = loaded.policy
    out: dict[str, Any] = {}
    for tag in version.locales:
        problems = gate(policy, tag, None) if tag in policy.all_locales else []
        out[tag] = {"untranslated": [p.key for p in problems if p.state == "missing"],
                    "stale": [p.key for p in problems if p.state == "stale"]}
    return out


def gaps(root: Path, store: cache.Store, version: Version) -> Gaps:
    """``locale -> (untranslated, stale)`` unit keys of a released ``version`` (cached by tree id)."""
    if version.commit is None:  # the draft is never in force or upcoming
        return {}
    name = "i18n-" + cache.digest(_VERSION, version.tree, cache.tool_fingerprint())[:32]
    meta = store.meta(name)
    if not isinstance(meta, dict):
        meta = _compute(root, version)
        store.put_meta(name, meta)
    return {tag: (tuple(v["untranslated"]), tuple(v["stale"])) for tag, v in meta.items()}


def all_gaps(root: Path, store: cache.Store, shown: Iterable[Version | None]) -> dict[str, Gaps]:
    """``version id -> gaps`` of each version given (``None`` entries skipped)."""
    return {v.id: gaps(root, store, v) for v in shown if v is not None}
