"""Read-only per request: Services marked read-only (an OAuth read-only grant) hide and refuse write tools
even on a server started without --read-only."""

from __future__ import annotations

from typing import Any

import pytest
from mcp import Client
from mcp.server.context import CallNext, ServerRequestContext
from server_support import api_client

from polytomic_mcp.sandbox import Sandbox
from polytomic_mcp.server.app import declared_tool
from polytomic_mcp.server.read_only_grants import enforce_read_only_tenant
from polytomic_mcp.server.tool_listing import ManifestToolServer
from polytomic_mcp.tools import ToolName, load_tools
from polytomic_mcp.tools.core.services import Services, serving

SPECS = load_tools()

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_read_only_tenant_sees_and_may_call_only_read_tools(sandbox: Sandbox, mode: str) -> None:
    async with api_client(sandbox) as api:
        svc = Services(api, read_only=True)

        async def serve_read_only(ctx: ServerRequestContext[Any, Any], call_next: CallNext) -> Any:
            with serving(svc):
                return await call_next(ctx)

        server = ManifestToolServer("t", middleware=[serve_read_only, enforce_read_only_tenant],
                                    tool_names=[t.value for t in ToolName], load_tool=declared_tool)
        async with Client(server, mode=mode) as client:
            listed = {t.name for t in (await client.list_tools()).tools}
            assert "list_connections" in listed and "call_api" in listed
            assert "create_sync" not in listed and "delete" not in " ".join(listed)
            assert all(SPECS[name].kept_in_read_only_mode for name in listed)
            refused = await client.call_tool("create_sync", {})
            assert refused.is_error and "authorized read-only" in str(refused.content[0])
            allowed = await client.call_tool("list_connections", {})
            assert not allowed.is_error
