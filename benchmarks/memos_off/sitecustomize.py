"""Turn policyctl's in-memory memos off, to measure what each one buys (docs/architecture.md).

``PYTHONPATH=benchmarks/memos_off PK_OFF=policykit.markdown,policykit.load policyctl …``: the
``functools.cache``/``lru_cache`` functions and the ``memo.LRU``/``memo.ByIdentity`` memos
made in those modules (and their submodules; ``ALL``: every one) compute every call anew.
A function is matched by the module that defines it as well as by the one that decorates it,
so ``PK_OFF=policykit.render`` also switches off ``@package_data`` loaders of ``render``; a
function's full name switches off that function alone (``PK_OFF=policykit.i18n.segment.stem``).

``PK_OFF_RECORDS=manifest,tree,i18n`` makes the site's records of those kinds (the manifest of
the site in place, each release's facts, each release's translation gaps) read as missing,
so a build computes them as if there were no such record.
Python imports ``sitecustomize`` at start-up, in the build's worker processes too.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Any

OFF = [name for name in os.environ.get("PK_OFF", "").split(",") if name]
RECORDS_OFF = tuple(name for name in os.environ.get("PK_OFF_RECORDS", "").split(",") if name)


def _off(module: str) -> bool:
    return module.startswith("policykit") and ("ALL" in OFF or any(
        module == name or module.startswith(name + ".") for name in OFF))


def _fn_off(fn: Callable[..., Any]) -> bool:
    module = str(getattr(fn, "__module__", ""))
    return _off(module) or _off(f"{module}.{getattr(fn, '__qualname__', '')}")


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
            return _uncached(maxsize) if off or _fn_off(maxsize) else _lru(maxsize)

        def decorate(fn: Callable[..., Any]) -> Any:
            return _uncached(fn) if off or _fn_off(fn) else _lru(maxsize, typed)(fn)

        return decorate

    def cache(fn: Callable[..., Any]) -> Any:
        return _uncached(fn) if _off(_caller()) or _fn_off(fn) else _cache(fn)

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

if RECORDS_OFF:
    import policykit.site.cache as site_cache

    _meta = site_cache.Store.meta
    site_cache.Store.meta = (  # type: ignore[method-assign]
        lambda self, name: None if name.startswith(RECORDS_OFF) else _meta(self, name))
