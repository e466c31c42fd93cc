"""What every backend must do: single use, expiry, compare-and-swap, counting windows and owned locks."""

from __future__ import annotations

import anyio
import pytest

from polytomic_mcp.shared_state import LockBusy, SharedState, namespaced, tenant_hash

pytestmark = pytest.mark.anyio


async def test_a_marker_is_claimed_once_even_by_concurrent_callers(state: SharedState) -> None:
    wins: list[bool] = []

    async def claim() -> None:
        wins.append(await state.claim(namespaced("test", "code", "c1"), 60))

    async with anyio.create_task_group() as group:
        for _ in range(20):
            group.start_soon(claim)
    assert wins.count(True) == 1


async def test_take_gives_a_record_to_exactly_one_caller(state: SharedState) -> None:
    await state.put("k", "v", 60)
    assert [await state.take("k"), await state.take("k")] == ["v", None]


async def test_records_expire(state: SharedState) -> None:
    await state.put("short", "v", 0.05)
    assert await state.get("short") == "v"
    await anyio.sleep(0.1)
    assert await state.get("short") is None
    assert await state.add("short", "w", 60)


async def test_swap_replaces_only_the_expected_value(state: SharedState) -> None:
    await state.put("refresh", "r1", 60)
    assert await state.swap("refresh", "r1", "r2", 60)
    assert not await state.swap("refresh", "r1", "r3", 60)
    assert await state.get("refresh") == "r2"
    assert not await state.swap("absent", "x", "y", 60)


async def test_hits_count_within_a_window_then_start_again(state: SharedState) -> None:
    assert [await state.hit("w", 0.1) for _ in range(3)] == [1, 2, 3]
    await anyio.sleep(0.15)
    assert await state.hit("w", 0.1) == 1


async def test_a_lock_belongs_to_its_owner(state: SharedState) -> None:
    assert await state.acquire("lock", "a", 60)
    assert not await state.acquire("lock", "b", 60)
    await state.release("lock", "b")
    assert not await state.acquire("lock", "b", 60), "only the owner releases"
    await state.release("lock", "a")
    assert await state.acquire("lock", "b", 60)


async def test_locked_serializes_and_a_busy_lock_says_so(state: SharedState) -> None:
    inside = 0
    most = 0

    async def work() -> None:
        nonlocal inside, most
        async with state.locked("name", ttl=5, wait=5):
            inside += 1
            most = max(most, inside)
            await anyio.sleep(0.01)
            inside -= 1

    async with anyio.create_task_group() as group:
        for _ in range(5):
            group.start_soon(work)
    assert most == 1
    assert await state.acquire("held", "someone", 60)
    with pytest.raises(LockBusy):
        async with state.locked("held", ttl=5, wait=0.05):
            pass


def test_tenant_namespaces_never_hold_the_key() -> None:
    key = "pk_live_secret_value"
    assert key not in namespaced("t", tenant_hash(key), "consent")
    assert tenant_hash(key) != tenant_hash(key + "x")
    with pytest.raises(ValueError):
        namespaced("a|b")
