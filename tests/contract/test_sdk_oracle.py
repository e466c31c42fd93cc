"""The sandbox and the client checked against the official ``polytomic`` SDK's types, so neither drifts from them.

The client drives every operation it uses against the sandbox (in both API versions) through a recording
transport; each raw answer is then parsed with the SDK type its method parses into (errors with the SDK's
``ApiError``), each body the client sent with the SDK method's own parameters, and every key either side sends
must be one the SDK type declares, unless ``ALLOWED_QUIRKS`` gives the reason it may differ. The client's own
models are compared the other way: each field they read must be one the SDK type declares.

SDK 25.9.10 types describe 2025-09-18. A 2024-02-08 answer is checked with the same types, which holds because its
bodies are the 2025 ones minus the 2025-only members, except GET /api/syncs, whose 2024 items are full syncs
(checked as ``ModelSyncV5Response``). The 2024 401 body (the older SDK's ``RestErrResponse``) is not checked here.
"""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from collections.abc import Iterator
from importlib.metadata import version as distribution_version
from typing import Any

import anyio
import pydantic
import pytest

pytest.importorskip("polytomic", reason="the polytomic SDK (test extra) is not installed")

from catalog_walk import walk  # noqa: E402
from polytomic import types as sdk  # noqa: E402
from polytomic.types import ApiError, BulkSyncResponse, ModelSyncV5Response  # noqa: E402
from sdk_oracle import (  # noqa: E402
    ENDPOINTS,
    LATEST_ONLY,
    SDK_VERSION,
    Endpoint,
    Exchange,
    Finding,
    RecordingTransport,
    catalog_endpoint,
    check,
    endpoint_for,
    fields_the_sdk_lacks,
)

from polytomic_mcp.catalog import fitting, load  # noqa: E402
from polytomic_mcp.client import (  # noqa: E402
    BadRequestError,
    ConflictError,
    InvalidRequestError,
    NotFoundError,
    PolytomicClient,
    UnprocessableEntityError,
)
from polytomic_mcp.client import models as client_models  # noqa: E402
from polytomic_mcp.client.models import (  # noqa: E402
    BulkFieldUpdate,
    BulkSchemaUpdate,
    BulkSyncRequest,
    Job,
    Model,
    ModelCreateRequest,
    ModelUpdateRequest,
    SyncRequest,
)
from polytomic_mcp.client.resources._resource import Resource  # noqa: E402
from polytomic_mcp.sandbox import EMPTY_API_KEY, Sandbox  # noqa: E402

BASE = "http://sandbox.polytomic.test"
VERSIONS = ("2025-09-18", "2024-02-08")
MONGO = {"hosts": "example.mongodb.net", "username": "user", "password": "secret"}
POSTGRES = {"hostname": "db.example.com", "username": "u", "password": "pw-123456", "database": "acme", "port": 5432}
USERS = {"database": "example", "collection": "users"}

ALLOWED_QUIRKS: dict[tuple[str, str], str] = {
    ("RawModelsClient.list", "response: unknown key pagination"):
        "the 2025-09-18 API description pages GET /api/models with page_token/limit but the SDK's envelope has no "
        "`pagination`; the sandbox pages so the client's pager is exercised (Sandbox.paginate_lists=False answers whole)",
    ("RawBulkSyncClient.list", "response: unknown key pagination"):
        "the SDK's GET /api/bulk/syncs description pages with page_token/limit (default and maximum 50) but its "
        "envelope has no `pagination` and it sends only `active`; the sandbox pages like GET /api/models",
}
"""Known differences from the SDK's types, each with the reason it is accepted: (operation, finding) -> reason."""


WALK_QUIRKS: dict[tuple[str, str], str] = {
    **{(f"bulk_sync.schedules.{method}", f"response: unknown key data{'[]' if method == 'list' else ''}.id"):
       "the SDK's BulkBulkSyncSchedule has no id, yet get, update and delete address a schedule by schedule_id: the "
       "generic store sends `id` so a schedule can be reached again" for method in ("create", "get", "list", "update")},
}
"""Known differences of walked answers from the SDK's types, each with its reason."""


class LegacySyncList(pydantic.BaseModel):
    """GET /api/syncs on 2024-02-08: full sync objects, unpaginated (the 2025 SDK types light items instead)."""

    model_config = pydantic.ConfigDict(extra="allow")
    data: list[ModelSyncV5Response] | None = None


