"""Model sources, models, async jobs, samples, previews and model paging."""

from __future__ import annotations

import pytest
from sandbox_support import EMPTY_API_KEY, POSTGRES_CONFIG, create, mongo_connection, users_model

pytestmark = pytest.mark.anyio


async def test_source_meta_drills_down(client) -> None:
    conn = await mongo_connection(client)
    top = (await client.get(f"/api/connections/{conn['id']}/modelsync/source")).json()["data"]
    assert top["requires_one_of"] == ["database"]
    assert "example" in top["items"]["database"]["items"]
    deeper = await client.get(f"/api/connections/{conn['id']}/modelsync/source", params={"params[database]": "example"})
    assert {"users", "orders", "events"} <= set(deeper.json()["data"]["items"]["collection"]["items"])
    missing = await client.get(f"/api/connections/{conn['id']}/modelsync/source", params={"params[database]": "nope"})
    assert missing.status_code == 422 and 'database "nope" does not exist' in missing.json()["message"]


async def test_source_fields(client) -> None:
    conn = await mongo_connection(client)
    r = await client.get(
        f"/api/connections/{conn['id']}/modelsync/source/fields", params={"params[database]": "example", "params[collection]": "users"}
    )
    fields = {f["name"]: f for f in r.json()["data"]}
    assert {"_id", "email", "first_name", "last_name", "phone", "company", "created_at", "plan"} <= set(fields)
    assert fields["email"]["example"] and "@" in fields["email"]["example"]
    assert fields["created_at"]["type"] == "datetime"


async def test_create_model_matches_sample_shape(client) -> None:
    conn = await mongo_connection(client)
    model = await users_model(client, conn["id"], identifier="email", fields=["email", "first_name", "last_name", "created_at"], labels=["crm"], tracking_columns=["updated_at"])
    assert [f["name"] for f in model["fields"]] == ["email", "first_name", "last_name", "created_at"]
    assert model["labels"] == [{"label": "crm"}]
    assert model["version"] == 1 and model["identifier"] == "email"
    field = model["fields"][0]
    assert {"id", "name", "label", "type", "remote_type", "unique", "user_added", "example", "description", "created_at", "created_by", "updated_at"} == set(field)


@pytest.mark.parametrize(
    ("configuration", "extra", "status", "message"),
    [
        ({"database": "example", "collection": "userz"}, {}, 422, 'collection "userz" does not exist in database "example"; available: accounts, events, orders, users'),
        ({"database": "nodb", "collection": "users"}, {}, 422, 'database "nodb" does not exist'),
        ({"database": "example"}, {}, 400, "collection is required"),
        ({"database": "example", "collections": "users"}, {}, 400, 'unknown field "collections"'),
        ({"database": "example", "collection": "users"}, {"fields": ["email", "emial"]}, 422, 'field "emial" does not exist in users'),
        ({"database": "example", "collection": "users"}, {"identifier": "id"}, 422, 'identifier field "id" does not exist'),
    ],
)
async def test_model_validation(client, configuration, extra, status, message) -> None:
    conn = await mongo_connection(client)
    r = await client.post("/api/models", json={"name": "M", "connection_id": conn["id"], "configuration": configuration, **extra})
    assert r.status_code == status, r.text
    assert message in r.json()["message"]


async def test_model_over_destination_only_connection_is_rejected(client) -> None:
    hook = await create(client, "/api/connections", {"name": "Hook", "type": "webhook", "configuration": {"url": "https://hooks.example.com"}})
    r = await client.post("/api/models", json={"name": "M", "connection_id": hook["id"], "configuration": {"table": "x"}})
    assert r.status_code == 422 and "cannot be used as a model source" in r.json()["message"]


async def test_model_over_unknown_connection(client) -> None:
    r = await client.post("/api/models", json={"name": "M", "connection_id": "missing", "configuration": {}})
    assert r.status_code == 422 and 'connection "missing" not found' in r.json()["message"]


async def test_sql_models_by_table_and_query(client) -> None:
    pg = await create(client, "/api/connections", {"name": "PG", "type": "postgresql", "configuration": POSTGRES_CONFIG})
    table = await create(client, "/api/models", {"name": "T", "connection_id": pg["id"], "configuration": {"table": "public.accounts"}})
    query = await create(client, "/api/models", {"name": "Q", "connection_id": pg["id"], "configuration": {"query": "SELECT id, email AS mail FROM public.users"}})
    assert "domain" in [f["name"] for f in table["fields"]]
    assert [f["name"] for f in query["fields"]] == ["id", "mail"]
    both = await client.post("/api/models", json={"name": "B", "connection_id": pg["id"], "configuration": {"table": "public.users", "query": "select 1"}})
    bad_column = await client.post("/api/models", json={"name": "B", "connection_id": pg["id"], "configuration": {"query": "select nope from public.users"}})
    bad_table = await client.post("/api/models", json={"name": "B", "connection_id": pg["id"], "configuration": {"table": "public.missing"}})
    assert both.status_code == 400 and "exactly one of table or view or query" in both.json()["message"]
    assert bad_column.status_code == 422 and 'column "nope" does not exist' in bad_column.json()["message"]
    assert bad_table.status_code == 422 and "public.users" in bad_table.json()["message"]


