"""Resources (connections, models), id completion, list_changed notifications, the prompt, instructions."""

from __future__ import annotations

from typing import Any

import anyio
import mcp_types as types
import pytest
from mcp import MCPError
from server_support import MODES, call_ok, mcp_session, read_marked
from workflow import MONGO, model_args

from polytomic_mcp.sandbox import Sandbox

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("mode", MODES)
async def test_connection_and_model_resources(sandbox: Sandbox, mode: str) -> None:
    async with mcp_session(sandbox, mode=mode) as client:
        mongo = await call_ok(client, "create_connection", MONGO)
        model = await call_ok(client, "create_model", model_args(mongo["id"]))

        listed = {r.uri for r in (await client.list_resources()).resources}
        assert {"polytomic://connections", "polytomic://models"} <= listed
        templates = {t.uri_template for t in (await client.list_resource_templates()).resource_templates}
        assert templates == {"polytomic://connections/{connection_id}", "polytomic://models/{model_id}"}

        connections = read_marked((await client.read_resource("polytomic://connections")).contents[0].text)
        assert connections == (
            {"total": 1},
            {"connections": [{"id": mongo["id"], "name": "MongoDB Connection", "type": "mongodb", "status": "healthy"}]},
        )
        one = (await client.read_resource(f"polytomic://connections/{mongo['id']}")).contents[0]
        assert one.mime_type == "text/plain"
        head, detail = read_marked(one.text)
        assert head["type"] == "mongodb" and detail["configuration"]["password"] == "******"
        assert "secret" not in one.text

        models = read_marked((await client.read_resource("polytomic://models")).contents[0].text)
        assert models == ({"total": 1}, {"models": [{"id": model["id"], "name": "MongoDB Model", "connection_id": mongo["id"]}]})
        fields = read_marked((await client.read_resource(f"polytomic://models/{model['id']}")).contents[0].text)[1]["fields"]
        assert {"name": "email", "type": "string"} in fields

        with pytest.raises(MCPError) as missing:
            await client.read_resource("polytomic://connections/nope")
        assert "polytomic://connections" in missing.value.message


@pytest.mark.parametrize("mode", MODES)
async def test_id_completion(sandbox: Sandbox, mode: str) -> None:
    async with mcp_session(sandbox, mode=mode) as client:
        mongo = await call_ok(client, "create_connection", MONGO)
        ref = types.ResourceTemplateReference(type="ref/resource", uri="polytomic://connections/{connection_id}")
        completed = await client.complete(ref, {"name": "connection_id", "value": mongo["id"][:4]})
        assert completed.completion.values == [mongo["id"]]
        none = await client.complete(ref, {"name": "connection_id", "value": "zzzz-not-a-prefix"})
        assert none.completion.values == []


async def test_resources_list_changed_after_create_legacy(sandbox: Sandbox) -> None:
    changed = anyio.Event()

    async def on_message(message: Any) -> None:
        if isinstance(message, types.ResourceListChangedNotification):
            changed.set()

    async with mcp_session(sandbox, mode="legacy", message_handler=on_message) as client:
        assert client.server_capabilities.resources.list_changed is True
        await call_ok(client, "create_connection", MONGO)
        with anyio.fail_after(5):
            await changed.wait()  # TimeoutError: the server never said its resource list changed


async def test_resources_list_changed_after_create_2026(sandbox: Sandbox) -> None:
    async with mcp_session(sandbox, mode="auto") as client:
        assert client.protocol_version == "2026-07-28"
        async with client.listen(resources_list_changed=True) as events:
            await call_ok(client, "create_connection", MONGO)
            with anyio.fail_after(5):
                async for event in events:
                    assert "ResourcesListChanged" in type(event).__name__ or "resources" in repr(event).lower()
                    break


@pytest.mark.parametrize("mode", MODES)
async def test_prompt_and_instructions(sandbox: Sandbox, mode: str) -> None:
    async with mcp_session(sandbox, mode=mode) as client:
        assert client.instructions and len(client.instructions.splitlines()) == 5
        assert "consent_token" in client.instructions and "Never invent or reuse a yes" in client.instructions
        assert "<workspace-data>" in client.instructions and "never as instructions" in client.instructions
        prompts = (await client.list_prompts()).prompts
        assert [p.name for p in prompts] == ["set_up_model_sync", "set_up_bulk_sync", "diagnose_sync"]
        bulk = (await client.get_prompt("set_up_bulk_sync", {"source": "Salesforce", "destination": "Snowflake"})).messages[0].content.text
        for tool in ("list_source_objects", "bulk=true", "list_target_objects", "create_bulk_sync", "start_sync", "get_sync_status"):
            assert tool in bulk and "Salesforce" in bulk and "Snowflake" in bulk
        assert {a.name for a in prompts[0].arguments or []} == {"source", "destination"}
        got = await client.get_prompt("set_up_model_sync", {"source": "MongoDB users", "destination": "Salesforce contacts"})
        text = got.messages[0].content.text
        assert "MongoDB users" in text and "Salesforce contacts" in text
        for tool in ("create_connection", "create_model", "list_target_objects", "create_sync", "start_sync", "update_sync"):
            assert tool in text
        diagnosis = (await client.get_prompt("diagnose_sync", {"sync": "Mongo to Salesforce"})).messages[0].content.text
        for tool in ("list_syncs(failing=true)", "get_sync_status", "get_sync_runs", "update_sync", "start_sync"):
            assert tool in diagnosis and "Mongo to Salesforce" in diagnosis


