"""Helpers shared by the sandbox tests: clients bound in-process and builders for common objects."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO / ".." / "shared" / "polytomic-api"
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import httpx2  # noqa: E402

from polytomic_mcp.sandbox import EMPTY_API_KEY, Sandbox  # noqa: E402

OTHER_KEY = "pk_sandbox_other"
MONGO_CONFIG = {"hosts": "cluster0.example.mongodb.net", "username": "polytomic", "password": "s3cret", "database": "admin", "srv": True}
POSTGRES_CONFIG = {"hostname": "db.example.com", "username": "polytomic", "password": "pg-s3cret", "database": "acme"}


def make_client(sb: Sandbox, key: str | None = EMPTY_API_KEY, version: str | None = "2025-09-18") -> httpx2.AsyncClient:
    """Return a client talking to ``sb`` in-process with the given key and API version header."""
    headers = {}
    if key is not None:
        headers["Authorization"] = f"Bearer {key}"
    if version is not None:
        headers["X-Polytomic-Version"] = version
    return httpx2.AsyncClient(transport=sb.transport(), base_url=sb.base_url, headers=headers)


async def create(client: httpx2.AsyncClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
    """POST ``body`` and return ``data``, failing loudly on a non-200."""
    response = await client.post(path, json=body)
    assert response.status_code == 200, response.text
    return response.json()["data"]


async def mongo_connection(client: httpx2.AsyncClient, name: str = "Mongo") -> dict[str, Any]:
    return await create(client, "/api/connections", {"name": name, "type": "mongodb", "configuration": MONGO_CONFIG})


async def users_model(client: httpx2.AsyncClient, connection_id: str, **extra: Any) -> dict[str, Any]:
    body = {"name": "Users", "connection_id": connection_id, "configuration": {"database": "example", "collection": "users"}, **extra}
    return await create(client, "/api/models", body)


async def salesforce_connection(client: httpx2.AsyncClient, sb: Sandbox, *, authorize: bool = True) -> dict[str, Any]:
    conn = await create(client, "/api/connections", {"name": "Salesforce", "type": "salesforce", "configuration": {"domain": "acme.my.salesforce.com"}})
    if authorize:
        sb.complete_oauth(conn["id"])
    return conn


def contact_sync_body(model_id: str, sf_id: str, **overrides: Any) -> dict[str, Any]:
    """A valid 2025-09-18 sync body: users → Salesforce Contact, updateOrCreate on Email."""
    body = {
        "name": "Users to Contacts",
        "mode": "updateOrCreate",
        "schedule": {"frequency": "daily", "hour": "5", "minute": "0"},
        "target": {"connection_id": sf_id, "object": "Contact"},
        "identities": {
            "strategy": "priority",
            "mappings": [{"source": {"model_id": model_id, "field": "email"}, "target": "Email", "function": "Equality"}],
        },
        "fields": [
            {"source": {"model_id": model_id, "field": "first_name"}, "target": "FirstName"},
            {"source": {"model_id": model_id, "field": "last_name"}, "target": "LastName"},
        ],
    }
    body.update(overrides)
    return body


async def log_lines(sb: Sandbox, client: httpx2.AsyncClient, execution_path: str, log_type: str) -> list[dict[str, Any]]:
    """Every line of an execution's record log of ``log_type``, fetched from its signed URLs as a browser would."""
    urls = (await client.get(f"{execution_path}/{log_type}")).json()["data"]["urls"]
    async with make_client(sb, key=None, version=None) as anonymous:
        return [json.loads(line) for url in urls for line in (await anonymous.get(url)).text.splitlines()]
