"""Stateful HTTP sessions that cannot be used up: at the limit the least recently used idle session makes room.

The SDK's manager answers 503 "Too many open sessions" once ``max_sessions`` are open, so a flood of
``initialize`` calls locks legitimate clients out until the flood's sessions expire. Here a new
session instead evicts the idle session whose last request ended longest ago (its id then answers
404 and its client initializes again); 503 remains only when every session has a request in flight.
"""

from __future__ import annotations

import math

from anyio import CancelScope
from mcp.server.auth.middleware.bearer_auth import AuthorizationContext
from mcp.server.streamable_http import StreamableHTTPServerTransport
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager


class EvictingSessionManager(StreamableHTTPSessionManager):
    """The SDK's session manager, admitting a new session at the limit by evicting the oldest idle one.

    Private parts of mcp 2.3 used here, and only here: ``_admit_session`` (called under the
    manager's creation lock, synchronously, to register a session), ``_server_instances`` and
    ``_session_owners`` (session id -> transport / owner), and the transport's ``idle_scope``,
    whose deadline is infinite while a request is in flight and last activity + idle timeout otherwise.
    """

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
