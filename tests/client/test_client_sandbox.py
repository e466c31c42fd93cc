"""Every client method against the sandbox, in-process over its ASGI transport (and once over a socket)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator

import pytest
import uvicorn

from polytomic_mcp.client import (
    AuthenticationError,
    BadRequestError,
    ConflictError,
    JobFailedError,
    NotFoundError,
    PolytomicClient,
    UnprocessableEntityError,
)
from polytomic_mcp.client.models import (
    Job,
    Model,
    ModelCreateRequest,
    ModelUpdateRequest,
    SyncRequest,
)
from polytomic_mcp.client.resources import jobs as jobs_module
from polytomic_mcp.sandbox import EMPTY_API_KEY, Sandbox

pytestmark = pytest.mark.anyio

BASE = "http://sandbox.polytomic.test"
MONGO_CONFIG = {"hosts": "example.mongodb.net", "username": "user", "password": "secret"}
PG_CONFIG = {"hostname": "db.example.com", "username": "u", "password": "pw-123456", "database": "acme", "port": 5432}


@pytest.fixture
def sandbox() -> Sandbox:
    return Sandbox.with_empty_workspace(base_url=BASE)


@pytest.fixture(params=["2025-09-18", "2024-02-08"])
async def client(sandbox: Sandbox, request: pytest.FixtureRequest) -> AsyncIterator[PolytomicClient]:
    async with PolytomicClient(
        EMPTY_API_KEY, base_url=BASE, api_version=request.param, transport=sandbox.transport(), retry_backoff=0.001,
        job_poll_interval=0.001,
    ) as api:
        yield api


async def mongo_model(client: PolytomicClient) -> tuple[str, Model]:
    mongo = await client.connections.create(name="mongo", type="mongodb", configuration=MONGO_CONFIG)
    request = ModelCreateRequest(name="users", connection_id=mongo.id, configuration={"database": "example", "collection": "users"})
    model = await client.models.create(request)
    assert isinstance(model, Model)
    return mongo.id, model


async def salesforce(client: PolytomicClient, sandbox: Sandbox) -> str:
    connection = await client.connections.create(
        name="sf", type="salesforce", configuration={"domain": "https://example.my.salesforce.com"}
    )
    assert connection.needs_authorization and connection.auth_url
    sandbox.complete_oauth(connection.id)
    assert (await client.connections.get(connection.id)).status == "healthy"
    return connection.id


async def test_identity(client: PolytomicClient, sandbox: Sandbox) -> None:
    me = await client.identity.get()
    assert me.organization_id == sandbox.workspace(EMPTY_API_KEY).organization_id


async def test_connection_types_and_schema(client: PolytomicClient) -> None:
    types = {t.id: t for t in await client.connection_types.list()}
    assert {"mongodb", "salesforce", "postgresql", "snowflake", "bigquery", "hubspot", "mysql", "s3", "webhook"} <= set(types)
    assert types["salesforce"].use_oauth and not types["mongodb"].use_oauth
    assert types["webhook"].capabilities.destination and not types["webhook"].capabilities.source
    schema = await client.connection_types.get_schema("mongodb")
    assert [f.path for f in schema.required] == ["hosts"]
    assert "password" in schema.secret_paths
    with pytest.raises(NotFoundError):
        await client.connection_types.get_schema("nope")


async def test_connection_lifecycle(client: PolytomicClient) -> None:
    created = await client.connections.create(name="pg", type="postgresql", configuration=PG_CONFIG)
    assert created.configuration["password"] == "******"
    assert created.status == "healthy"
    assert [c.id for c in await client.connections.list()] == [created.id]
    assert (await client.connections.get(created.id)).name == "pg"
    updated = await client.connections.update(created.id, name="pg2", configuration={**PG_CONFIG, "port": 5433})
    assert updated.name == "pg2" and updated.configuration["port"] == 5433
    await client.connections.test(type="postgresql", configuration=PG_CONFIG)
    with pytest.raises(BadRequestError, match="nowhere"):
        await client.connections.test(type="postgresql", configuration={**PG_CONFIG, "hostname": "nowhere.invalid"})
    await client.connections.delete(created.id)
    with pytest.raises(NotFoundError):
        await client.connections.get(created.id)


async def test_create_without_validation_and_redirect_url(client: PolytomicClient, sandbox: Sandbox) -> None:
    stored = await client.connections.create(
        name="m", type="mongodb", configuration={"hosts": "unknown.invalid"}, validate=False
    )
    assert stored.id
    oauth = await client.connections.create(
        name="sf", type="salesforce", configuration={"domain": "acme.my.salesforce.com"},
        redirect_url="https://app.example.com/done",
    )
    assert oauth.auth_url and oauth.auth_url.startswith(BASE)
    sent = [r for r in sandbox.requests if r.method == "POST" and r.path == "/api/connections"]
    assert sent[0].body["validate"] is False and sent[1].body["redirect_url"] == "https://app.example.com/done"


async def test_sources_and_models(client: PolytomicClient) -> None:
    mongo_id, model = await mongo_model(client)
    meta = await client.sources.get(mongo_id)
    assert "database" in meta.requires_one_of or "database" in meta.items
    drilled = await client.sources.get(mongo_id, {"database": "example"})
    assert "users" in drilled.items["collection"].items
    fields = await client.sources.fields(mongo_id, {"database": "example", "collection": "users"})
    assert {"email", "first_name", "last_name"} <= {f.name for f in fields}
    assert {"email", "first_name"} <= set(model.field_names)

    assert [m.id async for m in client.models.list()] == [model.id]
    assert (await client.models.get(model.id)).name == "users"
    sample = await client.models.sample(model.id)
    assert sample.rows(model.id) and "email" in sample.rows(model.id)[0]
    preview = await client.models.preview(
        ModelCreateRequest(name="p", connection_id=mongo_id, configuration={"database": "example", "collection": "users"})
    )
    assert "email" in preview.field_names
    renamed = await client.models.update(
        model.id,
        ModelUpdateRequest(name="users2", connection_id=mongo_id, configuration={"database": "example", "collection": "users"}),
    )
    assert isinstance(renamed, Model) and renamed.name == "users2"
    await client.models.delete(model.id)
    with pytest.raises(NotFoundError):
        await client.models.get(model.id)


async def test_model_job_without_waiting_then_polling(client: PolytomicClient) -> None:
    mongo = await client.connections.create(name="mongo", type="mongodb", configuration=MONGO_CONFIG)
    request = ModelCreateRequest(name="u", connection_id=mongo.id, configuration={"database": "example", "collection": "users"})
    job = await client.models.create(request, wait=False)
    assert isinstance(job, Job) and job.type == "createmodel" and not job.finished
    polled: list[str] = []
    done = await client.jobs.wait(job, poll_interval=0.01, on_poll=lambda j, n: polled.append(j.status))
    assert done.status == "done" and polled[-1] == "done"
    assert (await client.jobs.get("createmodel", job.job_id)).status == "done"


@pytest.mark.parametrize(("options", "expected"), [({}, [0.25, 0.375]), ({"job_poll_interval": 0.002}, [0.002, 0.003])])
async def test_model_jobs_wait_the_clients_job_poll_interval(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, options: dict[str, float], expected: list[float]
) -> None:
    """The sandbox job finishes on its second poll; the waits before the polls come from the client's option."""
    waits: list[float] = []

    async def record(delay: float) -> None:
        waits.append(delay)

    monkeypatch.setattr(jobs_module.anyio, "sleep", record)
    async with PolytomicClient(EMPTY_API_KEY, base_url=BASE, transport=sandbox.transport(), **options) as api:
        mongo = await api.connections.create(name="mongo", type="mongodb", configuration=MONGO_CONFIG)
        request = ModelCreateRequest(name="u", connection_id=mongo.id, configuration={"database": "example", "collection": "users"})
        assert isinstance(await api.models.create(request), Model)
    assert waits == pytest.approx(expected)


