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
  flood of ``initialize`` calls locks clients out. Ours keeps a quota per caller and evicts the least recently used
  idle session (the caller's own first); it
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

from .callers import caller

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
    """The SDK's session manager, with a quota per caller and, at the limit, the oldest idle session let go.

    A caller is a tenant (the session owner's subject or client id: a key, a grant's key) and, separately, a client
    address (``callers.caller``). One that already holds ``per_caller`` sessions (an open GET stream counts: it never
    goes idle) first lets go of its own oldest idle one; if it has none idle, it is refused (503). So one caller can
    neither fill the table nor, at the limit, evict everyone else's idle sessions.
    """

    def __init__(self, *args: Any, per_caller: int = 50, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.per_caller = per_caller
        self._origins: dict[str, tuple[str | None, str]] = {}
        """Session id -> (tenant, client address) of the caller that opened it."""

    def _admit_session(self, requestor: AuthorizationContext | None) -> StreamableHTTPServerTransport | None:
        origins = self._origins
        for gone in [session_id for session_id in origins if session_id not in self._server_instances]:
            del origins[gone]
        tenant = (requestor.get("subject") or requestor.get("client_id")) if requestor is not None else None
        address = caller.get()
        theirs = {session_id for session_id, (owner, where) in origins.items()
                  if where == address or (tenant is not None and owner == tenant)}
        if len(theirs) >= min(self.per_caller, self.max_sessions or self.per_caller):
            if not self._evict_oldest_idle(theirs):
                return None
        elif self.max_sessions is not None and len(self._server_instances) >= self.max_sessions:
            self._evict_oldest_idle()
        transport = super()._admit_session(requestor)
        if transport is not None and transport.mcp_session_id is not None:
            origins[transport.mcp_session_id] = (tenant, address)
        return transport

    def _evict_oldest_idle(self, among: set[str] | None = None) -> bool:
        """Forget the least recently active idle session (of ``among``, if given) now and end its server task, as its
        idle timeout would; False when there is none."""
        idle: list[tuple[float, str, CancelScope]] = [
            (scope.deadline, session_id, scope)
            for session_id, transport in self._server_instances.items()
            if (among is None or session_id in among)
            and (scope := transport.idle_scope) is not None and scope.deadline != math.inf and not scope.cancel_called
        ]
        if not idle:
            return False
        _, session_id, scope = min(idle, key=lambda entry: entry[0])
        self._server_instances.pop(session_id, None)
        self._session_owners.pop(session_id, None)
        scope.cancel()
        return True