class LegacyBulkSchedule(pydantic.BaseModel):
    """A 2024-02-08 bulk ``schedule`` (SDK 1.x ``BulkSchedule``)."""

    model_config = pydantic.ConfigDict(extra="allow")
    frequency: str
    minute: str | None = None
    hour: str | None = None
    day_of_week: str | None = None
    day_of_month: str | None = None
    month: str | None = None
    multi: Any = None


class LegacyBulkSync(BulkSyncResponse):
    """A 2024-02-08 bulk sync: the 2025 object with one ``schedule`` (its lack of ``default_schedule`` and
    ``additional_schedules`` is asserted in tests/sandbox/test_sandbox_bulk_syncs.py)."""

    schedule: LegacyBulkSchedule | None = None


class LegacyBulkSyncEnvelope(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="allow")
    data: LegacyBulkSync | None = None


class LegacyBulkSyncList(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="allow")
    data: list[LegacyBulkSync] | None = None


class LegacyBulkSyncBody(pydantic.BaseModel):
    """The 2024-02-08 create/update body (SDK 1.x ``bulk_sync.create``): ``schedule`` and ``mode`` required."""

    model_config = pydantic.ConfigDict(extra="allow")
    name: str
    source_connection_id: str
    destination_connection_id: str
    mode: str
    schedule: LegacyBulkSchedule
    active: bool | None = None
    automatically_add_new_fields: str | None = None
    automatically_add_new_objects: str | None = None
    destination_configuration: dict[str, Any] | None = None
    disable_record_timestamps: bool | None = None
    discover: bool | None = None
    organization_id: str | None = None
    policies: list[str] | None = None
    schemas: list[Any] | None = None
    source_configuration: dict[str, Any] | None = None


LEGACY_RESPONSE_TYPES: dict[str, type[pydantic.BaseModel]] = {
    "RawModelSyncClient.list": LegacySyncList,
    "RawBulkSyncClient.list": LegacyBulkSyncList,
    "RawBulkSyncClient.get": LegacyBulkSyncEnvelope,
    "RawBulkSyncClient.create": LegacyBulkSyncEnvelope,
    "RawBulkSyncClient.update": LegacyBulkSyncEnvelope,
}
"""Where a 2024-02-08 answer has another shape than the 2025-09-18 type the SDK parses into."""

LEGACY_REQUEST_TYPES: dict[str, type[pydantic.BaseModel]] = {
    "RawBulkSyncClient.create": LegacyBulkSyncBody,
    "RawBulkSyncClient.update": LegacyBulkSyncBody,
}
"""Where a 2024-02-08 request body has another shape than the 2025-09-18 SDK method sends."""


CLIENT_MODELS: dict[type[pydantic.BaseModel], tuple[type[pydantic.BaseModel], ...]] = {
    client_models.Me: (sdk.GetIdentityResponseSchema,),
    client_models.ConnectionType: (sdk.ConnectionType,),
    client_models.Connection: (sdk.ConnectionResponseSchema, sdk.CreateConnectionResponseSchema),
    client_models.SourceMeta: (sdk.SyncSourceMetaResponse,),
    client_models.ModelField: (sdk.ModelField,),
    client_models.Model: (sdk.ModelResponse,),
    client_models.ModelSummary: (sdk.ModelResponse,),
    client_models.ModelSample: (sdk.ModelSample,),
    client_models.Job: (sdk.JobResponse,),
    client_models.TargetObject: (sdk.TargetObject,),
    client_models.TargetCreation: (sdk.TargetCreator,),
    client_models.TargetPropertyValues: (sdk.TargetPropertyValues,),
    client_models.TargetFields: (sdk.TargetResponse,),
    client_models.ScheduleOption: (sdk.ScheduleScheduleOption,),
    client_models.Sync: (sdk.ModelSyncV5Response,),
    client_models.SyncSummary: (sdk.ListSyncItem,),
    client_models.SyncActivation: (sdk.ActivateSyncOutput,),
    client_models.ExecutionStart: (sdk.StartSyncResponseSchema,),
    client_models.SyncStatus: (sdk.SyncStatusResponse,),
    client_models.Execution: (sdk.GetExecutionResponseSchema,),
    client_models.BulkSource: (sdk.BulkSyncSource,),
    client_models.SourceSchema: (sdk.Schema,),
    client_models.SchemaCacheStatus: (sdk.BulkSyncSourceStatus,),
    client_models.BulkDestination: (sdk.BulkSyncDest,),
    client_models.BulkSync: (sdk.BulkSyncResponse,),
    client_models.BulkSyncSchemaSummary: (sdk.BulkSchemaListItem,),
    client_models.BulkSyncSchema: (sdk.BulkSchema,),
    client_models.BulkExecution: (sdk.BulkSyncExecution,),
    client_models.BulkSyncStatus: (sdk.BulkSyncStatusResponse,),
    client_models.BulkSyncStatusSummary: (sdk.BulkSyncExecutionStatus,),
    client_models.ConsoleLog: (sdk.ExecutionConsoleLogsResponse,),
    client_models.ConsoleLogEntry: (sdk.ExecutionConsoleLogEntry,),
    client_models.LogIndex: (sdk.LogsIndexResponse,),
    client_models.LogIndexEntry: (sdk.LogsIndexEntry,),
    client_models.LogUrls: (sdk.ExecutionLogResponse,),
}
"""Each model the client parses an answer into, and the SDK type(s) of the same object (a connection's create and
read answers are two SDK types; the client's one model spans both)."""


