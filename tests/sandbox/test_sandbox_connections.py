"""Connections: validation messages, secret masking, probing, full-replacement updates, tests and deletes."""

from __future__ import annotations

from typing import Any

import pytest
from sandbox_support import EMPTY_API_KEY, MONGO_CONFIG, POSTGRES_CONFIG, create, mongo_connection, users_model

pytestmark = pytest.mark.anyio


async def _post(client, type_: str, configuration: Any, **extra: Any):
    return await client.post("/api/connections", json={"name": "C", "type": type_, "configuration": configuration, **extra})


async def test_create_masks_secrets_everywhere(client) -> None:
    created = await mongo_connection(client)
    assert created["configuration"]["password"] == "******"
    assert created["configuration"]["hosts"] == "cluster0.example.mongodb.net"
    assert created["status"] == "healthy" and created["auth_url"] == "" and created["saved"] is True
    assert created["type"]["id"] == "mongodb"
    fetched = (await client.get(f"/api/connections/{created['id']}")).json()["data"]
    listed = (await client.get("/api/connections")).json()["data"]
    assert fetched["configuration"]["password"] == "******"
    assert [c["configuration"]["password"] for c in listed] == ["******"]
    assert "s3cret" not in (await client.get("/api/connections")).text


async def test_stored_connection_keeps_the_real_secret(sandbox, client) -> None:
    created = await mongo_connection(client)
    stored = sandbox.workspace(EMPTY_API_KEY).connections[created["id"]]
    assert stored.configuration["password"] == "s3cret"


@pytest.mark.parametrize(
    ("type_", "configuration", "status", "message"),
    [
        ("mongo", {"hosts": "example.mongodb.net"}, 400, 'unknown connection type "mongo"'),
        ("mongodb", {"username": "u"}, 400, "invalid configuration: hosts is required"),
        ("mongodb", {"hostz": "example.mongodb.net"}, 400, 'invalid configuration: unknown field "hostz"'),
        ("mongodb", {"hosts": "example.mongodb.net", "ssl": "yes"}, 400, "ssl must be a boolean, got string"),
        ("postgresql", {**POSTGRES_CONFIG, "port": "5432"}, 400, "port must be an integer, got string"),
        ("salesforce", {"domain": "acme.my.salesforce.com", "connect_mode": "magic"}, 400, 'connect_mode must be one of "browser"'),
        ("s3", {"s3_bucket_name": "example-bucket", "s3_bucket_region": "us-east-1", "auth_mode": "password"}, 400, 'auth_mode must be one of "access_key_and_secret", "iam_role"'),
        ("mongodb", {"hosts": "nope.example.org"}, 400, "could not connect to nope.example.org: no such host"),
        ("postgresql", {**POSTGRES_CONFIG, "hostname": "db.unknown.test"}, 400, "could not connect to db.unknown.test: no such host"),
        ("postgresql", {**POSTGRES_CONFIG, "database": "nodb"}, 400, 'database "nodb" does not exist'),
        ("salesforce", {"domain": "acme.example.org"}, 400, "could not connect to acme.example.org: no such host"),
        ("salesforce", {"domain": "acme.my.salesforce.com", "connect_mode": "api"}, 400, "oauth_refresh_token is required when connect_mode is api"),
        ("mongodb", "hosts=example", 400, "configuration must be an object, got string"),
    ],
)
async def test_validation_errors_name_the_problem(client, type_: str, configuration: Any, status: int, message: str) -> None:
    r = await _post(client, type_, configuration)
    assert r.status_code == status, r.text
    body = r.json()
    assert message in body["message"]
    assert body["status"] == status and set(body) == {"status", "message", "key", "metadata"}


async def test_several_problems_are_reported_together(client) -> None:
    r = await _post(client, "postgresql", {"hostnme": "db.example.com"})
    message = r.json()["message"]
    for part in ('unknown field "hostnme"', "hostname is required", "username is required", "password is required", "database is required"):
        assert part in message
    assert "port is required" not in message


async def test_required_field_with_default_is_filled(client) -> None:
    created = await create(client, "/api/connections", {"name": "PG", "type": "postgresql", "configuration": POSTGRES_CONFIG})
    assert created["configuration"]["port"] == 5432
    assert created["configuration"]["ssl"] is True


async def test_validate_false_stores_unreachable_connection_as_unhealthy(client) -> None:
    r = await _post(client, "mongodb", {"hosts": "ghost.example.org"}, validate=False)
    assert r.status_code == 200
    data = r.json()["data"]
    assert data["status"] == "unhealthy" and "no such host" in data["status_error"]
    model = await client.post("/api/models", json={"name": "M", "connection_id": data["id"], "configuration": {"database": "example", "collection": "users"}})
    assert model.status_code == 422 and "unhealthy" in model.json()["message"]


async def test_validate_false_still_checks_the_schema(client) -> None:
    r = await _post(client, "mongodb", {"hostz": "x"}, validate=False)
    assert r.status_code == 400 and 'unknown field "hostz"' in r.json()["message"]


