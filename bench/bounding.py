"""Bounding huge answers: the time to bound 1 MB of each shape, and how long a cheap call waits meanwhile.

- ``bounded`` alone on about 1 MB of JSON data shaped as many keys, many small lists, or deep nesting
  (300 levels), the median of several rounds;
- call_api bringing back that answer on an in-memory server (the upstream answers from bytes encoded
  beforehand), end to end;
- on the same server, list_connections(connection_id) called over and over while that call_api runs:
  its worst latency against its median alone (the delay a huge answer causes other calls), the median of
  three tries.

    python bench/bounding.py    # just these figures (about half a minute)
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
import httpx2
from mcp import Client

from polytomic_mcp.client import PolytomicClient
from polytomic_mcp.sandbox import EMPTY_API_KEY, Sandbox
from polytomic_mcp.server import build_server
from polytomic_mcp.settings import Settings
from polytomic_mcp.tools.api.views import ApiCallResult
from polytomic_mcp.tools.core.bounds import bounded, off_loop
from polytomic_mcp.tools.core.registry import compact_result

BASE = "http://sandbox.polytomic.test"
HUGE = "/api/organization/users"
TRIES = 3
"""call_api under load is measured this many times per shape; the median try is reported (a VM's scheduling hiccups
alone reach 100 ms now and then on a 2-core machine), and the worst try beside it."""
TARGET_MS = 50.0
"""Budget: bounding 1 MB of any shape, and the extra wait of a cheap call meanwhile."""


def nested(levels: int, leaf: int) -> dict[str, Any]:
    value: dict[str, Any] = {"leaf": leaf}
    for _ in range(levels):
        value = {"k": value}
    return value


def shapes() -> dict[str, dict[str, Any]]:
    """About 1 MB of JSON each: many keys, many small lists, deep nesting."""
    return {
        "many keys": {"data": {f"key{index:06d}": f"value {index}" for index in range(45_000)}},
        "many small lists": {"data": [[index, "x" * 20, True] for index in range(30_000)]},
        "deep nesting": {"data": [nested(300, index) for index in range(560)]},
    }


def bound_ms(data: dict[str, Any], rounds: int) -> float:
    """Median milliseconds of ``bounded(data)``."""
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        bounded(data)
        times.append((time.perf_counter() - started) * 1000)
    return sorted(times)[len(times) // 2]


class Upstream(httpx2.AsyncBaseTransport):
    """The sandbox, except that ``GET HUGE`` answers ``body`` (encoded beforehand, so no encoding holds the loop)."""

    def __init__(self, sandbox: Sandbox, body: bytes) -> None:
        self.inner = sandbox.transport()
        self.body = body

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        if request.method == "GET" and request.url.path == HUGE:
            return httpx2.Response(200, content=self.body, headers={"content-type": "application/json"}, request=request)
        return await self.inner.handle_async_request(request)


async def meanwhile(client: Client, cheap: dict[str, Any], work: Callable[[], Awaitable[object]]) -> dict[str, float]:
    """How long ``work`` takes, and the worst list_connections(connection_id) called over and over meanwhile."""
    done: list[float] = []
    latencies: list[float] = []

    async def timed_work() -> None:
        started = time.perf_counter()
        await work()
        done.append((time.perf_counter() - started) * 1000)

    async with anyio.create_task_group() as group:
        group.start_soon(timed_work)
        while not done:
            latencies.append(await timed(client, "list_connections", cheap))
    return {"ms": done[0], "worst_ms": max(latencies), "calls": len(latencies)}


async def timed(client: Client, name: str, arguments: dict[str, Any]) -> float:
    """Milliseconds of one tool call (an error result raises)."""
    started = time.perf_counter()
    result = await client.call_tool(name, arguments)
    if result.is_error:
        raise RuntimeError(f"{name} failed: {result.content[0]}")
    return (time.perf_counter() - started) * 1000


async def on_one_server(data: dict[str, Any], rounds: int) -> dict[str, Any]:
    """The cheap call alone, while the answer is rendered (dump, scrub, bound, text) and while call_api brings it back."""
    sandbox = Sandbox.with_empty_workspace(base_url=BASE)
    mongo = sandbox.workspace(EMPTY_API_KEY).add_connection("Mongo", "mongodb", {"hosts": "example.mongodb.net"})
    cheap = {"connection_id": mongo.id}
    result = ApiCallResult(operation="users.list", request=f"GET {HUGE}", sent=True, response=data, next_step="Done.")
    async with PolytomicClient(EMPTY_API_KEY, base_url=BASE, transport=Upstream(sandbox, json.dumps(data).encode())) as api:
        async with Client(build_server(Settings(sandbox=True), client=api)) as client:
            alone = sorted([await timed(client, "list_connections", cheap) for _ in range(rounds)])
            rendered = await meanwhile(client, cheap, lambda: off_loop(compact_result, result))
            calls = [await meanwhile(client, cheap, lambda: timed(client, "call_api", {"operation": f"GET {HUGE}"}))
                     for _ in range(TRIES)]
    median = alone[len(alone) // 2]
    calls.sort(key=lambda figures: figures["worst_ms"])
    called = calls[len(calls) // 2]
    return {"cheap_alone_ms": median, "render": {**rendered, "delay_ms": rendered["worst_ms"] - median},
            "call_api": {**called, "delay_ms": called["worst_ms"] - median, "worst_of_tries_ms": calls[-1]["worst_ms"] - median}}


async def run(rounds: int = 7) -> dict[str, Any]:
    """Every figure, per shape."""
    results: dict[str, Any] = {}
    for name, data in shapes().items():
        results[name] = {"json_chars": len(json.dumps(data)), "bound_ms": bound_ms(data, rounds), **await on_one_server(data, rounds * 3)}
    results["worst_bound_ms"] = max(results[name]["bound_ms"] for name in shapes())
    results["worst_render_delay_ms"] = max(results[name]["render"]["delay_ms"] for name in shapes())
    results["worst_call_api_delay_ms"] = max(results[name]["call_api"]["delay_ms"] for name in shapes())
    return results


def rows(results: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Table rows (measure, value, note) for bench/run.py."""
    table: list[tuple[str, str, str]] = []
    for name in shapes():
        figures, render, called = results[name], results[name]["render"], results[name]["call_api"]
        alone = figures["cheap_alone_ms"]
        table += [
            (f"bound a 1 MB answer: {name} ({figures['json_chars']:,} chars of JSON)", f"{figures['bound_ms']:.1f} ms",
             f"budget <= {TARGET_MS:.0f} ms; median"),
            (f"render it as a tool result (dump, scrub, bound, text; {name})", f"{render['ms']:.0f} ms", "in a worker thread"),
            (f"list_connections(connection_id) meanwhile ({name})",
             f"worst {render['worst_ms']:.1f} ms vs {alone:.1f} ms alone (+{render['delay_ms']:.1f}, {render['calls']} calls)",
             f"budget <= +{TARGET_MS:.0f} ms"),
            (f"call_api bringing back that answer ({name}), in memory", f"{called['ms']:.0f} ms",
             f"cheap call meanwhile: worst {called['worst_ms']:.0f} ms (+{called['delay_ms']:.0f}, median of {TRIES} tries; "
             f"+{called['worst_of_tries_ms']:.0f} in the worst try); budget <= +{TARGET_MS:.0f} ms"),
        ]
    return table


def main() -> None:
    for measure, value, note in rows(anyio.run(run)):
        print(f"{measure}: {value}" + (f" ({note})" if note else ""))


if __name__ == "__main__":
    main()
