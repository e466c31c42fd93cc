"""Connections: list, get, create, update, delete, test."""

from __future__ import annotations

import builtins
from typing import Any

from .._parse import parse_list, parse_model
from ..models.connections import (
    Connection,
    ConnectionCreateRequest,
    ConnectionTestRequest,
    ConnectionUpdateRequest,
)
from ._resource import Resource, segment


class ConnectionsResource(Resource):
    """/api/connections."""

    async def list(self) -> list[Connection]:
        """Every connection of the organization (the API does not paginate this)."""
        return parse_list(Connection, await self._data("GET", "/api/connections"), "GET /api/connections")

    async def get(self, connection_id: str) -> Connection:
        """One connection; secrets arrive masked."""
        path = f"/api/connections/{segment(connection_id)}"
        return parse_model(Connection, await self._data("GET", path), f"GET {path}")

    async def create(
        self,
        *,
        name: str,
        type: str,
        configuration: dict[str, Any],
        validate: bool | None = None,
        redirect_url: str | None = None,
        organization_id: str | None = None,
        policies: builtins.list[str] | None = None,
        healthcheck_interval: str | None = None,
        idempotency_key: str | None = None,
    ) -> Connection:
        """Create a connection. ``validate`` (API default true) probes the upstream system.

        OAuth types come back with ``auth_url``: a person must open it to authorize.
        """
        request = ConnectionCreateRequest(
            name=name,
            type=type,
            configuration=configuration,
            validate=validate,
            redirect_url=redirect_url,
            organization_id=organization_id,
            policies=policies,
            healthcheck_interval=healthcheck_interval,
        )
        data = await self._data("POST", "/api/connections", json=request.to_body(), idempotency_key=idempotency_key)
        return parse_model(Connection, data, "POST /api/connections")

    async def update(
        self,
        connection_id: str,
        *,
        name: str,
        configuration: dict[str, Any],
        type: str | None = None,
        validate: bool | None = None,
        reconnect: bool | None = None,
        policies: builtins.list[str] | None = None,
        healthcheck_interval: str | None = None,
        idempotency_key: str | None = None,
    ) -> Connection:
        """Replace a connection's name and configuration (omitted keys are cleared)."""
        request = ConnectionUpdateRequest(
            name=name,
            configuration=configuration,
            type=type,
            validate=validate,
            reconnect=reconnect,
            policies=policies,
            healthcheck_interval=healthcheck_interval,
        )
        path = f"/api/connections/{segment(connection_id)}"
        data = await self._data("PUT", path, json=request.to_body(), idempotency_key=idempotency_key)
        return parse_model(Connection, data, f"PUT {path}")

    async def delete(self, connection_id: str, *, force: bool = False) -> None:
        """Delete a connection; ``force`` also deletes the models and syncs that use it."""
        params = {"force": True} if force else None
        await self._raw("DELETE", f"/api/connections/{segment(connection_id)}", params=params)

    async def test(
        self, *, type: str, configuration: dict[str, Any], connection_id: str | None = None
    ) -> None:
        """Check a configuration against the upstream system without saving it."""
        request = ConnectionTestRequest(type=type, configuration=configuration, connection_id=connection_id)
        await self._raw("POST", "/api/connections/test", json=request.to_body())
