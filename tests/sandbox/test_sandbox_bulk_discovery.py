"""Bulk-sync discovery: source schemas from the cache, destination configuration schemas, and cache refresh."""

from __future__ import annotations

import pytest
from bulk_support import Connections, data, error, seed, workspace

from polytomic_mcp.sandbox import Sandbox

pytestmark = pytest.mark.anyio


@pytest.fixture
def conns(sandbox: Sandbox) -> Connections:
    return seed(sandbox)


async def test_salesforce_source_lists_objects_and_fields_only_when_asked(conns, client) -> None:
    listed = await data(await client.get(f"/api/connections/{conns.salesforce}/bulksync/source"))
    ids = [s["id"] for s in listed["schemas"]]
    assert {"Account", "Contact", "Lead", "Task"} <= set(ids)
    assert all("fields" not in s for s in listed["schemas"])
    assert listed["capabilities"] == {"supports_tracking_fields": True, "supports_namespaces": False}

    full = await data(await client.get(f"/api/connections/{conns.salesforce}/bulksync/source", params={"include_fields": "true"}))
    contact = next(s for s in full["schemas"] if s["id"] == "Contact")
    by_id = {f["id"]: f for f in contact["fields"]}
    assert [f["id"] for f in contact["fields"] if f["is_primary_key"]] == ["Id"]
    assert by_id["AccountId"]["association"]["reference_to"] == ["Account"]
    assert by_id["SystemModstamp"]["type"] == "datetime" and by_id["Email"]["type"] == "string"


async def test_database_and_hubspot_sources_name_their_keys(conns, client) -> None:
    pg = await data(await client.get(f"/api/connections/{conns.postgres}/bulksync/source", params={"include_fields": "true"}))
    assert pg["capabilities"]["supports_namespaces"] is True
    users = next(s for s in pg["schemas"] if s["id"] == "public.users")
    assert users["name"] == "users" and [f["id"] for f in users["fields"] if f["is_primary_key"]] == ["id"]

    hubspot = await data(await client.get(f"/api/connections/{conns.hubspot}/schemas/contacts"))
    assert [f["id"] for f in hubspot["fields"] if f["is_primary_key"]] == ["hs_object_id"]


async def test_a_connection_that_cannot_be_read_is_refused_with_the_sources(conns, sandbox, client) -> None:
    message = error(await client.get(f"/api/connections/{conns.webhook}/bulksync/source"), 400)
    assert "cannot be used as a bulk sync source" in message and "Salesforce" in message

    broken = workspace(sandbox).add_connection("Broken PG", "postgresql", {"hostname": "h", "username": "u", "password": "p", "database": "d"},
                                               status="unhealthy")
    assert "unhealthy" in error(await client.get(f"/api/connections/{broken.id}/bulksync/source"), 400)
    assert error(await client.get("/api/connections/nope/bulksync/source"), 404)


@pytest.mark.parametrize(
    ("role", "required"), [("snowflake", ["schema"]), ("bigquery", ["dataset"]), ("postgres", ["schema"]), ("s3", ["format"])]
)
async def test_destinations_describe_their_configuration(conns, client, role, required) -> None:
    target = await data(await client.get(f"/api/connections/{getattr(conns, role)}/bulksync/target"))
    assert target["configuration"]["required"] == required
    assert set(required) <= set(target["configuration"]["properties"])
    assert [m["id"] for m in target["modes"]] == ["replicate", "snapshot"]
    assert target["supported_resync_modes"] == ["refetch", "resync", "rebuild"]


@pytest.mark.parametrize("role", ["salesforce", "hubspot", "webhook"])
async def test_a_connection_that_cannot_receive_bulk_syncs_says_which_can(conns, client, role) -> None:
    message = error(await client.get(f"/api/connections/{getattr(conns, role)}/bulksync/target"), 400)
    assert "cannot be used as a bulk sync destination" in message
    assert "Snowflake" in message and "Google BigQuery" in message and "PostgreSQL" in message and "S3" in message


