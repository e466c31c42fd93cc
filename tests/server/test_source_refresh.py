"""A table created upstream after a connection was inspected: invisible to list_source_objects until refresh=true.

Before: the sandbox listed model sources live (a new table showed at once, unlike Polytomic, which serves them from
the connection's schema cache), and no tool could refresh a model source's cache.
"""

from __future__ import annotations

import pytest
from server_support import PG, call_ok, mcp_session

from polytomic_mcp.sandbox import EMPTY_API_KEY, Sandbox

pytestmark = pytest.mark.anyio


async def test_a_table_created_upstream_shows_only_after_a_refresh_and_then_makes_a_model(sandbox: Sandbox) -> None:
    async with mcp_session(sandbox) as client:
        pg = (await call_ok(client, "create_connection", PG))["id"]
        sandbox.workspace(EMPTY_API_KEY).add_source_table(pg, "public.invoices", {"id": "integer", "amount": "number"})
        before = await call_ok(client, "list_source_objects", {"connection_id": pg})
        named = await call_ok(client, "list_source_objects", {"connection_id": pg, "params": {"table": "public.invoices"}})
        refreshed = await call_ok(client, "list_source_objects", {"connection_id": pg, "refresh": True})
        after = await call_ok(client, "list_source_objects", {"connection_id": pg, "params": {"table": "public.invoices"}})
        model = await call_ok(client, "create_model", {"name": "Invoices", "connection_id": pg, "configuration": {"table": "public.invoices"}})
    assert "public.users" in before["choices"]["table"] and "public.invoices" not in before["choices"]["table"]
    assert "fields" not in named and "refresh=true" in named["next_step"]
    assert "public.invoices" in refreshed["choices"]["table"] and refreshed["cache_status"] == "fresh"
    assert [f["name"] for f in after["fields"]] == ["id", "amount"] and "create_model" in after["next_step"]
    assert [f["name"] for f in model["fields"]] == ["id", "amount"]


async def test_refresh_also_serves_bulk_listings(sandbox: Sandbox) -> None:
    async with mcp_session(sandbox) as client:
        pg = (await call_ok(client, "create_connection", PG))["id"]
        sandbox.workspace(EMPTY_API_KEY).add_source_table(pg, "public.invoices", {"id": "integer"})
        stale = await call_ok(client, "list_source_objects", {"connection_id": pg, "bulk": True, "search": "invoices"})
        fresh = await call_ok(client, "list_source_objects", {"connection_id": pg, "bulk": True, "search": "invoices", "refresh": True})
    assert stale["total"] == 0 and fresh["schemas"] == ["public.invoices"]