def request_type(endpoint: Endpoint, version: str) -> type[pydantic.BaseModel] | None:
    """The model a version's request body must validate with."""
    if version != VERSIONS[0] and endpoint.name in LEGACY_REQUEST_TYPES:
        return LEGACY_REQUEST_TYPES[endpoint.name]
    return endpoint.body_model


def response_type(endpoint: Endpoint, version: str) -> type[pydantic.BaseModel] | None:
    """The SDK type a version's 2xx answer must parse with."""
    if version != VERSIONS[0] and endpoint.name in LEGACY_RESPONSE_TYPES:
        return LEGACY_RESPONSE_TYPES[endpoint.name]
    return endpoint.response_type


async def exercise_execution_logs(client: PolytomicClient, sync_id: str, finished_id: str) -> None:
    """Read a finished run's logs and cancel a running one; on 2024-02-08 the 2025-only calls are refused unsent."""
    urls = await client.syncs.log_urls(sync_id, finished_id, "records")
    log = await client.syncs.read_log(sync_id, finished_id, "records", urls.filenames[0])
    assert len(log.lines()) == 12 and not log.truncated
    running = await client.syncs.start(sync_id, resync=True)
    await client.syncs.status(sync_id)
    if client.api_version != VERSIONS[0]:
        for refused in (
            lambda: client.syncs.console_log(sync_id, finished_id),
            lambda: client.syncs.log_index(sync_id, finished_id),
            lambda: client.syncs.cancel_execution(sync_id, running.id),
        ):
            with pytest.raises(InvalidRequestError):
                await refused()
        await client.syncs.cancel(sync_id)
    else:
        assert (await client.syncs.console_log(sync_id, finished_id, limit=5)).entries
        assert (await client.syncs.log_index(sync_id, finished_id)).counts()["records"] == 12
        assert "canceling" in await client.syncs.cancel_execution(sync_id, running.id)
        with pytest.raises(BadRequestError):
            await client.syncs.cancel_execution(sync_id, finished_id)
    await client.syncs.status(sync_id)


