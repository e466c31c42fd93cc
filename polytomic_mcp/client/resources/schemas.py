"""What a connection offers to bulk syncs: its cached source schemas, their refresh, and its destination settings."""

from __future__ import annotations

from typing import Any

import anyio

from .._deadline import time_left
from .._parse import parse_model
from ..models.bulk_discovery import BulkDestination, BulkSource, SchemaCacheStatus, SourceSchema
from ._resource import Resource, segment

DEADLINE_MARGIN = 1.0
"""Seconds kept free before the caller's deadline when waiting for a refresh."""


class SchemasResource(Resource):
    """/api/connections/{id}/bulksync/source|target and /api/connections/{id}/schemas/..."""

    async def bulk_source(self, connection_id: str, *, include_fields: bool | None = None) -> BulkSource:
        """The schemas a bulk sync can read, from the connection's schema cache (``include_fields`` adds fields)."""
        path = f"/api/connections/{segment(connection_id)}/bulksync/source"
        data = await self._data("GET", path, params={"include_fields": include_fields})
        return parse_model(BulkSource, data, f"GET {path}")

    async def bulk_target(self, connection_id: str) -> BulkDestination:
        """The destination's ``destination_configuration`` JSON Schema, modes and resync modes."""
        path = f"/api/connections/{segment(connection_id)}/bulksync/target"
        return parse_model(BulkDestination, await self._data("GET", path), f"GET {path}")

    async def get(self, connection_id: str, schema_id: str) -> SourceSchema:
        """One cached schema with its fields and primary keys."""
        path = f"/api/connections/{segment(connection_id)}/schemas/{segment(schema_id)}"
        return parse_model(SourceSchema, await self._data("GET", path), f"GET {path}")

    async def records(self, connection_id: str, schema_id: str) -> list[dict[str, Any]]:
        """A small sample of a schema's records."""
        path = f"/api/connections/{segment(connection_id)}/schemas/{segment(schema_id)}/records"
        data = await self._data("GET", path)
        return [dict(record) for record in data or [] if isinstance(record, dict)]

    async def refresh(self, connection_id: str, *, idempotency_key: str | None = None) -> None:
        """Start refreshing the connection's schema cache (healthy connections only); poll ``refresh_status``."""
        path = f"/api/connections/{segment(connection_id)}/schemas/refresh"
        await self._raw("POST", path, idempotency_key=idempotency_key)

    async def refresh_status(self, connection_id: str) -> SchemaCacheStatus:
        """The cache status: ``refreshing`` while a refresh runs, then ``fresh``."""
        path = f"/api/connections/{segment(connection_id)}/schemas/status"
        return parse_model(SchemaCacheStatus, await self._data("GET", path), f"GET {path}")

    async def wait_for_refresh(
        self, connection_id: str, *, timeout: float = 60.0, poll_interval: float = 0.25, max_poll_interval: float = 2.0
    ) -> SchemaCacheStatus:
        """Poll ``refresh_status`` until it is no longer ``refreshing`` or ``timeout`` (or the caller's deadline)
        passes; return the last status read (check ``is_refreshing``)."""
        status = await self.refresh_status(connection_id)
        interval = poll_interval
        with anyio.move_on_after(max(0.0, min(timeout, time_left() - DEADLINE_MARGIN))):
            while status.is_refreshing:
                await anyio.sleep(interval)
                interval = min(max_poll_interval, interval * 1.5)
                status = await self.refresh_status(connection_id)
        return status
