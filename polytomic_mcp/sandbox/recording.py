"""The request log entry, so tests can assert exactly what a client sent and what it got back."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs


@dataclass
class RecordedRequest:
    """One received request: body is parsed JSON, the raw text when it is not JSON, or None when empty.

    ``status`` is 0 until the response is produced; ``fault`` names the injected fault, if any;
    ``replayed`` is True when an idempotent replay answered it.
    """

    method: str
    path: str
    query: dict[str, list[str]] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    status: int = 0
    fault: str | None = None
    replayed: bool = False

    @classmethod
    def from_scope(cls, scope: Mapping[str, Any], raw_body: bytes) -> RecordedRequest:
        """Build an entry from an ASGI scope and the full request body."""
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        return cls(scope["method"], scope["path"], query, headers, decode_body(raw_body))


def decode_body(raw: bytes) -> Any:
    """Return parsed JSON, the text when it does not parse, or None for an empty body."""
    if not raw:
        return None
    text = raw.decode("utf-8", errors="replace")
    try:
        return json.loads(text)
    except ValueError:
        return text