async def test_model_over_missing_collection_fails_naming_it(client: PolytomicClient) -> None:
    mongo = await client.connections.create(name="mongo", type="mongodb", configuration=MONGO_CONFIG)
    request = ModelCreateRequest(name="u", connection_id=mongo.id, configuration={"database": "example", "collection": "userz"})
    with pytest.raises((BadRequestError, UnprocessableEntityError, JobFailedError), match="userz"):
        await client.models.create(request)


async def test_targets(client: PolytomicClient, sandbox: Sandbox) -> None:
    sf = await salesforce(client, sandbox)
    listing = await client.targets.list_objects(sf)
    ids = [o.id for o in listing.objects]
    assert {"Contact", "Lead", "Account"} <= set(ids) and len(ids) >= 8
    contact = next(o for o in listing.objects if o.id == "Contact")
    assert contact.mode("create") is not None and contact.mode("updateOrCreate").requires_identity
    fields = await client.targets.fields(sf, target="Contact")
    assert fields.field("LastName").required and fields.field("Email").supports_identity
    pg = await client.connections.create(name="pg", type="postgresql", configuration=PG_CONFIG)
    creation = (await client.targets.list_objects(pg.id, include_target_creation_values=True)).target_creation
    assert creation is not None and creation.supported
    enum_property = next(p for p in creation.properties if p.enum)
    values = await client.targets.property_values(pg.id, enum_property.id)
    assert values.values
    if client.api_version == "2025-09-18":
        new_table = await client.targets.fields(pg.id, properties={"schema": "public", "table": "new_table"})
        assert new_table.fields == [] or isinstance(new_table.fields, list)


