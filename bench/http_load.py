"""HTTP under load: 50 concurrent clients x 20 calls against the stateless Streamable HTTP server.

Each client first makes one untimed call (TCP connect, protocol discovery) and waits until
all 50 are connected, so the figures describe calls under steady concurrency, not the
staggered connection setup.
"""

from __future__ import annotations

import time

import anyio
from common import PYTHON, background, free_port, percentile
from mcp import Client


async def run(clients: int = 50, calls: int = 20) -> dict[str, float]:
    """Throughput (calls/s), p50 and p99 latency (ms) of list_connections."""
    port = free_port()
    args = [PYTHON, "-m", "polytomic_mcp", "--sandbox", "--transport", "http", "--port", str(port), "--stateless"]
    latencies: list[float] = []
    with background(args, port):
        url = f"http://127.0.0.1:{port}/mcp"
        async with Client(url) as warm:
            await warm.call_tool("list_connections", {})

        warmed = anyio.Event()
        ready = [0]

        async def one_client() -> None:
            async with Client(url) as client:
                await client.call_tool("list_connections", {})
                ready[0] += 1
                if ready[0] == clients:
                    warmed.set()
                await warmed.wait()
                for _ in range(calls):
                    start = time.perf_counter()
                    result = await client.call_tool("list_connections", {})
                    latencies.append(time.perf_counter() - start)
                    if result.is_error:
                        raise RuntimeError(result.content[0].text)

        start = time.perf_counter()
        async with anyio.create_task_group() as group:
            for _ in range(clients):
                group.start_soon(one_client)
        wall = time.perf_counter() - start
    p50 = percentile(latencies, 0.50) * 1000
    p99 = percentile(latencies, 0.99) * 1000
    return {"calls": len(latencies), "throughput_per_s": len(latencies) / wall, "p50_ms": p50, "p99_ms": p99, "p99_over_p50": p99 / p50}
