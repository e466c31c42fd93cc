"""What anonymous callers cost an exposed server: memory they can make it keep, and another tenant's latency.

- RSS of a server process (``--auth oauth`` against the sandbox API) before and after 10,000 anonymous
  registrations of maximum size (60 KB of metadata each) and 10,000 authorizations in progress with the
  largest ``state`` and ``code_challenge`` accepted, sent from 500 client addresses (X-Forwarded-For, which
  the server trusts from loopback as uvicorn does by default); how many were refused by the quotas;
- a tenant's median ``list_connections`` latency on a ``--key-from-request --stateless`` server: idle,
  while 100 anonymous ``/readyz`` a second arrive, and while one caller floods ``initialize`` and holds
  open GET streams (target: within 2x idle);
- key-page key checks accepted per minute from one address (each is a request to Polytomic).

    python bench/exposure.py     # about a minute
"""

from __future__ import annotations

import secrets
import time
from typing import Any

import anyio
import httpx2
from common import DEMO_KEY, PYTHON, background, free_port, median, sandbox_http
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from tenants import process_figures

TARGET_RATIO = 2.0
REGISTRATIONS = 10_000
ADDRESSES = 500
MCP_HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
INITIALIZE = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
    "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "flood", "version": "1"}}}


def address(index: int) -> dict[str, str]:
    return {"X-Forwarded-For": f"198.18.{index // 250}.{index % 250 + 1}"}


async def fill_tables(base: str) -> dict[str, Any]:
    """10,000 maximal registrations and pending authorizations from 500 addresses: what was kept and refused."""
    metadata = {"token_endpoint_auth_method": "none", "client_name": "n" * 200, "jwks": {"k": "x" * 60_000}}
    statuses: dict[str, int] = {"registered": 0, "refused": 0, "authorizing": 0, "authorize_refused": 0}
    clients: list[tuple[int, str]] = []
    async with httpx2.AsyncClient(base_url=base, timeout=30) as http:
        async def register(worker: int) -> None:
            for index in range(worker, REGISTRATIONS, 16):
                answer = await http.post("/register", json={**metadata, "redirect_uris": [f"https://app.example/cb{index}"]},
                                         headers=address(index % ADDRESSES))
                if answer.status_code == 201:
                    statuses["registered"] += 1
                    clients.append((index, answer.json()["client_id"]))
                else:
                    statuses["refused"] += 1

        async def authorize(worker: int) -> None:
            for index, client_id in clients[worker::16]:
                answer = await http.post("/authorize", data={
                    "response_type": "code", "client_id": client_id, "redirect_uri": f"https://app.example/cb{index}",
                    "code_challenge": "c" * 128, "code_challenge_method": "S256", "state": "s" * 1_000},
                    headers=address(index % ADDRESSES))
                started = answer.status_code == 302 and "/oauth/key" in answer.headers.get("location", "")
                statuses["authorizing" if started else "authorize_refused"] += 1

        async with anyio.create_task_group() as group:
            for worker in range(16):
                group.start_soon(register, worker)
        async with anyio.create_task_group() as group:
            for worker in range(16):
                group.start_soon(authorize, worker)
    return statuses


async def memory(api: str) -> dict[str, Any]:
    port = free_port()
    command = [PYTHON, "-m", "polytomic_mcp", "--transport", "http", "--port", str(port), "--auth", "oauth"]
    env = {"POLYTOMIC_BASE_URL": api, "POLYTOMIC_PUBLIC_URL": f"http://127.0.0.1:{port}",
           "POLYTOMIC_OAUTH_SECRET": secrets.token_hex(32), "FORWARDED_ALLOW_IPS": "127.0.0.1"}
    with background(command, port, **env) as server:
        before = process_figures(server.pid)["rss_mib"]
        statuses = await fill_tables(f"http://127.0.0.1:{port}")
        after = process_figures(server.pid)["rss_mib"]
    return {"rss_before_mib": before, "rss_after_mib": after, **statuses}


async def tenant_ms(url: str, rounds: int) -> float:
    """Median ms of the tenant's list_connections (a fresh stateless connection each time)."""
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        async with httpx2.AsyncClient(headers={"Authorization": f"Bearer {DEMO_KEY}"}, timeout=60) as http:
            async with Client(streamable_http_client(url, http_client=http), mode="auto") as client:
                await client.call_tool("list_connections", {})
        times.append((time.perf_counter() - started) * 1000)
    return median(times)


async def during(work: Any, url: str, rounds: int) -> float:
    """The tenant's median while ``work`` runs in the background."""
    async with anyio.create_task_group() as group:
        group.start_soon(work)
        await anyio.sleep(0.5)
        result = await tenant_ms(url, rounds)
        group.cancel_scope.cancel()
    return result