async def exercise_every_operation(client: PolytomicClient, sandbox: Sandbox) -> None:
    """Call every client method, plus the errors the tools rely on, leaving the exchanges in the transport."""
    await client.identity.get()
    await client.connection_types.list()
    await client.connection_types.get_schema("postgresql")
    mongo = await client.connections.create(name="mongo", type="mongodb", configuration=MONGO)
    await client.connections.list()
    await client.connections.get(mongo.id)
    await client.connections.update(mongo.id, name="mongo 2", configuration=MONGO)
    await client.connections.test(type="mongodb", configuration=MONGO)
    with pytest.raises(BadRequestError):
        await client.connections.test(type="postgresql", configuration={**POSTGRES, "hostname": "nowhere.invalid"})
    with pytest.raises(NotFoundError):
        await client.connections.get("no-such-connection")

    await client.sources.get(mongo.id)
    await client.sources.get(mongo.id, {"database": "example"})
    await client.sources.fields(mongo.id, USERS)
    request = ModelCreateRequest(name="users", connection_id=mongo.id, configuration=USERS)
    model = await client.models.create(request, poll_interval=0.01)
    assert isinstance(model, Model)
    job = await client.models.create(request.model_copy(update={"name": "users 2"}), wait=False)
    assert isinstance(job, Job) and job.type is not None
    await client.jobs.wait(job, poll_interval=0.01)
    await client.jobs.get(job.type, job.job_id)
    assert [m.id async for m in client.models.list()]
    await client.models.get(model.id)
    await client.models.sample(model.id)
    await client.models.preview(request)
    await client.models.update(model.id, ModelUpdateRequest(name="users 3", connection_id=mongo.id, configuration=USERS), poll_interval=0.01)

    salesforce = await client.connections.create(name="sf", type="salesforce", configuration={"domain": "https://example.my.salesforce.com"})
    sandbox.complete_oauth(salesforce.id)
    await client.targets.list_objects(salesforce.id)
    await client.targets.fields(salesforce.id, target="Contact")
    postgres = await client.connections.create(name="pg", type="postgresql", configuration=POSTGRES)
    creation = (await client.targets.list_objects(postgres.id, include_target_creation_values=True)).target_creation
    assert creation is not None
    await client.targets.property_values(postgres.id, next(p for p in creation.properties if p.enum).id)
    if client.api_version == VERSIONS[0]:
        await client.targets.fields(postgres.id, properties={"schema": "public", "table": "new_table"})

    sync_request = SyncRequest.model_validate({
        "name": "users -> contacts", "mode": "updateOrCreate",
        "target": {"connection_id": salesforce.id, "object": "Contact"},
        "fields": [{"source": {"model_id": model.id, "field": "last_name"}, "target": "LastName"}],
        "identity": {"source": {"model_id": model.id, "field": "email"}, "target": "Email", "function": "Equality"},
        "schedule": {"frequency": "manual"},
    })
    await client.syncs.schedule_options()
    sync = await client.syncs.create(sync_request)
    await client.syncs.get(sync.id)
    assert [s.id async for s in client.syncs.list()] == [sync.id]
    await client.syncs.update(sync.id, sync_request.model_copy(update={"name": "renamed"}))
    await client.syncs.activate(sync.id, True)
    started = await client.syncs.start(sync.id)
    with pytest.raises(ConflictError):
        await client.syncs.start(sync.id)
    for _ in range(4):
        await client.syncs.status(sync.id)
    assert [e.id async for e in client.syncs.executions(sync.id)] == [started.id]
    await client.syncs.get_execution(sync.id, started.id)
    await exercise_execution_logs(client, sync.id, started.id)
    await client.syncs.start(sync.id, test=True)
    await client.syncs.cancel(sync.id)
    with pytest.raises(UnprocessableEntityError) as in_use:
        await client.connections.delete(mongo.id)
    assert {(u.type, u.id) for u in in_use.value.used_by} >= {("sync", sync.id), ("model", model.id)}
    await client.syncs.delete(sync.id)
    await client.models.delete(model.id)
    await client.connections.delete(mongo.id, force=True)
    await exercise_bulk_operations(client, sandbox, salesforce.id, postgres.id)


