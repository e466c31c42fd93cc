"""An update names what uses the object it changed (``used_by``), each sync with its last run, marked as workspace data.

Before: update_connection said "models and syncs that use it keep working" without naming any of them; then the
names came without their state, so whether the change fixed a failing sync took another call per sync.
"""

from __future__ import annotations

import pytest
from server_support import call_ok, call_relayed, finished, mcp_session
from workflow import run_workflow

from polytomic_mcp.sandbox import EMPTY_API_KEY, Sandbox

pytestmark = pytest.mark.anyio


async def test_connection_and_model_updates_name_what_uses_them(sandbox: Sandbox) -> None:
    async with mcp_session(sandbox) as client:
        ids = await run_workflow(client, sandbox)
        model = await call_ok(client, "update_model", {"model_id": ids["model"], "name": "Users (prod)"})
        await call_relayed(client, "start_sync", {"sync_id": ids["sync"]})
        await finished(client, ids["sync"])
        connection = await call_ok(client, "update_connection", {"connection_id": ids["mongo"], "name": "Mongo (prod)"})
        unused = await call_ok(client, "create_connection", {
            "name": "Spare", "type": "mongodb", "configuration": {"hosts": "example.mongodb.net"}})
        spare = await call_ok(client, "update_connection", {"connection_id": unused["id"], "name": "Spare 2"})
    assert [(u["kind"], u["name"]) for u in connection["used_by"]] == [("model", "Users (prod)"), ("sync", "Mongo to Salesforce Sync")]
    assert "last_run" not in connection["used_by"][0] and connection["used_by"][1]["last_run"]["status"] == "completed"
    assert connection["used_by"][1]["last_run"]["rejected"] == 0 and "start_sync" not in connection["next_step"]
    assert model["used_by"] == [{"kind": "sync", "id": ids["sync"], "name": "Mongo to Salesforce Sync"}], "never run: no last_run"
    assert "used_by" in connection["untrusted"] and "used_by" in model["untrusted"]
    assert "used_by" not in spare and "nothing uses it" in spare["next_step"]


async def test_a_dependent_that_failed_comes_with_its_last_run_and_the_call_that_proves_the_fix(sandbox: Sandbox) -> None:
    seeded = sandbox.workspace(EMPTY_API_KEY).seed_failing_sync(past_runs=2)
    sync_id = seeded["sync"].id
    async with mcp_session(sandbox) as client:
        model = await call_ok(client, "update_model", {"model_id": seeded["model"].id, "name": "Signups (fixed)"})
    [used] = model["used_by"]
    assert used["id"] == sync_id and used["last_run"]["status"] == "failed" and used["last_run"]["rejected"] > 0
    assert used["last_run"]["at"] and f"start_sync('{sync_id}')" in model["next_step"]
