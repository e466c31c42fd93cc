"""PUT /api/connections/{id} is a full replacement and does not protect secrets: a mask sent back is stored as
is, a secret left out is cleared, and either way the upstream refuses to log in."""

from __future__ import annotations

from typing import Any

import pytest
from sandbox_support import EMPTY_API_KEY, MONGO_CONFIG, POSTGRES_CONFIG, create, mongo_connection

pytestmark = pytest.mark.anyio


def stored(sandbox, connection_id: str) -> dict[str, Any]:
    config: dict[str, Any] = sandbox.workspace(EMPTY_API_KEY).connections[connection_id].configuration
    return config


@pytest.mark.parametrize("mask", ["******", "********", "*************************"])
async def test_a_mask_sent_back_fails_the_login_and_changes_nothing(sandbox, client, mask: str) -> None:
    created = await mongo_connection(client)
    configuration = {**created["configuration"], "password": mask}
    r = await client.put(f"/api/connections/{created['id']}", json={"name": "Renamed", "configuration": configuration})
    assert r.status_code == 400 and r.json()["message"] == "authentication failed: MongoDB rejected the password"
    assert stored(sandbox, created["id"])["password"] == "s3cret"
    assert (await client.get(f"/api/connections/{created['id']}")).json()["data"]["name"] == "Mongo"


async def test_a_mask_sent_back_without_validation_is_stored_and_breaks_the_connection(sandbox, client) -> None:
    created = await mongo_connection(client)
    r = await client.put(f"/api/connections/{created['id']}", json={"name": "Mongo", "configuration": created["configuration"], "validate": False})
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert data["status"] == "unhealthy" and data["status_error"] == "authentication failed: MongoDB rejected the password"
    assert stored(sandbox, created["id"])["password"] == "******"
    assert data["configuration"]["password"] == "******", "a stored mask reads back exactly like a real secret"
    model = await client.post("/api/models", json={"name": "M", "connection_id": created["id"], "configuration": {"database": "example", "collection": "users"}})
    assert model.status_code == 422 and "authentication failed" in model.json()["message"]
    retest = await client.post("/api/connections/test", json={"type": "mongodb", "connection_id": created["id"], "configuration": {}})
    assert retest.status_code == 400 and retest.json()["message"] == "authentication failed: MongoDB rejected the password"


async def test_a_secret_left_out_is_cleared(sandbox, client) -> None:
    created = await mongo_connection(client)
    without_password = {k: v for k, v in MONGO_CONFIG.items() if k != "password"}
    refused = await client.put(f"/api/connections/{created['id']}", json={"name": "Mongo", "configuration": without_password})
    assert refused.status_code == 400 and refused.json()["message"] == 'authentication failed for user "polytomic": no password supplied'
    assert stored(sandbox, created["id"])["password"] == "s3cret"
    r = await client.put(f"/api/connections/{created['id']}", json={"name": "Mongo", "configuration": without_password, "validate": False})
    data = r.json()["data"]
    assert "password" not in data["configuration"] and "password" not in stored(sandbox, created["id"])
    assert data["status"] == "unhealthy" and data["status_error"] == 'authentication failed for user "polytomic": no password supplied'


async def test_a_schema_required_secret_left_out_is_refused(client) -> None:
    created = await create(client, "/api/connections", {"name": "PG", "type": "postgresql", "configuration": POSTGRES_CONFIG})
    without_password = {k: v for k, v in POSTGRES_CONFIG.items() if k != "password"}
    r = await client.put(f"/api/connections/{created['id']}", json={"name": "PG", "configuration": without_password, "validate": False})
    assert r.status_code == 400 and r.json()["message"] == "invalid configuration: password is required"


async def test_resending_the_real_secret_keeps_the_connection_and_clears_what_was_left_out(sandbox, client) -> None:
    created = await mongo_connection(client)
    configuration = {"hosts": MONGO_CONFIG["hosts"], "username": "polytomic", "password": "s3cret"}
    r = await client.put(f"/api/connections/{created['id']}", json={"name": "Mongo 2", "configuration": configuration})
    data = r.json()["data"]
    assert data["status"] == "healthy" and data["status_error"] == "" and data["name"] == "Mongo 2"
    assert "database" not in data["configuration"] and "srv" not in data["configuration"]
    assert stored(sandbox, created["id"])["password"] == "s3cret"
