"""A large answer is decoded in a worker thread with garbage collection held off it, and the collector is always restored.

The collector's state is process-wide, so each test checks it is left exactly as found: enabled,
and with nothing frozen.
"""

from __future__ import annotations

import gc
import json
import threading
from typing import Any

import anyio
import httpx2
import pytest

from polytomic_mcp.client import PolytomicClient, ResponseParseError, large_answers_frozen
from polytomic_mcp.client._gc_pause import gc_paused
from polytomic_mcp.client._http import DECODE_ON_LOOP_BYTES

pytestmark = pytest.mark.anyio



def serving(body: bytes) -> PolytomicClient:
    transport = httpx2.MockTransport(lambda request: httpx2.Response(200, content=body, headers={"content-type": "application/json"}))
    return PolytomicClient("k", base_url="https://api.test", transport=transport, max_retries=0)


@pytest.fixture(scope="module")
def large() -> dict[str, Any]:
    """An answer over the size decoded on the loop."""
    return {"data": [{"id": f"u{index}", "tags": ["a", {"b": index}]} for index in range(DECODE_ON_LOOP_BYTES // 20)]}


@pytest.fixture(autouse=True)
def collector_left_as_found() -> Any:
    assert gc.isenabled() and gc.get_freeze_count() == 0
    yield
    assert gc.isenabled(), "collection is enabled again"
    assert gc.get_freeze_count() == 0, "nothing is left frozen"


async def test_a_large_answer_is_decoded_in_a_worker_thread_with_collection_off_and_reads_the_same(
    large: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[int, bool]] = []
    loads = json.loads

    def recorded(*args: Any, **kwargs: Any) -> Any:
        seen.append((threading.get_ident(), gc.isenabled()))
        return loads(*args, **kwargs)

    monkeypatch.setattr(json, "loads", recorded)
    body = json.dumps(large).encode()
    assert len(body) > DECODE_ON_LOOP_BYTES
    async with serving(body) as client:
        assert await client.call("GET", "/api/organization/users") == large
    async with serving(b'{"data": []}') as client:
        assert await client.call("GET", "/api/organization/users") == {"data": []}
    (large_thread, large_gc), (small_thread, _) = seen
    assert large_thread != threading.get_ident() and large_gc is False
    assert small_thread == threading.get_ident(), "a small answer is not worth a thread hop"


async def test_a_large_answer_that_is_not_json_is_a_parse_error_and_collection_comes_back() -> None:
    async with serving(b"{" + b'"x": 1, ' * DECODE_ON_LOOP_BYTES) as client:
        with pytest.raises(ResponseParseError, match="not JSON"):
            await client.call("GET", "/api/organization/users")


async def test_inside_the_scope_a_large_answer_stays_frozen_until_the_scope_ends_and_only_then(large: dict[str, Any]) -> None:
    body = json.dumps(large).encode()
    async with serving(body) as client:
        await client.call("GET", "/api/organization/users")
        assert gc.get_freeze_count() == 0, "outside the scope nothing is frozen"
        with large_answers_frozen():
            await client.call("GET", "/api/organization/users")
            assert gc.get_freeze_count() > 0
        assert gc.get_freeze_count() == 0


async def test_overlapping_scopes_unfreeze_when_the_last_one_ends(large: dict[str, Any]) -> None:
    body = json.dumps(large).encode()
    first_done = anyio.Event()
    counts: dict[str, int] = {}
    async with serving(body) as client:

        async def first() -> None:
            with large_answers_frozen():
                await client.call("GET", "/api/organization/users")
            first_done.set()

        async def second() -> None:
            with large_answers_frozen():
                await client.call("GET", "/api/organization/users")
                await first_done.wait()
                counts["after the first ended"] = gc.get_freeze_count()

        async with anyio.create_task_group() as group:
            group.start_soon(second)
            group.start_soon(first)
    assert counts["after the first ended"] > 0, "the second answer is still alive: it stays frozen"


def test_pauses_nest_across_threads_and_a_collector_disabled_before_stays_disabled() -> None:
    started, release = threading.Event(), threading.Event()

    def hold() -> None:
        with gc_paused():
            started.set()
            release.wait(5)

    worker = threading.Thread(target=hold)
    worker.start()
    started.wait(5)
    with gc_paused():
        assert not gc.isenabled()
    assert not gc.isenabled(), "the other thread's pause still holds"
    release.set()
    worker.join(5)
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled(), "the pause gives back what it found"
    finally:
        gc.enable()
