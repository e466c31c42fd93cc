"""The bulk-sync client against the sandbox in both API versions: discovery, the reference create, runs and errors."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import pytest

from polytomic_mcp.client import (
    BadRequestError,
    ConflictError,
    InvalidRequestError,
    NotFoundError,
    PolytomicClient,
    UnprocessableEntityError,
)
from polytomic_mcp.client.models import (
    BulkFieldUpdate,
    BulkSchemaUpdate,
    BulkSyncRequest,
)
from polytomic_mcp.sandbox import EMPTY_API_KEY, Sandbox

pytestmark = pytest.mark.anyio

BASE = "http://sandbox.polytomic.test"
V2025, V2024 = "2025-09-18", "2024-02-08"
PG = {"hostname": "db.example.com", "username": "u", "password": "pw", "database": "acme", "port": 5432}
SNOWFLAKE = {"account": "acme-xy12345", "username": "loader", "password": "pw", "dbname": "ANALYTICS"}
SCHEDULE = {"frequency": "daily", "hour": "5", "minute": "0"}


@dataclass
class World:
    sandbox: Sandbox
    salesforce: str
    snowflake: str
    hubspot: str
    postgres: str


def reference(world: World, **overrides: Any) -> dict[str, Any]:
    """The exact values the tools send for the issue's reference bulk sync."""
    return {
        "name": "Salesforce to Snowflake",
        "source_connection_id": world.salesforce,
        "destination_connection_id": world.snowflake,
        "destination_configuration": {"schema": "SALESFORCE"},
        "mode": "replicate",
        "schemas": ["Account", "Contact"],
        "schedule": dict(SCHEDULE),
        **overrides,
    }


@pytest.fixture
def world() -> World:
    sandbox = Sandbox.with_empty_workspace(base_url=BASE)
    ws = sandbox.workspace(EMPTY_API_KEY)
    return World(
        sandbox,
        salesforce=ws.add_connection("Salesforce", "salesforce", {"domain": "acme.my.salesforce.com"}).id,
        snowflake=ws.add_connection("Snowflake", "snowflake", SNOWFLAKE).id,
        hubspot=ws.add_connection("HubSpot", "hubspot", {}).id,
        postgres=ws.add_connection("Postgres", "postgresql", PG).id,
    )


def client_for(world: World, version: str) -> PolytomicClient:
    return PolytomicClient(EMPTY_API_KEY, base_url=BASE, api_version=version, transport=world.sandbox.transport(), retry_backoff=0.001)


@pytest.fixture(params=[V2025, V2024])
async def client(world: World, request: pytest.FixtureRequest) -> AsyncIterator[PolytomicClient]:
    async with client_for(world, request.param) as api:
        yield api


def sent(world: World, method: str, path: str) -> list[Any]:
    return [r.body for r in world.sandbox.requests if r.method == method and r.path == path]


@pytest.mark.parametrize(("version", "schedule_key"), [(V2025, "default_schedule"), (V2024, "schedule")])
async def test_the_reference_bulk_sync_is_sent_exactly_and_read_back(world: World, version: str, schedule_key: str) -> None:
    async with client_for(world, version) as api:
        sync = await api.bulk_syncs.create(BulkSyncRequest.model_validate(reference(world)))
    expected = {k: v for k, v in reference(world).items() if k != "schedule"} | {schedule_key: SCHEDULE}
    assert sent(world, "POST", "/api/bulk/syncs") == [expected]
    assert sync.default_schedule is not None
    assert (sync.default_schedule.frequency, sync.default_schedule.hour, sync.default_schedule.minute) == ("daily", "5", "0")
    assert sync.mode == "replicate" and sync.destination_configuration == {"schema": "SALESFORCE"}
    assert sorted(s.id for s in await api_schemas(world, version, sync.id)) == ["Account", "Contact"]


async def api_schemas(world: World, version: str, sync_id: str) -> list[Any]:
    async with client_for(world, version) as api:
        return await api.bulk_syncs.schemas(sync_id, enabled=True)