async def test_refresh_goes_refreshing_then_fresh_and_only_then_shows_new_tables(conns, sandbox, client) -> None:
    before = await data(await client.get(f"/api/connections/{conns.postgres}/schemas/status"))
    assert before["cache_status"] == "fresh" and before["last_refresh_finished"]
    workspace(sandbox).add_source_table(conns.postgres, "public.invoices", {"id": "integer", "amount": "number"})

    async def schema_ids() -> list[str]:
        return [s["id"] for s in (await data(await client.get(f"/api/connections/{conns.postgres}/bulksync/source")))["schemas"]]

    assert "public.invoices" not in await schema_ids()
    started = await client.post(f"/api/connections/{conns.postgres}/schemas/refresh")
    assert started.status_code == 202 and started.headers["location"] == f"/api/connections/{conns.postgres}/schemas/status"
    first = await data(await client.get(started.headers["location"]))
    assert first["cache_status"] == "refreshing"
    assert "public.invoices" not in await schema_ids()
    second = await data(await client.get(started.headers["location"]))
    assert second["cache_status"] == "fresh" and second["last_refresh_finished"] >= second["last_refresh_started"]
    assert "public.invoices" in await schema_ids()


async def test_model_sources_are_listed_from_the_same_cache_so_a_new_table_shows_only_after_a_refresh(conns, sandbox, client) -> None:
    """Before: ``/modelsync/source`` read the upstream live, so a new table showed at once, unlike the real API."""
    workspace(sandbox).add_source_table(conns.postgres, "public.invoices", {"id": "integer", "amount": "number"})
    source = f"/api/connections/{conns.postgres}/modelsync/source"

    async def tables() -> list[str]:
        return list((await data(await client.get(source)))["items"]["table"]["items"])

    fields = await client.get(f"{source}/fields", params={"params[table]": "public.invoices"})
    assert "public.invoices" not in await tables() and "does not exist" in error(fields, 422)
    await client.post(f"/api/connections/{conns.postgres}/schemas/refresh")
    assert "public.invoices" not in await tables(), "still refreshing: the old cache is served"
    for _ in range(2):  # the first status read still answers refreshing, the second finishes the refresh
        status = await data(await client.get(f"/api/connections/{conns.postgres}/schemas/status"))
    assert status["cache_status"] == "fresh"
    found = await data(await client.get(f"{source}/fields", params={"params[table]": "public.invoices"}))
    assert "public.invoices" in await tables() and [f["id"] for f in found] == ["id", "amount"]


async def test_only_healthy_connections_refresh(sandbox, client) -> None:
    broken = workspace(sandbox).add_connection("Down", "snowflake", {"account": "a", "username": "u", "dbname": "d"}, status="unhealthy")
    message = error(await client.post(f"/api/connections/{broken.id}/schemas/refresh"), 400)
    assert message.startswith("only healthy connections can be refreshed") and "unhealthy" in message


async def test_one_schema_and_its_records(conns, client) -> None:
    account = await data(await client.get(f"/api/connections/{conns.salesforce}/schemas/Account"))
    assert account["id"] == "Account" and any(f["id"] == "Name" for f in account["fields"])
    records = await data(await client.get(f"/api/connections/{conns.salesforce}/schemas/Account/records"))
    assert records and all(r["Id"].startswith("0015g") for r in records)
    message = error(await client.get(f"/api/connections/{conns.salesforce}/schemas/Acount"), 404)
    assert "Acount" in message and "Account" in message


async def test_routes_the_api_does_not_have_are_404(conns, client) -> None:
    assert (await client.get(f"/api/connections/{conns.salesforce}/schemas")).status_code == 404
    assert (await client.get("/api/bulk/nothing")).status_code == 404
    assert (await client.delete(f"/api/connections/{conns.salesforce}/schemas/Account")).status_code == 405


async def test_bulk_sources_carry_the_bulk_sync_source_operation(conns, client) -> None:
    for conn_id, expected in ((conns.salesforce, True), (conns.postgres, True), (conns.webhook, False)):
        conn = await data(await client.get(f"/api/connections/{conn_id}"))
        assert ("BulkSyncSource" in conn["type"]["operations"]) is expected
