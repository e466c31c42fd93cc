"""Small readers for request-body members that answer 400 with the member's name when it is missing or mistyped."""

from __future__ import annotations

from typing import Any

from ..errors import bad_request
from ..validation import json_type


def require_object(body: Any, what: str = "request body") -> dict[str, Any]:
    """Return ``body`` if it is a JSON object, else raise 400."""
    if not isinstance(body, dict):
        raise bad_request(f"{what} must be a JSON object, got {json_type(body)}")
    return body


def require_str(body: dict[str, Any], key: str, prefix: str = "") -> str:
    """Return the non-empty string member ``key``."""
    value = body.get(key)
    if value is None or value == "":
        raise bad_request(f"{prefix}{key} is required")
    if not isinstance(value, str):
        raise bad_request(f"{prefix}{key} must be a string, got {json_type(value)}")
    return value


def optional(body: dict[str, Any], key: str, kind: type | tuple[type, ...], default: Any, prefix: str = "") -> Any:
    """Return member ``key`` (or ``default`` when absent/null), checking its JSON type."""
    value = body.get(key)
    if value is None:
        return default
    expected = (kind,) if isinstance(kind, type) else kind
    if not isinstance(value, expected) or (bool not in expected and isinstance(value, bool)):
        names = {bool: "a boolean", str: "a string", list: "an array", dict: "an object", int: "an integer"}
        raise bad_request(f"{prefix}{key} must be {names.get(expected[0], expected[0].__name__)}, got {json_type(value)}")
    return value
