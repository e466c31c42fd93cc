"""Cut off slow HTTP clients: request headers and POST bodies must arrive within a time limit.

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


class BodyTimeout:
    """ASGI wrapper: a POST whose whole body has not arrived within ``seconds`` gets 408 and its connection closed.

    The body is read ahead (up to ``max_buffered`` bytes; past that the SDK's size limit answers 413)
    and replayed to the app, so a request is only handed on once its body is complete.
    """

    def __init__(self, app: ASGIApp, seconds: float, max_buffered: int = DEFAULT_MAX_REQUEST_BODY_SIZE) -> None:
        self.app = app
        self.seconds = seconds
        self.max_buffered = max_buffered

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        messages: deque[Message] = deque()
        with anyio.move_on_after(self.seconds) as timer:
            await self._read_body(receive, messages)
        if timer.cancelled_caught:
            response = PlainTextResponse("Request body not received in time", status_code=408, headers={"connection": "close"})
            await response(scope, receive, send)
            return

        async def replay() -> Message:
            return messages.popleft() if messages else await receive()

        await self.app(scope, replay, send)

    async def _read_body(self, receive: Receive, messages: deque[Message]) -> None:
        """Receive until the body is complete, the client is gone, or more than ``max_buffered`` bytes came."""
        size = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request" or not message.get("more_body", False):
                return
            size += len(message.get("body", b""))
            if size > self.max_buffered:
                return


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
