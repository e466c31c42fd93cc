"""The loop people ask for most: a run rejects records, the reason is found, the mapping is fixed, and a full resync
proves it, all through MCP tools against the sandbox.

Before: the sandbox rejected a record only for a missing required field (text into a number field: "0 rejected"),
and model syncs ran only incrementally, so a fix could not be proven.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from server_support import call_ok, call_relayed, finished, mcp_session, users_model_and_warehouse

from polytomic_mcp.sandbox import Sandbox

pytestmark = pytest.mark.anyio


async def test_a_type_mismatch_is_rejected_found_fixed_and_proven(sandbox: Sandbox) -> None:
    async with mcp_session(sandbox) as client:
        model_id, warehouse_id = await users_model_and_warehouse(client)

        def field(source: str, target: str) -> dict[str, Any]:
            return {"source": {"model_id": model_id, "field": source}, "target": target}

        sync = await call_relayed(client, "create_sync", {
            "name": "Users", "mode": "updateOrCreate", "target": {"connection_id": warehouse_id, "object": "public.users"},
            "fields": [field("email", "email"), field("plan", "lifetime_value")],
            "identity": {"source": {"model_id": model_id, "field": "email"}, "target": "email", "function": "Equality"},
            "schedule": {"frequency": "manual"}})
        await call_relayed(client, "start_sync", {"sync_id": sync["id"]})
        broken = await finished(client, sync["id"])
        failing = await call_ok(client, "list_syncs", {"failing": True})
        runs = await call_ok(client, "get_sync_runs", {"sync_id": sync["id"], "execution_id": broken["id"]})
        await call_relayed(client, "update_sync", {"sync_id": sync["id"], "fields": [
            field("email", "email"), field("lifetime_value", "lifetime_value")]})
        await call_relayed(client, "start_sync", {"sync_id": sync["id"], "resync_mode": "resync"})
        fixed = await finished(client, sync["id"])
    assert broken["records"]["errored"] == broken["records"]["total"] > 0
    assert [s["id"] for s in failing["syncs"]] == [sync["id"]]
    reasons = json.dumps(runs)
    assert "INVALID_TYPE" in reasons and "lifetime_value" in reasons and "is not a valid number" in reasons
    assert fixed["records"]["total"] == broken["records"]["total"] and not fixed["records"].get("errored")
