"""JSON access logs: one line per HTTP request with a request id, tenant hash and tool, never the key."""

from __future__ import annotations

import base64
import hashlib
import io
import json

import httpx2
import pytest
from http_support import Running
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from server_support import BASE_URL
from starlette.types import Receive, Scope, Send

from polytomic_mcp.sandbox import Sandbox
from polytomic_mcp.server import build_server
from polytomic_mcp.server.access_log import AccessLog
from polytomic_mcp.server.http import http_app
from polytomic_mcp.settings import Settings

pytestmark = pytest.mark.anyio

KEY = "pk_live_access_secret_9876543210"
CALL = {"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "list_connections", "arguments": {}}}



async def echo_app(scope: Scope, receive: Receive, send: Send) -> None:
    """A stand-in MCP app: reads the whole body and answers 200."""
    while (await receive()).get("more_body"):
        pass
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"ok"})


def lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


async def test_a_bearer_request_logs_one_json_line_with_the_key_hash_and_never_the_key(access_lines: io.StringIO) -> None:
    transport = httpx2.ASGITransport(app=AccessLog(echo_app))
    async with httpx2.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as http:
        response = await http.post("/mcp", json=CALL, headers={"Authorization": f"Bearer {KEY}"})
    raw = access_lines.getvalue()
    [line] = lines(access_lines)
    assert line["tenant"] == hashlib.sha256(KEY.encode()).hexdigest()[:12]
    assert (line["method"], line["path"], line["status"], line["tool"], line["outcome"]) == ("POST", "/mcp", 200, "list_connections", "ok")
    assert line["request_id"] == response.headers["x-request-id"] and len(str(line["request_id"])) == 32
    assert isinstance(line["duration_ms"], float)
    for form in (KEY, base64.b64encode(KEY.encode()).decode().rstrip("="), base64.b64encode(f"Bearer {KEY}".encode()).decode()[:20]):
        assert form not in raw


async def test_every_request_gets_its_own_id(access_lines: io.StringIO) -> None:
    transport = httpx2.ASGITransport(app=AccessLog(echo_app))
    async with httpx2.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as http:
        first = await http.get("/mcp")
        second = await http.get("/mcp")
    ids = [line["request_id"] for line in lines(access_lines)]
    assert ids == [first.headers["x-request-id"], second.headers["x-request-id"]] and ids[0] != ids[1]
    assert all(line["tool"] is None and line["tenant"] is None for line in lines(access_lines))


async def test_refused_and_probe_requests_are_logged_by_the_full_app(access_lines: io.StringIO) -> None:
    settings = Settings(transport="http", key_from_request=True)
    app = http_app(build_server(settings), settings)
    async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url="http://127.0.0.1:8000") as http:
        await http.get("/healthz")
        await http.post("/mcp", json=CALL)
        await http.post("/mcp", json=CALL, headers={"Host": "evil.example"})
    summary = [(line["path"], line["status"], line["outcome"]) for line in lines(access_lines)]
    assert summary == [("/healthz", 200, "ok"), ("/mcp", 401, "error"), ("/mcp", 421, "error")]


async def test_a_key_in_the_path_is_scrubbed_from_the_line(access_lines: io.StringIO) -> None:
    transport = httpx2.ASGITransport(app=AccessLog(echo_app))
    async with httpx2.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as http:
        await http.get(f"/mcp/Bearer {KEY}")
    assert KEY not in access_lines.getvalue()



@pytest.mark.slow
@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_the_real_server_logs_the_tool_of_each_call_and_the_tenant(access_lines: io.StringIO, mode: str) -> None:
    sandbox = Sandbox.with_empty_workspace(base_url=BASE_URL)
    settings = Settings(sandbox=True, transport="http", key_from_request=True, stateless=True)
    with Running(settings, sandbox) as running:
        http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {KEY}"})
        async with http, Client(streamable_http_client(running.url, http_client=http), mode=mode) as client:
            await client.call_tool("list_connections", {})
    logged = lines(access_lines)
    assert [line["tool"] for line in logged if line["tool"]] == ["list_connections"]
    assert {line["tenant"] for line in logged} == {hashlib.sha256(KEY.encode()).hexdigest()[:12]}
    assert KEY not in access_lines.getvalue()


def test_under_oauth_the_tenant_is_the_grant_and_stays_the_same_across_refreshes() -> None:
    """Before: the tenant was a hash of the access token, a new one after every refresh."""
    import time
    from types import SimpleNamespace

    from polytomic_mcp.server.access_log import AccessLog, tenant_hash

    def line(token: str, grant_id: str) -> dict[str, object]:
        scope = {"method": "POST", "path": "/mcp", "headers": [(b"authorization", f"Bearer {token}".encode())],
                 "user": SimpleNamespace(access_token=SimpleNamespace(grant_id=grant_id))}
        return AccessLog._line(scope, "r", 200, time.perf_counter(), b"")  # noqa: SLF001

    first, refreshed, other = line("sealed-token-1", "grant-a"), line("sealed-token-2", "grant-a"), line("t3", "grant-b")
    assert first["tenant"] == refreshed["tenant"] == tenant_hash("grant-a") != other["tenant"]
