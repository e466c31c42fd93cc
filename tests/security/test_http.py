"""Streamable HTTP that is safe to expose: loopback by default, DNS-rebinding checks, per-request tenant keys."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import anyio
import httpx2
import pytest
from http_support import INITIALIZE, MCP_HEADERS, Running, open_session, ping
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from server_support import BASE_URL

from polytomic_mcp.sandbox import Sandbox
from polytomic_mcp.server.http import key_principal
from polytomic_mcp.settings import Settings

pytestmark = pytest.mark.anyio

TENANTS = {"pk_tenant_alpha_111111": "alpha", "pk_tenant_bravo_222222": "bravo"}


@pytest.fixture(scope="module")
def plain() -> Iterator[Running]:
    """One server with the default HTTP settings, shared by the module's tests (each opens its own requests)."""
    with Running(Settings(sandbox=True, transport="http")) as running:
        yield running


async def test_default_bind_is_loopback() -> None:
    assert Settings().host == "127.0.0.1"


@pytest.mark.slow
async def test_dns_rebinding_protection_rejects_foreign_host_and_origin(plain: Running) -> None:
    async with httpx2.AsyncClient() as http:
        evil_host = await http.post(plain.url, json=INITIALIZE, headers={**MCP_HEADERS, "Host": "evil.example.com"})
        evil_origin = await http.post(plain.url, json=INITIALIZE, headers={**MCP_HEADERS, "Origin": "http://evil.example.com"})
        good = await http.post(plain.url, json=INITIALIZE, headers={**MCP_HEADERS, "Origin": f"http://127.0.0.1:{plain.port}"})
    assert evil_host.status_code == 421
    assert evil_origin.status_code == 403
    assert good.status_code == 200


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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
        stored = {c.name for c in sandbox.workspace(key).connections.values()}
        assert stored == {f"{name}-conn-{i}" for i in range(0, 200, 10)}


@pytest.mark.slow
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


@pytest.mark.slow
@pytest.mark.parametrize("origin", [
    "http://127.0.0.1:1@evil.com",
    "http://localhost:80@evil.com",
    "http://127.0.0.1.evil.com",
    "https://127.0.0.1:{port}",
    "http://127.0.0.1:{port}/path",
    "null",
])
async def test_origins_are_parsed_not_prefix_matched(plain: Running, origin: str) -> None:
    async with httpx2.AsyncClient() as http:
        response = await http.post(plain.url, json=INITIALIZE, headers={**MCP_HEADERS, "Origin": origin.format(port=plain.port)})
    assert response.status_code == 403, origin


@pytest.mark.slow
@pytest.mark.parametrize("host", ["127.0.0.1:1@evil.com", "127.0.0.1:80.evil.com", "localhost:80/evil.com"])
async def test_hosts_are_parsed_not_prefix_matched(plain: Running, host: str) -> None:
    async with httpx2.AsyncClient() as http:
        response = await http.post(plain.url, json=INITIALIZE, headers={**MCP_HEADERS, "Host": host})
    assert response.status_code == 421, host


@pytest.mark.slow
@pytest.mark.parametrize("origin", ["http://127.0.0.1:{port}", "http://localhost:{port}", "http://[::1]:{port}", "http://LOCALHOST:8080"])
async def test_loopback_origins_on_any_port_pass(plain: Running, origin: str) -> None:
    async with httpx2.AsyncClient() as http:
        response = await http.post(plain.url, json=INITIALIZE, headers={**MCP_HEADERS, "Origin": origin.format(port=plain.port)})
    assert response.status_code == 200, origin


@pytest.mark.slow
async def test_configured_origin_matches_exactly() -> None:
    settings = Settings(sandbox=True, transport="http", allowed_origins=("https://app.example.com",))
    statuses: dict[str, int] = {}
    with Running(settings) as running:
        async with httpx2.AsyncClient() as http:
            for origin in ("https://app.example.com", "https://app.example.com:443", "http://app.example.com",
                           "https://app.example.com:8443", "https://app.example.com.evil.com", "https://app.example.com@evil.com"):
                response = await http.post(running.url, json=INITIALIZE, headers={**MCP_HEADERS, "Origin": origin})
                statuses[origin] = response.status_code
    assert statuses == {
        "https://app.example.com": 200, "https://app.example.com:443": 200, "http://app.example.com": 403,
        "https://app.example.com:8443": 403, "https://app.example.com.evil.com": 403, "https://app.example.com@evil.com": 403,
    }


@pytest.mark.slow
async def test_a_session_belongs_to_the_key_that_opened_it() -> None:
    alpha, bravo = (f"Bearer {key}" for key in TENANTS)
    settings = Settings(sandbox=True, transport="http", key_from_request=True)
    with Running(settings, tenant_sandbox()) as running:
        async with httpx2.AsyncClient() as http:
            session = await open_session(http, running.url, {"Authorization": alpha})
            stolen = await ping(http, running.url, session, {"Authorization": bravo})
            own = await ping(http, running.url, session, {"Authorization": alpha})
            deleted = await http.delete(running.url, headers={"mcp-session-id": session, "Authorization": bravo})
            still_own = await ping(http, running.url, session, {"Authorization": alpha})
    assert (stolen, own, deleted.status_code, still_own) == (404, 200, 404, 200)


def test_the_session_owner_is_a_hash_of_the_key_never_the_key() -> None:
    key = next(iter(TENANTS))
    principal = key_principal(key)
    token = principal.access_token
    assert token.client_id == hashlib.sha256(key.encode()).hexdigest()
    assert key not in token.model_dump_json()
    assert key_principal(key).access_token == token and key_principal("pk_other").access_token.client_id != token.client_id
