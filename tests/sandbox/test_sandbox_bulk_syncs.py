"""Bulk syncs: create/read/update/delete, version differences, validation messages and per-schema settings."""

from __future__ import annotations

from typing import Any

import pytest
from bulk_support import DAILY, Connections, data, error, reference_body, seed, workspace
from sandbox_support import OTHER_KEY, make_client

from polytomic_mcp.sandbox import Sandbox

pytestmark = pytest.mark.anyio


@pytest.fixture
def conns(sandbox: Sandbox) -> Connections:
    return seed(sandbox)


async def enabled(client: Any, sync_id: str) -> list[str]:
    return [s["id"] for s in await data(await client.get(f"/api/bulk/syncs/{sync_id}/schemas", params={"filters[enabled]": "true"}))]


async def test_the_reference_sync_is_created_with_its_schedule_and_schemas(conns, client) -> None:
    sync = await data(await client.post("/api/bulk/syncs", json=reference_body(conns)))
    assert sync["mode"] == "replicate" and sync["destination_configuration"] == {"schema": "SALESFORCE"}
    assert {k: sync["default_schedule"][k] for k in ("frequency", "hour", "minute")} == DAILY
    assert sync["default_schedule"]["id"] and sync["additional_schedules"] == [] and "schedule" not in sync
    assert sync["automatically_add_new_objects"] == "none" and sync["automatically_add_new_fields"] == "all"
    assert sync["normalize_names"] == "enabled" and sync["active"] is False
    assert sorted(await enabled(client, sync["id"])) == ["Account", "Contact"]
    everything = await data(await client.get(f"/api/bulk/syncs/{sync['id']}/schemas"))
    assert {s["id"]: s["enabled"] for s in everything}["Lead"] is False
    assert await data(await client.get(f"/api/bulk/syncs/{sync['id']}")) == sync


async def test_2024_takes_and_answers_one_schedule(conns, legacy_client) -> None:
    sync = await data(await legacy_client.post("/api/bulk/syncs", json=reference_body(conns, legacy=True)))
    assert sync["schedule"] == {**DAILY, "day_of_week": "", "day_of_month": "", "month": ""}
    assert "default_schedule" not in sync and "additional_schedules" not in sync
    refused = error(await legacy_client.post("/api/bulk/syncs", json=reference_body(conns)), 400)
    assert "not supported in API version 2024-02-08; send schedule" in refused
    assert "mode is required" in error(await legacy_client.post("/api/bulk/syncs", json=reference_body(conns, legacy=True, mode=None)), 400)


async def test_2025_refuses_the_old_schedule_and_defaults_the_mode(conns, client) -> None:
    message = error(await client.post("/api/bulk/syncs", json=reference_body(conns, legacy=True)), 400)
    assert message.startswith("default_schedule is required") and "replaced schedule" in message
    body = reference_body(conns)
    del body["mode"]
    assert (await data(await client.post("/api/bulk/syncs", json=body)))["mode"] == "replicate"


async def test_omitted_schemas_select_every_source_schema(conns, client) -> None:
    body = reference_body(conns)
    del body["schemas"]
    sync = await data(await client.post("/api/bulk/syncs", json=body))
    assert {"Account", "Contact", "Lead", "Task"} <= set(await enabled(client, sync["id"]))


@pytest.mark.parametrize(
    ("overrides", "status", "expected"),
    [
        ({"schemas": ["Acount", "Contact"]}, 422, ['schemas[0]: schema "Acount" does not exist', "available: Contact, Lead, Account"]),
        ({"destination_configuration": {}}, 400, ["invalid destination_configuration: schema is required", "require: schema"]),
        ({"destination_configuration": {"schema": "S", "schma": "x"}}, 400, ['unknown field "schma"']),
        ({"mode": "updateOrCreate"}, 400, ['mode "updateOrCreate" is a model-sync mode', "one of: replicate, snapshot"]),
        ({"mode": "append"}, 422, ['mode "append" is not supported', "supported: replicate, snapshot"]),
        ({"source_connection_id": "nope"}, 422, ['source connection "nope" not found']),
        ({"default_schedule": {"frequency": "daily", "hour": 5}}, 400, ["default_schedule.hour must be a string"]),
        ({"default_schedule": {"frequency": "daily", "hour": "25"}}, 400, ["default_schedule.hour must be a number from 0 to 23"]),
        ({"schemas": [{"id": "Contact", "fields": ["Id", "Emial"]}]}, 422, ['field "Emial" does not exist on schema "Contact"', "Email"]),
        ({"schemas": [{"id": "Contact", "tracking_field": "SystemModstamp", "filters": [{"field_id": "IsDeleted", "function": "Nope"}]}]},
         400, ['unknown filter function "Nope"']),
        ({"automatically_add_new_objects": "sometimes"}, 400, ["automatically_add_new_objects must be one of all, onlyIncremental"]),
    ],
)
async def test_mistakes_are_refused_naming_what_would_be_valid(conns, client, overrides, status, expected) -> None:
    message = error(await client.post("/api/bulk/syncs", json=reference_body(conns, **overrides)), status)
    for part in expected:
        assert part in message
    assert (await data(await client.get("/api/bulk/syncs"))) == []


