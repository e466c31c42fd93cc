"""An update names what uses the object it changed (``used_by``), marked as workspace data.

Before: update_connection said "models and syncs that use it keep working" without naming any of them.
"""

from __future__ import annotations

import pytest
from server_support import call_ok, mcp_session
from workflow import run_workflow

from polytomic_mcp.sandbox import Sandbox

pytestmark = pytest.mark.anyio


async def test_connection_and_model_updates_name_what_uses_them(sandbox: Sandbox) -> None:
    async with mcp_session(sandbox) as client:
        ids = await run_workflow(client, sandbox)
        connection = await call_ok(client, "update_connection", {"connection_id": ids["mongo"], "name": "Mongo (prod)"})
        model = await call_ok(client, "update_model", {"model_id": ids["model"], "name": "Users (prod)"})
        unused = await call_ok(client, "create_connection", {
            "name": "Spare", "type": "mongodb", "configuration": {"hosts": "example.mongodb.net"}})
        spare = await call_ok(client, "update_connection", {"connection_id": unused["id"], "name": "Spare 2"})
    assert [u.split(" (")[0] for u in connection["used_by"]] == ["model 'MongoDB Model'", "sync 'Mongo to Salesforce Sync'"]
    assert model["used_by"] == [f"sync 'Mongo to Salesforce Sync' ({ids['sync']})"]
    assert "used_by" in connection["untrusted"] and "used_by" in model["untrusted"]
    assert "used_by" not in spare and "nothing uses it" in spare["next_step"]
