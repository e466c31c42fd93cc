"""The one exception tree of the Polytomic client.

Every failure the client reports is a ``PolytomicError``::

    PolytomicError
    ├── APIStatusError              the API answered with an error status
    │   ├── BadRequestError         400
    │   ├── AuthenticationError     401
    │   ├── PermissionDeniedError   403
    │   ├── NotFoundError           404
    │   ├── ConflictError           409 (idempotency lock, sync already running, ...)
    │   ├── UnprocessableEntityError 422 (semantic validation, "connection in use": ``used_by``)
    │   ├── RateLimitError          429
    │   └── ServerError             5xx
    ├── TransportError              no answer: connection refused, reset, dropped
    │   └── RequestTimeoutError     no answer in time
    ├── JobError                    an asynchronous API job did not succeed
    │   ├── JobFailedError          the job ended in ``failed``
    │   ├── JobTimeoutError         the job was still running when we stopped waiting
    │   └── JobPollError            the job's progress could not be read (it may finish)
    ├── InvalidRequestError         the request cannot be built (e.g. not expressible
    │                               in the pinned API version); nothing was sent
    └── ResponseParseError          a 2xx answer whose body is not what the API documents

Status errors keep the API's ``status``, ``message``, ``key`` and ``metadata`` plus the
request id when the API sends one. Messages never contain the API key: the client
redacts it before an error is built. Errors raised for a POST/PUT carry the
``idempotency_key`` that was used, so a caller can retry the same logical call.
"""

from __future__ import annotations

import re
from typing import Any

from ._used_by import UsedBy, parse_used_by

ROUTE_MISSING = re.compile(r"no route|page not found|unknown (?:route|path|endpoint)|^\s*not found\s*$", re.IGNORECASE)
"""What a 404 says when the server has no such path (a router's answer), not when an object is missing."""

__all__ = [
    "APIStatusError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InvalidRequestError",
    "JobError",
    "JobFailedError",
    "JobPollError",
    "JobTimeoutError",
    "NotFoundError",
    "PermissionDeniedError",
    "PolytomicError",
    "RateLimitError",
    "RequestTimeoutError",
    "ResponseParseError",
    "ServerError",
    "TransportError",
    "UnprocessableEntityError",
    "status_error_class",
]


class PolytomicError(Exception):
    """Base of every error raised by the Polytomic client."""

    def __init__(self, message: str, *, idempotency_key: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.idempotency_key = idempotency_key

    @property
    def may_have_succeeded(self) -> bool:
        """True when the request may have taken effect although no success was seen."""
        return False


class APIStatusError(PolytomicError):
    """The API answered with a non-2xx status."""

    def __init__(
        self,
        message: str,
        *,
        status: int,
        key: str = "",
        metadata: Any = None,
        request_id: str | None = None,
        method: str = "",
        path: str = "",
        idempotency_key: str | None = None,
    ) -> None:
        super().__init__(message, idempotency_key=idempotency_key)
        self.status = status
        self.key = key
        self.metadata = metadata
        self.request_id = request_id
        self.method = method
        self.path = path

    @property
    def may_have_succeeded(self) -> bool:
        """A 5xx on a write may hide a change that was applied before the failure."""
        return self.status >= 500 and self.method in {"POST", "PUT", "PATCH", "DELETE"}

    def __str__(self) -> str:
        where = f" ({self.method} {self.path})" if self.method else ""
        return f"{self.status}: {self.message}{where}"


class BadRequestError(APIStatusError):
    """400: the request is malformed or its content is invalid."""


class AuthenticationError(APIStatusError):
    """401: the API key is missing, wrong or revoked."""


class PermissionDeniedError(APIStatusError):
    """403: the key is valid but not allowed to do this."""


class NotFoundError(APIStatusError):
    """404: no such object (or route) in this organization."""

    @property
    def names_the_route(self) -> bool:
        """Whether the answer says the path itself is unknown ("no route", "404 page not found", or a bare
        "Not Found" without the API's error body) rather than an object the path names."""
        return ROUTE_MISSING.search(self.message) is not None


class ConflictError(APIStatusError):
    """409: an idempotency key is in flight, or the object is in a conflicting state."""


class UnprocessableEntityError(APIStatusError):
    """422: the request is well-formed but semantically invalid."""

    @property
    def used_by(self) -> list[UsedBy]:
        """What depends on the object (``metadata.used_by`` of a "connection in use" refusal); empty otherwise."""
        return parse_used_by(self.metadata)


class RateLimitError(APIStatusError):
    """429: too many requests; ``retry_after`` holds the server's hint in seconds."""

    retry_after: float | None = None


class ServerError(APIStatusError):
    """5xx: the API failed."""


class TransportError(PolytomicError):
    """The request got no HTTP answer (refused, reset, dropped connection)."""

    def __init__(self, message: str, *, method: str = "", path: str = "", idempotency_key: str | None = None) -> None:
        super().__init__(message, idempotency_key=idempotency_key)
        self.method = method
        self.path = path

    @property
    def may_have_succeeded(self) -> bool:
        """A write whose answer was lost may have been applied."""
        return self.method in {"POST", "PUT", "PATCH", "DELETE"}


class RequestTimeoutError(TransportError):
    """The API did not answer within the configured timeout."""


class JobError(PolytomicError):
    """An asynchronous API job (e.g. ``createmodel``) did not succeed."""

    def __init__(self, message: str, *, job_id: str, job_type: str) -> None:
        super().__init__(message)
        self.job_id = job_id
        self.job_type = job_type


class JobFailedError(JobError):
    """The job ended with status ``failed``; ``message`` is the job's error."""


class JobTimeoutError(JobError):
    """We stopped waiting; the job may still finish and create its object."""

    @property
    def may_have_succeeded(self) -> bool:
        return True


class InvalidRequestError(PolytomicError, ValueError):
    """The request cannot be built as given; nothing was sent."""


class JobPollError(JobError):
    """The job was started but its progress could not be read; it may still finish and create its object."""

    @property
    def may_have_succeeded(self) -> bool:
        return True


_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class ResponseParseError(PolytomicError):
    """A success response whose body does not match the documented shape.

    Messages start with the request (``"POST /api/syncs: ..."``); after a write the change
    was made although its answer could not be read, so ``may_have_succeeded`` is true.
    """

    def __init__(self, message: str, *, idempotency_key: str | None = None) -> None:
        super().__init__(message, idempotency_key=idempotency_key)
        self.method = message.split(" ", 1)[0]

    @property
    def may_have_succeeded(self) -> bool:
        return self.method in _WRITES


_STATUS_CLASSES: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error_class(status: int) -> type[APIStatusError]:
    """The most specific exception class for an HTTP error status."""
    if status >= 500:
        return ServerError
    return _STATUS_CLASSES.get(status, APIStatusError)
