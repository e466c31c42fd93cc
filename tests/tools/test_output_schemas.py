"""The tool manifest and output schemas shipped in the package match the tools, and tools registered from them
load on their first call into what the SDK would have registered."""

from __future__ import annotations

from typing import Any

import pytest
from mcp import Client
from mcp.server.mcpserver.tools.base import Tool

from polytomic_mcp.server import build_server
from polytomic_mcp.server.contract import manifest, output_schemas
from polytomic_mcp.settings import Settings
from polytomic_mcp.tools import SPECS
from polytomic_mcp.tools._framework.deferred import DeferredTool, not_loaded
from polytomic_mcp.tools._framework.manifest import Entry, entries
from polytomic_mcp.tools._framework.output_schemas import load
from polytomic_mcp.tools._framework.schema_compact import compact_input_schema


def test_committed_output_schemas_are_current() -> None:
    assert load() == output_schemas(), (
        "result models changed: run `python -m polytomic_mcp.server.contract --write-schemas` and commit the file"
    )


def test_committed_manifest_is_current() -> None:
    assert {name: raw(entry) for name, entry in entries().items()} == manifest(), (
        "tools changed: run `python -m polytomic_mcp.server.contract --write-schemas` and commit the files"
    )


def raw(entry: Entry) -> dict[str, Any]:
    """A manifest entry as written in the file."""
    return {"title": entry.title, "annotations": entry.annotations.model_dump(mode="json", by_alias=True, exclude_none=True),
            "toolset": entry.toolset, "guards_writes": entry.guards_writes, "context": entry.context,
            "input_schema": entry.input_schema}


@pytest.mark.anyio
async def test_tools_load_on_their_first_call_and_still_validate() -> None:
    server = build_server(Settings(sandbox=True))
    tool = server._tool_manager.get_tool("list_connections")  # noqa: SLF001 - the registered SDK tool
    assert isinstance(tool, DeferredTool) and tool.fn is not_loaded
    async with Client(server) as client:
        good = await client.call_tool("list_connections", {})
        bad = await client.call_tool("list_connections", {"limit": "many"})
    assert tool.fn is SPECS["list_connections"].fn
    assert good.is_error is False and bad.is_error is True


def plans(value: object) -> object:
    """Resolver plans by value (the SDK's plan objects compare by identity)."""
    if isinstance(value, dict):
        return {key: plans(item) for key, item in value.items()}
    if hasattr(value, "__dict__") and not callable(value):
        return (type(value).__name__, plans(vars(value)))
    return value


def test_loaded_tools_equal_what_the_sdk_would_register() -> None:
    """After loading: same schema, context parameter, resolvers and resolver plans as ``Tool.from_function`` gives,
    and tools/list's view of each tool is the SDK's."""
    server = build_server(Settings(sandbox=True))
    for name, spec in SPECS.items():
        deferred = server._tool_manager.get_tool(name)  # noqa: SLF001 - the registered SDK tool
        sdk = Tool.from_function(spec.fn, name=name, title=spec.title, description=spec.description,
                                 annotations=spec.annotations, structured_output=False)
        assert isinstance(deferred, DeferredTool), name
        assert deferred.parameters == compact_input_schema(sdk.parameters), name
        assert (deferred.title, deferred.description, deferred.annotations) == (sdk.title, sdk.description, sdk.annotations)
        deferred.load()
        assert (deferred.context_kwarg, deferred.is_async) == (sdk.context_kwarg, sdk.is_async), name
        assert deferred.resolved_params.keys() == sdk.resolved_params.keys(), name
        assert plans(deferred.resolver_plans) == plans(sdk.resolver_plans), name
        assert deferred.fn_metadata.arg_model.model_json_schema() == sdk.fn_metadata.arg_model.model_json_schema(), name
        assert deferred.fn_metadata.output_schema == load()[name], name
