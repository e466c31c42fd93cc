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


async def test_one_caller_can_neither_fill_the_session_table_nor_evict_everyone_elses_sessions() -> None:
    """Before: 1,000 sessions each holding an open GET stream (never idle, so never evicted) made every new
    initialize answer 503, and 1,000 initialize from one token evicted another tenant's idle session."""
    from anyio import CancelScope

    from polytomic_mcp.server.callers import caller

    manager = EvictingSessionManager(app=low_level(MCPServer("t")), max_sessions=10, per_caller=3)

    def admit(address: str, subject: str | None = None, *, streaming: bool = False, idle_since: float = 0.0) -> str | None:
        token = caller.set(address)
        try:
            requestor = {"client_id": "c", "issuer": None, "subject": subject} if subject else None
            transport = manager._admit_session(requestor)  # type: ignore[arg-type]
        finally:
            caller.reset(token)
        if transport is None:
            return None
        transport.idle_scope = CancelScope(deadline=float("inf") if streaming else idle_since + 60)
        return transport.mcp_session_id

    user = admit("198.51.100.1", idle_since=0)
    held = [admit("203.0.113.9", streaming=True) for _ in range(3)]
    assert None not in held and admit("203.0.113.9", streaming=True) is None, "streams count against the caller's quota"
    assert admit("198.51.100.2") is not None, "everyone else still gets in"
    own_idle = [admit("192.0.2.7", idle_since=float(t)) for t in range(1, 4)]
    fourth = admit("192.0.2.7", idle_since=10)
    assert fourth is not None and own_idle[0] not in manager._server_instances, "a caller at its quota lets go of its own oldest idle session"
    assert user in manager._server_instances and all(h in manager._server_instances for h in held)
    by_tenant = [admit(f"10.0.0.{n}", subject="tenant-x", streaming=True) for n in range(5)]
    assert by_tenant.count(None) == 2, "one tenant from many addresses has the same quota"