async def test_sync_lifecycle(client: PolytomicClient, sandbox: Sandbox) -> None:
    _, model = await mongo_model(client)
    sf = await salesforce(client, sandbox)
    request = SyncRequest.model_validate({
        "name": "users->contacts", "mode": "updateOrCreate",
        "target": {"connection_id": sf, "object": "Contact"},
        "fields": [{"source": {"model_id": model.id, "field": "last_name"}, "target": "LastName"}],
        "identity": {"source": {"model_id": model.id, "field": "email"}, "target": "Email", "function": "Equality"},
        "schedule": {"frequency": "manual"},
    })
    sync = await client.syncs.create(request)
    assert sync.target_object == "Contact" and model.id in sync.model_ids
    assert (await client.syncs.get(sync.id)).name == "users->contacts"
    listed = [s async for s in client.syncs.list()]
    assert [s.id for s in listed] == [sync.id] and listed[0].target_object == "Contact"
    options = await client.syncs.schedule_options()
    assert "continuous" in [o.frequency for o in options]
    updated = await client.syncs.update(sync.id, request.model_copy(update={"name": "renamed"}))
    assert updated.name == "renamed"
    assert (await client.syncs.activate(sync.id, True)).active is True
    started = await client.syncs.start(sync.id)
    assert started.id
    with pytest.raises(ConflictError):
        await client.syncs.start(sync.id)
    statuses = [(await client.syncs.status(sync.id)) for _ in range(4)]
    assert statuses[-1].last_execution is not None and statuses[-1].last_execution.status == "completed"
    executions = [e async for e in client.syncs.executions(sync.id)]
    assert executions[0].id == started.id
    assert (await client.syncs.get_execution(sync.id, started.id)).status == "completed"
    await client.syncs.start(sync.id)
    assert isinstance(await client.syncs.cancel(sync.id), str)
    await client.syncs.delete(sync.id)
    with pytest.raises(NotFoundError):
        await client.syncs.get(sync.id)


async def test_sync_list_pages(client: PolytomicClient, sandbox: Sandbox) -> None:
    _, model = await mongo_model(client)
    sf = await salesforce(client, sandbox)
    for index in range(7):
        await client.syncs.create(SyncRequest.model_validate({
            "name": f"s{index}", "mode": "create", "target": {"connection_id": sf, "object": "Contact"},
            "fields": [{"source": {"model_id": model.id, "field": "last_name"}, "target": "LastName"}],
            "schedule": {"frequency": "manual"},
        }))
    pages = [p async for p in client.syncs.list(limit=3).pages()]
    names = [s.name for p in pages for s in p.items]
    assert sorted(names) == [f"s{i}" for i in range(7)]
    assert len(pages) == (3 if client.api_version == "2025-09-18" else 1)


async def test_connection_in_use_and_force(client: PolytomicClient) -> None:
    mongo_id, model = await mongo_model(client)
    with pytest.raises(UnprocessableEntityError) as in_use:
        await client.connections.delete(mongo_id)
    assert "in use" in in_use.value.message and in_use.value.metadata["used_by"][0]["id"] == model.id
    await client.connections.delete(mongo_id, force=True)
    with pytest.raises(NotFoundError):
        await client.models.get(model.id)


async def test_wrong_key_is_an_authentication_error(sandbox: Sandbox) -> None:
    for version in ("2025-09-18", "2024-02-08"):
        async with PolytomicClient("pk_wrong", base_url=BASE, api_version=version, transport=sandbox.transport()) as bad:
            with pytest.raises(AuthenticationError) as caught:
                await bad.identity.get()
        assert caught.value.status == 401 and "pk_wrong" not in str(caught.value)


async def test_partner_key_with_organization_id(sandbox: Sandbox) -> None:
    org = sandbox.workspace(EMPTY_API_KEY).organization_id
    async with PolytomicClient(EMPTY_API_KEY, base_url=BASE, organization_id=org, transport=sandbox.transport()) as api:
        assert (await api.identity.get()).organization_id == org


@pytest.fixture
def live_sandbox() -> Iterator[tuple[Sandbox, str]]:
    sandbox = Sandbox.with_empty_workspace(base_url=BASE)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(sandbox.app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    yield sandbox, f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.mark.slow
async def test_over_a_real_socket(live_sandbox: tuple[Sandbox, str]) -> None:
    sandbox, url = live_sandbox
    async with PolytomicClient(EMPTY_API_KEY, base_url=url) as api:
        created = await api.connections.create(name="mongo", type="mongodb", configuration=MONGO_CONFIG)
        assert (await api.connections.get(created.id)).configuration["password"] == "******"
        assert (await api.identity.get()).organization_id
    assert len(sandbox.workspace(EMPTY_API_KEY).connections) == 1
