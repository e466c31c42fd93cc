"""Discovery tools: connection types, source objects, paging of target objects and lists, progress."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx2
import pytest
from mcp import Client
from server_support import MODES, call_error, call_ok, mcp_session
from workflow import MONGO, SALESFORCE, authorize, model_args, run_workflow

from polytomic_mcp.client import PolytomicClient
from polytomic_mcp.sandbox import EMPTY_API_KEY, Sandbox
from polytomic_mcp.server import build_server
from polytomic_mcp.settings import Settings

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("mode", MODES)
async def test_connection_types(sandbox: Sandbox, mode: str) -> None:
    async with mcp_session(sandbox, mode=mode) as client:
        destinations = await call_ok(client, "list_connection_types", {"capability": "destination"})
        ids = {t["id"] for t in destinations["types"]}
        assert {"salesforce", "webhook", "postgresql"} <= ids and "mongodb" not in ids
        mongo = await call_ok(client, "list_connection_types", {"search": "MONGO"})
        assert [t["id"] for t in mongo["types"]] == ["mongodb"]

        salesforce = await call_ok(client, "list_connection_types", {"type": "salesforce"})
        assert salesforce["oauth"] is True
        assert [f["name"] for f in salesforce["required"]] == ["domain", "connect_mode"]
        secrets = {f["name"] for f in salesforce["optional"] if f.get("secret")}
        assert {"client_id", "client_secret"} <= secrets
        assert "username" not in {f["name"] for f in salesforce["optional"]}, "read-only fields are not offered"
        postgres = await call_ok(client, "list_connection_types", {"type": "postgresql"})
        assert postgres["oauth"] is False and postgres["example_configuration"]["port"] == 5432
        text = await call_error(client, "list_connection_types", {"type": "salesforc"})
        assert "did you mean 'salesforce'" in text


@pytest.mark.parametrize("mode", MODES)
async def test_source_objects_drill_down(sandbox: Sandbox, mode: str) -> None:
    async with mcp_session(sandbox, mode=mode) as client:
        mongo = await call_ok(client, "create_connection", MONGO)
        top = await call_ok(client, "list_source_objects", {"connection_id": mongo["id"]})
        assert "example" in top["choices"]["database"]
        drilled = await call_ok(
            client, "list_source_objects", {"connection_id": mongo["id"], "params": {"database": "example", "collection": "users"}}
        )
        assert "users" in drilled["choices"]["collection"]
        assert {"name": "email", "type": "string"} in drilled["fields"]


@pytest.mark.parametrize("mode", MODES)
async def test_create_model_reports_progress(sandbox: Sandbox, mode: str) -> None:
    progress: list[tuple[float, str | None]] = []

    async def on_progress(value: float, total: float | None, message: str | None) -> None:
        progress.append((value, message))

    async with mcp_session(sandbox, mode=mode) as client:
        mongo = await call_ok(client, "create_connection", MONGO)
        result = await client.call_tool("create_model", model_args(mongo["id"]), progress_callback=on_progress)
        assert not result.is_error
    assert progress[0] == (0, "creating model")
    assert progress[-1][1] == "model job done"
    assert [value for value, _ in progress] == sorted(value for value, _ in progress)


async def test_target_objects_page_and_filter(sandbox: Sandbox) -> None:
    """Paging is the tool's own, the same in both protocol eras: run in one (18 pages of a 900-object target take seconds)."""
    mode = "auto"
    target = sandbox.workspace(EMPTY_API_KEY).add_synthetic_target("warehouse", objects=900, fields=50)
    async with mcp_session(sandbox, mode=mode) as client:
        seen: list[str] = []
        cursor = None
        pages = 0
        while True:
            page = await call_ok(client, "list_target_objects", {"connection_id": target.id, "cursor": cursor, "limit": 50})
            pages += 1
            assert page["total"] == 900 and len(page["objects"]) <= 50
            seen += [o["id"] for o in page["objects"]]
            cursor = page.get("next_cursor")
            if cursor is None:
                break
        assert pages == 18 and len(set(seen)) == 900
        listed = [r for r in sandbox.requests if r.method == "GET" and r.path.endswith("/modelsync/targetobjects")]
        assert len(listed) == 1, "the pages after the first come from the list the first page read"
        first = seen[0]
        filtered = await call_ok(client, "list_target_objects", {"connection_id": target.id, "search": first.upper()})
        assert first in [o["id"] for o in filtered["objects"]]
        assert all(first.lower() in o["id"].lower() for o in filtered["objects"])
        fields = await call_ok(client, "list_target_objects", {"connection_id": target.id, "target_object": first})
        assert len(fields["fields"]) == 50


