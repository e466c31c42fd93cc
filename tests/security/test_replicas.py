"""Two stateless replicas behind a round-robin proxy run the reference workflow, in both protocol generations.

No sticky sessions: the proxy sends each request to the next replica in turn, and both replicas use one shared
sandbox API (state lives in the API, as with Polytomic). This is what the README's deploy section promises.
Without ``--stateless`` the legacy generation (2025-11-25 sessions) cannot work across replicas: the session
lives in the replica that opened it and the next replica answers 404.
"""

from __future__ import annotations

import json
from itertools import pairwise
from typing import Any, cast

import anyio
import httpx2
import pytest
from mcp import Client, MCPError
from mcp.client.streamable_http import streamable_http_client
from replica_support import replicas_behind_proxy
from workflow import run_workflow

from polytomic_mcp.sandbox import EMPTY_API_KEY, Sandbox

pytestmark = pytest.mark.anyio


def access_lines(log: str) -> list[dict[str, Any]]:
    """The JSON access lines among a replica's stderr lines."""
    lines = []
    for line in log.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and "request_id" in record:
            lines.append(record)
    return lines


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_workflow_through_round_robin_proxy_alternates_replicas(mode: str) -> None:
    with replicas_behind_proxy(2) as (sandbox, servers, proxy, url):
        async with httpx2.AsyncClient(headers={"Authorization": f"Bearer {EMPTY_API_KEY}"}, timeout=60) as http:
            async with Client(streamable_http_client(url, http_client=http), mode=mode) as client:
                created = await run_workflow(client, cast(Sandbox, sandbox))
        async with httpx2.AsyncClient(headers={"Authorization": f"Bearer {EMPTY_API_KEY}"}) as api:
            sync = (await api.get(f"{sandbox.base_url}/api/syncs/{created['sync']}")).json()["data"]
        served = list(proxy.served)
        logs = [server.log() for server in servers]
    assert sync["name"] == "Mongo to Salesforce Sync"
    mcp_posts = [s for s in served if s.method == "POST" and s.path == "/mcp"]
    assert len(mcp_posts) >= created["calls"] + 1
    assert {s.replica for s in mcp_posts} == {0, 1}
    assert all(a.replica != b.replica for a, b in pairwise(served)), served
    assert all(s.status < 400 for s in mcp_posts), served
    for index, log in enumerate(logs):
        lines = access_lines(log)
        tools = {line["tool"] for line in lines if line["tool"]}
        assert lines and tools, f"replica {index} logged no tools/call: {log[-2000:]}"
        assert all(line["path"] == "/mcp" and line["tenant"] for line in lines if line["method"] == "POST")
        assert EMPTY_API_KEY not in log
    assert sum(len(access_lines(log)) for log in logs) == len(served)


def flatten(error: BaseException) -> list[BaseException]:
    """The leaf exceptions of a (possibly nested) exception group."""
    if isinstance(error, BaseExceptionGroup):
        return [leaf for inner in error.exceptions for leaf in flatten(inner)]
    return [error]


@pytest.mark.slow
async def test_legacy_sessions_need_stateless_replicas_without_sticky_routing() -> None:
    with replicas_behind_proxy(2, stateless=False) as (_, _servers, proxy, url):
        with pytest.raises(BaseException) as raised, anyio.fail_after(60):
            async with httpx2.AsyncClient(headers={"Authorization": f"Bearer {EMPTY_API_KEY}"}, timeout=60) as http:
                async with Client(streamable_http_client(url, http_client=http), mode="legacy") as client:
                    await client.call_tool("list_connections", {})
        served = list(proxy.served)
    errors = flatten(raised.value)
    assert any(isinstance(e, MCPError) and "Session not found" in str(e) for e in errors), errors
    assert served[0].replica == 0 and served[0].status == 200
    assert any(s.replica == 1 and s.status == 404 for s in served), served
