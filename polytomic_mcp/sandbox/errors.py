"""The API's error type and its JSON bodies, so every failure has the documented shape."""

from __future__ import annotations

from typing import Any


class QueryError(Exception):
    """A model query the warehouse would refuse, or the sandbox cannot answer as it would, with the message to show."""


class ApiError(Exception):
    """An error answered to the client as ``{"status", "message", "key", "metadata"}``."""

    def __init__(self, status: int, message: str, *, key: str = "", metadata: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.key = key
        self.metadata = metadata

    def body(self) -> dict[str, Any]:
        """Return the JSON body for this error."""
        return error_body(self.status, self.message, key=self.key, metadata=self.metadata)


def error_body(status: int, message: str, *, key: str = "", metadata: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build the standard (2025-09-18 ``ApiError``) error body."""
    return {"status": status, "message": message, "key": key, "metadata": metadata}


def legacy_unauthorized_body(message: str) -> dict[str, Any]:
    """Build the 2024-02-08 ``RestErrResponse`` body used for 401s on older API versions."""
    return {"status": "Unauthorized", "code": 401, "error": message, "context": {}}


def bad_request(message: str, **kwargs: Any) -> ApiError:
    """Return a 400 error (malformed or invalid input)."""
    return ApiError(400, message, **kwargs)


def not_found(message: str) -> ApiError:
    """Return a 404 error (an id in the path does not exist)."""
    return ApiError(404, message)


def unprocessable(message: str, **kwargs: Any) -> ApiError:
    """Return a 422 error (well-formed input that conflicts with stored or upstream state)."""
    return ApiError(422, message, **kwargs)


def conflict(message: str) -> ApiError:
    """Return a 409 error (the request conflicts with work in progress)."""
    return ApiError(409, message)


def listing(names: list[str], limit: int = 20) -> str:
    """Format a list of names for an error message, truncated after ``limit`` entries."""
    if not names:
        return "(none)"
    shown = ", ".join(names[:limit])
    return shown if len(names) <= limit else f"{shown}, … ({len(names) - limit} more)"
