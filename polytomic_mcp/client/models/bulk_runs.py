"""Bulk-sync runs: the start body per API version, executions with per-schema counts, status and console logs."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from .._exceptions import InvalidRequestError
from .._versions import API_2025_09_18
from ._base import APIModel, RequestModel

BULK_EXECUTION_STATUSES = (
    "created", "scheduled", "running", "exporting", "canceling", "canceled", "completed", "failed",
    "processing", "errors", "interrupted",
)
"""Known execution statuses (open enum)."""

BULK_TERMINAL_STATUSES = ("completed", "canceled", "failed", "interrupted")
"""Statuses after which a run no longer changes; ``completed`` may still carry failed schemas."""


class StartBulkSyncRequest(RequestModel):
    """Body of POST /api/bulk/syncs/{id}/executions; ``test`` and ``resync_mode`` exclude each other."""

    resync_mode: str | None = None
    fetch_mode: str | None = None
    schemas: list[str] | None = None
    test: bool | None = None

    def to_body(self, api_version: str | None = None) -> dict[str, Any]:
        """The JSON body: 2024-02-08 only knows ``resync: true`` (a rebuild) and no ``fetch_mode``."""
        body = super().to_body()
        if api_version is None or api_version >= API_2025_09_18:
            return body
        if self.fetch_mode is not None:
            raise InvalidRequestError(f"fetch_mode needs API version 2025-09-18; {api_version} has no such option")
        mode = body.pop("resync_mode", None)
        if mode not in (None, "rebuild"):
            raise InvalidRequestError(f'API version {api_version} can only resync as a rebuild; resync_mode "{mode}" needs 2025-09-18')
        if mode == "rebuild":
            body["resync"] = True
        return body


class BulkSchemaExecution(APIModel):
    """One schema's part of a run: its status, record counts and error."""

    schema_id: str = Field(alias="schema")
    status: str | None = None
    status_message: str | None = None
    output_name: str | None = None
    record_count: int | None = None
    error_count: int | None = None
    warning_count: int | None = None
    created_at: str | None = None
    started_at: str | None = None
    completed_at: str | None = None


class BulkExecution(APIModel):
    """One run of a bulk sync with its per-schema breakdown."""

    id: str
    status: str
    status_message: str | None = None
    type: str | None = None
    fetch_mode: str | None = None
    is_resync: bool | None = None
    is_test: bool | None = None
    is_partial: bool | None = None
    output_disposition: str | None = None
    record_count: int | None = None
    error_count: int | None = None
    warning_count: int | None = None
    created_at: str | None = None
    started_at: str | None = None
    completed_at: str | None = None
    updated_at: str | None = None
    schemas: list[BulkSchemaExecution] = Field(default_factory=list)

    @property
    def finished(self) -> bool:
        """Whether the run reached a terminal status."""
        return self.status in BULK_TERMINAL_STATUSES

    @property
    def failed_schemas(self) -> list[BulkSchemaExecution]:
        """The schemas that failed (a ``completed`` run may have some)."""
        return [s for s in self.schemas if s.status == "failed"]


class BulkSyncStatus(APIModel):
    """GET /api/bulk/syncs/{id}/status."""

    current_execution: BulkExecution | None = None
    last_execution: BulkExecution | None = None
    next_execution_time: str | None = None
    ingestion_status: dict[str, Any] | None = None


class BulkSchemaStatus(APIModel):
    """A schema's latest run in the status summary."""

    schema_id: str = Field(alias="schema")
    status: str | None = None
    status_message: str | None = None
    execution_id: str | None = None
    record_count: int | None = None
    error_count: int | None = None
    warning_count: int | None = None
    started_at: str | None = None
    completed_at: str | None = None


class BulkSyncStatusSummary(APIModel):
    """An item of GET /api/bulk/syncs/status: each enabled schema once, running runs preferred."""

    sync_id: str | None = None
    status: str | None = None
    next_execution_time: str | None = Field(default=None, alias="nextExecutionTime")
    schemas: list[BulkSchemaStatus] = Field(default_factory=list)
