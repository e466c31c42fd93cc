"""Turn an HTTP error response into the matching ``APIStatusError``; runs once, at the boundary."""

from __future__ import annotations

import json
from typing import Any

import httpx2

from ._exceptions import APIStatusError, RateLimitError, status_error_class
from ._retry import retry_after_seconds
from ._secrets import redact

_REQUEST_ID_HEADERS = ("x-request-id", "x-polytomic-request-id", "request-id")
MAX_MESSAGE = 300
"""Characters of an upstream error message kept: enough to act on, never a whole echoed request."""


def bounded(message: str) -> str:
    """At most ``MAX_MESSAGE`` characters, with a visible marker when cut."""
    message = message.strip()
    if len(message) <= MAX_MESSAGE:
        return message
    return f"{message[:MAX_MESSAGE]}... [{len(message) - MAX_MESSAGE} more characters cut]"


def parse_error_body(content: bytes, reason: str) -> tuple[str, str, Any]:
    """Read ``(message, key, metadata)`` from any documented error body shape.

    Shapes: ``{"status", "message", "key", "metadata"}`` (current), 2024-02-08 401
    ``{"status": "<text>", "code", "error", "context"}``, legacy ``{"error": {"message"}}``
    and ``{"message", "status_code", "metadata"}``. Anything else falls back to the text.
    """
    try:
        body = json.loads(content) if content else None
    except ValueError:
        body = None
    if not isinstance(body, dict):
        text = content.decode("utf-8", "replace") if content else ""
        return bounded(text or reason or "error"), "", None
    message = body.get("message")
    error = body.get("error")
    if not message and isinstance(error, str):
        message = error
    if not message and isinstance(error, dict):
        message = error.get("message")
    if not message:
        message = reason or "error"
    key = body.get("key") or ""
    metadata = body.get("metadata")
    if metadata is None and body.get("context"):
        metadata = body.get("context")
    return bounded(str(message)), str(key)[:100], metadata


def build_status_error(
    response: httpx2.Response, *, secrets: tuple[str, ...], idempotency_key: str | None
) -> APIStatusError:
    """The exception for a non-2xx response: its message bounded, the key and Authorization value redacted."""
    message, key, metadata = parse_error_body(response.content, response.reason_phrase)
    request = response.request
    request_id = next((response.headers[h] for h in _REQUEST_ID_HEADERS if h in response.headers), None)
    cls = status_error_class(response.status_code)
    error = cls(
        redact(message, *secrets),
        status=response.status_code,
        key=key,
        metadata=metadata,
        request_id=request_id,
        method=request.method,
        path=request.url.path,
        idempotency_key=idempotency_key,
    )
    if isinstance(error, RateLimitError):
        error.retry_after = retry_after_seconds(response.headers)
    return error
