"""The official ``polytomic`` SDK next to the hand-written client: the figures behind the README's design notes.

    python bench/sdk_comparison.py            # needs the test extra (polytomic==25.9.10, which brings httpx)
    python bench/sdk_comparison.py --rounds 3

Both talk to the in-process sandbox. Each behaviour is one scripted exchange: a create whose answer is lost after
the sandbox stored the object, a read that times out once, a 429 whose ``retry-after-ms`` asks for 20 ms while
``Retry-After`` says 1 s, and the SDK handed an httpx2 client. Import times are medians of fresh interpreters.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import time
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
import httpx
import httpx2
from common import PYTHON, REPO, median
from polytomic import AsyncPolytomic

from polytomic_mcp.client import PolytomicClient
from polytomic_mcp.sandbox import EMPTY_API_KEY, FaultConfig, Sandbox

BASE = "http://sandbox.polytomic.test"
MONGO = {"hosts": "example.mongodb.net", "username": "user", "password": "secret"}
DROP_HEADER = "x-sandbox-fault"

SDK_SETUP = (  # the SDK loads each resource client on first use: touch every one the hand-written client covers
    "from polytomic import AsyncPolytomic\n"
    "client = AsyncPolytomic(token='pk', base_url='http://x')\n"
    "client.connections, client.models, client.jobs, client.identity\n"
    "client.model_sync.targets, client.model_sync.executions\n"
)
CLIENT_SETUP = "from polytomic_mcp.client import PolytomicClient\nPolytomicClient('pk', base_url='http://x')\n"


def import_seconds(setup: str, before: str = "", rounds: int = 7) -> float:
    """Median seconds a fresh interpreter spends running ``setup`` (after ``before``, which is not timed)."""
    code = f"{before}\nimport time\nstart = time.perf_counter()\n{setup}\nprint(time.perf_counter() - start)\n"
    runs = [float(subprocess.run([PYTHON, "-c", code], check=True, capture_output=True, text=True, cwd=REPO).stdout) for _ in range(rounds)]
    return median(runs)


def http_stacks(setup: str) -> list[str]:
    """The HTTP packages an interpreter has loaded after ``setup`` (and importing the MCP server)."""
    stacks = "{'httpx', 'httpx2', 'httpcore', 'httpcore2'}"
    code = f"import sys, json\nimport polytomic_mcp.server\n{setup}\nprint(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & {stacks})))"
    return list(json.loads(subprocess.run([PYTHON, "-c", code], check=True, capture_output=True, text=True, cwd=REPO).stdout))


class SdkSandboxTransport(httpx.AsyncBaseTransport):
    """httpx's ASGI transport on the sandbox; a "drop" fault becomes the server hanging up before answering."""

    def __init__(self, sandbox: Sandbox, first: Callable[[httpx.Request], httpx.Response | None] | None = None) -> None:
        self._inner = httpx.ASGITransport(app=sandbox.app)
        self._first = first
        self.attempts: list[float] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.attempts.append(time.perf_counter())
        if self._first is not None and len(self.attempts) == 1:
            answer = self._first(request)
            if answer is not None:
                return answer
        response = await self._inner.handle_async_request(request)
        if response.headers.get(DROP_HEADER) == "drop":
            await response.aclose()
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)
        return response


class ClientSandboxTransport(httpx2.AsyncBaseTransport):
    """The sandbox's own httpx2 transport (a "drop" fault is a read error), with the same scripted first attempt."""

    def __init__(self, sandbox: Sandbox, first: Callable[[httpx2.Request], httpx2.Response | None] | None = None) -> None:
        self._inner = sandbox.transport()
        self._first = first
        self.attempts: list[float] = []

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        self.attempts.append(time.perf_counter())
        if self._first is not None and len(self.attempts) == 1:
            answer = self._first(request)
            if answer is not None:
                return answer
        return await self._inner.handle_async_request(request)


def sdk(transport: httpx.AsyncBaseTransport) -> AsyncPolytomic:
    return AsyncPolytomic(token=EMPTY_API_KEY, base_url=BASE, httpx_client=httpx.AsyncClient(transport=transport, base_url=BASE))


def client(transport: httpx2.AsyncBaseTransport) -> PolytomicClient:
    return PolytomicClient(EMPTY_API_KEY, base_url=BASE, transport=transport)


async def outcome(*calls: Awaitable[Any]) -> str:
    """``ok`` or the qualified class name of the first exception raised."""
    try:
        for call in calls:
            await call
    except Exception as error:  # noqa: BLE001 - the benchmark reports whatever the library raised
        return f"{type(error).__module__.split('.')[0]}.{type(error).__name__}"
    return "ok"


