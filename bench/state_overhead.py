"""What sharing state through Redis adds to a tool call: one call's state steps, Redis on loopback vs in-process.

A tool call that creates something claims a single-use consent token and holds the name lock around the create:
three round trips to Redis (SET NX, SET NX, the release script). That sequence is timed ``rounds`` times against
``MemoryState`` and against ``RedisState`` on a redis-server started here (Debian's, no persistence); a bare
``PING`` is timed too, as the client's floor per round trip.
"""

from __future__ import annotations

import secrets
import shutil
import time

from common import background, free_port, median, percentile

from polytomic_mcp.shared_state import MemoryState, SharedState, namespaced
from polytomic_mcp.shared_state.redis_state import RedisState


async def one_call(state: SharedState, index: int) -> None:
    """The state steps of one creating tool call."""
    tenant = "t" + secrets.token_hex(4)
    await state.claim(namespaced("used", tenant, str(index)), 600)
    async with state.locked(namespaced("create", tenant, "orders"), ttl=30, wait=5):
        pass


async def timings_ms(state: SharedState, rounds: int) -> list[float]:
    """Milliseconds per call's steps, after a warm-up (connections open, scripts loaded)."""
    for index in range(20):
        await one_call(state, -index - 1)
    found = []
    for index in range(rounds):
        start = time.perf_counter()
        await one_call(state, index)
        found.append((time.perf_counter() - start) * 1000)
    return found


async def run(rounds: int = 2_000) -> dict[str, float]:
    """Median and p99 per backend, and what Redis adds at the median."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server is not installed (Debian: apt-get install -y redis-server, or .ci/redis)")
    memory = await timings_ms(MemoryState(), rounds)
    port = free_port()
    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    with background(command, port):
        state = RedisState(f"redis://127.0.0.1:{port}/0")
        try:
            redis = await timings_ms(state, rounds)
            pings = []
            for _ in range(rounds):
                start = time.perf_counter()
                await state.ping()
                pings.append((time.perf_counter() - start) * 1000)
        finally:
            await state.aclose()
    return {
        "memory_ms": median(memory), "memory_p99_ms": percentile(memory, 0.99),
        "redis_ms": median(redis), "redis_p99_ms": percentile(redis, 0.99),
        "redis_added_ms": median(redis) - median(memory), "redis_ping_ms": median(pings),
    }


def rows(result: dict[str, float]) -> list[tuple[str, str, str]]:
    """Table rows for bench/run.py."""
    return [
        ("one creating call's shared-state steps, in-process", f"{result['memory_ms']:.3f} ms (p99 {result['memory_p99_ms']:.3f})",
         "single-use claim + lock/unlock around a create; median"),
        ("the same steps on Redis over loopback", f"{result['redis_ms']:.3f} ms (+{result['redis_added_ms']:.3f}, p99 {result['redis_p99_ms']:.3f})",
         "budget <= +1 ms at the median"),
        ("one Redis round trip (PING) through the client", f"{result['redis_ping_ms']:.3f} ms", "median; the floor per step"),
    ]
