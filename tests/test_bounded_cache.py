"""The one bounded map behind every in-process table: size limit, recency, expiry."""

from __future__ import annotations

import pytest

from polytomic_mcp.bounded_cache import BoundedCache


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_past_the_limit_the_least_recently_used_goes_and_is_handed_back() -> None:
    cache: BoundedCache[str, int] = BoundedCache(2)
    assert cache.put("a", 1) == [] and cache.put("b", 2) == []
    assert cache.get("a") == 1  # a is now the most recent
    assert cache.put("c", 3) == [2]
    assert "b" not in cache and cache.get("a") == 1 and cache.get("c") == 3 and len(cache) == 2


def test_entries_expire_after_the_ttl_or_at_their_own_time() -> None:
    clock = Clock()
    cache: BoundedCache[str, str] = BoundedCache(10, ttl=60, clock=clock)
    cache.put("short", "x")
    cache.put("long", "y", expires_at=clock.now + 3600)
    clock.now += 61
    assert cache.get("short") is None and "short" not in cache
    assert cache.get("long") == "y" and len(cache) == 1
    clock.now += 3600
    assert cache.pop("long") is None and len(cache) == 0


def test_without_a_ttl_entries_live_until_evicted() -> None:
    clock = Clock()
    cache: BoundedCache[str, int] = BoundedCache(3, clock=clock)
    cache.put("a", 1)
    clock.now += 10**9
    assert cache.get("a") == 1


def test_expired_entries_make_room_before_any_live_one_is_evicted() -> None:
    clock = Clock()
    cache: BoundedCache[str, int] = BoundedCache(2, clock=clock)
    cache.put("live", 1)
    cache.put("stale", 2, expires_at=clock.now + 1)
    clock.now += 2
    assert cache.put("new", 3) == []
    assert cache.get("live") == 1 and cache.get("new") == 3


def test_values_and_iteration_show_live_entries_oldest_first() -> None:
    clock = Clock()
    cache: BoundedCache[str, int] = BoundedCache(5, clock=clock)
    cache.put("a", 1)
    cache.put("b", 2, expires_at=clock.now + 1)
    cache.put("c", 3)
    clock.now += 2
    assert cache.values() == [1, 3] and list(cache) == ["a", "c"]
    cache.clear()
    assert len(cache) == 0


def test_a_limit_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="limit"):
        BoundedCache(0)