async def lost_create_answer() -> dict[str, Any]:
    """A create whose answer is lost after the sandbox stored it: how many connections exist afterwards."""
    result: dict[str, Any] = {}
    for name in ("sdk", "client"):
        sandbox = Sandbox.with_empty_workspace(base_url=BASE)
        sandbox.faults = FaultConfig(rate=1.0, kinds=("drop",), only=r"POST /api/connections", limit=1)
        if name == "sdk":
            status = await outcome(sdk(SdkSandboxTransport(sandbox)).connections.create(name="m", type="mongodb", configuration=MONGO))
        else:
            async with client(ClientSandboxTransport(sandbox)) as api:
                status = await outcome(api.connections.create(name="m", type="mongodb", configuration=MONGO))
        posts = [r for r in sandbox.requests if r.method == "POST" and r.path == "/api/connections"]
        result[name] = {
            "outcome": status,
            "connections_created": len(sandbox.workspace(EMPTY_API_KEY).connections),
            "idempotency_key_sent": all("idempotency-key" in r.headers for r in posts),
        }
    return result


async def read_timeout_once() -> dict[str, Any]:
    """A read whose first attempt times out: does the library try again?"""
    sandbox = Sandbox.with_empty_workspace(base_url=BASE)

    def sdk_timeout(request: httpx.Request) -> None:
        raise httpx.ReadTimeout("timed out", request=request)

    def client_timeout(request: httpx2.Request) -> None:
        raise httpx2.ReadTimeout("timed out", request=request)

    sdk_transport = SdkSandboxTransport(sandbox, sdk_timeout)
    sdk_status = await outcome(sdk(sdk_transport).identity.get())
    client_transport = ClientSandboxTransport(sandbox, client_timeout)
    async with client(client_transport) as api:
        client_status = await outcome(api.identity.get())
    return {
        "sdk": {"outcome": sdk_status, "attempts": len(sdk_transport.attempts)},
        "client": {"outcome": client_status, "attempts": len(client_transport.attempts)},
    }


async def retry_after_ms() -> dict[str, Any]:
    """A 429 saying ``retry-after-ms: 20`` and ``Retry-After: 1``: how long before the second attempt."""
    sandbox = Sandbox.with_empty_workspace(base_url=BASE)
    headers = {"retry-after-ms": "20", "retry-after": "1", "content-type": "application/json"}
    body = b'{"status": 429, "message": "slow down"}'
    sdk_transport = SdkSandboxTransport(sandbox, lambda request: httpx.Response(429, headers=headers, content=body))
    await sdk(sdk_transport).identity.get()
    client_transport = ClientSandboxTransport(sandbox, lambda request: httpx2.Response(429, headers=headers, content=body))
    async with client(client_transport) as api:
        await api.identity.get()
    return {
        name: {"wait_ms": round((attempts[1] - attempts[0]) * 1000)}
        for name, attempts in (("sdk", sdk_transport.attempts), ("client", client_transport.attempts))
    }


async def sdk_with_httpx2() -> dict[str, str]:
    """The SDK handed the httpx2 client the rest of the server uses: plain calls, then a refused connection."""
    sandbox = Sandbox.with_empty_workspace(base_url=BASE)
    refused = {"first": True}

    def refuse_once(request: httpx2.Request) -> httpx2.Response:
        if refused.pop("first", False):
            raise httpx2.ConnectError("connection refused", request=request)
        return httpx2.Response(200, json={"data": {}})

    result: dict[str, str] = {}
    async with httpx2.AsyncClient(transport=sandbox.transport(), base_url=BASE) as shared:
        polytomic = AsyncPolytomic(token=EMPTY_API_KEY, base_url=BASE, httpx_client=shared)  # type: ignore[arg-type]
        result["get_and_create"] = await outcome(
            polytomic.identity.get(), polytomic.connections.create(name="m", type="mongodb", configuration=MONGO)
        )
    async with httpx2.AsyncClient(transport=httpx2.MockTransport(refuse_once), base_url=BASE) as shared:
        polytomic = AsyncPolytomic(token=EMPTY_API_KEY, base_url=BASE, httpx_client=shared)  # type: ignore[arg-type]
        result["connect_error_once"] = await outcome(polytomic.identity.get())
    return result


def run(rounds: int = 7) -> dict[str, Any]:
    """Every figure, as one JSON-ready dict."""
    imports = {
        "sdk_s": import_seconds(SDK_SETUP, rounds=rounds),
        "client_s": import_seconds(CLIENT_SETUP, rounds=rounds),
        "sdk_added_to_running_server_s": import_seconds(SDK_SETUP, before="import polytomic_mcp.server", rounds=rounds),
    }
    return {
        "imports": {key: round(value, 3) for key, value in imports.items()},
        "http_stacks": {"client": http_stacks(CLIENT_SETUP), "client_and_sdk": http_stacks(CLIENT_SETUP + SDK_SETUP)},
        "lost_create_answer": anyio.run(lost_create_answer),
        "read_timeout_once": anyio.run(read_timeout_once),
        "retry_after_ms": anyio.run(retry_after_ms),
        "sdk_with_httpx2_client": anyio.run(sdk_with_httpx2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="fresh interpreters per import figure (median)")
    print(json.dumps(run(parser.parse_args().rounds), indent=2))


if __name__ == "__main__":
    main()