async def exercise_bulk_operations(client: PolytomicClient, sandbox: Sandbox, salesforce_id: str, postgres_id: str) -> None:
    """Every bulk-sync and schema-discovery call: Salesforce read into PostgreSQL, plus the errors tools rely on."""
    await client.schemas.bulk_source(salesforce_id)
    await client.schemas.bulk_source(salesforce_id, include_fields=True)
    await client.schemas.get(salesforce_id, "Contact")
    await client.schemas.records(salesforce_id, "Account")
    with pytest.raises(NotFoundError):
        await client.schemas.get(salesforce_id, "Acount")
    await client.schemas.refresh(postgres_id)
    await client.schemas.refresh_status(postgres_id)
    assert not (await client.schemas.wait_for_refresh(postgres_id, poll_interval=0.001)).is_refreshing
    target = await client.schemas.bulk_target(postgres_id)
    assert target.required_configuration == ["schema"]
    with pytest.raises(BadRequestError):
        await client.schemas.bulk_target(salesforce_id)

    body = {
        "name": "sf -> pg", "source_connection_id": salesforce_id, "destination_connection_id": postgres_id,
        "destination_configuration": {"schema": "salesforce"}, "mode": "replicate",
        "schemas": ["Account", {"id": "Contact", "fields": ["Id", {"id": "Email", "obfuscate": True}], "tracking_field": "SystemModstamp"}],
        "schedule": {"frequency": "daily", "hour": "5", "minute": "0"},
    }
    with pytest.raises(UnprocessableEntityError):
        await client.bulk_syncs.create(BulkSyncRequest.model_validate({**body, "schemas": ["Acount"]}))
    with pytest.raises(BadRequestError):
        await client.bulk_syncs.create(BulkSyncRequest.model_validate({**body, "destination_configuration": {}}))
    bulk = await client.bulk_syncs.create(BulkSyncRequest.model_validate(body))
    assert [b.id async for b in client.bulk_syncs.list()] == [bulk.id]
    await client.bulk_syncs.get(bulk.id)
    await client.bulk_syncs.update(bulk.id, BulkSyncRequest.model_validate({**body, "name": "renamed", "schemas": None}))
    await client.bulk_syncs.schemas(bulk.id, enabled=True)
    await client.bulk_syncs.update_schemas(bulk.id, [BulkSchemaUpdate(id="Account", fields=[BulkFieldUpdate(id="Id", enabled=True)])])
    await client.bulk_syncs.get_schema(bulk.id, "Contact")
    await client.bulk_syncs.activate(bulk.id, True)
    run = await client.bulk_syncs.start(bulk.id)
    with pytest.raises(ConflictError):
        await client.bulk_syncs.start(bulk.id)
    for _ in range(3):
        await client.bulk_syncs.status(bulk.id)
    assert [e.id async for e in client.bulk_syncs.executions(bulk.id)] == [run.id]
    await client.bulk_syncs.get_execution(bulk.id, run.id)
    await client.bulk_syncs.console_logs(bulk.id, run.id)
    await client.bulk_syncs.statuses([bulk.id])
    test_run = await client.bulk_syncs.start(bulk.id, test=True)
    await client.bulk_syncs.cancel_execution(bulk.id, test_run.id)
    await client.bulk_syncs.cancel(bulk.id)
    await client.bulk_syncs.delete(bulk.id)


def record(version: str) -> list[Exchange]:
    """Run the whole workflow on a fresh sandbox in one API version and return what crossed the wire."""
    sandbox = Sandbox.with_empty_workspace(base_url=BASE)
    transport = RecordingTransport(sandbox.transport())

    async def run() -> None:
        async with PolytomicClient(
            EMPTY_API_KEY, base_url=BASE, api_version=version, transport=transport, retry_backoff=0.001
        ) as client:
            await exercise_every_operation(client, sandbox)

    anyio.run(run)
    return transport.exchanges


@pytest.fixture(scope="module")
def exchanges() -> Iterator[dict[str, list[Exchange]]]:
    yield {version: record(version) for version in VERSIONS}


def findings(version: str, recorded: list[Exchange]) -> set[Finding]:
    """Every difference between the exchanges of one version and the SDK's types (quirks included)."""
    found: set[Finding] = set()
    for exchange in recorded:
        if not exchange.path.startswith("/api/"):
            continue  # a signed log URL: storage, not the API (the SDK hands it to the caller)
        endpoint = endpoint_for(exchange.method, exchange.path)
        assert endpoint is not None, f"{exchange.method} {exchange.path}: no SDK method in ENDPOINTS sends this"
        expected = response_type(endpoint, version)
        if 200 <= exchange.status < 300 and expected is not None:
            found |= check(expected, exchange.response_body, endpoint.name, "response")
        elif exchange.status >= 400:
            if exchange.status not in endpoint.error_statuses:
                found.add(Finding(endpoint.name, "response", f"status {exchange.status} is not one the SDK declares"))
            found |= check(ApiError, exchange.response_body, endpoint.name, "error")
        body_model = request_type(endpoint, version)
        if body_model is not None and exchange.request_body is not None:
            found |= check(body_model, exchange.request_body, endpoint.name, "request")
    return found


def test_the_pinned_sdk_is_installed() -> None:
    assert distribution_version("polytomic") == SDK_VERSION


