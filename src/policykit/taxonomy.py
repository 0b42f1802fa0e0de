"""Privacy taxonomy keys from fideslang (the Fides taxonomy, CC-BY-4.0).

Importing fideslang costs about 0.3 s (pydantic models), too much for every
``validate``; the keys are cached per installed fideslang version in the
cache store (:mod:`policykit.cachestore`) and read back in a millisecond.
"""

from __future__ import annotations

from functools import cache

KINDS = ("data_category", "data_use")


def _from_fideslang() -> dict[str, list[str]]:
    from fideslang.default_taxonomy import DEFAULT_TAXONOMY

    return {
        "data_category": sorted(c.fides_key for c in DEFAULT_TAXONOMY.data_category),
        "data_use": sorted(u.fides_key for u in DEFAULT_TAXONOMY.data_use),
    }


# Measured: `validate` 0.3 s faster per run than importing fideslang (see docs/architecture.md).
@cache
def _all() -> dict[str, frozenset[str]]:
    from importlib.metadata import version  # (10 ms to import: not for every `diff` that never asks)

    from policykit.cachestore import Cache

    store, installed = Cache("fideslang"), version("fideslang").encode()
    data = store.get_json(installed)
    if not isinstance(data, dict) or not all(isinstance(data.get(kind), list) for kind in KINDS):
        data = _from_fideslang()
        store.put_json(installed, data)
    return {kind: frozenset(data[kind]) for kind in KINDS}


def keys(kind: str) -> frozenset[str]:
    """Every fideslang key of ``kind`` (``data_category`` or ``data_use``)."""
    return _all()[kind]


def is_under(key: str, parent: str) -> bool:
    """True when ``key`` is ``parent`` or one of its descendants (``user.contact.email`` under ``user.contact``)."""
    return key == parent or key.startswith(parent + ".")
