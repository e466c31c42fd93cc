"""Tools are listed from the generated manifest and added with the SDK's own ``add_tool`` on their first call."""

from __future__ import annotations

import pytest
from mcp import Client
from mcp.server.mcpserver.tools import Tool

from dev.schema_compact import compact_input_schema
from polytomic_mcp.server import build_server
from polytomic_mcp.settings import Settings
from polytomic_mcp.tools import ToolName, load_tools
from polytomic_mcp.tools.core.manifest import entries

pytestmark = pytest.mark.anyio


async def test_a_tool_is_added_on_its_first_call_and_still_validates() -> None:
    server = build_server(Settings(sandbox=True))
    assert "list_connections" in server.tools_to_add
    async with Client(server) as client:
        before = (await client.list_tools()).tools
        good = await client.call_tool("list_connections", {})
        bad = await client.call_tool("list_connections", {"limit": "many"})
        after = (await client.list_tools()).tools
    assert "list_connections" not in server.tools_to_add and "create_sync" in server.tools_to_add
    assert good.is_error is False
    assert bad.is_error is True and "limit" in bad.content[0].text
    assert before == after, "tools/list is the manifest's, before and after a tool is added"


async def test_an_unexposed_tool_is_never_added() -> None:
    server = build_server(Settings(sandbox=True, read_only=True))
    assert "create_sync" not in server.tools_to_add
    async with Client(server) as client:
        refused = await client.call_tool("create_sync", {})
    assert refused.is_error and "read-only" in refused.content[0].text


def test_the_manifest_lists_what_the_sdk_makes_of_each_declared_tool() -> None:
    """Title, description, hints and (compacted) input schema are what ``Tool.from_function`` gives the declared tool."""
    specs = load_tools()
    manifest = entries()
    assert list(manifest) == [t.value for t in ToolName]
    for name, spec in specs.items():
        sdk = Tool.from_function(spec.fn, name=name, title=spec.title, description=spec.description,
                                 annotations=spec.annotations, structured_output=False)
        listed = manifest[name].listed()
        assert (listed.title, listed.description, listed.annotations) == (sdk.title, sdk.description, sdk.annotations), name
        assert listed.input_schema == compact_input_schema(sdk.parameters), name
        assert manifest[name].toolset == spec.toolset and manifest[name].guards_writes == spec.guards_writes, name
