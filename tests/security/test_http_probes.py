"""Load-balancer probes: /healthz answers without auth or Polytomic; /readyz reports whether Polytomic answers, never a key."""

from __future__ import annotations

import json

import httpx2
import pytest

from polytomic_mcp.server import build_server
from polytomic_mcp.server.http import http_app
from polytomic_mcp.settings import Settings

pytestmark = pytest.mark.anyio

KEY = "pk_live_probe_secret_0123456789"
UPSTREAM = "https://polytomic.example.test"


def refusing_transport(seen: list[httpx2.Request]) -> httpx2.MockTransport:
    """An upstream that fails every connection (and records that one was attempted)."""

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        raise httpx2.ConnectError(f"connection refused for {KEY}", request=request)

    return httpx2.MockTransport(handler)


def echoing_401_transport(seen: list[httpx2.Request]) -> httpx2.MockTransport:
    """An upstream that answers 401 and echoes the key (as an upstream error page might)."""

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return httpx2.Response(401, json={"error": "unauthorized", "key": KEY, "auth": request.headers.get("authorization")})

    return httpx2.MockTransport(handler)


def asgi_client(settings: Settings, upstream: httpx2.MockTransport) -> httpx2.AsyncClient:
    """An in-process client of the full HTTP app (no sockets); Host is a pod address a load balancer would use."""
    app = http_app(build_server(settings), settings, probe_transport=upstream)
    return httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url="http://10.1.2.3:8000")


async def test_healthz_answers_ok_without_auth_host_allow_list_or_polytomic() -> None:
    seen: list[httpx2.Request] = []
    settings = Settings(transport="http", key_from_request=True, base_url=UPSTREAM)
    async with asgi_client(settings, refusing_transport(seen)) as http:
        health = await http.get("/healthz")
        head = await http.head("/healthz")
        mcp = await http.post("/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "ping"}, headers={"Host": "127.0.0.1:8000"})
    assert (health.status_code, health.text) == (200, "{\"status\":\"ok\"}")
    assert head.status_code == 200
    assert seen == []
    assert mcp.status_code == 401


async def test_mcp_keeps_its_host_and_origin_checks() -> None:
    settings = Settings(sandbox=True, transport="http")
    async with asgi_client(settings, refusing_transport([])) as http:
        foreign_host = await http.post("/mcp", json={})
        foreign_origin = await http.post("/mcp", json={}, headers={"Host": "127.0.0.1:8000", "Origin": "http://evil.example"})
        post_health = await http.post("/healthz", json={})
    assert foreign_host.status_code == 421
    assert foreign_origin.status_code == 403
    assert post_health.status_code == 421


async def test_readyz_is_ready_when_polytomic_answers_even_401_and_sends_no_key() -> None:
    seen: list[httpx2.Request] = []
    settings = Settings(transport="http", api_key=KEY, base_url=UPSTREAM)
    async with asgi_client(settings, echoing_401_transport(seen)) as http:
        ready = await http.get("/readyz", headers={"Authorization": f"Bearer {KEY}"})
    assert (ready.status_code, ready.json()) == (200, {"status": "ok", "state": "memory"})
    assert [str(r.url) for r in seen] == [f"{UPSTREAM}/api/me"]
    assert all(KEY not in json.dumps(dict(r.headers)) for r in seen)
    assert KEY not in ready.text


async def test_readyz_is_unavailable_when_polytomic_cannot_be_reached_and_names_no_key() -> None:
    seen: list[httpx2.Request] = []
    settings = Settings(transport="http", api_key=KEY, base_url=UPSTREAM)
    async with asgi_client(settings, refusing_transport(seen)) as http:
        ready = await http.get("/readyz")
    assert ready.status_code == 503
    assert ready.json() == {"status": "unavailable", "reason": "polytomic api unreachable (ConnectError)", "state": "memory"}
    assert KEY not in ready.text and UPSTREAM not in ready.text
    assert len(seen) == 1


async def test_readyz_times_out_as_unavailable() -> None:
    def handler(request: httpx2.Request) -> httpx2.Response:
        raise httpx2.ConnectTimeout("timed out", request=request)

    settings = Settings(transport="http", base_url=UPSTREAM)
    async with asgi_client(settings, httpx2.MockTransport(handler)) as http:
        ready = await http.get("/readyz")
    assert (ready.status_code, ready.json()["reason"]) == (503, "polytomic api timed out")


async def test_readyz_in_sandbox_mode_needs_no_network() -> None:
    seen: list[httpx2.Request] = []
    settings = Settings(sandbox=True, transport="http", base_url=UPSTREAM)
    async with asgi_client(settings, refusing_transport(seen)) as http:
        ready = await http.get("/readyz")
    assert (ready.status_code, ready.json(), seen) == (200, {"status": "ok", "state": "memory"}, [])


async def test_readiness_probes_share_one_check_and_one_client() -> None:
    """Before: each anonymous /readyz built a client, SSL context and CA bundle and went upstream (23 ms of CPU)."""
    import anyio

    from polytomic_mcp.server.probes import READY_CACHE, Readiness

    seen: list[httpx2.Request] = []
    settings = Settings(transport="http", key_from_request=True, base_url=UPSTREAM)
    async with asgi_client(settings, echoing_401_transport(seen)) as http:
        statuses: list[int] = []

        async def probe() -> None:
            statuses.append((await http.get("/readyz")).status_code)

        async with anyio.create_task_group() as group:
            for _ in range(100):
                group.start_soon(probe)
        for _ in range(20):
            await probe()
    assert statuses == [200] * 120 and len(seen) == 1, "one upstream check answers every probe meanwhile"

    now = [0.0]
    readiness = Readiness(UPSTREAM, refusing_transport(seen := []), clock=lambda: now[0])
    assert await readiness.reason() == "polytomic api unreachable (ConnectError)"
    now[0] += READY_CACHE - 0.1
    await readiness.reason()
    now[0] += 0.2
    await readiness.reason()
    assert readiness.checks == 2 and len(seen) == 2


async def test_key_page_checks_share_one_pool_and_are_never_retried() -> None:
    from polytomic_mcp.client import PolytomicError
    from polytomic_mcp.server.http import key_checks

    seen: list[httpx2.Request] = []

    def busy(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return httpx2.Response(503, headers={"retry-after": "0"}, json={"message": "busy"})

    inner = httpx2.MockTransport(busy)
    make = key_checks(Settings(transport="http", base_url=UPSTREAM), transport=inner)
    for key in ("pk_one", "pk_two"):
        async with make(key, None) as client:
            with pytest.raises(PolytomicError):
                await client.identity.get()
    assert len(seen) == 2, "one request per check: Polytomic's 503 is not retried from this server's address"
    async with make("pk_three", None) as client:
        with pytest.raises(PolytomicError):
            await client.identity.get()
    assert len(seen) == 3, "closing a check's client leaves the shared pool open for the next"
