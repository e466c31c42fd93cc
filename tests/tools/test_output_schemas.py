"""The precomputed input and output schemas shipped in the package match the tools, and tools registered from them
build their argument models on first call."""

from __future__ import annotations

import pytest
from mcp import Client
from mcp.server.mcpserver.tools.base import Tool

from polytomic_mcp.server import build_server
from polytomic_mcp.server.contract import input_schemas, output_schemas
from polytomic_mcp.settings import Settings
from polytomic_mcp.tools import SPECS
from polytomic_mcp.tools._framework.deferred import DeferredArguments
from polytomic_mcp.tools._framework.input_schemas import load as load_inputs
from polytomic_mcp.tools._framework.output_schemas import load
from polytomic_mcp.tools._framework.schema_compact import compact_input_schema


def test_committed_output_schemas_are_current() -> None:
    assert load() == output_schemas(), (
        "result models changed: run `python -m polytomic_mcp.server.contract --write-schemas` and commit the file"
    )


def test_committed_input_schemas_are_current() -> None:
    assert load_inputs() == input_schemas(), (
        "tool parameters changed: run `python -m polytomic_mcp.server.contract --write-schemas` and commit the file"
    )


@pytest.mark.anyio
async def test_deferred_tools_build_their_argument_model_on_first_call_and_still_validate() -> None:
    server = build_server(Settings(sandbox=True))
    tool = server._tool_manager.get_tool("list_connections")  # noqa: SLF001 - the registered SDK tool
    assert tool is not None and isinstance(tool.fn_metadata, DeferredArguments)
    assert "arg_model" not in tool.fn_metadata.__dict__
    async with Client(server) as client:
        good = await client.call_tool("list_connections", {})
        bad = await client.call_tool("list_connections", {"limit": "many"})
    assert "arg_model" in tool.fn_metadata.__dict__
    assert good.is_error is False and bad.is_error is True


def plans(value: object) -> object:
    """Resolver plans by value (the SDK's plan objects compare by identity)."""
    if isinstance(value, dict):
        return {key: plans(item) for key, item in value.items()}
    if hasattr(value, "__dict__") and not callable(value):
        return (type(value).__name__, plans(vars(value)))
    return value


def test_deferred_tools_equal_what_the_sdk_would_register() -> None:
    """Same schema, context parameter, resolvers and resolver plans as ``Tool.from_function`` gives."""
    server = build_server(Settings(sandbox=True))
    for name, spec in SPECS.items():
        deferred = server._tool_manager.get_tool(name)  # noqa: SLF001 - the registered SDK tool
        sdk = Tool.from_function(spec.fn, name=name, structured_output=False)
        assert deferred is not None and isinstance(deferred.fn_metadata, DeferredArguments), name
        assert deferred.parameters == compact_input_schema(sdk.parameters), name
        assert (deferred.context_kwarg, deferred.is_async) == (sdk.context_kwarg, sdk.is_async), name
        assert deferred.resolved_params.keys() == sdk.resolved_params.keys(), name
        assert plans(deferred.resolver_plans) == plans(sdk.resolver_plans), name
        assert deferred.fn_metadata.arg_model.model_json_schema() == sdk.fn_metadata.arg_model.model_json_schema(), name