def test_endpoints_name_every_client_method() -> None:
    """A client method added without an SDK counterpart in ENDPOINTS fails here, before it can drift."""
    client = PolytomicClient("pk_unused", base_url=BASE)
    methods = {
        f"{attribute}.{name}"
        for attribute, resource in vars(client).items()
        if isinstance(resource, Resource)
        for name, member in inspect.getmembers(type(resource), inspect.isfunction)
        if not name.startswith("_") and member.__qualname__.split(".")[0] != Resource.__name__
    }
    listed = [method for endpoint in ENDPOINTS for method in endpoint.client_methods]
    assert sorted(listed) == sorted(set(listed)), "a client method is listed under two endpoints"
    assert methods == set(listed)


@pytest.mark.parametrize("version", VERSIONS)
def test_every_endpoint_is_exercised(exchanges: dict[str, list[Exchange]], version: str) -> None:
    """The workflow reaches every endpoint with a success, so no operation escapes the checks below."""
    answered = {
        endpoint.name
        for exchange in exchanges[version]
        if 200 <= exchange.status < 400 and (endpoint := endpoint_for(exchange.method, exchange.path)) is not None
    }
    expected = {e.name for e in ENDPOINTS} - (LATEST_ONLY if version != VERSIONS[0] else frozenset())
    missing = expected - answered
    assert not missing, f"never answered with a success (or, for a log file, its redirect): {sorted(missing)}"
    assert not answered & LATEST_ONLY or version == VERSIONS[0], "a 2025-only operation was sent on 2024-02-08"


@pytest.mark.parametrize("version", VERSIONS)
def test_sandbox_answers_and_client_requests_match_the_sdk_types(exchanges: dict[str, list[Exchange]], version: str) -> None:
    unexplained = {f for f in findings(version, exchanges[version]) if (f.operation, f"{f.direction}: {f.detail}") not in ALLOWED_QUIRKS}
    assert not unexplained, "differences from the SDK types:\n" + "\n".join(sorted(map(str, unexplained)))


def test_every_allowed_quirk_is_still_seen(exchanges: dict[str, list[Exchange]]) -> None:
    """A quirk that no longer shows up is removed from the allow-list, so the list stays the truth."""
    seen = {(f.operation, f"{f.direction}: {f.detail}") for version in VERSIONS for f in findings(version, exchanges[version])}
    assert set(ALLOWED_QUIRKS) <= seen, f"stale quirks: {sorted(set(ALLOWED_QUIRKS) - seen)}"


@pytest.mark.parametrize("client_model", list(CLIENT_MODELS), ids=lambda m: m.__name__)
def test_client_models_read_only_fields_the_sdk_declares(client_model: type[pydantic.BaseModel]) -> None:
    """A client field the official types lack would read a key the API never sends."""
    assert fields_the_sdk_lacks(client_model, *CLIENT_MODELS[client_model]) == set()


def test_the_oracle_catches_a_key_the_sdk_does_not_know() -> None:
    """The check itself: a nested unknown key and a wrongly typed value are both reported."""
    endpoint = endpoint_for("GET", "/api/connections/abc")
    assert endpoint is not None and endpoint.response_type is not None
    body: dict[str, Any] = {"data": {"id": "abc", "type": {"id": "mongodb", "colour": "green"}, "saved": "yes please"}}
    details = {f.detail for f in check(endpoint.response_type, body, endpoint.name, "response")}
    assert any(d.startswith("invalid at data.saved") for d in details)
    body["data"]["saved"] = True
    assert {f.detail for f in check(endpoint.response_type, body, endpoint.name, "response")} == {"unknown key data.type.colour"}


def test_the_model_comparison_catches_a_field_the_sdk_lacks() -> None:
    class Type(pydantic.BaseModel):
        id: str
        colour: str | None = None

    class Drifted(pydantic.BaseModel):
        type: Type

    assert fields_the_sdk_lacks(Drifted, sdk.ConnectionResponseSchema) == {"type.colour"}


def answered_operations(recorded: list[Exchange]) -> set[str]:
    """Catalog operations that got a success (or, for a log file, its redirect) in these exchanges."""
    return {op.id for e in recorded if 200 <= e.status < 400 and (op := fitting(e.method, e.path)) is not None}


