"""Bulk syncs through the tools: discover, create in one checked call, run and follow by id, change, pause, delete."""

from __future__ import annotations

from typing import Any

import pytest
from server_support import MODES, call_error, call_ok, call_relayed, mcp_session, read_marked
from workflow import BULK_SCHEDULE, SALESFORCE, SNOWFLAKE, authorize, bulk_args, run_bulk_workflow

from polytomic_mcp.sandbox import EMPTY_API_KEY, FaultConfig, Sandbox

pytestmark = pytest.mark.anyio


def posts(sandbox: Sandbox, path: str) -> list[dict[str, Any]]:
    return [r.body for r in sandbox.requests if r.method == "POST" and r.path == path and r.status < 300]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("api_version", ["2025-09-18", "2024-02-08"])
async def test_reference_bulk_workflow_takes_five_calls_and_sends_the_reference_body(sandbox: Sandbox, mode: str, api_version: str) -> None:
    async with mcp_session(sandbox, mode=mode, api_version=api_version) as client:
        done = await run_bulk_workflow(client, sandbox)
        for _ in range(3):
            status = await call_ok(client, "get_sync_status", {"sync_id": done["bulk"]})
    assert done["calls"] == 5
    sent = posts(sandbox, "/api/bulk/syncs")
    schedule_key = "default_schedule" if api_version == "2025-09-18" else "schedule"
    expected = {k: v for k, v in bulk_args(done["salesforce"], done["snowflake"]).items() if k != "schedule"} | {schedule_key: BULK_SCHEDULE}
    assert sent == [expected]
    assert status["summary"].startswith("Last run completed")
    per_schema = {s["schema"]: s for s in status["last_run"]["schemas"]}
    assert set(per_schema) == {"Account", "Contact"} and per_schema["Account"]["records"] > 0


async def prepared(client: Any, sandbox: Sandbox) -> dict[str, str]:
    salesforce = await call_relayed(client, "create_connection", SALESFORCE)
    await authorize(sandbox, salesforce["auth_url"])
    snowflake = await call_relayed(client, "create_connection", SNOWFLAKE)
    return {"salesforce": salesforce["id"], "snowflake": snowflake["id"]}


async def test_discovery_lists_source_schemas_and_what_the_destination_needs(sandbox: Sandbox) -> None:
    async with mcp_session(sandbox) as client:
        ids = await prepared(client, sandbox)
        source = await call_ok(client, "list_source_objects", {"connection_id": ids["salesforce"], "bulk": True})
        fields = await call_ok(client, "list_source_objects", {"connection_id": ids["salesforce"], "bulk": True, "schema": "Account"})
        target = await call_ok(client, "list_target_objects", {"connection_id": ids["snowflake"], "bulk": True})
        not_bulk = await call_error(client, "list_target_objects", {"connection_id": ids["salesforce"], "bulk": True})
    assert {"Account", "Contact"} <= set(source["schemas"]) and source["cache_status"] == "fresh"
    assert any(f["name"] == "Id" and f.get("primary_key") for f in fields["fields"])
    assert target["bulk_modes"] == ["replicate", "snapshot"] and [f["name"] for f in target["required"]] == ["schema"]
    assert "cannot receive bulk syncs" in not_bulk


async def test_mistakes_are_answered_with_the_fix_and_nothing_is_created(sandbox: Sandbox) -> None:
    workspace = sandbox.workspace(EMPTY_API_KEY)
    async with mcp_session(sandbox) as client:
        ids = await prepared(client, sandbox)
        args = bulk_args(ids["salesforce"], ids["snowflake"])
        typo = await call_error(client, "create_bulk_sync", {**args, "schemas": ["Acount", "Contact"]})
        missing = await call_error(client, "create_bulk_sync", {**args, "destination_configuration": {}})
        wrong_mode = await call_error(client, "create_bulk_sync", {**args, "mode": "updateOrCreate"})
        hubspot = await call_relayed(client, "create_connection", {"name": "HubSpot", "type": "hubspot", "configuration": {}})
        await authorize(sandbox, hubspot["auth_url"])
        no_bulk = await call_error(client, "create_bulk_sync", {**args, "destination_connection_id": hubspot["id"]})
        broken = workspace.add_connection("Broken Postgres", "postgresql", {"hostname": "db.example.com", "username": "u", "password": "pw", "database": "acme"},
                                          status="unhealthy")
        unhealthy = await call_error(client, "create_bulk_sync", {**args, "source_connection_id": broken.id})
    assert "'Acount'" in typo and "did you mean 'Account'" in typo
    assert "missing required field 'schema'" in missing
    assert "model-sync mode" in wrong_mode and "replicate" in wrong_mode
    assert "cannot receive bulk syncs" in no_bulk
    assert "unhealthy" in unhealthy and "update_connection" in unhealthy
    assert posts(sandbox, "/api/bulk/syncs") == [] and workspace.bulk.syncs == {}


