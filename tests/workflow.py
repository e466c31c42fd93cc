"""The reference workflow (Polytomic's MongoDB -> Salesforce guide) as tool calls, shared by tests."""

from __future__ import annotations

from typing import Any

import httpx2
from mcp import Client

from polytomic_mcp.sandbox import Sandbox

MONGO = {
    "name": "MongoDB Connection",
    "type": "mongodb",
    "configuration": {"hosts": "example.mongodb.net", "username": "user", "password": "secret"},
}
SALESFORCE = {
    "name": "Salesforce Connection",
    "type": "salesforce",
    "configuration": {"domain": "https://example.my.salesforce.com"},
}


def model_args(mongo_id: str) -> dict[str, Any]:
    return {"name": "MongoDB Model", "configuration": {"database": "example", "collection": "users"}, "connection_id": mongo_id}


def sync_args(model_id: str, salesforce_id: str) -> dict[str, Any]:
    return {
        "name": "Mongo to Salesforce Sync",
        "mode": "create",
        "identity": {"source": {"field": "email", "model_id": model_id}, "target": "Email", "function": "equality"},
        "fields": [
            {"source": {"field": "first_name", "model_id": model_id}, "target": "FirstName"},
            {"source": {"field": "last_name", "model_id": model_id}, "target": "LastName"},
        ],
        "schedule": {"frequency": "continuous"},
        "target": {"connection_id": salesforce_id, "object": "Contact"},
    }


async def authorize(sandbox: Sandbox, auth_url: str) -> None:
    """What the person does: open the auth_url in a browser."""
    async with httpx2.AsyncClient(transport=sandbox.transport()) as browser:
        response = await browser.get(auth_url)
        assert response.status_code < 400


async def run_workflow(client: Client, sandbox: Sandbox) -> dict[str, Any]:
    """The agent's calls; returns the created ids and the number of tool calls made."""
    calls = 0

    async def call(name: str, arguments: dict[str, Any]) -> dict[str, Any]:
        nonlocal calls
        calls += 1
        result = await client.call_tool(name, arguments)
        assert not result.is_error, result.content[0].text
        assert result.structured_content is not None
        return result.structured_content

    mongo = await call("create_connection", MONGO)
    salesforce = await call("create_connection", SALESFORCE)
    assert salesforce["auth_url"].startswith(sandbox.base_url)
    await authorize(sandbox, salesforce["auth_url"])
    model = await call("create_model", model_args(mongo["id"]))
    objects = await call("list_target_objects", {"connection_id": salesforce["id"], "search": "contact"})
    assert "Contact" in [o["id"] for o in objects["objects"]]
    sync = await call("create_sync", sync_args(model["id"], salesforce["id"]))
    assert sync["created"] is True
    return {"mongo": mongo["id"], "salesforce": salesforce["id"], "model": model["id"], "sync": sync["id"], "calls": calls}


SNOWFLAKE = {
    "name": "Snowflake Warehouse",
    "type": "snowflake",
    "configuration": {"account": "acme-xy12345", "username": "loader", "password": "warehouse-pw", "dbname": "ANALYTICS"},
}
BULK_SCHEDULE = {"frequency": "daily", "hour": "5", "minute": "0"}


def bulk_args(salesforce_id: str, snowflake_id: str) -> dict[str, Any]:
    """The issue's reference create_bulk_sync call."""
    return {
        "name": "Salesforce to Snowflake",
        "source_connection_id": salesforce_id,
        "destination_connection_id": snowflake_id,
        "destination_configuration": {"schema": "SALESFORCE"},
        "mode": "replicate",
        "schemas": ["Account", "Contact"],
        "schedule": BULK_SCHEDULE,
    }


async def run_bulk_workflow(client: Client, sandbox: Sandbox) -> dict[str, Any]:
    """Salesforce -> Snowflake: two connections, the bulk sync, a run and its status; returns ids, results and the call count."""
    calls = 0

    async def call(name: str, arguments: dict[str, Any]) -> dict[str, Any]:
        nonlocal calls
        calls += 1
        result = await client.call_tool(name, arguments)
        assert not result.is_error, result.content[0].text
        assert result.structured_content is not None
        return result.structured_content

    salesforce = await call("create_connection", SALESFORCE)
    await authorize(sandbox, salesforce["auth_url"])
    snowflake = await call("create_connection", SNOWFLAKE)
    bulk = await call("create_bulk_sync", bulk_args(salesforce["id"], snowflake["id"]))
    assert bulk["created"] is True
    started = await call("start_sync", {"sync_id": bulk["id"]})
    status = await call("get_sync_status", {"sync_id": bulk["id"]})
    return {"salesforce": salesforce["id"], "snowflake": snowflake["id"], "bulk": bulk["id"], "started": started,
            "status": status, "calls": calls}
