"""A request's secret values are remembered for masking only once it is sent; an argument a tool does not take is
refused, never dropped.

Before: create_connection registered every secret value it was given before anything was checked, so one refused
or previewed call under a throwaway key could load that key's registry with thousands of values and make each of
its later calls cost most of a second on the loop every tenant shares. And the SDK silently dropped unknown
arguments: ``create_connection(..., dry_run=true)`` created the connection for real.
"""

from __future__ import annotations

import pytest
from server_support import call_error, call_ok, mcp_session

from polytomic_mcp.sandbox import Sandbox

pytestmark = pytest.mark.anyio
MONGO = {"type": "mongodb", "configuration": {"hosts": "example.mongodb.net", "username": "app"}, "validate": False}


async def test_a_refused_or_previewed_call_registers_nothing_and_a_sent_one_registers_its_secret(sandbox: Sandbox) -> None:
    refused = "Wx7-refused-call-value"
    previewed = "Zq9-preview-only-value"
    sent = "Kp4-sent-for-real-value"
    async with mcp_session(sandbox) as client:
        created = await call_ok(client, "create_connection", {"name": "Mongo", **MONGO})
        duplicate = await call_error(client, "create_connection", {
            "name": "Mongo", **MONGO, "configuration": {**MONGO["configuration"], "password": refused}})
        assert "already" in duplicate
        await call_ok(client, "update_connection", {
            "connection_id": created["id"], "configuration": {"password": previewed}, "dry_run": True})
        named = await call_ok(client, "create_connection", {"name": f"Probe {refused} {previewed}", **MONGO})
        assert named["name"] == f"Probe {refused} {previewed}", "values never sent were never registered"
        await call_ok(client, "update_connection", {"connection_id": created["id"], "configuration": {"password": sent}})
        echoed = await call_ok(client, "create_connection", {"name": f"Echo {sent}", **MONGO})
    assert echoed["name"] == "Echo ******", "a value that was sent is masked wherever it shows up later"


@pytest.mark.parametrize("tool, arguments", [
    ("create_connection", {"name": "M", **MONGO, "dry_run": True}),
    ("list_connections", {"serch": "mongo"}),
])
async def test_an_argument_the_tool_does_not_take_is_refused_and_nothing_is_done(
    sandbox: Sandbox, tool: str, arguments: dict[str, object],
) -> None:
    async with mcp_session(sandbox) as client:
        text = await call_error(client, tool, arguments)
        listed = await call_ok(client, "list_connections", {})
    assert "does not take" in text and "Nothing was done" in text and "it takes:" in text
    assert listed["total"] == 0, "the create with an unknown dry_run did not happen"
