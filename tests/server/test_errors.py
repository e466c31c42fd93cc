"""Each common mistake comes back as an error result whose text names the fix."""

from __future__ import annotations

from typing import Any

import pytest
from server_support import MODES, call_error, call_ok, mcp_session
from workflow import MONGO, SALESFORCE, authorize, model_args, sync_args

from polytomic_mcp.sandbox import Sandbox

pytestmark = pytest.mark.anyio


async def prepared(client: Any, sandbox: Sandbox) -> dict[str, str]:
    """Connections and a model, ready for sync mistakes."""
    mongo = await call_ok(client, "create_connection", MONGO)
    salesforce = await call_ok(client, "create_connection", SALESFORCE)
    await authorize(sandbox, salesforce["auth_url"])
    model = await call_ok(client, "create_model", model_args(mongo["id"]))
    return {"mongo": mongo["id"], "salesforce": salesforce["id"], "model": model["id"]}


@pytest.mark.parametrize("mode", MODES)
async def test_connection_mistakes(sandbox: Sandbox, mode: str) -> None:
    async with mcp_session(sandbox, mode=mode) as client:
        text = await call_error(client, "create_connection", {**MONGO, "type": "mongo"})
        assert "Unknown connection type 'mongo'" in text and "'mongodb'" in text and "list_connection_types" in text

        text = await call_error(client, "create_connection", {**MONGO, "configuration": {"username": "u"}})
        assert "missing required field 'hosts'" in text and "list_connection_types(type='mongodb')" in text

        text = await call_error(client, "create_connection", {**MONGO, "configuration": {"hosts": "h", "hostz": "x"}})
        assert "unknown field 'hostz'" in text

        text = await call_error(client, "list_connections", {"connection_id": "does-not-exist"})
        assert "not found" in text and "list_connections" in text

        text = await call_error(client, "create_model", model_args("does-not-exist"))
        assert "list_connections" in text


@pytest.mark.parametrize("mode", MODES)
async def test_upstream_rejection_is_explained(sandbox: Sandbox, mode: str) -> None:
    async with mcp_session(sandbox, mode=mode) as client:
        unknown_host = {**MONGO, "configuration": {"hosts": "nowhere.invalid"}}
        text = await call_error(client, "create_connection", unknown_host)
        assert "was not created: Polytomic rejected it" in text and "nowhere.invalid" in text and "validate=false" in text
        saved = await call_ok(client, "create_connection", {**unknown_host, "validate": False})
        assert saved["id"]


@pytest.mark.parametrize("mode", MODES)
async def test_sync_mistakes_name_the_fix(sandbox: Sandbox, mode: str) -> None:
    async with mcp_session(sandbox, mode=mode) as client:
        ids = await prepared(client, sandbox)
        good = sync_args(ids["model"], ids["salesforce"])

        def variant(**changes: Any) -> dict[str, Any]:
            return {**good, **changes}

        model = ids["model"]
        text = await call_error(client, "create_sync", variant(
            fields=[{"source": {"field": "firstname", "model_id": model}, "target": "FirstName"}, good["fields"][1]]))
        assert "no field 'firstname'" in text and "did you mean 'first_name'" in text

        text = await call_error(client, "create_sync", variant(
            identity={"source": {"field": "mail", "model_id": model}, "target": "Email", "function": "Equality"}))
        assert "no field 'mail'" in text and "'email'" in text

        text = await call_error(client, "create_sync", variant(
            fields=[good["fields"][0], {"source": {"field": "last_name", "model_id": model}, "target": "Lastname"}]))
        assert "no field 'Lastname'" in text and "did you mean 'LastName'" in text

        text = await call_error(client, "create_sync", variant(target={"connection_id": ids["salesforce"], "object": "Contacts"}))
        assert "Target object 'Contacts' does not exist" in text and "'Contact'" in text and "list_target_objects" in text

        text = await call_error(client, "create_sync", variant(mode="append"))
        assert "does not support mode 'append'" in text and "'updateOrCreate'" in text

        text = await call_error(client, "create_sync", variant(
            identity={"source": {"field": "email", "model_id": model}, "target": "Email", "function": "DomainMatch"}))
        assert "does not support identity function 'DomainMatch'" in text and "'Equality'" in text

        text = await call_error(client, "create_sync", variant(fields=[good["fields"][0]]))
        assert "required fields of 'Contact' must be mapped: 'LastName'" in text

        text = await call_error(client, "create_sync", variant(mode="update", identity=None))
        assert "mode 'update' needs an identity" in text

        text = await call_error(client, "create_sync", variant(schedule={"frequency": "runafter"}))
        assert "frequency 'runafter' needs 'run_after'" in text

        text = await call_error(client, "create_sync", variant(schedule={"frequency": "continous"}))
        assert "unknown frequency 'continous'" in text and "did you mean 'continuous'" in text

        text = await call_error(client, "create_sync", variant(target={"connection_id": "nope", "object": "Contact"}))
        assert "list_connections" in text

        text = await call_error(client, "create_sync", variant(target={"connection_id": ids["mongo"], "object": "Contact"}))
        assert "cannot be a sync destination" in text

        workspace = sandbox.workspace(next(iter(sandbox.workspaces)))
        assert workspace.syncs == {}


@pytest.mark.parametrize("mode", MODES)
async def test_dry_run_reports_every_problem_and_creates_nothing(sandbox: Sandbox, mode: str) -> None:
    async with mcp_session(sandbox, mode=mode) as client:
        ids = await prepared(client, sandbox)
        bad = {**sync_args(ids["model"], ids["salesforce"]), "mode": "append", "fields": [], "dry_run": True}
        result = await call_ok(client, "create_sync", bad)
        paths = {c["path"] for c in result["checks"]}
        assert result["created"] is False and {"mode", "fields"} <= paths
        assert result["request"]["mode"] == "append"
        clean = await call_ok(client, "create_sync", {**sync_args(ids["model"], ids["salesforce"]), "dry_run": True})
        assert clean["created"] is False and not clean.get("checks")
        assert sandbox.workspace(next(iter(sandbox.workspaces))).syncs == {}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("tool", "arguments"),
    [
        ("create_connection", {"name": 5, "type": "mongodb", "configuration": {}}),
        ("create_connection", {"name": "x", "type": "mongodb", "configuration": "hosts=h"}),
        ("create_connection", {"name": "x"}),
        ("create_sync", {"name": "s", "mode": "create", "target": [], "fields": {}, "schedule": 1}),
        ("list_target_objects", {"connection_id": "c", "limit": "many"}),
        ("list_connections", {"cursor": "not-a-cursor"}),
        ("list_models", {"model_id": ""}),
    ],
)
async def test_malformed_arguments_are_error_results(sandbox: Sandbox, mode: str, tool: str, arguments: dict) -> None:
    async with mcp_session(sandbox, mode=mode) as client:
        text = await call_error(client, tool, arguments)
        assert tool in text
        assert text.strip() != f"Error executing tool {tool}"
        assert (await client.call_tool("list_connections", {})).is_error is False


async def test_duplicate_names_point_at_the_existing_object(sandbox: Sandbox) -> None:
    async with mcp_session(sandbox) as client:
        first = await call_ok(client, "create_connection", MONGO)
        text = await call_error(client, "create_connection", MONGO)
        assert first["id"] in text and "already exists" in text
    assert len(sandbox.workspace(next(iter(sandbox.workspaces))).connections) == 1