@pytest.fixture(scope="module")
def walked(exchanges: dict[str, list[Exchange]]) -> dict[str, list[Exchange]]:
    """Every catalog operation the client workflow did not answer, called once per version (tests/contract/catalog_walk)."""
    recorders: dict[str, RecordingTransport] = {}
    for version in VERSIONS:

        def recording(inner: Any, version: str = version) -> RecordingTransport:
            recorders[version] = RecordingTransport(inner)
            return recorders[version]

        walk(version, recording, skip=answered_operations(exchanges[version]))
    return {version: recorder.exchanges for version, recorder in recorders.items()}


@pytest.mark.parametrize("version", VERSIONS)
def test_every_catalog_operation_the_version_has_is_answered(
    exchanges: dict[str, list[Exchange]], walked: dict[str, list[Exchange]], version: str,
) -> None:
    """All 198 on 2025-09-18; on 2024-02-08 the 111 it has (the workflow's and the walk's successes together)."""
    expected = {op.id for op in load() if op.available_in(version)}
    missing = expected - answered_operations(exchanges[version] + walked[version])
    assert not missing, f"never answered with a success: {sorted(missing)}"
    assert len(expected) == (198 if version == VERSIONS[0] else 111)


@pytest.mark.parametrize("version", VERSIONS)
def test_every_walked_answer_parses_as_the_sdk_type(walked: dict[str, list[Exchange]], version: str) -> None:
    """Each success is parsed with the type the SDK method parses it into; each error with the SDK's ApiError."""
    found: set[Finding] = set()
    for exchange in walked[version]:
        op = fitting(exchange.method, exchange.path)
        assert op is not None, f"{exchange.method} {exchange.path} is no catalog operation"
        endpoint = catalog_endpoint(op.id)
        if 200 <= exchange.status < 300 and endpoint.response_type is not None:
            found |= check(endpoint.response_type, exchange.response_body, endpoint.name, "response")
        elif 200 <= exchange.status < 300:
            assert exchange.response_body is None, f"{op.id}: the SDK ignores the body, the sandbox sent one"
        elif op.available_in(version):
            found.add(Finding(endpoint.name, "response", f"status {exchange.status}: {exchange.response_body}"))
        else:
            found |= check(ApiError, exchange.response_body, endpoint.name, "error")
    unexplained = {f for f in found if (f.operation, f"{f.direction}: {f.detail}") not in WALK_QUIRKS}
    assert not unexplained, "differences from the SDK types:\n" + "\n".join(sorted(map(str, unexplained)))
    if version == VERSIONS[0]:
        assert {(f.operation, f"{f.direction}: {f.detail}") for f in found} == set(WALK_QUIRKS), "a quirk is no longer seen"


def test_operations_2024_02_08_lacks_answer_404_naming_the_version_that_has_them(walked: dict[str, list[Exchange]]) -> None:
    lacking = [(op, e) for e in walked[VERSIONS[1]] if (op := fitting(e.method, e.path)) is not None and not op.available_in(VERSIONS[1])]
    assert len({op.id for op, _ in lacking}) >= 80
    for op, exchange in lacking:
        assert exchange.status == 404, (op.id, exchange.status)
        assert exchange.response_body["message"] == (
            f"not found: no route for {op.method} {exchange.path} in API version 2024-02-08; {op.id} is in API version 2025-09-18 and later"
        )


def test_the_walk_fills_every_path_with_ids_it_knows() -> None:
    """The walk's own check: an operation whose ids it never learns is reported, not skipped."""
    with pytest.raises(AssertionError, match="no ids for"):
        walk(VERSIONS[0], lambda inner: inner, skip={op.id for op in load()} - {"harbors.get_context_version"} | {"harbors.create"})


@pytest.mark.slow
def test_runtime_never_imports_httpx_or_the_sdk() -> None:
    """httpx and polytomic are test-only: importing the server, CLI, client, sandbox and catalog (and searching it) loads neither."""
    code = (
        "import json, sys\n"
        "import polytomic_mcp.cli, polytomic_mcp.server, polytomic_mcp.client, polytomic_mcp.sandbox, polytomic_mcp.tools\n"
        "import polytomic_mcp.catalog; polytomic_mcp.catalog.search('list webhooks')\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('httpx', 'httpcore', 'polytomic'))))\n"
    )
    loaded = json.loads(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout)
    assert loaded == []
