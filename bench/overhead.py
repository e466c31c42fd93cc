"""Tool-call overhead: list_connections(connection_id) through MCP against the same API request made directly with the client.

The sandbox runs as an HTTP server; the MCP server talks to it like to the real API, and
the baseline is the client making the same GET to the same sandbox. For reference it also
times a bare mcp server's no-op tool over stdio: the floor of the SDK's stdio transport.
"""

from __future__ import annotations

import time
from typing import Any

from common import DEMO_KEY, PYTHON, REPO, background, clean_env, free_port, median
from mcp import Client, StdioServerParameters

from polytomic_mcp.client import PolytomicClient
from polytomic_mcp.server import build_server
from polytomic_mcp.settings import Settings

CONFIG = {"hosts": "example.mongodb.net", "username": "user", "password": "secret-pw-1234"}


async def _timed(call: Any, rounds: int) -> list[float]:
    for _ in range(5):
        await call()
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        await call()
        samples.append(time.perf_counter() - start)
    return samples


async def run(sandbox_url: str, rounds: int = 200) -> dict[str, float]:
    """Median milliseconds per call for each path, and the overhead over the direct call."""
    async with PolytomicClient(DEMO_KEY, base_url=sandbox_url) as api:
        connection = await api.connections.create(name="bench-overhead", type="mongodb", configuration=CONFIG)
        direct = median(await _timed(lambda: api.connections.get(connection.id), rounds))
        settings = Settings(api_key=DEMO_KEY, base_url=sandbox_url)
        arguments = {"connection_id": connection.id}

        async with Client(build_server(settings, client=api)) as client:
            memory = median(await _timed(lambda: client.call_tool("list_connections", arguments), rounds))

    env = clean_env(POLYTOMIC_API_KEY=DEMO_KEY, POLYTOMIC_BASE_URL=sandbox_url)
    params = StdioServerParameters(command=PYTHON, args=["-m", "polytomic_mcp"], env=env)
    async with Client(params) as client:
        stdio = median(await _timed(lambda: client.call_tool("list_connections", arguments), rounds))

    bare = StdioServerParameters(command=PYTHON, args=[str(REPO / "bench" / "bare_server.py")], env=clean_env())
    async with Client(bare) as client:
        floor = median(await _timed(lambda: client.call_tool("ping", {}), rounds))

    port = free_port()
    args = [PYTHON, "-m", "polytomic_mcp", "--transport", "http", "--port", str(port), "--stateless"]
    with background(args, port, POLYTOMIC_API_KEY=DEMO_KEY, POLYTOMIC_BASE_URL=sandbox_url):
        async with Client(f"http://127.0.0.1:{port}/mcp") as client:
            http = median(await _timed(lambda: client.call_tool("list_connections", arguments), rounds))

    ms = 1000.0
    return {
        "direct_ms": direct * ms,
        "memory_ms": memory * ms,
        "stdio_ms": stdio * ms,
        "http_ms": http * ms,
        "memory_added_ms": (memory - direct) * ms,
        "stdio_added_ms": (stdio - direct) * ms,
        "http_added_ms": (http - direct) * ms,
        "bare_stdio_ping_ms": floor * ms,
    }
