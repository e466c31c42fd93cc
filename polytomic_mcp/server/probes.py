"""Load-balancer probes: ``/healthz`` (the process answers) and ``/readyz`` (the Polytomic API can be reached).

Both answer before the Host/Origin and Bearer checks, because a probe comes from the platform with
the pod's address as Host, no Origin and no key. They reveal nothing: a fixed body, or a short
reason naming the error's kind. The readiness request sends no key, and its answer is never passed on.
"""

from __future__ import annotations

import json

import httpx2
from starlette.types import ASGIApp, Receive, Scope, Send

HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
READY_TIMEOUT = 3.0
"""Seconds the readiness request may take, connect included; a probe must answer well within its own timeout."""


async def polytomic_reachable(base_url: str, transport: httpx2.AsyncBaseTransport | None = None) -> str | None:
    """None when ``base_url`` answers any HTTP status (401 included), else a short reason without URL or key."""
    try:
        async with httpx2.AsyncClient(transport=transport, timeout=READY_TIMEOUT, follow_redirects=False) as http:
            await http.get(f"{base_url}/api/me")
    except httpx2.TimeoutException:
        return "polytomic api timed out"
    except httpx2.HTTPError as error:
        return f"polytomic api unreachable ({type(error).__name__})"
    return None


class Probes:
    """ASGI wrapper answering GET/HEAD ``/healthz`` and ``/readyz``; every other request goes on to ``app``."""

    def __init__(self, app: ASGIApp, base_url: str, sandbox: bool, transport: httpx2.AsyncBaseTransport | None = None) -> None:
        self.app = app
        self.base_url = base_url
        self.sandbox = sandbox
        self.transport = transport

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path") if scope["type"] == "http" else None
        if path not in (HEALTH_PATH, READY_PATH) or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        status, body = 200, {"status": "ok"}
        if path == READY_PATH and not self.sandbox:
            reason = await polytomic_reachable(self.base_url, self.transport)
            if reason is not None:
                status, body = 503, {"status": "unavailable", "reason": reason}
        await _send_json(send, status, body, with_body=scope["method"] == "GET")


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
