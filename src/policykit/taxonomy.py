"""Privacy taxonomy keys from fideslang (the Fides taxonomy, CC-BY-4.0).

Importing fideslang costs about 0.3 s (pydantic models), too much for every
``validate``; the keys are cached per installed fideslang version in the
user's cache folder and read back in a millisecond.
"""

from __future__ import annotations

import json
import os
from functools import cache
from importlib.metadata import version
from pathlib import Path

KINDS = ("data_category", "data_use")


def _cache_file() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "policyctl" / f"fideslang-{version('fideslang')}.json"


def _from_fideslang() -> dict[str, list[str]]:
    from fideslang.default_taxonomy import DEFAULT_TAXONOMY

    return {
        "data_category": sorted(c.fides_key for c in DEFAULT_TAXONOMY.data_category),
        "data_use": sorted(u.fides_key for u in DEFAULT_TAXONOMY.data_use),
    }


@cache
def _all() -> dict[str, frozenset[str]]:
    path = _cache_file()
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        data = _from_fideslang()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(data), "utf-8")
            tmp.replace(path)
        except OSError:
            pass  # a read-only home only costs speed
    return {kind: frozenset(data[kind]) for kind in KINDS}


def keys(kind: str) -> frozenset[str]:
    """Every fideslang key of ``kind`` (``data_category`` or ``data_use``)."""
    return _all()[kind]


def is_under(key: str, parent: str) -> bool:
    """True when ``key`` is ``parent`` or one of its descendants (``user.contact.email`` under ``user.contact``)."""
    return key == parent or key.startswith(parent + ".")
