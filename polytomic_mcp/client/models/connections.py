"""Connections: stored credentials for one upstream system."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from .._secrets import mask_configuration
from ._base import Actor, APIModel, RequestModel


class _MaskedConfigRepr:
    """Mixin: repr/str show ``configuration`` with secrets masked, never the values."""

    def __repr_args__(self):  # type: ignore[no-untyped-def]
        for name, value in super().__repr_args__():  # type: ignore[misc]
            if name == "configuration" and value is not None:
                value = mask_configuration(value)
            yield name, value


class ConnectionTypeRef(APIModel):
    """The type summary embedded in a connection."""

    id: str
    name: str | None = None
    logo_url: str | None = None
    logo_dark_url: str | None = None
    operations: list[str] | None = None


class RateLimitState(APIModel):
    """Observed rate limiting of the upstream system."""

    currently_limited: bool | None = None
    limited_since: str | None = None
    expires_at: str | None = None


class Connection(_MaskedConfigRepr, APIModel):
    """A connection as the API returns it (secrets arrive masked)."""

    id: str
    name: str
    organization_id: str | None = None
    type: ConnectionTypeRef
    configuration: dict[str, Any] = Field(default_factory=dict)
    status: str | None = None
    status_error: str | None = None
    saved: bool | None = None
    policies: list[str] | None = None
    parent_connection_id: str | None = None
    api_calls_last_24_hours: int | None = None
    rate_limit: RateLimitState | None = None
    healthcheck_interval: str | None = None
    created_at: str | None = None
    created_by: Actor | None = None
    updated_at: str | None = None
    updated_by: Actor | None = None
    auth_url: str | None = Field(default=None, description="OAuth types: a person must open this URL to authorize.")
    auth_code: str | None = None

    @property
    def needs_authorization(self) -> bool:
        """True when an OAuth flow must still be completed by a person."""
        return bool(self.auth_url) and self.status != "healthy"


class ConnectionCreateRequest(_MaskedConfigRepr, RequestModel):
    """Body of POST /api/connections."""

    name: str
    type: str
    configuration: dict[str, Any]
    validate_: bool | None = Field(default=None, alias="validate")
    redirect_url: str | None = None
    organization_id: str | None = None
    policies: list[str] | None = None
    healthcheck_interval: str | None = None


class ConnectionUpdateRequest(_MaskedConfigRepr, RequestModel):
    """Body of PUT /api/connections/{id} (full replacement: re-send secrets to keep them)."""

    name: str
    configuration: dict[str, Any]
    type: str | None = None
    validate_: bool | None = Field(default=None, alias="validate")
    reconnect: bool | None = None
    organization_id: str | None = None
    policies: list[str] | None = None
    healthcheck_interval: str | None = None


class ConnectionTestRequest(_MaskedConfigRepr, RequestModel):
    """Body of POST /api/connections/test (never persists)."""

    type: str
    configuration: dict[str, Any]
    connection_id: str | None = None

