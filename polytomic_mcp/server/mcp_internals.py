"""The one module that uses private parts of mcp 2.3, each where no public hook exists.

Everything else in the project uses only what mcp exports publicly; ``tests/server/test_mcp_internals.py``
checks each part below against the installed SDK and fails naming the one that changed, and the architecture
test keeps private access out of every other module.

- ``low_level(server)``: ``MCPServer`` keeps its low-level ``Server`` in ``_lowlevel_server`` with no public
  accessor. It is needed to answer ``logging/setLevel`` from 2025-era clients (``MCPServer`` registers no handler
  and takes no ``on_set_logging_level``), to declare ``resources.listChanged`` on 2025-era sessions (stdio and the
  session manager call ``create_initialization_options()`` without notification options), and to build our own
  session manager (``streamable_http_app`` hard-codes the SDK's manager class).
- ``add_built_tool(server, tool)``: ``MCPServer.add_tool`` takes a function and builds its ``Tool`` anew for every
  server (its argument model and JSON Schema: 15 to 20 ms a tool); a ``Tool`` is only accepted at construction. Tools
  are added on their first call, so one built once per process (with the public ``Tool.from_function``) is put in the
  tool manager's table (``_tool_manager._tools``, name -> Tool), as ``ToolManager.add_tool`` itself does.
- ``EvictingSessionManager``: at the session limit the SDK's manager answers 503 "Too many open sessions", so a
  flood of ``initialize`` calls locks clients out. Ours evicts the least recently used idle session instead; it
  overrides ``_admit_session`` (called under the manager's creation lock, synchronously, to register a session) and
  reads ``_server_instances`` and ``_session_owners`` (session id -> transport / owner) and each transport's
  ``idle_scope``, whose deadline is infinite while a request is in flight and last activity + idle timeout otherwise.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Awaitable, Callable
from typing import Any

from anyio import CancelScope
from mcp.server import MCPServer, NotificationOptions, Server, ServerRequestContext
from mcp.server.auth.middleware.bearer_auth import AuthorizationContext
from mcp.server.mcpserver.tools import Tool
from mcp.server.streamable_http import StreamableHTTPServerTransport
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from mcp_types import EmptyResult, SetLevelRequestParams

SetLevel = Callable[[ServerRequestContext[Any, Any], SetLevelRequestParams], Awaitable[EmptyResult]]


def low_level(server: MCPServer) -> Server[Any]:
    """The SDK's low-level server behind ``server`` (see the module docstring for why it is needed)."""
    lowlevel: Server[Any] = server._lowlevel_server  # noqa: SLF001 - no public accessor in mcp 2.3
    return lowlevel


def accept_log_level(server: MCPServer, handler: SetLevel) -> None:
    """Declare the logging capability and answer ``logging/setLevel`` with ``handler`` (2025-era clients send it)."""
    low_level(server).add_request_handler("logging/setLevel", SetLevelRequestParams, handler)


def advertise_resources_list_changed(server: MCPServer) -> None:
    """Declare ``resources.listChanged`` on 2025-era sessions too (the SDK's default options say False)."""
    lowlevel = low_level(server)
    lowlevel.create_initialization_options = functools.partial(  # type: ignore[method-assign]
        lowlevel.create_initialization_options, NotificationOptions(resources_changed=True)
    )


def add_built_tool(server: MCPServer, tool: Tool) -> None:
    """Add ``tool``, already built, to ``server`` (see the module docstring for why it is needed)."""
    server._tool_manager._tools[tool.name] = tool  # noqa: SLF001 - MCPServer.add_tool always builds the tool anew


class EvictingSessionManager(StreamableHTTPSessionManager):
    """The SDK's session manager, admitting a new session at the limit by evicting the oldest idle one."""

    def _admit_session(self, requestor: AuthorizationContext | None) -> StreamableHTTPServerTransport | None:
        if self.max_sessions is not None and len(self._server_instances) >= self.max_sessions:
            self._evict_oldest_idle()
        return super()._admit_session(requestor)

    def _evict_oldest_idle(self) -> None:
        """Forget the least recently active idle session now and end its server task (as its idle timeout would)."""
        idle: list[tuple[float, str, CancelScope]] = [
            (scope.deadline, session_id, scope)
            for session_id, transport in self._server_instances.items()
            if (scope := transport.idle_scope) is not None and scope.deadline != math.inf and not scope.cancel_called
        ]
        if not idle:
            return
        _, session_id, scope = min(idle, key=lambda entry: entry[0])
        self._server_instances.pop(session_id, None)
        self._session_owners.pop(session_id, None)
        scope.cancel()
