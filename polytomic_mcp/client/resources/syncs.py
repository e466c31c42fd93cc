"""Model syncs: schedules, list/get/create/update/delete, activate, start, status, executions."""

from __future__ import annotations

import builtins

from .._pagination import AsyncPager, Page, page_from_body
from .._parse import parse_list, parse_model
from ..models.syncs import (
    Execution,
    ExecutionStart,
    ScheduleOption,
    StartSyncRequest,
    Sync,
    SyncActivation,
    SyncRequest,
    SyncStatus,
    SyncSummary,
)
from ._resource import segment
from .execution_logs import ExecutionLogs


class SyncsResource(ExecutionLogs):
    """/api/syncs, and each execution's cancel and logs (``ExecutionLogs``)."""

    async def schedule_options(self) -> list[ScheduleOption]:
        """Frequencies and the schedule fields each one needs."""
        data = await self._data("GET", "/api/syncs/schedules")
        options = data.get("schedule_options", []) if isinstance(data, dict) else data
        return parse_list(ScheduleOption, options, "GET /api/syncs/schedules")

    async def list_page(
        self,
        *,
        page_token: str | None = None,
        limit: int | None = None,
        active: bool | None = None,
        mode: str | None = None,
        target_connection_id: str | None = None,
    ) -> Page[SyncSummary]:
        """One page of syncs, newest-updated first (2024-02-08 answers with one page)."""
        params = {
            "page_token": page_token,
            "limit": limit,
            "active": active,
            "mode": mode,
            "target_connection_id": target_connection_id,
        }
        body = await self._raw("GET", "/api/syncs", params=params)
        return page_from_body(SyncSummary, body, "GET /api/syncs")

    def list(
        self,
        *,
        limit: int | None = None,
        active: bool | None = None,
        mode: str | None = None,
        target_connection_id: str | None = None,
    ) -> AsyncPager[SyncSummary]:
        """Every sync matching the filters: ``async for s in client.syncs.list(active=True)``."""
        return AsyncPager(
            lambda token: self.list_page(
                page_token=token, limit=limit, active=active, mode=mode, target_connection_id=target_connection_id
            )
        )

    async def get(self, sync_id: str) -> Sync:
        """One sync with its mappings and ``problems``."""
        path = f"/api/syncs/{segment(sync_id)}"
        return parse_model(Sync, await self._data("GET", path), f"GET {path}")

    async def create(self, request: SyncRequest, *, idempotency_key: str | None = None) -> Sync:
        """Create a sync; the body is built for the pinned API version."""
        body = request.to_body(self.api_version)
        data = await self._data("POST", "/api/syncs", json=body, idempotency_key=idempotency_key)
        return parse_model(Sync, data, "POST /api/syncs")

    async def update(self, sync_id: str, request: SyncRequest, *, idempotency_key: str | None = None) -> Sync:
        """Replace a sync (full replacement)."""
        path = f"/api/syncs/{segment(sync_id)}"
        data = await self._data("PUT", path, json=request.to_body(self.api_version), idempotency_key=idempotency_key)
        return parse_model(Sync, data, f"PUT {path}")

    async def delete(self, sync_id: str) -> None:
        """Delete a sync (a running execution is cancelled first)."""
        await self._raw("DELETE", f"/api/syncs/{segment(sync_id)}")

    async def activate(self, sync_id: str, active: bool = True) -> SyncActivation:
        """Enable (schedule) or disable a sync."""
        path = f"/api/syncs/{segment(sync_id)}/activate"
        data = await self._data("POST", path, json={"active": active})
        return parse_model(SyncActivation, data, f"POST {path}")

    async def start(
        self,
        sync_id: str,
        *,
        resync: bool | None = None,
        test: bool | None = None,
        identities: builtins.list[str] | None = None,
        idempotency_key: str | None = None,
    ) -> ExecutionStart:
        """Start an execution now; ``test`` runs on a few records only."""
        path = f"/api/syncs/{segment(sync_id)}/executions"
        request = StartSyncRequest(resync=resync, test=test, identities=identities)
        data = await self._data("POST", path, json=request.to_body(), idempotency_key=idempotency_key)
        return parse_model(ExecutionStart, data, f"POST {path}")

    async def cancel(self, sync_id: str) -> str:
        """Cancel the sync's run in progress; returns the API's message ("no execution is running" when none)."""
        path = f"/api/syncs/{segment(sync_id)}/cancel"
        data = await self._data("POST", path)
        return str((data or {}).get("message", "")) if isinstance(data, dict) else ""

    async def status(self, sync_id: str) -> SyncStatus:
        """Current and last execution, and the next scheduled run."""
        path = f"/api/syncs/{segment(sync_id)}/status"
        return parse_model(SyncStatus, await self._data("GET", path), f"GET {path}")

    async def executions_page(
        self,
        sync_id: str,
        *,
        page_token: str | None = None,
        only_completed: bool | None = None,
        ascending: bool | None = None,
    ) -> Page[Execution]:
        """One page of a sync's executions (newest first unless ``ascending``)."""
        path = f"/api/syncs/{segment(sync_id)}/executions"
        params = {"page_token": page_token, "only_completed": only_completed, "ascending": ascending}
        return page_from_body(Execution, await self._raw("GET", path, params=params), f"GET {path}")

    def executions(
        self, sync_id: str, *, only_completed: bool | None = None, ascending: bool | None = None
    ) -> AsyncPager[Execution]:
        """Every execution of a sync, following pages."""
        return AsyncPager(
            lambda token: self.executions_page(
                sync_id, page_token=token, only_completed=only_completed, ascending=ascending
            )
        )

    async def get_execution(self, sync_id: str, execution_id: str) -> Execution:
        """One execution."""
        path = f"/api/syncs/{segment(sync_id)}/executions/{segment(execution_id)}"
        return parse_model(Execution, await self._data("GET", path), f"GET {path}")
