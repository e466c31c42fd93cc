"""What only the Redis backend must show: replicas see each other's records, outages fail closed, it recovers alone."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from redis_server import RedisServer

from polytomic_mcp.shared_state import StateUnavailable
from polytomic_mcp.shared_state.factory import open_state
from polytomic_mcp.shared_state.redis_state import RedisState

pytestmark = [pytest.mark.anyio, pytest.mark.slow]


@pytest.fixture
async def replicas(redis_url: str) -> AsyncIterator[tuple[RedisState, RedisState]]:
    first, second = RedisState(redis_url), RedisState(redis_url)
    yield first, second
    await first.aclose()
    await second.aclose()


async def test_replicas_on_one_url_share_markers_records_and_locks(replicas: tuple[RedisState, RedisState]) -> None:
    first, second = replicas
    assert await first.claim("code", 60)
    assert not await second.claim("code", 60), "a code used on one replica is used on all"
    await first.put("pending", "p1", 60)
    assert await second.take("pending") == "p1"
    assert await first.take("pending") is None
    assert await first.acquire("create|orders", "replica-1", 60)
    assert not await second.acquire("create|orders", "replica-2", 60)
    assert [await first.hit("window", 60), await second.hit("window", 60)] == [1, 2]


async def test_records_have_a_time_to_live_on_the_server(redis_server: RedisServer, redis_url: str) -> None:
    state = RedisState(redis_url)
    await state.put("record", "v", 30)
    await state.hit("window", 5)
    await state.aclose()
    assert 29_000 < int(redis_server.command("PTTL", "record")[1:]) <= 30_000
    assert 4_000 < int(redis_server.command("PTTL", "window")[1:]) <= 5_000


async def test_the_factory_picks_redis_only_for_a_url(redis_url: str) -> None:
    assert open_state(None).backend == "memory"
    state = open_state(redis_url)
    assert state.backend == "redis"
    await state.ping()
    await state.aclose()


async def test_a_stopped_redis_fails_closed_and_the_client_reconnects_when_it_returns(tmp_path: Path) -> None:
    server = RedisServer(tmp_path)
    server.start()
    state = RedisState(server.url)
    try:
        await state.put("lock-owner", "a", 60)
        assert await state.swap("lock-owner", "a", "b", 60)
        server.stop()
        started = time.monotonic()
        for call in (state.ping(), state.claim("c", 60), state.take("lock-owner"), state.swap("lock-owner", "b", "c", 60),
                     state.hit("w", 60), state.release("lock-owner", "b")):
            with pytest.raises(StateUnavailable, match="could not reach the shared state"):
                await call
        assert time.monotonic() - started < 5
        server.start()
        await state.ping()
        assert await state.claim("c", 60)
        await state.put("lock-owner", "b", 60)
        assert await state.swap("lock-owner", "b", "c", 60), "scripts are loaded again after a restart"
        assert await state.hit("w", 60) == 1
    finally:
        await state.aclose()
        server.stop()


async def test_a_hung_redis_times_out_as_unavailable(redis_server: RedisServer, redis_url: str) -> None:
    state = RedisState(redis_url, timeout=0.3)
    await state.ping()
    redis_server.pause(True)
    try:
        started = time.monotonic()
        with pytest.raises(StateUnavailable):
            await state.claim("c", 60)
        assert time.monotonic() - started < 2
    finally:
        redis_server.pause(False)
    await state.ping()
    await state.aclose()


async def test_errors_never_show_the_password(redis_server: RedisServer) -> None:
    for url in (f"redis://nobody:hunter2-secret@127.0.0.1:{redis_server.port}/0", "redis://user:hunter2-secret@127.0.0.1:1/0"):
        state = RedisState(url)
        with pytest.raises(StateUnavailable) as raised:
            await state.ping()
        await state.aclose()
        assert "hunter2" not in str(raised.value) and "127.0.0.1" not in str(raised.value)


async def test_a_rediss_url_speaks_tls_and_a_plain_server_is_unavailable_to_it(redis_server: RedisServer) -> None:
    state = RedisState(f"rediss://127.0.0.1:{redis_server.port}/0", timeout=1)
    with pytest.raises(StateUnavailable):
        await state.ping()
    await state.aclose()
    assert redis_server.command("PING") == "+PONG"
