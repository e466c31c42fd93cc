"""Multi-tenant HTTP: each tenant's output is scrubbed with its own secrets only, and tenants are bounded and closed."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator

import anyio
import httpx2
import pytest
import uvicorn
from http_support import Running
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from processes import free_port
from server_support import BASE_URL

from polytomic_mcp.client import PolytomicClient
from polytomic_mcp.sandbox import Sandbox
from polytomic_mcp.server.tenants import SharedTransport, TenantPool
from polytomic_mcp.settings import Settings
from polytomic_mcp.tools.core.services import Services

pytestmark = pytest.mark.anyio

ALPHA = "pk_tenant_alpha_111111"
BRAVO = "pk_tenant_bravo_222222"
BOGUS_KEYS = 120
"""Three times the open-file margin below; pool eviction past MAX_TENANTS is covered in memory, 5,000 keys in bench/."""


def two_tenants() -> Sandbox:
    sandbox = Sandbox(base_url=BASE_URL)
    sandbox.add_workspace(ALPHA, org_name="alpha")
    sandbox.add_workspace(BRAVO, org_name="bravo")
    return sandbox


async def call_as(url: str, key: str, name: str, arguments: dict[str, object]) -> str:
    """One tool call with ``key`` as the bearer; the text the model would read (error or not)."""
    async with httpx2.AsyncClient(headers={"Authorization": f"Bearer {key}"}, timeout=30) as http:
        async with Client(streamable_http_client(url, http_client=http), mode="auto") as client:
            result = await client.call_tool(name, arguments)
    return result.content[0].text


@pytest.mark.slow
async def test_one_tenants_key_and_secrets_never_mask_another_tenants_output() -> None:
    settings = Settings(sandbox=True, transport="http", key_from_request=True, stateless=True)
    with Running(settings, two_tenants()) as running:
        created = await call_as(running.url, ALPHA, "create_connection", {
            "name": "alpha-mongo", "type": "mongodb",
            "configuration": {"hosts": "example.mongodb.net", "password": "alpha-guessable-pw"}})
        assert '"status":"healthy"' in created and "mongodb" in created
        for attacker_key in ("healthy", "mongodb", "alpha-mongo"):
            await call_as(running.url, attacker_key, "list_connections", {})
        alpha_view = await call_as(running.url, ALPHA, "list_connections", {})
        guess = await call_as(running.url, BRAVO, "list_connections", {"connection_id": "alpha-guessable-pw"})
    assert '"name":"alpha-mongo","type":"mongodb","status":"healthy"' in alpha_view
    assert "alpha-guessable-pw" in guess and "******" not in guess, "bravo's output must not be scrubbed with alpha's secrets"


class Clients:
    """A factory that records the clients it makes."""

    def __init__(self) -> None:
        self.made: list[PolytomicClient] = []
        self.transport = SharedTransport(httpx2.MockTransport(lambda request: httpx2.Response(200, json={"data": []})))

    def __call__(self, key: str, organization_id: str | None = None) -> PolytomicClient:
        client = PolytomicClient(key, base_url=BASE_URL, transport=self.transport)
        self.made.append(client)
        return client


def is_closed(client: PolytomicClient) -> bool:
    return client._core._http.is_closed  # noqa: SLF001 - the test checks the pool was released


async def test_the_tenant_pool_is_bounded_and_closes_the_least_recently_used() -> None:
    clients = Clients()
    pool = TenantPool(clients, Services, limit=3)
    for index in range(5):
        await pool.release(await pool.acquire(f"key-{index}"))
    assert len(pool) == 3
    assert [is_closed(c) for c in clients.made] == [True, True, False, False, False]
    again = await pool.acquire("key-0")
    assert again.services.client is clients.made[-1] and len(clients.made) == 6
    await pool.release(again)


async def test_an_evicted_tenant_with_a_request_in_flight_is_closed_when_that_request_ends() -> None:
    clients = Clients()
    pool = TenantPool(clients, Services, limit=1)
    busy = await pool.acquire("busy")
    await pool.release(await pool.acquire("other"))
    assert busy.evicted and not is_closed(busy.services.client)
    assert await busy.services.client.connections.list() == []
    await pool.release(busy)
    assert is_closed(busy.services.client)
    await pool.aclose()
    assert all(is_closed(c) for c in clients.made)


async def test_closing_a_tenant_client_leaves_the_shared_pool_open() -> None:
    clients = Clients()
    first, second = clients("a"), clients("b")
    await first.aclose()
    assert await second.connections.list() == []


@pytest.fixture
def sandbox_over_http() -> Iterator[str]:
    """The sandbox API on a real socket, as the real API would be reached."""
    sandbox = Sandbox(base_url="http://127.0.0.1")
    sandbox.add_workspace(ALPHA, org_name="alpha")
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(sandbox.app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.slow
async def test_many_bogus_keys_do_not_grow_open_files(sandbox_over_http: str) -> None:
    """Tenants share one connection pool: a pool (a kept-alive socket) per key would add one file per bogus key."""
    settings = Settings(transport="http", key_from_request=True, stateless=True, base_url=sandbox_over_http)
    with Running(settings) as running:
        await call_as(running.url, ALPHA, "list_connections", {})
        before = open_files()

        async def bogus(start: int) -> None:
            for index in range(start, BOGUS_KEYS, 6):
                text = await call_as(running.url, f"pk_bogus_{index:05d}", "list_connections", {})
                assert "rejected the API key" in text

        async with anyio.create_task_group() as group:
            for start in range(6):
                group.start_soon(bogus, start)
        grown = open_files() - before
        still_served = await call_as(running.url, ALPHA, "list_connections", {})
    assert grown < 40, f"{grown} more open files after {BOGUS_KEYS} bogus keys"
    assert '"connections":[]' in still_served
