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
