"""The private parts of mcp that ``server/mcp_internals.py`` relies on are still there, shaped as it expects.

Each check names the part, so an SDK upgrade that moves one fails here first, before the behaviour tests
(``test_logging``, ``test_resources``, ``tests/security/test_http_sessions.py``) fail less clearly.
"""

from __future__ import annotations

import inspect
import warnings
from importlib.metadata import version

import pytest
from mcp import Client, MCPDeprecationWarning
from mcp.server import MCPServer, Server
from mcp.server.streamable_http import StreamableHTTPServerTransport
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager

from polytomic_mcp.server import build_server
from polytomic_mcp.server.mcp_internals import EvictingSessionManager, low_level
from polytomic_mcp.settings import Settings

pytestmark = pytest.mark.anyio


def test_the_sdk_is_the_2x_line_these_parts_were_written_for() -> None:
    assert version("mcp").split(".")[0] == "2", "mcp_internals was written against mcp 2.x: recheck every part it names"


def test_mcpserver_keeps_a_low_level_server_with_handlers_and_initialization_options() -> None:
    lowlevel = low_level(MCPServer("t"))
    assert isinstance(lowlevel, Server), "MCPServer._lowlevel_server is gone or no longer the low-level Server"
    assert "notification_options" in inspect.signature(lowlevel.create_initialization_options).parameters, (
        "Server.create_initialization_options no longer takes notification_options"
    )
    assert list(inspect.signature(lowlevel.add_request_handler).parameters)[:3] == ["method", "params_type", "handler"], (
        "Server.add_request_handler(method, params_type, handler) changed"
    )


async def test_the_server_declares_list_changed_and_logging_to_2025_clients() -> None:
    async with Client(build_server(Settings(sandbox=True)), mode="legacy") as client:
        capabilities = client.server_capabilities
        assert capabilities is not None and capabilities.resources is not None
        assert capabilities.resources.list_changed is True
        assert capabilities.logging is not None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", MCPDeprecationWarning)  # the client warns; the server must still answer
            await client.set_logging_level("error")


def test_the_session_manager_admits_sessions_through_the_method_and_tables_we_override() -> None:
    assert "requestor" in inspect.signature(StreamableHTTPSessionManager._admit_session).parameters, (
        "StreamableHTTPSessionManager._admit_session(requestor) changed"
    )
    manager = EvictingSessionManager(app=low_level(MCPServer("t")), max_sessions=2)
    assert isinstance(manager._server_instances, dict), "StreamableHTTPSessionManager._server_instances changed"
    assert isinstance(manager._session_owners, dict), "StreamableHTTPSessionManager._session_owners changed"
    transport = StreamableHTTPServerTransport(mcp_session_id="s")
    assert transport.idle_scope is None, "StreamableHTTPServerTransport.idle_scope changed"


async def test_a_tool_built_once_is_added_to_each_server_through_the_tool_managers_table() -> None:
    from mcp.server.mcpserver.tools import Tool

    from polytomic_mcp.server.mcp_internals import add_built_tool

    async def echo(text: str) -> str:
        return text

    tool = Tool.from_function(echo, name="echo")
    assert isinstance(MCPServer("t")._tool_manager._tools, dict), "MCPServer._tool_manager._tools (name -> Tool) changed"
    for server in (MCPServer("a"), MCPServer("b")):
        add_built_tool(server, tool)
        async with Client(server) as client:
            assert [listed.name for listed in (await client.list_tools()).tools] == ["echo"]
            assert (await client.call_tool("echo", {"text": "hi"})).content[0].text == "hi"
