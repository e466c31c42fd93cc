"""Structured access logs: one JSON line per HTTP request on the ``polytomic_mcp.access`` logger.

Each line has a request id (also sent back as ``X-Request-Id``), method, path, status,
duration_ms, the tenant as a short hash of the bearer key (never the key; under ``--auth oauth``, of the grant the
token belongs to, so it stays the same across refreshes), the tool of a
``tools/call`` and the outcome. The tool is read from the request body as it passes to the
app (nothing extra is buffered beyond a copy of the first ``MAX_BODY_PEEK`` bytes). Lines go
through the logging module, so the record factory of ``install_log_scrubbing`` scrubs them too.
An approval link's id is a capability, so such a path is logged as ``/consent/…``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
import time
import uuid
from typing import Any, TextIO

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .approval_page import CONSENT_PATH
from .state import bearer_key

logger = logging.getLogger("polytomic_mcp.access")
MAX_BODY_PEEK = 65_536
"""Bytes of a POST body kept to find a ``tools/call``'s tool name; a longer body is logged without it."""
TENANT_HASH_CHARS = 12


def tenant_hash(key: str) -> str:
    """First 12 hex digits of the key's SHA-256: enough to tell tenants apart in logs, useless to recover the key."""
    return hashlib.sha256(key.encode()).hexdigest()[:TENANT_HASH_CHARS]


def tool_name(body: bytes) -> str | None:
    """The tool of a JSON-RPC ``tools/call`` request body, or None (other methods, batches, unparsable bodies)."""
    try:
        message = json.loads(body)
    except ValueError:
        return None
    if not isinstance(message, dict) or message.get("method") != "tools/call":
        return None
    params = message.get("params")
    name = params.get("name") if isinstance(params, dict) else None
    return name if isinstance(name, str) else None


def loggable_path(path: str) -> str:
    """The request path for the log, with an approval link's id left out (whoever holds it may decide the change)."""
    return f"{CONSENT_PATH}/…" if ("/" + path.lstrip("/")).startswith(f"{CONSENT_PATH}/") else path


def configure_access_log(stream: TextIO = sys.stderr) -> None:
    """Write access lines as bare JSON to ``stream`` (not through the root handler's text prefix), once."""
    if not logger.handlers:
        handler = logging.StreamHandler(stream)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


class AccessLog:
    """ASGI wrapper (outermost): times each HTTP request, tags its response with ``X-Request-Id`` and logs one line."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = uuid.uuid4().hex
        started = time.perf_counter()
        status = 500
        body = bytearray()
        peek = scope["method"] == "POST"

        async def observed_receive() -> Message:
            message = await receive()
            if peek and message["type"] == "http.request" and len(body) <= MAX_BODY_PEEK:
                body.extend(message.get("body", b"")[: MAX_BODY_PEEK + 1 - len(body)])
            return message

        async def tagged_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", []), (b"x-request-id", request_id.encode())]}
            await send(message)

        try:
            await self.app(scope, observed_receive, tagged_send)
        finally:
            logger.info(json.dumps(self._line(scope, request_id, status, started, bytes(body))))

    @staticmethod
    def _line(scope: Scope, request_id: str, status: int, started: float, body: bytes) -> dict[str, Any]:
        """The access-log record of one finished request."""
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        key = bearer_key(headers)
        grant = getattr(getattr(scope.get("user"), "access_token", None), "grant_id", None)
        tool = tool_name(body) if body and len(body) <= MAX_BODY_PEEK else None
        return {
            "request_id": request_id,
            "method": scope["method"],
            "path": loggable_path(scope["path"]),
            "status": status,
            "duration_ms": round((time.perf_counter() - started) * 1000, 2),
            "tenant": tenant_hash(grant) if isinstance(grant, str) else tenant_hash(key) if key else None,
            "tool": tool,
            "outcome": "ok" if status < 400 else "error",
        }
