"""Read-only per request: Services marked read-only (an OAuth read-only grant) hide and refuse write tools
even on a server started without --read-only."""

from __future__ import annotations

import pytest
from mcp import Client
from server_support import api_client, read_only_tenant_server

from polytomic_mcp.sandbox import Sandbox
from polytomic_mcp.tools import load_tools

SPECS = load_tools()

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_read_only_tenant_sees_and_may_call_only_read_tools(sandbox: Sandbox, mode: str) -> None:
    async with api_client(sandbox) as api:
        async with Client(read_only_tenant_server(api), mode=mode) as client:
            listed = {t.name for t in (await client.list_tools()).tools}
            assert "list_connections" in listed and "call_api" in listed
            assert "create_sync" not in listed and "delete" not in " ".join(listed)
            assert all(SPECS[name].kept_in_read_only_mode for name in listed)
            refused = await client.call_tool("create_sync", {})
            assert refused.is_error and "authorized read-only" in str(refused.content[0])
            allowed = await client.call_tool("list_connections", {})
            assert not allowed.is_error
