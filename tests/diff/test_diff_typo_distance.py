"""A typo fix is one or two letters away: the banded check answers what the full edit distance would."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from policykit.compare.hunks import _within


def _levenshtein(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


short = st.text(alphabet="abcé", max_size=9)


@settings(max_examples=1000, deadline=None)
@given(short, short, st.integers(0, 3))
def test_within_the_limit_exactly_when_the_edit_distance_is(a: str, b: str, limit: int) -> None:
    assert _within(a, b, limit) == (_levenshtein(a, b) <= limit)


def test_typo_fixes_and_long_rewrites() -> None:
    assert _within("recieve", "receive", 2)
    assert _within("weballinks", "weblinks", 2)
    assert not _within("personal information", "personal data", 2)
    long_a = "we keep your records " * 50
    assert _within(long_a, long_a.replace("keep", "kept", 1), 2)
    assert not _within(long_a, long_a.replace("keep", "kept", 3), 2)
