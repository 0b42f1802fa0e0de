"""policykit.memo.LRU: bounded by size, least recently used out first, the newest always kept."""

from __future__ import annotations

import threading

from policykit.memo import LRU


def test_entries_beyond_the_limit_go_least_recently_used_first() -> None:
    memo: LRU[str, int] = LRU(3)
    for key in "abc":
        memo.put(key, ord(key))
    assert memo.get("a") == ord("a")  # now the most recently used
    memo.put("d", 4)
    assert memo.get("b") is None and [k for k, _ in memo.items()] == ["c", "a", "d"]
    memo.put("a", 0)  # a key held keeps its first value
    assert memo.get("a") == ord("a") and memo.held == 3


def test_a_size_function_bounds_what_is_held_and_the_newest_entry_always_stays() -> None:
    memo: LRU[str, bytes] = LRU(10, lambda key, value: len(value))
    memo.put("small", b"1234")
    memo.put("more", b"12345")
    assert memo.held == 9 and len(memo) == 2
    memo.put("huge", b"x" * 50)
    assert [k for k, _ in memo.items()] == ["huge"] and memo.held == 50


def test_threads_putting_at_once_keep_the_count_right() -> None:
    memo: LRU[int, int] = LRU(100)

    def fill(start: int) -> None:
        for i in range(start, start + 500):
            memo.put(i % 300, i)
            memo.get((i * 7) % 300)

    threads = [threading.Thread(target=fill, args=(n * 500,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(memo) == memo.held == 100


def test_by_identity_makes_a_value_once_per_set_of_objects_and_holds_them() -> None:
    from policykit.memo import ByIdentity

    memo: ByIdentity[str] = ByIdentity(2)
    made: list[str] = []

    def make(text: str) -> str:
        made.append(text)
        return text.upper()

    a, b = ["same"], ["same"]  # equal, but not the same object
    assert memo.get((a,), lambda: make("a")) == "A"
    assert memo.get((a,), lambda: make("again")) == "A"  # the very object: made once
    assert memo.get((b,), lambda: make("b")) == "B"  # an equal one is another entry
    assert memo.get((a,), lambda: make("x"), "en") == "X"  # so is other extra data
    assert made == ["a", "b", "x"] and len(memo) == 2  # bounded: the oldest entry went
    assert memo.get((a, b), lambda: make("ab")) == "AB"
    assert memo.get((b, a), lambda: make("ba")) == "BA"  # order counts
    # An entry keeps its objects alive, so a dropped object's id cannot come back as a hit.
    import gc
    import weakref

    class Thing:
        pass

    thing = Thing()
    alive = weakref.ref(thing)
    memo.get((thing,), lambda: make("thing"))
    del thing
    gc.collect()
    assert alive() is not None