async def test_the_sync_tools_take_a_bulk_sync_by_id(sandbox: Sandbox) -> None:
    async with mcp_session(sandbox) as client:
        done = await run_bulk_workflow(client, sandbox)
        bulk = done["bulk"]
        listed = await call_ok(client, "list_syncs", {"search": "Snowflake"})
        detail = await call_ok(client, "list_syncs", {"sync_id": bulk})
        runs = await call_ok(client, "get_sync_runs", {"sync_id": bulk})
        one = await call_ok(client, "get_sync_runs", {"sync_id": bulk, "execution_id": runs["runs"][0]["id"]})
        changed = await call_ok(client, "update_sync", {"sync_id": bulk, "schemas": ["Lead"], "schedule": {"frequency": "hourly", "minute": "15"}})
        wrong = await call_error(client, "update_sync", {"sync_id": bulk, "fields": []})
        again = await call_relayed(client, "start_sync", {"sync_id": bulk, "resync_mode": "resync", "schemas": ["Account"], "fetch_mode": "full"})
        paused = await call_ok(client, "activate_sync", {"sync_id": bulk, "active": False})
        gone = await call_relayed(client, "delete", {"kind": "sync", "id": bulk})
    assert [(s["kind"], s["id"]) for s in listed["syncs"]] == [("bulk", bulk)]
    assert detail["kind"] == "bulk" and sorted(detail["schemas"]) == ["Account", "Contact"] and detail["destination_configuration"] == {"schema": "SALESFORCE"}
    assert runs["runs"] and one["run"]["schemas"]
    assert set(changed["changes"]) == {"schedule", "schemas"} and "Lead" in changed["result"]["schemas"]
    assert [r.body for r in sandbox.requests if r.method == "PATCH"] == [{"schemas": [{"id": "Lead", "enabled": True}]}]
    assert "model syncs only" in wrong
    assert again["execution_id"] and "cancels its run in progress" in paused["note"]
    assert gone["deleted"] and sandbox.workspace(EMPTY_API_KEY).bulk.syncs == {}


@pytest.mark.parametrize("seed", [21, 22])
async def test_thirty_percent_faults_end_with_exactly_one_bulk_sync(sandbox: Sandbox, seed: int) -> None:
    from mcp import Client
    from server_support import BASE_URL

    from polytomic_mcp.client import PolytomicClient
    from polytomic_mcp.server import build_server
    from polytomic_mcp.settings import Settings

    sandbox.faults = FaultConfig(rate=0.3, seed=seed, slow_seconds=0.005, retry_after=0.001)
    async with PolytomicClient(EMPTY_API_KEY, base_url=BASE_URL, transport=sandbox.transport(), max_retries=10,
                               retry_backoff=0.001, max_retry_delay=0.005, job_poll_interval=0.001) as api:
        async with Client(build_server(Settings(sandbox=True), client=api)) as client:
            await run_bulk_workflow(client, sandbox)
    assert len(sandbox.workspace(EMPTY_API_KEY).bulk.syncs) == 1


async def test_the_syncs_resource_lists_both_kinds(sandbox: Sandbox) -> None:
    async with mcp_session(sandbox) as client:
        done = await run_bulk_workflow(client, sandbox)
        listing, marked = read_marked((await client.read_resource("polytomic://syncs")).contents[0].text)
    assert listing["total"] == 1 and marked["syncs"][0] == {"id": done["bulk"], "name": "Salesforce to Snowflake", "kind": "bulk",
                                                             "mode": "replicate", "active": False}