async def test_async_create_job_completes_after_polls(client) -> None:
    conn = await mongo_connection(client)
    body = {"name": "Users", "connection_id": conn["id"], "configuration": {"database": "example", "collection": "users"}}
    r = await client.post("/api/models", params={"async": "true"}, json=body)
    assert r.status_code == 200
    payload = r.json()
    assert "data" not in payload
    job = payload["job"]
    assert job["type"] == "createmodel" and job["status"] == "created" and job["result"] is None and job["error"] == ""
    assert (await client.get("/api/models")).json()["data"] == []
    statuses = []
    for _ in range(3):
        polled = (await client.get(f"/api/jobs/createmodel/{job['job_id']}")).json()["data"]
        statuses.append(polled["status"])
        if polled["status"] == "done":
            break
    assert statuses[-1] == "done" and len(statuses) <= 2
    model = polled["result"]
    assert model["name"] == "Users"
    assert (await client.get(f"/api/models/{model['id']}")).status_code == 200


async def test_async_job_failure_reports_error(client) -> None:
    conn = await mongo_connection(client)
    body = {"name": "Users", "connection_id": conn["id"], "configuration": {"database": "example", "collection": "nope"}}
    job = (await client.post("/api/models?async=true", json=body)).json()["job"]
    await client.get(f"/api/jobs/createmodel/{job['job_id']}")
    done = (await client.get(f"/api/jobs/createmodel/{job['job_id']}")).json()["data"]
    assert done["status"] == "failed" and 'collection "nope" does not exist' in done["error"]


async def test_async_shape_errors_are_immediate(client) -> None:
    r = await client.post("/api/models?async=true", json={"name": "x"})
    assert r.status_code == 400 and r.json()["message"] == "connection_id is required"


async def test_jobs_endpoint_errors(client) -> None:
    unknown_type = await client.get("/api/jobs/makemodel/abc")
    unknown_id = await client.get("/api/jobs/createmodel/abc")
    assert unknown_type.status_code == 400 and 'unknown job type "makemodel"' in unknown_type.json()["message"]
    assert unknown_id.status_code == 404


async def test_update_model_async_and_versions(client) -> None:
    conn = await mongo_connection(client)
    model = await users_model(client, conn["id"])
    body = {"name": "Users v2", "connection_id": conn["id"], "configuration": {"database": "example", "collection": "users"}, "fields": ["email"]}
    job = (await client.put(f"/api/models/{model['id']}?async=true", json=body)).json()["job"]
    assert job["type"] == "updatemodel"
    await client.get(f"/api/jobs/updatemodel/{job['job_id']}")
    result = (await client.get(f"/api/jobs/updatemodel/{job['job_id']}")).json()["data"]["result"]
    assert result["version"] == 2 and [f["name"] for f in result["fields"]] == ["email"]
    original_email_id = next(f["id"] for f in model["fields"] if f["name"] == "email")
    assert result["fields"][0]["id"] == original_email_id


async def test_sample_records_keyed_by_model_id(client) -> None:
    conn = await mongo_connection(client)
    model = await users_model(client, conn["id"], fields=["email", "first_name"])
    data = (await client.get(f"/api/models/{model['id']}/sample")).json()["data"]
    assert 8 <= len(data["records"]) <= 20
    first = data["records"][0]
    assert list(first) == [model["id"]]
    assert set(first[model["id"]]) == {"email", "first_name"}
    assert data["warnings"] == []


async def test_preview_saves_nothing(client) -> None:
    conn = await mongo_connection(client)
    body = {"name": "P", "connection_id": conn["id"], "configuration": {"database": "example", "collection": "orders"}}
    data = (await client.post("/api/model-preview", json=body)).json()["data"]
    assert "order_number" in [f["name"] for f in data["fields"]]
    job = (await client.post("/api/model-preview?async=true", json=body)).json()["job"]
    assert job["type"] == "previewmodel"
    assert (await client.get("/api/models")).json()["data"] == []


async def test_models_paging(sandbox, client) -> None:
    ws = sandbox.workspace(EMPTY_API_KEY)
    conn = ws.add_connection("PG", "postgresql", POSTGRES_CONFIG)
    ids = [ws.add_model(f"m{i}", conn.id, {"table": "public.users"}).id for i in range(7)]
    seen, token, pages = [], None, 0
    while True:
        params = {"limit": 3} | ({"page_token": token} if token else {})
        body = (await client.get("/api/models", params=params)).json()
        seen += [m["id"] for m in body["data"]]
        pages += 1
        token = body["pagination"]["next_page_token"]
        if not token:
            break
    assert pages == 3 and seen == list(reversed(ids))
    capped = (await client.get("/api/models", params={"limit": 500})).json()
    assert len(capped["data"]) == 7 and capped["pagination"]["next_page_token"] == ""
    bad = await client.get("/api/models", params={"page_token": "garbage!"})
    assert bad.status_code == 400 and "page_token" in bad.json()["message"]


async def test_models_unpaged_when_the_sandbox_does_not_page(sandbox, client) -> None:
    ws = sandbox.workspace(EMPTY_API_KEY)
    conn = ws.add_connection("PG", "postgresql", POSTGRES_CONFIG)
    ids = [ws.add_model(f"m{i}", conn.id, {"table": "public.users"}).id for i in range(120)]
    sandbox.paginate_lists = False
    body = (await client.get("/api/models", params={"limit": 3, "page_token": "ignored"})).json()
    assert "pagination" not in body
    assert [m["id"] for m in body["data"]] == list(reversed(ids))


async def test_delete_model(client) -> None:
    conn = await mongo_connection(client)
    model = await users_model(client, conn["id"])
    assert (await client.delete(f"/api/models/{model['id']}")).status_code == 204
    assert (await client.get(f"/api/models/{model['id']}")).status_code == 404
