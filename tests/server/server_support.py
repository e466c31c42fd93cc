"""Helpers for server tests: sandbox -> in-process transport -> PolytomicClient -> MCP server -> in-memory MCP Client."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
from mcp import Client
from mcp.server.context import CallNext, ServerRequestContext
from workflow import MONGO, model_args

from polytomic_mcp.catalog import field_name, is_required
from polytomic_mcp.client import PolytomicClient
from polytomic_mcp.sandbox import EMPTY_API_KEY, Sandbox
from polytomic_mcp.server import build_server
from polytomic_mcp.server.app import declared_tool
from polytomic_mcp.server.read_only_grants import enforce_read_only_tenant
from polytomic_mcp.server.tool_listing import ManifestToolServer
from polytomic_mcp.settings import Settings
from polytomic_mcp.tools import ToolName
from polytomic_mcp.tools.core.services import Services, serving

BASE_URL = "http://sandbox.polytomic.test"
MODES = ["auto", "legacy"]


def read_only_tenant_server(api: PolytomicClient) -> ManifestToolServer:
    """A server over every tool whose requests are served read-only, as for a tenant with a read-only OAuth grant."""
    svc = Services(api, read_only=True)

    async def serve_read_only(ctx: ServerRequestContext[Any, Any], call_next: CallNext) -> Any:
        with serving(svc):
            return await call_next(ctx)

    return ManifestToolServer("t", middleware=[serve_read_only, enforce_read_only_tenant],
                              tool_names=[t.value for t in ToolName], load_tool=declared_tool)


def api_client(sandbox: Sandbox, api_version: str = "2025-09-18", api_key: str = EMPTY_API_KEY, **kwargs: Any) -> PolytomicClient:
    """A client on a workspace of the sandbox (the empty one unless ``api_key`` names another) over the in-process
    transport, with no idle waits (retries, job polls)."""
    options: dict[str, Any] = {"retry_backoff": 0.001, "max_retry_delay": 0.01, "job_poll_interval": 0.001}
    options.update(kwargs)
    return PolytomicClient(
        api_key, base_url=BASE_URL, api_version=api_version, transport=sandbox.transport(), **options
    )


@asynccontextmanager
async def mcp_session(
    sandbox: Sandbox, *, mode: str = "auto", api_version: str = "2025-09-18", settings: Settings | None = None,
    api_key: str = EMPTY_API_KEY, **client_kwargs: Any,
) -> AsyncIterator[Client]:
    """An in-memory MCP client session on a server over the sandbox (its empty workspace unless ``api_key`` says)."""
    settings = settings or Settings(sandbox=True, api_version=api_version)
    async with api_client(sandbox, api_version, api_key) as api:
        async with Client(build_server(settings, client=api), mode=mode, **client_kwargs) as client:
            yield client


async def call_ok(client: Client, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
    """Call a tool and return its structured content, failing the test on an error result."""
    result = await client.call_tool(name, arguments)
    assert not result.is_error, result.content[0].text if result.content else result
    assert result.structured_content is not None
    return result.structured_content


async def call_error(client: Client, name: str, arguments: dict[str, Any]) -> str:
    """Call a tool that must fail and return its error text."""
    result = await client.call_tool(name, arguments)
    assert result.is_error, f"{name} unexpectedly succeeded: {result.structured_content}"
    return result.content[0].text


def handshake(*calls: dict[str, Any]) -> list[dict[str, Any]]:
    """initialize + initialized, then the given requests."""
    return [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}},
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        *calls,
    ]


def consent_token(text: str) -> str:
    """The consent_token a refusal asks the assistant to relay (the test plays a person who said yes)."""
    assert "consent_token='" in text, text
    return text.split("consent_token='", 1)[1].split("'", 1)[0]


async def call_relayed(client: Client, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
    """Call a tool as an assistant without elicitation does: a question comes back, the person says yes, call again."""
    result = await client.call_tool(name, arguments)
    if not result.is_error:
        assert result.structured_content is not None
        return result.structured_content
    text = result.content[0].text
    assert "Nothing was sent" in text, text
    return await call_ok(client, name, {**arguments, "consent_token": consent_token(text)})


_BLOCK = re.compile(r'<workspace-data field="([a-z_]+)">\n(.*?)\n</workspace-data>', re.S)


def read_marked(text: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """A result's text form split back: (its first JSON line, each marked block's field and value)."""
    head, _, rest = text.partition("\n")
    marked = {field: json.loads(value) for field, value in _BLOCK.findall(rest)}
    assert rest.count("</workspace-data>") == len(marked), "every marked block closes exactly once"
    return json.loads(head), marked


PG = {"name": "PG", "type": "postgresql",
      "configuration": {"hostname": "db.example.com", "database": "analytics", "username": "u", "password": "p"}}
"""The sandbox's Postgres warehouse (table ``public.users`` among others)."""


async def users_model_and_warehouse(client: Client) -> tuple[str, str]:
    """A Mongo connection with a model of its ``users`` collection, and the Postgres warehouse: (model id, warehouse id)."""
    mongo = await call_ok(client, "create_connection", MONGO)
    model = await call_ok(client, "create_model", model_args(mongo["id"]))
    warehouse = await call_ok(client, "create_connection", PG)
    return model["id"], warehouse["id"]


async def finished(client: Client, sync_id: str) -> dict[str, Any]:
    """The last run of ``sync_id`` once it has finished (get_sync_status polled, a bounded number of times)."""
    for _ in range(200):
        status = await call_ok(client, "get_sync_status", {"sync_id": sync_id})
        last = status.get("last_run") or {}
        if not status.get("current_run") and last.get("status") in ("completed", "failed"):
            return dict(last)
        await anyio.sleep(0.01)
    raise AssertionError("the run never finished")


def sample(picture: Any) -> Any:
    """A value of a catalog type: enums take their first option, objects their required fields."""
    if isinstance(picture, list):
        return [sample(picture[0])] if picture else []
    if isinstance(picture, dict):
        return {field_name(k): sample(v) for k, v in picture.items() if is_required(k)}
    if "|" in picture:
        return picture.split("|")[0]
    if picture.startswith("map<"):
        return {"k": "v"}
    return {"string": "s-1", "integer": 3, "number": 1.5, "boolean": True, "datetime": "2026-01-02T03:04:05Z"}.get(picture, {})
