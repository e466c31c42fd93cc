"""Cut off slow and oversized HTTP requests: headers and bodies must arrive within a time limit, bodies within a size.

A client that trickles one byte every few seconds would otherwise hold a connection (and, for a
body, a request task) for as long as it likes: uvicorn 0.54's keep-alive timer is cancelled by any
received byte and it has no header-read timeout of its own.
"""

from __future__ import annotations

import asyncio
from collections import deque

import anyio
import h11
from mcp.server.transport_security import DEFAULT_MAX_REQUEST_BODY_SIZE
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

SMALL_BODY = 64 * 1024
"""The largest body accepted outside /mcp (OAuth registration, token and revocation forms, the key and approval pages)."""


class BodyLimits:
    """ASGI wrapper: a request body must be complete within ``seconds`` (else 408) and within its size (else 413).

    The size is ``max_bytes`` on ``large_paths`` (/mcp: the SDK's own limit, answered with its own text) and
    ``SMALL_BODY`` elsewhere. A declared
    ``Content-Length`` over it is refused before anything is read; otherwise the body is read ahead, timed as a whole,
    and refused as soon as it passes the size, so nothing parses a body larger than that or waits on one longer.
    The app gets the body replayed once it is complete. Both refusals close the connection.
    """

    def __init__(self, app: ASGIApp, seconds: float, large_paths: tuple[str, ...] = (),
                 max_bytes: int = DEFAULT_MAX_REQUEST_BODY_SIZE) -> None:
        self.app = app
        self.seconds = seconds
        self.large_paths = large_paths
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH", "DELETE"):
            await self.app(scope, receive, send)
            return
        limit = self.max_bytes if scope["path"] in self.large_paths else SMALL_BODY
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _refuse(scope, receive, send, 413, "Request body too large")
            return
        messages: deque[Message] = deque()
        with anyio.move_on_after(self.seconds) as timer:
            within = await _read_body(receive, messages, limit)
        if timer.cancelled_caught:
            await _refuse(scope, receive, send, 408, "Request body not received in time")
            return
        if not within:
            await _refuse(scope, receive, send, 413, "Request body too large")
            return

        async def replay() -> Message:
            return messages.popleft() if messages else await receive()

        await self.app(scope, replay, send)


async def _read_body(receive: Receive, messages: deque[Message], limit: int) -> bool:
    """Receive until the body is complete or the client is gone (True), or until it passes ``limit`` bytes (False)."""
    size = 0
    while True:
        message = await receive()
        messages.append(message)
        size += len(message.get("body", b""))
        if size > limit:
            return False
        if message["type"] != "http.request" or not message.get("more_body", False):
            return True


async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, text: str) -> None:
    """Answer ``status`` with ``text`` and close the connection (the rest of the body is never read)."""
    await PlainTextResponse(text, status_code=status, headers={"connection": "close"})(scope, receive, send)


class HeaderTimeoutH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, closing a connection whose request headers are not complete ``header_timeout`` s after
    the connection opened or the request's first byte arrived."""

    header_timeout: float = 10.0
    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._start_header_clock()

    def data_received(self, data: bytes) -> None:
        if self.conn.their_state is h11.IDLE:
            self._start_header_clock()
        super().data_received(data)
        self._stop_header_clock_once_headers_are_in()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self.conn.their_state is h11.IDLE and self.conn.trailing_data[0]:
            self._start_header_clock()
        self._stop_header_clock_once_headers_are_in()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_header_clock()
        super().connection_lost(exc)

    def _start_header_clock(self) -> None:
        """Start the clock for the next request's headers, unless it is already running."""
        if self._header_timer is None:
            self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _stop_header_clock_once_headers_are_in(self) -> None:
        """h11 leaves IDLE for the client's side once a request's headers are complete."""
        if self.conn.their_state is not h11.IDLE:
            self._stop_header_clock()

    def _stop_header_clock(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if not self.transport.is_closing():
            self.transport.close()


def h11_with_header_timeout(seconds: float) -> type[H11Protocol]:
    """An h11 protocol class for ``uvicorn.Config(http=...)`` with this header timeout."""
    return type("H11ProtocolWithHeaderTimeout", (HeaderTimeoutH11Protocol,), {"header_timeout": seconds})
