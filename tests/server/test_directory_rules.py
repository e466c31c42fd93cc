"""The public connector directory's rules, applied to every tool in every mode the server runs in.

Rules, from Anthropic's MCP Directory Policy (https://support.claude.com/en/articles/11697096-anthropic-mcp-directory-policy)
and its submission guide (https://support.claude.com/en/articles/12922832-local-mcp-server-submission-guide, "Are tool
annotations required?": every tool carries readOnlyHint true or destructiveHint, and a title): each tool has a title,
and readOnlyHint true or an explicit destructiveHint; tool names are at most 64 characters (the limit the directory
and Claude's API put on tool names). Ours on top: every tool has an icon (a self-contained ``data:`` SVG), and the hints
are honest in each mode: where writes are off (``--read-only``, a read-only OAuth grant) every listed tool reads only.
"""

from __future__ import annotations

import re

import pytest
from mcp import Client
from mcp_types import Tool
from server_support import api_client, read_only_tenant_server

from polytomic_mcp.sandbox import Sandbox
from polytomic_mcp.server import build_server
from polytomic_mcp.server.tool_listing import LIST_CACHE_HINTS
from polytomic_mcp.settings import TOOLSETS, Settings

pytestmark = pytest.mark.anyio

NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
CONFIGURATIONS: dict[str, Settings] = {
    "default": Settings(sandbox=True),
    "read-only": Settings(sandbox=True, read_only=True),
    **{f"toolsets={name}": Settings(sandbox=True, toolsets=frozenset({name})) for name in TOOLSETS},
    **{f"read-only toolsets={name}": Settings(sandbox=True, read_only=True, toolsets=frozenset({name})) for name in TOOLSETS},
    "tools=call_api,delete": Settings(sandbox=True, tools=frozenset({"call_api", "delete"})),
    "read-only tools=call_api,list_syncs": Settings(sandbox=True, read_only=True, tools=frozenset({"call_api", "list_syncs"})),
}


def broken_rules(tool: Tool) -> list[str]:
    """The directory rules ``tool`` breaks (empty when it meets them all)."""
    hints = tool.annotations
    broken = []
    if not NAME.match(tool.name):
        broken.append("name longer than 64 characters or not [A-Za-z0-9_-]")
    if not (tool.title or "").strip():
        broken.append("no title")
    if hints is None or not (hints.read_only_hint is True or (hints.read_only_hint is False and hints.destructive_hint is not None)):
        broken.append("neither readOnlyHint true nor an explicit destructiveHint")
    if not tool.icons or not all(icon.src.startswith("data:image/svg+xml,") for icon in tool.icons):
        broken.append("no self-contained SVG icon")
    return broken


@pytest.mark.parametrize("configuration", list(CONFIGURATIONS))
async def test_every_tool_meets_the_directory_rules(configuration: str) -> None:
    settings = CONFIGURATIONS[configuration]
    async with Client(build_server(settings), mode="legacy") as client:
        tools = (await client.list_tools()).tools
    assert tools, f"{configuration}: no tools listed"
    assert {tool.name: broken_rules(tool) for tool in tools if broken_rules(tool)} == {}
    if settings.read_only:
        assert [tool.name for tool in tools if not (tool.annotations and tool.annotations.read_only_hint)] == []


async def test_call_api_lists_as_read_only_only_where_writes_are_off() -> None:
    for read_only in (False, True):
        async with Client(build_server(Settings(sandbox=True, read_only=read_only, toolsets=frozenset({"api"}))),
                          mode="legacy") as client:
            call_api = next(t for t in (await client.list_tools()).tools if t.name == "call_api")
        assert call_api.annotations is not None
        assert call_api.annotations.read_only_hint is read_only
        assert call_api.annotations.destructive_hint is (None if read_only else True)


@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_a_read_only_grant_lists_only_tools_that_read(sandbox: Sandbox, mode: str) -> None:
    async with api_client(sandbox) as api, Client(read_only_tenant_server(api), mode=mode) as client:
        tools = (await client.list_tools()).tools
    assert "call_api" in {tool.name for tool in tools}
    assert {tool.name: broken_rules(tool) for tool in tools if broken_rules(tool)} == {}
    assert [tool.name for tool in tools if not (tool.annotations and tool.annotations.read_only_hint)] == []


async def test_fixed_lists_carry_cache_hints_under_2026_07_28() -> None:
    async with Client(build_server(Settings(sandbox=True)), mode="auto") as client:
        assert client.protocol_version == "2026-07-28"
        tools = await client.list_tools()
        prompts = await client.list_prompts()
        resources = await client.list_resources()
    hint = LIST_CACHE_HINTS["tools/list"]
    assert (tools.ttl_ms, tools.cache_scope) == (hint.ttl_ms, "private") == (prompts.ttl_ms, prompts.cache_scope)
    assert hint.ttl_ms > 0
    assert resources.ttl_ms == 0, "resources/list shows workspace data and must not be cached"
