"""The loop people ask for most: a run rejects records, the reason is found, the mapping is fixed, and a full resync
proves it, all through MCP tools against the sandbox: on a sync set up in an empty workspace, and on the demo
workspace's sync that failed last night (rejected for type, picklist, length and lookup; fixed in the model's query
and the mapping).

Before: the sandbox rejected a record only for a missing required field (text into a number field: "0 rejected"),
and model syncs ran only incrementally, so a fix could not be proven.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from server_support import BASE_URL, call_ok, call_relayed, finished, mcp_session, users_model_and_warehouse

from polytomic_mcp.sandbox import DEMO_API_KEY, Sandbox

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


FIXED_QUERY = (
    "SELECT c.id, c.email, c.first_name, c.last_name, substr(c.title, 1, 128) AS title, "
    "CASE WHEN c.customer_tier IN ('Free', 'Pro', 'Enterprise') THEN c.customer_tier END AS customer_tier, "
    "NULLIF(c.lifetime_value, 'n/a') AS lifetime_value, c.account_ref, m.sfdc_account_id "
    "FROM public.crm_contacts AS c LEFT JOIN public.sfdc_accounts AS m ON m.account_id = c.account_id"
)
CAUSES = {"INVALID_TYPE": "Lifetime_Value__c", "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST": "Customer_Tier__c",
          "STRING_TOO_LONG": "Title", "MALFORMED_ID": "AccountId", "INVALID_CROSS_REFERENCE_KEY": "AccountId"}


async def test_what_failed_last_night_in_the_demo_workspace_is_found_explained_fixed_and_proven() -> None:
    sandbox = Sandbox.with_demo_workspace(base_url=BASE_URL)
    async with mcp_session(sandbox, api_key=DEMO_API_KEY) as client:
        failing = await call_ok(client, "list_syncs", {"failing": True})
        (sync,) = failing["syncs"]
        (last_night,) = (await call_ok(client, "get_sync_runs", {"sync_id": sync["id"], "limit": 1}))["runs"]
        why = await call_ok(client, "get_sync_runs", {"sync_id": sync["id"], "execution_id": last_night["id"]})
        detail = await call_ok(client, "list_syncs", {"sync_id": sync["id"]})
        model_id = detail["model_ids"][0]
        model = await call_ok(client, "list_models", {"model_id": model_id})
        await call_relayed(client, "update_model", {"model_id": model_id, "configuration": {"query": FIXED_QUERY}})
        fields = [{**f, "source": {**f["source"], "field": "sfdc_account_id"}} if f["target"] == "AccountId" else f for f in detail["fields"]]
        await call_relayed(client, "update_sync", {"sync_id": sync["id"], "fields": fields})
        await call_relayed(client, "start_sync", {"sync_id": sync["id"], "resync_mode": "resync"})
        fixed = await finished(client, sync["id"])
    assert sync["name"] == "Customers to Salesforce Contacts" and "last run failed" in sync["failing"]
    started = datetime.fromisoformat(last_night["started_at"].replace("Z", "+00:00"))
    assert timedelta(0) < datetime.now(UTC) - started < timedelta(hours=25), "the failed run was last night"
    assert last_night["status"] == "failed" and last_night["records"]["errored"] == last_night["records"]["total"] == 5
    causes = {(e["code"], e["field"]) for e in why["record_errors"]}
    assert causes == set(CAUSES.items()), causes
    assert "crm_contacts" in json.dumps(model)
    assert fixed["id"] != last_night["id"] and fixed["status"] == "completed"
    assert fixed["records"]["total"] == 12 and not fixed["records"].get("errored"), fixed