async def test_the_request_also_takes_default_schedule_by_name(world: World) -> None:
    body = {k: v for k, v in reference(world).items() if k != "schedule"} | {"default_schedule": SCHEDULE}
    request = BulkSyncRequest.model_validate(body)
    assert request.to_body("2025-09-18")["default_schedule"] == SCHEDULE
    assert request.to_body("2024-02-08")["schedule"] == SCHEDULE and "default_schedule" not in request.to_body("2024-02-08")


async def test_2024_cannot_send_additional_schedules_or_new_run_options(world: World) -> None:
    request = BulkSyncRequest.model_validate(reference(world, additional_schedules=[{"frequency": "hourly", "minute": "15"}]))
    async with client_for(world, V2024) as api:
        with pytest.raises(InvalidRequestError, match="additional_schedules need 2025-09-18"):
            await api.bulk_syncs.create(request)
        sync = await api.bulk_syncs.create(BulkSyncRequest.model_validate(reference(world)))
        with pytest.raises(InvalidRequestError, match='resync_mode "resync" needs 2025-09-18'):
            await api.bulk_syncs.start(sync.id, resync_mode="resync")
        with pytest.raises(InvalidRequestError, match="fetch_mode needs API version 2025-09-18"):
            await api.bulk_syncs.start(sync.id, fetch_mode="full")
        started = await api.bulk_syncs.start(sync.id, resync_mode="rebuild")
    assert started.is_resync is True
    assert sent(world, "POST", f"/api/bulk/syncs/{sync.id}/executions") == [{"resync": True}]
    assert len(sent(world, "POST", "/api/bulk/syncs")) == 1


async def test_discovery_lists_schemas_fields_and_destination_settings(world: World, client: PolytomicClient) -> None:
    source = await client.schemas.bulk_source(world.salesforce)
    assert {"Account", "Contact", "Task"} <= set(source.schema_ids) and all(s.fields is None for s in source.schemas)
    with_fields = await client.schemas.bulk_source(world.salesforce, include_fields=True)
    contact = next(s for s in with_fields.schemas if s.id == "Contact")
    assert contact.primary_keys == ["Id"]
    account = await client.schemas.get(world.salesforce, "Account")
    assert account.primary_keys == ["Id"] and await client.schemas.records(world.salesforce, "Account")
    target = await client.schemas.bulk_target(world.snowflake)
    assert target.required_configuration == ["schema"] and target.mode_ids == ["replicate", "snapshot"]
    with pytest.raises(BadRequestError, match="cannot be used as a bulk sync destination"):
        await client.schemas.bulk_target(world.hubspot)
    with pytest.raises(NotFoundError, match="Acount"):
        await client.schemas.get(world.salesforce, "Acount")


async def test_refresh_is_followed_until_fresh(world: World, client: PolytomicClient) -> None:
    world.sandbox.workspace(EMPTY_API_KEY).add_source_table(world.postgres, "public.invoices", {"id": "integer"})
    assert "public.invoices" not in (await client.schemas.bulk_source(world.postgres)).schema_ids
    await client.schemas.refresh(world.postgres)
    assert (await client.schemas.refresh_status(world.postgres)).is_refreshing
    status = await client.schemas.wait_for_refresh(world.postgres, poll_interval=0.001)
    assert status.cache_status == "fresh"
    assert "public.invoices" in (await client.schemas.bulk_source(world.postgres)).schema_ids


@pytest.mark.parametrize(
    ("overrides", "error", "message"),
    [
        (lambda w: {"schemas": ["Acount"]}, UnprocessableEntityError, 'schema "Acount" does not exist on source connection'),
        (lambda w: {"destination_configuration": {}}, BadRequestError, "invalid destination_configuration: schema is required"),
        (lambda w: {"mode": "updateOrCreate"}, BadRequestError, 'mode "updateOrCreate" is a model-sync mode'),
        (lambda w: {"destination_connection_id": w.hubspot}, UnprocessableEntityError, "cannot be used as a bulk sync destination"),
    ],
)
async def test_mistakes_raise_with_the_api_message(
    world: World, client: PolytomicClient, overrides: Callable[[World], dict[str, Any]], error: type, message: str
) -> None:
    with pytest.raises(error) as raised:
        await client.bulk_syncs.create(BulkSyncRequest.model_validate(reference(world, **overrides(world))))
    assert message in str(raised.value)
    assert [s async for s in client.bulk_syncs.list()] == []


