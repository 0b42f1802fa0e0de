"""Turn policyctl's in-memory memos off, to measure what each one buys (docs/architecture.md).

``PYTHONPATH=benchmarks/memos_off PK_OFF=policykit.markdown,policykit.load policyctl …``: the
``functools.cache``/``lru_cache`` functions and the ``memo.LRU``/``memo.ByIdentity`` memos
made in those modules (and their submodules; ``ALL``: every one) compute every call anew.
Python imports ``sitecustomize`` at start-up, in the build's worker processes too.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Any

OFF = [name for name in os.environ.get("PK_OFF", "").split(",") if name]


def _off(module: str) -> bool:
    return module.startswith("policykit") and ("ALL" in OFF or any(
        module == name or module.startswith(name + ".") for name in OFF))


def _caller() -> str:
    return str(sys._getframe(2).f_globals.get("__name__", ""))


def _uncached(fn: Callable[..., Any]) -> Any:
    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        return fn(*args, **kwargs)

    call.cache_clear = lambda: None  # type: ignore[attr-defined]
    return call


if OFF:
    _lru, _cache = functools.lru_cache, functools.cache

    def lru_cache(maxsize: Any = 128, typed: bool = False) -> Any:
        off = _off(_caller())
        if callable(maxsize):
            return _uncached(maxsize) if off else _lru(maxsize)
        return _uncached if off else _lru(maxsize, typed)

    def cache(fn: Callable[..., Any]) -> Any:
        return _uncached(fn) if _off(_caller()) else _cache(fn)

    functools.lru_cache, functools.cache = lru_cache, cache  # type: ignore[assignment]
    try:
        import policykit.memo as memo
    except ImportError:
        memo = None  # type: ignore[assignment]
    if memo is not None:
        for cls in (memo.LRU, memo.ByIdentity):
            init = cls.__init__

            def patched(self: Any, *args: Any, _init: Any = init, **kwargs: Any) -> None:
                _init(self, *args, **kwargs)
                self.off = _off(str(sys._getframe(1).f_globals.get("__name__", "")))

            cls.__init__ = patched  # type: ignore[method-assign]
        lru_get, identity_get = memo.LRU.get, memo.ByIdentity.get
        memo.LRU.get = lambda self, key: None if self.off else lru_get(self, key)  # type: ignore[method-assign]
        memo.ByIdentity.get = (  # type: ignore[method-assign]
            lambda self, objects, make, *extra: make() if self.off else identity_get(self, objects, make, *extra))
