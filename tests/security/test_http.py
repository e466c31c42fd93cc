"""Streamable HTTP that is safe to expose: loopback by default, DNS-rebinding checks, per-request tenant keys."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import anyio
import httpx2
import pytest
import uvicorn
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from server_support import BASE_URL

from polytomic_mcp.client import PolytomicClient
from polytomic_mcp.sandbox import Sandbox
from polytomic_mcp.server import build_server
from polytomic_mcp.server.http import http_app
from polytomic_mcp.settings import Settings

pytestmark = pytest.mark.anyio

TENANTS = {"pk_tenant_alpha_111111": "alpha", "pk_tenant_bravo_222222": "bravo"}
INITIALIZE = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
    "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}}
MCP_HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Running:
    """A uvicorn server in a thread, serving the project's HTTP app."""

    def __init__(self, settings: Settings, sandbox: Sandbox | None = None) -> None:
        self.port = free_port()
        factory = None
        if sandbox is not None:
            factory = lambda key: PolytomicClient(key, base_url=BASE_URL, transport=sandbox.transport())  # noqa: E731
        server = build_server(settings, client_factory=factory)
        app = http_app(server, settings)
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/mcp"

    def __enter__(self) -> Running:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def plain() -> Iterator[Running]:
    with Running(Settings(sandbox=True, transport="http")) as running:
        yield running


async def test_default_bind_is_loopback() -> None:
    assert Settings().host == "127.0.0.1"


async def test_dns_rebinding_protection_rejects_foreign_host_and_origin(plain: Running) -> None:
    async with httpx2.AsyncClient() as http:
        evil_host = await http.post(plain.url, json=INITIALIZE, headers={**MCP_HEADERS, "Host": "evil.example.com"})
        evil_origin = await http.post(plain.url, json=INITIALIZE, headers={**MCP_HEADERS, "Origin": "http://evil.example.com"})
        good = await http.post(plain.url, json=INITIALIZE, headers={**MCP_HEADERS, "Origin": f"http://127.0.0.1:{plain.port}"})
    assert evil_host.status_code == 421
    assert evil_origin.status_code == 403
    assert good.status_code == 200


async def test_allowed_hosts_are_configurable() -> None:
    settings = Settings(sandbox=True, transport="http", allowed_hosts=("mcp.example.com",))
    with Running(settings) as running:
        async with httpx2.AsyncClient() as http:
            allowed = await http.post(running.url, json=INITIALIZE, headers={**MCP_HEADERS, "Host": "mcp.example.com"})
            other = await http.post(running.url, json=INITIALIZE, headers={**MCP_HEADERS, "Host": "evil.example.com"})
    assert (allowed.status_code, other.status_code) == (200, 421)


def tenant_sandbox() -> Sandbox:
    sandbox = Sandbox(base_url=BASE_URL)
    for key, name in TENANTS.items():
        sandbox.add_workspace(key, org_name=name)
    return sandbox


async def test_key_from_request_requires_a_bearer_key() -> None:
    settings = Settings(sandbox=True, transport="http", key_from_request=True)
    with Running(settings, tenant_sandbox()) as running:
        async with httpx2.AsyncClient() as http:
            missing = await http.post(running.url, json=INITIALIZE, headers=MCP_HEADERS)
            wrong_scheme = await http.post(running.url, json=INITIALIZE, headers={**MCP_HEADERS, "Authorization": "Basic abc"})
    assert missing.status_code == 401 and "Bearer" in missing.json()["message"]
    assert wrong_scheme.status_code == 401


async def tenant_session(url: str, key: str, name: str, calls: int, mode: str) -> list[str]:
    """Create objects named after the tenant and list them, ``calls`` times in all."""
    texts: list[str] = []
    async with httpx2.AsyncClient(headers={"Authorization": f"Bearer {key}"}, timeout=30) as http:
        async with Client(streamable_http_client(url, http_client=http), mode=mode) as client:
            for index in range(calls):
                if index % 10 == 0:
                    result = await client.call_tool("create_connection", {
                        "name": f"{name}-conn-{index}", "type": "mongodb",
                        "configuration": {"hosts": "example.mongodb.net", "password": f"{name}-pw-{index:04d}"}})
                else:
                    result = await client.call_tool("list_connections", {"limit": 50})
                assert not result.is_error, result.content[0].text
                texts.append(result.content[0].text)
            resource = await client.read_resource("polytomic://connections")
            texts.append(resource.contents[0].text)
    return texts


@pytest.mark.parametrize("stateless", [False, True], ids=["stateful", "stateless"])
async def test_two_tenants_concurrently_never_see_each_other(stateless: bool) -> None:
    sandbox = tenant_sandbox()
    settings = Settings(sandbox=True, transport="http", key_from_request=True, stateless=stateless)
    results: dict[str, list[str]] = {}
    with Running(settings, sandbox) as running:
        async def run(key: str, name: str, mode: str) -> None:
            results[name] = await tenant_session(running.url, key, name, 200, mode)

        async with anyio.create_task_group() as group:
            for (key, name), mode in zip(TENANTS.items(), ("auto", "legacy"), strict=True):
                group.start_soon(run, key, name, mode)
    for name, texts in results.items():
        other = next(n for n in TENANTS.values() if n != name)
        assert len(texts) == 201
        assert not [t for t in texts if f"{other}-" in t], f"{name} saw {other}'s objects"
        assert any(f"{name}-conn-190" in t for t in texts)
    for key, name in TENANTS.items():
        stored = {c["name"] for c in sandbox.workspace(key).connections.values()}
        assert stored == {f"{name}-conn-{i}" for i in range(0, 200, 10)}


async def test_stateless_server_keeps_no_session(plain: Running) -> None:
    settings = Settings(sandbox=True, transport="http", stateless=True)
    with Running(settings) as running:
        async with httpx2.AsyncClient() as http:
            first = await http.post(running.url, json=INITIALIZE, headers=MCP_HEADERS)
        assert first.status_code == 200 and "mcp-session-id" not in first.headers
        for _ in range(2):
            async with Client(running.url, mode="legacy") as client:
                assert (await client.call_tool("list_connections", {})).is_error is False
    assert "mcp-session-id" in (await _initialize_headers(plain.url))


async def _initialize_headers(url: str) -> dict[str, Any]:
    async with httpx2.AsyncClient() as http:
        response = await http.post(url, json=INITIALIZE, headers=MCP_HEADERS)
    return dict(response.headers)
