"""Bounded, thread-safe least-recently-used memos: the shape of every in-process memo.

A site build, a log or a diff meets the same files, sections and texts again and again;
the parser, the loader and the renderers each remember what they made in an :class:`LRU`
bounded by a size (entries, or the bytes they hold), so a long-lived process (``serve``)
stays small. What is made from objects too costly to hash or compare (a localised section)
is kept by their identity in a :class:`ByIdentity`.
"""

from __future__ import annotations

import operator
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def _one(key: object, value: object) -> int:
    return 1


class LRU(Generic[K, V]):
    """At most ``limit`` in total ``size(key, value)`` (one per entry by default); the least
    recently used entries go first, but the newest one always stays."""

    def __init__(self, limit: int, size: Callable[[K, V], int] = _one) -> None:
        self.limit = limit
        self.held = 0
        self._size = size
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> None:
        """Remember ``value``; a key already held keeps its first value."""
        with self._lock:
            if key in self._items:
                return
            self._items[key] = value
            self.held += self._size(key, value)
            while self.held > self.limit and len(self._items) > 1:
                old_key, old_value = self._items.popitem(last=False)
                self.held -= self._size(old_key, old_value)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.held = 0

    def items(self) -> list[tuple[K, V]]:
        with self._lock:
            return list(self._items.items())

    def __len__(self) -> int:
        return len(self._items)


class ByIdentity(Generic[V]):
    """Values made from objects that are costly to hash or to compare (a model section, a
    localised one), kept by the objects' identity and bounded like :class:`LRU`. An entry
    holds its objects, so none of their ids is reused while it lives."""

    def __init__(self, limit: int) -> None:
        self._lru: LRU[tuple[Hashable, ...], tuple[tuple[object, ...], V]] = LRU(limit)

    def get(self, objects: tuple[object, ...], make: Callable[[], V], *extra: Hashable) -> V:
        """What ``make()`` returned for these very ``objects`` (and equal ``extra``), made now if
        nothing was."""
        key = (len(objects), *map(id, objects), *extra)
        hit = self._lru.get(key)
        if hit is not None and all(map(operator.is_, hit[0], objects)):
            return hit[1]
        value = make()
        self._lru.put(key, (objects, value))
        return value

    def __len__(self) -> int:
        return len(self._lru)