async def test_read_only_fields_are_ignored_and_derived(client) -> None:
    key = '{"type": "service_account", "project_id": "example-project", "client_email": "svc@example-project.iam.gserviceaccount.com"}'
    created = await create(
        client,
        "/api/connections",
        {"name": "BQ", "type": "bigquery", "configuration": {"service_account": key, "project_id": "forged", "client_email": "x"}},
    )
    assert created["configuration"]["project_id"] == "example-project"
    assert created["configuration"]["client_email"] == "svc@example-project.iam.gserviceaccount.com"
    assert created["configuration"]["service_account"] == "******"
    assert created["configuration"]["auth_method"] == "service_account_key"


async def test_update_is_full_replacement(sandbox, client) -> None:
    created = await mongo_connection(client)
    r = await client.put(f"/api/connections/{created['id']}", json={"name": "Renamed", "configuration": {"hosts": "example.mongodb.net"}})
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert data["name"] == "Renamed"
    assert "password" not in data["configuration"] and "username" not in data["configuration"]
    assert sandbox.workspace(EMPTY_API_KEY).connections[created["id"]].configuration.get("password") is None


async def test_update_cannot_change_type_and_404s_for_unknown_id(client) -> None:
    created = await mongo_connection(client)
    changed = await client.put(f"/api/connections/{created['id']}", json={"name": "x", "type": "postgresql", "configuration": {}})
    missing = await client.put("/api/connections/nope", json={"name": "x", "configuration": {}})
    assert changed.status_code == 400 and "cannot be changed" in changed.json()["message"]
    assert missing.status_code == 404


async def test_connection_test_endpoint(client) -> None:
    good = await client.post("/api/connections/test", json={"type": "mongodb", "configuration": MONGO_CONFIG})
    bad = await client.post("/api/connections/test", json={"type": "mongodb", "configuration": {"hosts": "nowhere.test"}})
    assert good.status_code == 204
    assert bad.status_code == 400 and "no such host" in bad.json()["message"]
    assert (await client.get("/api/connections")).json()["data"] == []


async def test_connection_test_merges_over_saved_configuration(client) -> None:
    created = await mongo_connection(client)
    merged = await client.post("/api/connections/test", json={"type": "mongodb", "connection_id": created["id"], "configuration": {"password": "new"}})
    broken = await client.post("/api/connections/test", json={"type": "mongodb", "connection_id": created["id"], "configuration": {"hosts": "x.invalid"}})
    assert merged.status_code == 204
    assert broken.status_code == 400


async def test_duplicate_names_are_allowed(client) -> None:
    first = await mongo_connection(client, "Same")
    second = await mongo_connection(client, "Same")
    assert first["id"] != second["id"]


async def test_delete_in_use_is_422_with_used_by_and_force_cascades(sandbox, client) -> None:
    conn = await mongo_connection(client)
    model = await users_model(client, conn["id"])
    r = await client.delete(f"/api/connections/{conn['id']}")
    assert r.status_code == 422
    body = r.json()
    assert body["message"] == "connection in use"
    assert body["metadata"] == {"used_by": [{"type": "model", "name": "Users", "id": model["id"]}]}
    forced = await client.delete(f"/api/connections/{conn['id']}", params={"force": "true"})
    assert forced.status_code == 204
    assert (await client.get(f"/api/models/{model['id']}")).status_code == 404
    assert (await client.get(f"/api/connections/{conn['id']}")).status_code == 404


async def test_delete_unused_connection(client) -> None:
    conn = await mongo_connection(client)
    assert (await client.delete(f"/api/connections/{conn['id']}")).status_code == 204
    assert (await client.delete(f"/api/connections/{conn['id']}")).status_code == 404


async def test_webhook_secret_is_generated_read_only_and_masked(sandbox, client) -> None:
    created = await create(
        client, "/api/connections", {"name": "Hook", "type": "webhook", "configuration": {"url": "https://hooks.example.com/in", "secret": "mine"}}
    )
    stored = sandbox.workspace(EMPTY_API_KEY).connections[created["id"]].configuration["secret"]
    assert stored.startswith("whsec_") and stored != "mine"
    assert created["configuration"]["secret"] == "******"
    assert created["configuration"]["auth_method"] == "polytomic_secret"


async def test_legacy_connection_has_no_rate_limit(legacy_client, client) -> None:
    created = await mongo_connection(legacy_client)
    assert "rate_limit" not in (await legacy_client.get(f"/api/connections/{created['id']}")).json()["data"]
    assert "rate_limit" in (await client.get(f"/api/connections/{created['id']}")).json()["data"]


async def test_create_and_read_answers_have_the_api_shapes(client) -> None:
    """Create/update answer CreateConnectionResponseSchema (no timestamps, with auth fields); reads the full schema."""
    created = await mongo_connection(client)
    assert {"auth_url", "auth_code", "healthcheck_interval"} <= set(created)
    assert not {"created_at", "created_by", "updated_at", "updated_by", "api_calls_last_24_hours", "rate_limit"} & set(created)
    fetched = (await client.get(f"/api/connections/{created['id']}")).json()["data"]
    assert {"created_at", "created_by", "updated_at", "updated_by", "api_calls_last_24_hours", "rate_limit"} <= set(fetched)
    assert not {"auth_url", "auth_code", "healthcheck_interval"} & set(fetched)
