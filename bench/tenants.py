"""Multi-tenant HTTP under a flood of distinct bearer keys: memory, open files and a real tenant's latency.

A server runs with ``--key-from-request --stateless`` against the sandbox API over HTTP. After a
baseline, 1,000 and then 5,000 distinct (invalid) keys each make one tool call; the server's RSS
and open file count are read from /proc, and a real tenant's ``list_connections`` latency is
timed before and after.
"""

from __future__ import annotations

import time
from pathlib import Path

import anyio
import httpx2
from common import DEMO_KEY, PYTHON, background, free_port, median, sandbox_http
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

CONCURRENCY = 16


def process_figures(pid: int) -> dict[str, float]:
    """RSS (MiB) and open file descriptors of a process."""
    status = Path(f"/proc/{pid}/status").read_text()
    rss_kib = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
    return {"rss_mib": rss_kib / 1024, "open_files": len(list(Path(f"/proc/{pid}/fd").iterdir()))}


async def call(url: str, key: str) -> float:
    """One list_connections call as ``key``; seconds taken."""
    start = time.perf_counter()
    async with httpx2.AsyncClient(headers={"Authorization": f"Bearer {key}"}, timeout=60) as http:
        async with Client(streamable_http_client(url, http_client=http), mode="auto") as client:
            await client.call_tool("list_connections", {})
    return time.perf_counter() - start


async def flood(url: str, first: int, last: int) -> None:
    """Keys ``first``..``last``-1, each once, ``CONCURRENCY`` at a time."""
    async def worker(offset: int) -> None:
        for index in range(first + offset, last, CONCURRENCY):
            await call(url, f"pk_bench_bogus_{index:06d}")

    async with anyio.create_task_group() as group:
        for offset in range(CONCURRENCY):
            group.start_soon(worker, offset)


async def real_tenant_ms(url: str, rounds: int) -> float:
    """Median latency of the real tenant's call, in ms."""
    return median([await call(url, DEMO_KEY) for _ in range(rounds)]) * 1000


async def run(steps: tuple[int, ...] = (1_000, 5_000), rounds: int = 20) -> dict[str, object]:
    """Figures after the baseline and after each step of distinct keys."""
    rows: list[dict[str, float]] = []
    with sandbox_http() as api:
        port = free_port()
        command = [PYTHON, "-m", "polytomic_mcp", "--transport", "http", "--port", str(port), "--key-from-request", "--stateless"]
        with background(command, port, POLYTOMIC_BASE_URL=api) as server:
            url = f"http://127.0.0.1:{port}/mcp"
            latency = await real_tenant_ms(url, rounds)
            rows.append({"keys": 0, **process_figures(server.pid), "real_tenant_ms": latency})
            done = 0
            for total in steps:
                await flood(url, done, total)
                done = total
                latency = await real_tenant_ms(url, rounds)
                rows.append({"keys": total, **process_figures(server.pid), "real_tenant_ms": latency})
    return {"rows": rows}


def rows(result: dict[str, object]) -> list[tuple[str, str, str]]:
    """Table rows for bench/run.py: one per step of distinct keys."""
    return [
        (f"multi-tenant HTTP after {row['keys']:,} distinct bearer keys",
         f"RSS {row['rss_mib']:.0f} MiB, {row['open_files']:.0f} open files, real tenant call {row['real_tenant_ms']:.1f} ms",
         "server process; median of the real tenant's list_connections")
        for row in result["rows"]  # type: ignore[attr-defined]
    ]


def main() -> None:
    for measure, value, _ in rows(anyio.run(run)):
        print(f"{measure}: {value}")


if __name__ == "__main__":
    main()
