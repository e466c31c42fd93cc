"""Results of the connection tools: connection types, connections (configuration masked), and what a person must do."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from polytomic_mcp.client.models import Connection

from ..core.masking import masked_configuration
from ..core.services import Services
from ..core.views import FieldSpec, View, Written


class ConnectionTypeBrief(View):
    """A connection type in a list."""

    id: str
    name: str
    oauth: bool
    source: bool
    destination: bool


class ConnectionTypeList(View):
    """Connection types matching the filters."""

    types: list[ConnectionTypeBrief]
    total: int
    next_step: str


class ConnectionTypeDetail(ConnectionTypeBrief):
    """What a configuration for this type needs."""

    required: list[FieldSpec]
    optional: list[FieldSpec]
    example_configuration: dict[str, Any]
    next_step: str


class ConnectionBrief(View):
    """A connection in a list."""

    untrusted = ("name",)

    id: str
    name: str
    type: str
    status: str | None = None


class ConnectionList(View):
    """One page of connections."""

    connections: list[ConnectionBrief]
    total: int
    next_cursor: str | None = None


class ConnectionDetail(Written):
    """A connection with its configuration (secrets masked)."""

    untrusted = ("name", "status_error", "configuration")

    id: str
    name: str
    type: str
    status: str | None = None
    status_error: str | None = None
    configuration: dict[str, Any]
    auth_url: str | None = Field(default=None, description="OAuth: a person must open this URL in a browser.")
    action_required: str | None = None
    next_step: str | None = None


async def connection_detail(svc: Services, connection: Connection, next_step: str | None = None) -> ConnectionDetail:
    """A connection with masked configuration and, for pending OAuth, what a person must do."""
    action = None
    if connection.needs_authorization:
        action = (
            "A person must open auth_url in a browser and approve access; the connection "
            "cannot be used until then. Share the link with the user; do not open it yourself."
        )
    return ConnectionDetail(
        id=connection.id,
        name=connection.name,
        type=connection.type.id,
        status=connection.status or None,
        status_error=connection.status_error or None,
        configuration=await masked_configuration(svc, connection.type.id, connection.configuration),
        auth_url=connection.auth_url or None,
        action_required=action,
        next_step=next_step,
    )
