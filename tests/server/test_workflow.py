"""The reference workflow through the MCP tools sends exactly the documented API requests."""

from __future__ import annotations

import pytest
from server_support import MODES, mcp_session
from workflow import MONGO, SALESFORCE, model_args, run_workflow, sync_args

from polytomic_mcp.sandbox import Sandbox

pytestmark = pytest.mark.anyio


def posted(sandbox: Sandbox, path: str) -> list[dict]:
    return [r.body for r in sandbox.requests if r.method == "POST" and r.path == path and r.status < 300]


@pytest.mark.parametrize("mode", MODES)
async def test_workflow_pinned_2024_sends_the_documented_bodies(sandbox: Sandbox, mode: str) -> None:
    async with mcp_session(sandbox, mode=mode, api_version="2024-02-08") as client:
        ids = await run_workflow(client, sandbox)
    assert ids["calls"] <= 6
    assert posted(sandbox, "/api/connections") == [MONGO, SALESFORCE]
    assert posted(sandbox, "/api/models") == [model_args(ids["mongo"])]
    expected = sync_args(ids["model"], ids["salesforce"])
    expected["identity"]["function"] = "Equality"
    assert posted(sandbox, "/api/syncs") == [expected]
    assert all(r.headers["x-polytomic-version"] == "2024-02-08" for r in sandbox.requests if r.path.startswith("/api/"))


@pytest.mark.parametrize("mode", MODES)
async def test_workflow_on_2025_sends_identities(sandbox: Sandbox, mode: str) -> None:
    async with mcp_session(sandbox, mode=mode, api_version="2025-09-18") as client:
        ids = await run_workflow(client, sandbox)
    expected = sync_args(ids["model"], ids["salesforce"])
    identity = expected.pop("identity")
    identity["function"] = "Equality"
    expected["identities"] = {"mappings": [identity]}
    assert posted(sandbox, "/api/syncs") == [expected]
    assert posted(sandbox, "/api/connections") == [MONGO, SALESFORCE]
    workspace = sandbox.workspace(next(iter(sandbox.workspaces)))
    assert (len(workspace.connections), len(workspace.models), len(workspace.syncs)) == (2, 1, 1)


@pytest.mark.parametrize("mode", MODES)
async def test_created_model_fields_and_run(sandbox: Sandbox, mode: str) -> None:
    async with mcp_session(sandbox, mode=mode) as client:
        ids = await run_workflow(client, sandbox)
        model = await client.call_tool("list_models", {"model_id": ids["model"], "sample": True})
        names = [f["name"] for f in model.structured_content["fields"]]
        assert {"email", "first_name", "last_name"} <= set(names)
        assert model.structured_content["sample"][0]["email"]
        started = await client.call_tool("start_sync", {"sync_id": ids["sync"]})
        assert not started.is_error and started.structured_content["execution_id"]
        status = await client.call_tool("get_sync_status", {"sync_id": ids["sync"]})
        assert not status.is_error
        assert status.structured_content["sync_id"] == ids["sync"]