async def test_an_unhealthy_source_is_refused(world: World, client: PolytomicClient) -> None:
    down = world.sandbox.workspace(EMPTY_API_KEY).add_connection("SF down", "salesforce", {"domain": "d.my.salesforce.com"}, status="unhealthy")
    with pytest.raises(UnprocessableEntityError, match="is unhealthy"):
        await client.bulk_syncs.create(BulkSyncRequest.model_validate(reference(world, source_connection_id=down.id)))


async def test_a_run_is_followed_to_its_per_schema_outcome(world: World, client: PolytomicClient) -> None:
    sync = await client.bulk_syncs.create(BulkSyncRequest.model_validate(reference(world, schemas=["Account", "Task"])))
    started = await client.bulk_syncs.start(sync.id)
    assert started.status == "created" and not started.finished
    with pytest.raises(ConflictError, match="already running"):
        await client.bulk_syncs.start(sync.id)
    status = await client.bulk_syncs.status(sync.id)
    while status.current_execution is not None:
        status = await client.bulk_syncs.status(sync.id)
    last = status.last_execution
    assert last is not None and last.finished and last.status == "completed" and last.error_count == 1
    assert [s.schema_id for s in last.failed_schemas] == ["Task"]
    assert next(s for s in last.schemas if s.schema_id == "Account").record_count == 1200
    assert [e.id async for e in client.bulk_syncs.executions(sync.id)] == [started.id]
    assert (await client.bulk_syncs.get_execution(sync.id, started.id)).status == "completed"
    logs = await client.bulk_syncs.console_logs(sync.id, started.id, limit=2)
    assert len(logs.entries) == 2 and logs.next_cursor
    summary = await client.bulk_syncs.statuses([sync.id])
    assert {s.schema_id: s.status for s in summary[0].schemas} == {"Account": "completed", "Task": "failed"}


async def test_settings_activation_cancel_and_delete(world: World, client: PolytomicClient) -> None:
    sync = await client.bulk_syncs.create(BulkSyncRequest.model_validate(reference(world)))
    changed = await client.bulk_syncs.update_schemas(
        sync.id, [BulkSchemaUpdate(id="Contact", fields=[BulkFieldUpdate(id="Id", enabled=True), BulkFieldUpdate(id="Email", enabled=True)])]
    )
    assert [c.id for c in changed] == ["Contact"] and changed[0].enabled_fields == ["Id", "Email"]
    assert (await client.bulk_syncs.get_schema(sync.id, "Account")).enabled_fields[0] == "Id"
    renamed = await client.bulk_syncs.update(sync.id, BulkSyncRequest.model_validate(reference(world, name="renamed", schemas=None)))
    assert renamed.name == "renamed" and sorted(s.id for s in await client.bulk_syncs.schemas(sync.id, enabled=True)) == ["Account", "Contact"]
    assert (await client.bulk_syncs.activate(sync.id, True)).active is True
    assert [s.id async for s in client.bulk_syncs.list(active=True)] == [sync.id]
    run = await client.bulk_syncs.start(sync.id, test=True)
    assert run.id in await client.bulk_syncs.cancel_execution(sync.id, run.id)
    assert (await client.bulk_syncs.get_execution(sync.id, run.id)).status == "canceled"
    assert await client.bulk_syncs.cancel(sync.id) == "no execution is running"
    await client.bulk_syncs.delete(sync.id)
    with pytest.raises(NotFoundError):
        await client.bulk_syncs.get(sync.id)
