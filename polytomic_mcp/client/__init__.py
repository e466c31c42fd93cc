"""Typed async client for the Polytomic REST API (no MCP dependency; usable as a library).

    from polytomic_mcp.client import PolytomicClient

    async with PolytomicClient(api_key="...") as client:
        connections = await client.connections.list()
"""

from . import models
from ._client import DEFAULT_BASE_URL, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT, PolytomicClient
from ._deadline import deadline, time_left
from ._exceptions import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InvalidRequestError,
    JobError,
    JobFailedError,
    JobPollError,
    JobTimeoutError,
    NotFoundError,
    PermissionDeniedError,
    PolytomicError,
    RateLimitError,
    RequestTimeoutError,
    ResponseParseError,
    ServerError,
    TransportError,
    UnprocessableEntityError,
)
from ._gc_pause import large_answers_frozen
from ._pagination import AsyncPager, Page
from ._secrets import MASK, is_set, looks_secret, mask_configuration
from ._versions import API_2024_02_08, API_2025_09_18, DEFAULT_API_VERSION, SUPPORTED_API_VERSIONS

__all__ = [
    "large_answers_frozen",
    "API_2024_02_08",
    "API_2025_09_18",
    "DEFAULT_API_VERSION",
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "MASK",
    "SUPPORTED_API_VERSIONS",
    "APIStatusError",
    "AsyncPager",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InvalidRequestError",
    "JobError",
    "JobFailedError",
    "JobPollError",
    "JobTimeoutError",
    "NotFoundError",
    "Page",
    "PermissionDeniedError",
    "PolytomicClient",
    "PolytomicError",
    "RateLimitError",
    "RequestTimeoutError",
    "ResponseParseError",
    "ServerError",
    "TransportError",
    "UnprocessableEntityError",
    "deadline",
    "is_set",
    "looks_secret",
    "mask_configuration",
    "models",
    "time_left",
]