async def test_connections_must_have_the_right_role_and_be_healthy(conns, sandbox, client) -> None:
    to_hubspot = error(await client.post("/api/bulk/syncs", json=reference_body(conns, destination_connection_id=conns.hubspot)), 422)
    assert to_hubspot.startswith("destination_connection_id: connection \"HubSpot\"") and "cannot be used as a bulk sync destination" in to_hubspot
    from_webhook = error(await client.post("/api/bulk/syncs", json=reference_body(conns, source_connection_id=conns.webhook)), 422)
    assert "cannot be used as a bulk sync source" in from_webhook
    down = workspace(sandbox).add_connection("SF down", "salesforce", {"domain": "down.my.salesforce.com"}, status="unhealthy")
    unhealthy = error(await client.post("/api/bulk/syncs", json=reference_body(conns, source_connection_id=down.id)), 422)
    assert unhealthy.startswith('source_connection_id: connection "SF down"') and "is unhealthy" in unhealthy
    pending = workspace(sandbox).add_connection("SF pending", "salesforce", {"domain": "p.my.salesforce.com"}, status="")
    assert "not authorized yet" in error(await client.post("/api/bulk/syncs", json=reference_body(conns, source_connection_id=pending.id)), 422)


async def test_other_destinations_take_their_own_configuration(conns, client) -> None:
    for dest, config in ((conns.bigquery, {"dataset": "raw"}), (conns.postgres, {"schema": "raw"}), (conns.s3, {"format": "parquet", "prefix": "sf/"})):
        sync = await data(await client.post("/api/bulk/syncs", json=reference_body(conns, destination_connection_id=dest, destination_configuration=config)))
        assert sync["destination_configuration"] == config
    message = error(await client.post("/api/bulk/syncs", json=reference_body(conns, destination_connection_id=conns.bigquery)), 400)
    assert "dataset is required" in message and 'unknown field "schema"' in message


async def test_list_filters_on_active_and_pages(conns, client) -> None:
    ids = [(await data(await client.post("/api/bulk/syncs", json=reference_body(conns, name=f"s{i}", active=i == 0))))["id"] for i in range(3)]
    assert [s["id"] for s in await data(await client.get("/api/bulk/syncs", params={"active": "true"}))] == [ids[0]]
    first = await client.get("/api/bulk/syncs", params={"limit": 2})
    token = first.json()["pagination"]["next_page_token"]
    second = await client.get("/api/bulk/syncs", params={"limit": 2, "page_token": token})
    assert [s["id"] for s in first.json()["data"] + second.json()["data"]] == ids[::-1]


async def test_put_replaces_top_level_fields_and_keeps_schemas_unless_listed(conns, client) -> None:
    sync = await data(await client.post("/api/bulk/syncs", json=reference_body(conns, normalize_names="disabled", active=True)))
    body = reference_body(conns, name="renamed")
    del body["schemas"]
    updated = await data(await client.put(f"/api/bulk/syncs/{sync['id']}", json=body))
    assert updated["name"] == "renamed" and updated["normalize_names"] == "enabled" and updated["active"] is False
    assert updated["default_schedule"]["id"] == sync["default_schedule"]["id"]
    assert sorted(await enabled(client, sync["id"])) == ["Account", "Contact"]
    await data(await client.put(f"/api/bulk/syncs/{sync['id']}", json=reference_body(conns, schemas=["Lead"])))
    assert await enabled(client, sync["id"]) == ["Lead"]


async def test_patch_changes_only_the_listed_schemas(conns, client) -> None:
    sync = await data(await client.post("/api/bulk/syncs", json=reference_body(conns)))
    patch = {"schemas": [{"id": "Contact", "fields": [{"id": "Id", "enabled": True}, {"id": "Email", "enabled": True, "obfuscated": True}],
                          "tracking_field": "SystemModstamp", "user_output_name": "contacts"}]}
    changed = await data(await client.patch(f"/api/bulk/syncs/{sync['id']}/schemas", json=patch))
    assert [c["id"] for c in changed] == ["Contact"]
    contact = await data(await client.get(f"/api/bulk/syncs/{sync['id']}/schemas/Contact"))
    fields = {f["id"]: f for f in contact["fields"]}
    assert fields["Email"]["obfuscated"] is True and fields["Phone"]["enabled"] is False and fields["Id"]["enabled"] is True
    assert contact["tracking_field"] == "SystemModstamp" and contact["output_name"] == "contacts" and contact["enabled"] is True
    account = await data(await client.get(f"/api/bulk/syncs/{sync['id']}/schemas/Account"))
    assert account["tracking_field"] == "" and all(f["enabled"] for f in account["fields"])
    message = error(await client.patch(f"/api/bulk/syncs/{sync['id']}/schemas", json={"schemas": [{"id": "Acount"}]}), 422)
    assert 'schema "Acount" does not exist' in message and "Account" in message
    assert "Lead" not in await enabled(client, sync["id"])


async def test_deleting_a_connection_in_use_names_the_bulk_sync_and_force_removes_it(conns, client) -> None:
    sync = await data(await client.post("/api/bulk/syncs", json=reference_body(conns)))
    refused = await client.delete(f"/api/connections/{conns.snowflake}")
    assert refused.status_code == 422
    assert refused.json()["metadata"]["used_by"] == [{"type": "bulk_sync", "name": sync["name"], "id": sync["id"]}]
    assert (await client.delete(f"/api/connections/{conns.snowflake}", params={"force": "true"})).status_code == 204
    assert (await client.get(f"/api/bulk/syncs/{sync['id']}")).status_code == 404


async def test_each_workspace_sees_only_its_bulk_syncs(conns, sandbox, client) -> None:
    await data(await client.post("/api/bulk/syncs", json=reference_body(conns)))
    async with make_client(sandbox, key=OTHER_KEY) as other:
        assert await data(await other.get("/api/bulk/syncs")) == []
