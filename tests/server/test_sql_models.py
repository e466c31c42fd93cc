"""A SQL model made through the MCP tools runs its query in the warehouse's dialect (here PostgreSQL)."""

from __future__ import annotations

import pytest
from server_support import PG, call_error, call_ok, mcp_session

from polytomic_mcp.sandbox import Sandbox

pytestmark = pytest.mark.anyio

RECENT = "SELECT order_number, created_at FROM public.orders WHERE created_at > NOW() - INTERVAL '30 days'"


async def test_a_postgres_interval_filter_keeps_only_recent_rows(sandbox: Sandbox) -> None:
    async with mcp_session(sandbox) as client:
        warehouse = await call_ok(client, "create_connection", PG)
        model = await call_ok(client, "create_model", {"name": "Recent orders", "connection_id": warehouse["id"], "configuration": {"query": RECENT}})
        shown = await call_ok(client, "list_models", {"model_id": model["id"], "sample": True})
        assert [row["order_number"] for row in shown["sample"]] == ["SO-10428", "SO-10429", "SO-10430"]


async def test_sqlite_syntax_on_postgres_fails_as_postgres_would(sandbox: Sandbox) -> None:
    async with mcp_session(sandbox) as client:
        warehouse = await call_ok(client, "create_connection", PG)
        query = "SELECT order_number FROM public.orders WHERE created_at > datetime('now', '-30 days')"
        text = await call_error(client, "create_model", {"name": "Recent", "connection_id": warehouse["id"], "configuration": {"query": query}})
        assert "function datetime() does not exist in PostgreSQL" in text