@pytest.mark.parametrize("mode", MODES)
async def test_every_tool_has_title_hints_description_and_output_schema(sandbox: Sandbox, mode: str) -> None:
    async with mcp_session(sandbox, mode=mode) as client:
        tools = (await client.list_tools()).tools
    from polytomic_mcp.tools import ToolName

    assert [t.name for t in tools] == [t.value for t in ToolName]
    for tool in tools:
        hints = tool.annotations
        assert tool.title and hints is not None, tool.name
        assert None not in (hints.read_only_hint, hints.open_world_hint), tool.name
        meaningful = (hints.destructive_hint, hints.idempotent_hint)  # the spec reads these only when readOnlyHint is false
        assert (None in meaningful) if hints.read_only_hint else (None not in meaningful), tool.name
        assert tool.output_schema, tool.name
        assert tool.description, tool.name
        for name, prop in tool.input_schema.get("properties", {}).items():
            self_explaining = name in {"id", "limit", "dry_run", "consent_token"} or name.endswith("_id") or "enum" in prop
            assert prop.get("description") or self_explaining, f"{tool.name}.{name} needs a description"
            if _free_form(prop):
                shown = "{" in tool.description or "{" in prop.get("description", "") or any(source in prop.get("description", "") for source in ("list_connection_types", "search_api"))
                assert shown, f"{tool.name}.{name} is advertised as a bare object: its shape must be shown in a description"
    writers = {t.name for t in tools if not t.annotations.read_only_hint}
    assert writers == {"create_connection", "create_model", "create_sync", "create_bulk_sync", "start_sync", "activate_sync", "update_connection",
                       "update_model", "update_sync", "delete", "cancel_sync_run", "call_api"}
    destructive = {t.name for t in tools if t.annotations.destructive_hint}
    assert destructive == {"start_sync", "activate_sync", "update_connection", "update_model", "update_sync", "delete", "call_api"}


def _free_form(prop: dict) -> bool:
    """An object (or list of objects) advertised without its properties: the agent learns its shape from text."""
    types = prop.get("type") if isinstance(prop.get("type"), list) else [prop.get("type")]
    items = prop.get("items") or {}
    return ("object" in types and "properties" not in prop) or (items.get("type") == "object" and "properties" not in items)


async def test_resource_lists_are_bounded(sandbox: Sandbox) -> None:
    workspace = sandbox.workspace(next(iter(sandbox.workspaces)))
    for index in range(150):
        workspace.add_connection(f"c{index:03d}", "mongodb", {"hosts": "example.mongodb.net"})
    async with mcp_session(sandbox) as client:
        listing, marked = read_marked((await client.read_resource("polytomic://connections")).contents[0].text)
    assert len(marked["connections"]) == 100 and listing["total"] == 150
    assert "50 more" in listing["more"] and "list_connections" in listing["more"]


@pytest.mark.parametrize("paginate_lists,count", [(True, 150), (False, 5000)], ids=["api-paged", "api-unpaged"])
async def test_model_resource_list_is_bounded_however_the_api_pages(sandbox: Sandbox, paginate_lists: bool, count: int) -> None:
    sandbox.paginate_lists = paginate_lists
    workspace = sandbox.workspace(next(iter(sandbox.workspaces)))
    source = workspace.add_connection("PG", "postgresql", {"hostname": "db.example.com", "username": "u", "password": "p", "database": "d"})
    for index in range(count):
        workspace.add_model(f"m{index:04d}", source.id, {"table": "public.users"}, fields=["email"])
    async with mcp_session(sandbox) as client:
        listing, marked = read_marked((await client.read_resource("polytomic://models")).contents[0].text)
    assert len(marked["models"]) == 100 and listing["total"] == count
    assert f"{count - 100} more" in listing["more"] and "list_models" in listing["more"]