@pytest.mark.parametrize("mode", MODES)
async def test_list_and_get_syncs_connections_models(sandbox: Sandbox, mode: str) -> None:
    async with mcp_session(sandbox, mode=mode) as client:
        ids = await run_workflow(client, sandbox)
        connections = await call_ok(client, "list_connections", {"limit": 1})
        assert connections["total"] == 2 and len(connections["connections"]) == 1 and connections["next_cursor"]
        second = await call_ok(client, "list_connections", {"limit": 1, "cursor": connections["next_cursor"]})
        assert second["connections"][0]["id"] != connections["connections"][0]["id"] and "next_cursor" not in second
        salesforce = await call_ok(client, "list_connections", {"connection_id": ids["salesforce"]})
        assert salesforce["status"] == "healthy" and "auth_url" not in salesforce

        models = await call_ok(client, "list_models", {"search": "mongodb"})
        assert [m["id"] for m in models["models"]] == [ids["model"]]
        syncs = await call_ok(client, "list_syncs", {"search": "mongo to"})
        assert [s["id"] for s in syncs["syncs"]] == [ids["sync"]]
        detail = await call_ok(client, "list_syncs", {"sync_id": ids["sync"]})
        assert detail["target"]["object"] == "Contact" and detail["schedule"] == {"frequency": "continuous"}
        assert "not found" in await call_error(client, "list_syncs", {"sync_id": "nope"})


async def test_pending_oauth_connection_is_refused_with_the_link(sandbox: Sandbox) -> None:
    async with mcp_session(sandbox) as client:
        salesforce = await call_ok(client, "create_connection", SALESFORCE)
        assert salesforce["action_required"] and salesforce["auth_url"]
        text = await call_error(client, "list_target_objects", {"connection_id": salesforce["id"]})
        assert "not authorized yet" in text and "auth_url" in text and "list_connections(connection_id=" in text
        await authorize(sandbox, salesforce["auth_url"])
        assert (await call_ok(client, "list_target_objects", {"connection_id": salesforce["id"]}))["total"] >= 8


def schema_api(shared: Path) -> httpx2.MockTransport:
    """An API that lists every captured connection type and serves the captured schemas."""
    listing = json.loads((shared / "connection_type_schemas" / "_connection_types_list.json").read_text())
    types = [{**t, "capabilities": {"source": True, "destination": True}} for t in listing]
    created: list[dict[str, Any]] = []

    def handle(request: httpx2.Request) -> httpx2.Response:
        path = request.url.path
        if path == "/api/connection_types":
            return httpx2.Response(200, json={"data": types})
        if path.startswith("/api/connection_types/"):
            schema = shared / "connection_type_schemas" / f"{path.rsplit('/', 1)[1]}.json"
            return httpx2.Response(200, json=json.loads(schema.read_text())) if schema.exists() else httpx2.Response(404, json={"status": 404, "message": "no such type"})
        if path == "/api/connections" and request.method == "GET":
            return httpx2.Response(200, json={"data": []})
        if path == "/api/connections":
            body = json.loads(request.content)
            created.append(body)
            data = {"id": "c-1", "name": body["name"], "type": {"id": body["type"]}, "configuration": body["configuration"],
                    "status": "", "auth_url": "https://app.polytomic.com/oauth/x"}
            return httpx2.Response(200, json={"data": data})
        return httpx2.Response(404, json={"status": 404, "message": "not found"})

    transport = httpx2.MockTransport(handle)
    transport.created = created  # type: ignore[attr-defined]
    return transport


async def test_create_connection_works_for_types_the_sandbox_does_not_have(shared_api: Path) -> None:
    transport = schema_api(shared_api)
    async with PolytomicClient("k", base_url="http://api.test", transport=transport) as api:
        async with Client(build_server(Settings(sandbox=True), client=api)) as client:
            text = await call_error(client, "create_connection", {"name": "L", "type": "linkedinads", "configuration": {"acounts": []}})
            assert "unknown field 'acounts' (did you mean 'accounts'?)" in text
            ok = await call_ok(client, "create_connection", {
                "name": "L", "type": "linkedinads", "configuration": {"oauth_refresh_token": "tok-123456789", "accounts": []},
            })
    assert ok["configuration"]["oauth_refresh_token"] == "******"
    assert ok["auth_url"] and ok["action_required"]
    assert transport.created == [{"name": "L", "type": "linkedinads", "configuration": {"oauth_refresh_token": "tok-123456789", "accounts": []}}]  # type: ignore[attr-defined]
