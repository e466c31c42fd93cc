"""Bulk syncs: list/get/create/update/delete, activate, per-schema settings, runs, status and console logs."""

from __future__ import annotations

import builtins

from .._pagination import AsyncPager, Page, page_from_body
from .._parse import parse_list, parse_model
from ..models.bulk import BulkSchemaUpdate, BulkSync, BulkSyncRequest, BulkSyncSchema, BulkSyncSchemaSummary
from ..models.bulk_runs import BulkExecution, BulkSyncStatus, BulkSyncStatusSummary, StartBulkSyncRequest
from ..models.executions import ConsoleLog
from ..models.syncs import SyncActivation
from ._resource import Resource, segment


def _message(data: object) -> str:
    return str(data.get("message", "")) if isinstance(data, dict) else ""


class BulkSyncsResource(Resource):
    """/api/bulk/syncs."""

    async def list_page(self, *, page_token: str | None = None, limit: int | None = None, active: bool | None = None) -> Page[BulkSync]:
        """One page of bulk syncs, newest-updated first (a whole list when the API does not page)."""
        body = await self._raw("GET", "/api/bulk/syncs", params={"page_token": page_token, "limit": limit, "active": active})
        return page_from_body(BulkSync, body, "GET /api/bulk/syncs")

    def list(self, *, limit: int | None = None, active: bool | None = None) -> AsyncPager[BulkSync]:
        """Every bulk sync (``active`` filters): ``async for s in client.bulk_syncs.list()``."""
        return AsyncPager(lambda token: self.list_page(page_token=token, limit=limit, active=active))

    async def get(self, sync_id: str) -> BulkSync:
        """One bulk sync's top-level configuration."""
        path = f"/api/bulk/syncs/{segment(sync_id)}"
        return parse_model(BulkSync, await self._data("GET", path), f"GET {path}")

    async def create(self, request: BulkSyncRequest, *, idempotency_key: str | None = None) -> BulkSync:
        """Create a bulk sync; the body is built for the pinned API version."""
        data = await self._data("POST", "/api/bulk/syncs", json=request.to_body(self.api_version), idempotency_key=idempotency_key)
        return parse_model(BulkSync, data, "POST /api/bulk/syncs")

    async def update(self, sync_id: str, request: BulkSyncRequest, *, idempotency_key: str | None = None) -> BulkSync:
        """Replace a bulk sync's top-level configuration (omitted fields reset; ``schemas`` kept unless sent)."""
        path = f"/api/bulk/syncs/{segment(sync_id)}"
        data = await self._data("PUT", path, json=request.to_body(self.api_version), idempotency_key=idempotency_key)
        return parse_model(BulkSync, data, f"PUT {path}")

    async def delete(self, sync_id: str) -> None:
        """Delete a bulk sync with its schedules, schema settings and history (a running execution is cancelled)."""
        await self._raw("DELETE", f"/api/bulk/syncs/{segment(sync_id)}")

    async def activate(self, sync_id: str, active: bool = True) -> SyncActivation:
        """Enable or disable scheduled runs; disabling also requests cancellation of the running execution."""
        path = f"/api/bulk/syncs/{segment(sync_id)}/activate"
        return parse_model(SyncActivation, await self._data("POST", path, json={"active": active}), f"POST {path}")

    async def schemas(self, sync_id: str, *, enabled: bool | None = None) -> builtins.list[BulkSyncSchemaSummary]:
        """The sync's schemas (``enabled`` filters), without fields or filters."""
        path = f"/api/bulk/syncs/{segment(sync_id)}/schemas"
        data = await self._data("GET", path, params={"filters": {"enabled": enabled}})
        return parse_list(BulkSyncSchemaSummary, data or [], f"GET {path}")

    async def get_schema(self, sync_id: str, schema_id: str) -> BulkSyncSchema:
        """One schema of the sync with its field selection and filters."""
        path = f"/api/bulk/syncs/{segment(sync_id)}/schemas/{segment(schema_id)}"
        return parse_model(BulkSyncSchema, await self._data("GET", path), f"GET {path}")

    async def update_schemas(
        self, sync_id: str, schemas: builtins.list[BulkSchemaUpdate], *, idempotency_key: str | None = None
    ) -> builtins.list[BulkSyncSchema]:
        """Change only the listed schemas (PATCH); returns their new settings."""
        path = f"/api/bulk/syncs/{segment(sync_id)}/schemas"
        body = {"schemas": [schema.to_body() for schema in schemas]}
        data = await self._data("PATCH", path, json=body, idempotency_key=idempotency_key)
        return parse_list(BulkSyncSchema, data or [], f"PATCH {path}")

    async def status(self, sync_id: str) -> BulkSyncStatus:
        """Current and last run, and the next scheduled one."""
        path = f"/api/bulk/syncs/{segment(sync_id)}/status"
        return parse_model(BulkSyncStatus, await self._data("GET", path), f"GET {path}")

    async def statuses(
        self, sync_ids: builtins.list[str] | None = None, *, active: bool | None = None, all_: bool | None = None
    ) -> builtins.list[BulkSyncStatusSummary]:
        """Each schema's latest run for the given syncs, or every (``all_``) or every active (``active``) sync."""
        params = {"sync_id": sync_ids, "active": active, "all": all_}
        return parse_list(BulkSyncStatusSummary, await self._data("GET", "/api/bulk/syncs/status", params=params) or [],
                          "GET /api/bulk/syncs/status")

    async def start(
        self,
        sync_id: str,
        *,
        resync_mode: str | None = None,
        fetch_mode: str | None = None,
        schemas: builtins.list[str] | None = None,
        test: bool | None = None,
        idempotency_key: str | None = None,
    ) -> BulkExecution:
        """Start a run now (409 while one runs); ``schemas`` narrows it, ``test`` copies a few records only."""
        path = f"/api/bulk/syncs/{segment(sync_id)}/executions"
        request = StartBulkSyncRequest(resync_mode=resync_mode, fetch_mode=fetch_mode, schemas=schemas, test=test)
        data = await self._data("POST", path, json=request.to_body(self.api_version), idempotency_key=idempotency_key)
        return parse_model(BulkExecution, data, f"POST {path}")

    async def cancel(self, sync_id: str) -> str:
        """Request cancellation of the running execution; returns the API's message."""
        return _message(await self._data("POST", f"/api/bulk/syncs/{segment(sync_id)}/cancel"))

    async def executions_page(
        self,
        sync_id: str,
        *,
        page_token: str | None = None,
        limit: int | None = None,
        only_terminal: bool | None = None,
        ascending: bool | None = None,
    ) -> Page[BulkExecution]:
        """One page of a sync's runs (newest first unless ``ascending``)."""
        path = f"/api/bulk/syncs/{segment(sync_id)}/executions"
        params = {"page_token": page_token, "limit": limit, "only_terminal": only_terminal, "ascending": ascending}
        return page_from_body(BulkExecution, await self._raw("GET", path, params=params), f"GET {path}")

    def executions(
        self, sync_id: str, *, only_terminal: bool | None = None, ascending: bool | None = None
    ) -> AsyncPager[BulkExecution]:
        """Every run of a sync, following pages."""
        return AsyncPager(
            lambda token: self.executions_page(sync_id, page_token=token, only_terminal=only_terminal, ascending=ascending)
        )

    async def get_execution(self, sync_id: str, execution_id: str) -> BulkExecution:
        """One run with its per-schema statuses, record counts and errors."""
        path = f"/api/bulk/syncs/{segment(sync_id)}/executions/{segment(execution_id)}"
        return parse_model(BulkExecution, await self._data("GET", path), f"GET {path}")

    async def cancel_execution(self, sync_id: str, execution_id: str) -> str:
        """Request cancellation of one run; returns the API's message."""
        path = f"/api/bulk/syncs/{segment(sync_id)}/executions/{segment(execution_id)}/cancel"
        return _message(await self._data("POST", path))

    async def console_logs(
        self, sync_id: str, execution_id: str, *, limit: int | None = None, after: str | None = None
    ) -> ConsoleLog:
        """A page of a run's console log (pass ``next_cursor`` back as ``after``)."""
        path = f"/api/bulk/syncs/{segment(sync_id)}/executions/{segment(execution_id)}/consolelog"
        return parse_model(ConsoleLog, await self._data("GET", path, params={"limit": limit, "after": after}), f"GET {path}")
