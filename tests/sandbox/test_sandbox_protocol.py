"""Auth, versioning, envelope and error-shape behaviour shared by every endpoint."""

from __future__ import annotations

import base64

import pytest
from sandbox_support import make_client

from polytomic_mcp.sandbox import EMPTY_API_KEY, Sandbox

pytestmark = pytest.mark.anyio


async def test_missing_key_is_401_with_standard_shape_on_2025(sandbox: Sandbox) -> None:
    async with make_client(sandbox, key=None) as c:
        r = await c.get("/api/me")
    assert r.status_code == 401
    body = r.json()
    assert body["status"] == 401 and "missing API key" in body["message"]
    assert set(body) == {"status", "message", "key", "metadata"}
    assert r.headers["x-polytomic-version"] == "2025-09-18"


async def test_invalid_key_is_401_rest_err_response_on_2024(sandbox: Sandbox) -> None:
    async with make_client(sandbox, key="pk_wrong", version="2024-02-08") as c:
        r = await c.get("/api/me")
    assert r.status_code == 401
    assert r.json() == {"status": "Unauthorized", "code": 401, "error": "invalid API key", "context": {}}
    assert r.headers["x-polytomic-version"] == "2024-02-08"


async def test_older_versions_use_the_2024_401_shape(sandbox: Sandbox) -> None:
    async with make_client(sandbox, key="pk_wrong", version="2022-12-12") as c:
        r = await c.get("/api/me")
    assert r.json()["code"] == 401
    assert r.headers["x-polytomic-version"] == "2022-12-12"


async def test_basic_auth_with_org_id_and_key(sandbox: Sandbox) -> None:
    org = sandbox.workspace(EMPTY_API_KEY).organization_id
    good = base64.b64encode(f"{org}:{EMPTY_API_KEY}".encode()).decode()
    wrong_org = base64.b64encode(f"00000000-0000-0000-0000-000000000000:{EMPTY_API_KEY}".encode()).decode()
    async with make_client(sandbox, key=None) as c:
        ok = await c.get("/api/me", headers={"Authorization": f"Basic {good}"})
        bad = await c.get("/api/me", headers={"Authorization": f"Basic {wrong_org}"})
        garbage = await c.get("/api/me", headers={"Authorization": "Basic !!!"})
    assert ok.status_code == 200
    assert ok.json()["data"]["organization_id"] == org
    assert ok.json()["data"]["credential"] == {"method": "basic"}
    assert bad.status_code == 401 and "not valid for organization" in bad.json()["message"]
    assert garbage.status_code == 401


async def test_me_envelope_and_default_version(sandbox: Sandbox) -> None:
    async with make_client(sandbox, version=None) as c:
        r = await c.get("/api/me")
    assert r.status_code == 200
    assert r.headers["x-polytomic-version"] == "2025-09-18"
    data = r.json()["data"]
    ws = sandbox.workspace(EMPTY_API_KEY)
    assert data["organization_id"] == ws.organization_id
    assert data["organization_name"] == "Empty Org"
    assert data["credential"] == {"method": "api_key"}


async def test_legacy_me_has_no_credential(legacy_client) -> None:
    r = await legacy_client.get("/api/me")
    assert r.status_code == 200 and "credential" not in r.json()["data"]


async def test_unknown_version_is_400(sandbox: Sandbox) -> None:
    async with make_client(sandbox, version="2099-01-01") as c:
        r = await c.get("/api/me")
    assert r.status_code == 400
    assert "2099-01-01" in r.json()["message"]
    assert r.headers["x-polytomic-version"] == "2025-09-18"


async def test_unknown_route_and_wrong_method_use_error_shape(client) -> None:
    missing = await client.get("/api/does-not-exist")
    wrong = await client.patch("/api/connections")
    trailing = await client.get("/api/connections/")
    assert missing.status_code == 404
    assert missing.json() == {"status": 404, "message": "not found: no route for GET /api/does-not-exist", "key": "", "metadata": None}
    assert wrong.status_code == 405 and wrong.json()["status"] == 405 and "PATCH" in wrong.json()["message"]
    assert trailing.status_code == 404
    assert missing.headers["x-polytomic-version"] == "2025-09-18"


async def test_missing_object_is_404_with_error_shape(client) -> None:
    r = await client.get("/api/models/516a4fbe-464a-4678-8153-ec53d2e4bdd5")
    assert r.status_code == 404
    assert r.json()["message"] == 'model "516a4fbe-464a-4678-8153-ec53d2e4bdd5" not found'


async def test_malformed_json_is_400(client) -> None:
    r = await client.post("/api/connections", content=b'{"name": ', headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    assert r.json()["message"].startswith("malformed JSON body")


async def test_non_object_body_is_400(client) -> None:
    r = await client.post("/api/connections", json=["not", "an", "object"])
    assert r.status_code == 400 and "must be a JSON object" in r.json()["message"]


async def test_requests_are_recorded(sandbox: Sandbox, client) -> None:
    await client.post("/api/connections/test", json={"type": "mongodb", "configuration": {"hosts": "example.mongodb.net"}}, params={"x": "1"})
    record = sandbox.requests[-1]
    assert record.method == "POST" and record.path == "/api/connections/test"
    assert record.query == {"x": ["1"]}
    assert record.headers["authorization"] == f"Bearer {EMPTY_API_KEY}"
    assert record.body == {"type": "mongodb", "configuration": {"hosts": "example.mongodb.net"}}
    assert record.status == 204 and record.fault is None
