"""call_api on an operation the sandbox does not simulate tells the agent so, and that retrying will not help."""

from __future__ import annotations

import pytest
from server_support import mcp_session

from polytomic_mcp.sandbox import Sandbox

pytestmark = pytest.mark.anyio


async def test_call_api_says_the_operation_is_not_implemented_here_and_retrying_will_not_help(sandbox: Sandbox) -> None:
    async with mcp_session(sandbox) as client:
        result = await client.call_tool("call_api", {"operation": "events.list"})
    text = result.content[0].text
    assert result.is_error and "(501)" in text and "events.list" in text and "retrying will not help" in text
    assert "Try again later" not in text


async def test_an_answer_without_a_body_says_it_succeeded(sandbox: Sandbox) -> None:
    """Before: connections.test_connection came back ``sent: true`` with nothing saying whether the test passed."""
    async with mcp_session(sandbox) as client:
        result = await client.call_tool("call_api", {"operation": "connections.test_connection", "body": {
            "type": "mongodb", "configuration": {"hosts": "example.mongodb.net"}}})
    shown = result.structured_content or {}
    assert not result.is_error and shown["sent"] is True and "response" not in shown
    assert "sent no body back (success)" in shown["next_step"]


async def test_a_schema_refresh_goes_through_call_api_since_no_typed_tool_refreshes_every_connection(sandbox: Sandbox) -> None:
    """Before: search_api said "use list_source_objects" for schemas.refresh, which could not refresh, and call_api
    refused it as covered by that tool, so a table created upstream stayed invisible. list_source_objects(refresh=true)
    now refreshes a source, but the cache also serves a destination's objects, which only call_api refreshes."""
    from server_support import call_ok

    async with mcp_session(sandbox) as client:
        pg = await call_ok(client, "create_connection", {"name": "PG", "type": "postgresql", "configuration": {
            "hostname": "db.example.com", "database": "analytics", "username": "u", "password": "p"}})
        found = await call_ok(client, "search_api", {"query": "refresh connection schemas"})
        refreshed = await call_ok(client, "call_api", {"operation": "schemas.refresh", "path_params": {"id": pg["id"]}})
    hit = next(o for o in found["operations"] if o["operation"] == "schemas.refresh")
    assert "use_instead" not in hit
    assert refreshed["sent"] is True and refreshed["consent"] == "not needed"
