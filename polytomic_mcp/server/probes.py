"""Load-balancer probes: ``/healthz`` (the process answers) and ``/readyz`` (Polytomic and the shared state answer).

Both answer before the Host/Origin and Bearer checks, because a probe comes from the platform with
the pod's address as Host, no Origin and no key. They reveal nothing: a fixed body, or a short
reason naming the error's kind. The readiness request sends no key, and its answer is never passed on.

Anyone can call /readyz, so it costs next to nothing: one HTTP client (with its TLS context) for the
process, the upstream's answer kept for ``READY_CACHE`` seconds, and probes arriving meanwhile wait
for the one check in flight. Before, each probe built a client, SSL context and CA bundle (23 ms of
CPU) and went upstream: 45 anonymous probes a second took a core. /readyz names the shared-state backend
(``memory`` or ``redis``); with Redis, a PING (cached the same way) that fails makes the replica unready.
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable

import anyio
import httpx2
from starlette.types import ASGIApp, Receive, Scope, Send

from polytomic_mcp.shared_state import MemoryState, SharedState, StateUnavailable

HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
READY_TIMEOUT = 3.0
"""Seconds the readiness request may take, connect included; a probe must answer well within its own timeout."""
READY_CACHE = 5.0
"""Seconds a readiness answer is reused."""


class CachedCheck:
    """A readiness check run at most once per ``READY_CACHE`` seconds; probes arriving meanwhile share its answer."""

    def __init__(self, check: Callable[[], Awaitable[str | None]], clock: Callable[[], float] = time.monotonic) -> None:
        self._run = check
        self._clock = clock
        self._answer: tuple[float, str | None] | None = None
        self._lock = anyio.Lock()
        self.checks = 0
        """Checks made (for tests and the benchmark)."""

    async def reason(self) -> str | None:
        """None when the check passed lately, else its short reason."""
        async with self._lock:
            if self._answer is None or self._clock() - self._answer[0] >= READY_CACHE:
                self.checks += 1
                self._answer = (self._clock(), await self._run())
            return self._answer[1]


class Readiness(CachedCheck):
    """Whether Polytomic answers (any HTTP status, 401 included), checked with one long-lived client; the reason
    names no URL or key."""

    def __init__(self, base_url: str, transport: httpx2.AsyncBaseTransport | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(self._check, clock)
        self.base_url = base_url
        self._transport = transport
        self._http: httpx2.AsyncClient | None = None

    async def _check(self) -> str | None:
        if self._http is None:
            self._http = httpx2.AsyncClient(transport=self._transport, timeout=READY_TIMEOUT, follow_redirects=False)
        try:
            await self._http.get(f"{self.base_url}/api/me")
        except httpx2.TimeoutException:
            return "polytomic api timed out"
        except httpx2.HTTPError as error:
            return f"polytomic api unreachable ({type(error).__name__})"
        return None


def state_check(state: SharedState) -> Callable[[], Awaitable[str | None]]:
    """A check that the shared state answers a ping, its reason naming only the error's kind."""

    async def check() -> str | None:
        try:
            await state.ping()
        except StateUnavailable:
            return f"shared state ({state.backend}) unreachable"
        return None

    return check


class Probes:
    """ASGI wrapper answering GET/HEAD ``/healthz`` and ``/readyz``; every other request goes on to ``app``."""

    def __init__(self, app: ASGIApp, base_url: str, sandbox: bool, transport: httpx2.AsyncBaseTransport | None = None,
                 shared_state: SharedState | None = None) -> None:
        self.app = app
        self.sandbox = sandbox
        self.readiness = Readiness(base_url, transport)
        self.shared_state = shared_state or MemoryState()
        self.state_readiness = CachedCheck(state_check(self.shared_state))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path") if scope["type"] == "http" else None
        if path not in (HEALTH_PATH, READY_PATH) or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        status, body = 200, {"status": "ok"}
        if path == READY_PATH:
            status, body = await self._ready()
        await _send_json(send, status, body, with_body=scope["method"] == "GET")

    async def _ready(self) -> tuple[int, dict[str, str]]:
        """/readyz: the shared state's backend, and 503 with the first reason when it or Polytomic cannot be reached."""
        state = self.shared_state.backend
        reason = await self.state_readiness.reason()
        if reason is None and not self.sandbox:
            reason = await self.readiness.reason()
        if reason is not None:
            return 503, {"status": "unavailable", "reason": reason, "state": state}
        return 200, {"status": "ok", "state": state}


async def _send_json(send: Send, status: int, payload: dict[str, str], with_body: bool) -> None:
    """One complete JSON response (HEAD gets the headers only)."""
    body = json.dumps(payload, separators=(",", ":")).encode()
    await send({
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"cache-control", b"no-store"),
        ],
    })
    await send({"type": "http.response.body", "body": body if with_body else b""})