async def latency(api: str, rounds: int) -> dict[str, float]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [PYTHON, "-m", "polytomic_mcp", "--transport", "http", "--port", str(port), "--key-from-request"]
    with background(command, port, POLYTOMIC_BASE_URL=api) as _server:
        url = f"{base}/mcp"
        idle = await tenant_ms(url, rounds)

        async def probes() -> None:
            async with httpx2.AsyncClient(base_url=base, timeout=30) as http:
                while True:
                    async with anyio.create_task_group() as group:
                        for _ in range(10):
                            group.start_soon(http.get, "/readyz")
                    await anyio.sleep(0.1)

        async def sessions() -> None:
            headers = {**MCP_HEADERS, "Authorization": "Bearer pk_flood_caller"}
            async with httpx2.AsyncClient(base_url=base, timeout=60) as http:
                opened: list[str] = []
                for _ in range(1_000):
                    answer = await http.post("/mcp", json=INITIALIZE, headers=headers)
                    if "mcp-session-id" in answer.headers:
                        opened.append(answer.headers["mcp-session-id"])
                async with anyio.create_task_group() as group:
                    for session in opened:
                        group.start_soon(_hold_stream, http, session, headers)

        readyz = await during(probes, url, rounds)
        flooded = await during(sessions, url, rounds)
    return {"idle_ms": idle, "readyz_flood_ms": readyz, "session_flood_ms": flooded}


async def _hold_stream(http: httpx2.AsyncClient, session: str, headers: dict[str, str]) -> None:
    stream = {**headers, "Accept": "text/event-stream", "mcp-session-id": session, "mcp-protocol-version": "2025-11-25"}
    async with http.stream("GET", "/mcp", headers=stream) as response:
        async for _ in response.aiter_bytes():
            pass


async def key_checks_per_minute() -> dict[str, int]:
    """One address posting wrong keys through 15 sign-ins, 7 tries each, within a minute: how many reached Polytomic."""
    import re
    from urllib.parse import parse_qs, urlparse

    from starlette.applications import Starlette

    from polytomic_mcp.client import PolytomicClient
    from polytomic_mcp.server.callers import RememberCaller
    from polytomic_mcp.server.oauth.key_page import KEY_PAGE_PATH, KeyPage
    from polytomic_mcp.server.oauth.provider import SealedTokenProvider
    from polytomic_mcp.server.oauth.routes import authorization_server_routes
    from polytomic_mcp.server.oauth.sealing import Sealer

    issuer = "http://127.0.0.1:8000"
    reached = 0

    def me(request: httpx2.Request) -> httpx2.Response:
        nonlocal reached
        reached += 1
        return httpx2.Response(401, json={"message": "invalid api key"})

    provider = SealedTokenProvider(Sealer(secrets.token_bytes(32)), f"{issuer}{KEY_PAGE_PATH}")
    page = KeyPage(provider, lambda key, org: PolytomicClient(key, base_url="https://api.test", max_retries=0,
                                                             transport=httpx2.MockTransport(me)), issuer)
    app = RememberCaller(Starlette(routes=[*authorization_server_routes(provider, issuer), *page.routes()]))
    posted = 0
    async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url=issuer) as http:
        client = (await http.post("/register", json={"redirect_uris": ["http://127.0.0.1:9/cb"],
                                                     "token_endpoint_auth_method": "none"})).json()
        for _ in range(15):
            answer = await http.get("/authorize", params={
                "response_type": "code", "client_id": client["client_id"], "redirect_uri": "http://127.0.0.1:9/cb",
                "code_challenge": "c" * 43, "code_challenge_method": "S256"})
            form = await http.get(answer.headers["location"])
            request_id = parse_qs(urlparse(answer.headers["location"]).query)["request"][0]
            for _ in range(7):
                found = re.search(r"name=csrf value='([^']+)'", form.text)
                if found is None:
                    break
                form = await http.post(KEY_PAGE_PATH, data={"request": request_id, "csrf": found.group(1),
                                                            "step": "verify", "api_key": "pk_wrong"})
                posted += 1
    return {"posted": posted, "reached_polytomic": reached}


async def run(rounds: int = 15) -> dict[str, Any]:
    with sandbox_http() as api:
        return {"memory": await memory(api), "latency": await latency(api, rounds),
                "key_checks": await key_checks_per_minute()}


def rows(result: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Table rows for bench/run.py."""
    m, lat = result["memory"], result["latency"]
    return [
        ("server RSS after 10,000 maximal anonymous registrations and sign-ins (500 addresses)",
         f"{m['rss_before_mib']:.0f} -> {m['rss_after_mib']:.0f} MiB",
         f"kept {m['registered']:,} registrations ({m['refused']:,} refused), {m['authorizing']:,} sign-ins "
         f"({m['authorize_refused']:,} refused)"),
        ("a tenant's list_connections while 100 anonymous /readyz a second arrive",
         f"{lat['readyz_flood_ms']:.1f} ms vs {lat['idle_ms']:.1f} ms idle ({lat['readyz_flood_ms'] / lat['idle_ms']:.2f}x)",
         f"budget <= {TARGET_RATIO:.0f}x idle"),
        ("a tenant's list_connections while one caller floods initialize and holds GET streams",
         f"{lat['session_flood_ms']:.1f} ms vs {lat['idle_ms']:.1f} ms idle ({lat['session_flood_ms'] / lat['idle_ms']:.2f}x)",
         f"budget <= {TARGET_RATIO:.0f}x idle"),
        ("key-page key checks reaching Polytomic from one address in a minute",
         f"{result['key_checks']['reached_polytomic']} of {result['key_checks']['posted']} posted",
         "5 per sign-in, 10 a minute per address; the rest 429"),
    ]


def main() -> None:
    for measure, value, note in rows(anyio.run(run)):
        print(f"{measure}: {value} ({note})")


if __name__ == "__main__":
    main()
