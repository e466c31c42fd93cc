"""Results of the sync tools: targets, created and listed syncs of both kinds, runs and their status in plain words."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import Field

from polytomic_mcp.client.models import (
    BulkExecution,
    BulkSync,
    BulkSyncSchemaSummary,
    BulkSyncStatus,
    Execution,
    Sync,
    SyncProblem,
    SyncStatus,
)

from ..core.masking import masked_mappings
from ..core.sync_kind import RUNNING
from ..core.views import FieldSpec, LastRun, View, Written
from ..core.write import Problem
from .checks import CRON_FIELDS

SYNC_SHOWN_BY = "list_syncs(sync_id='{id}')"
"""The call that shows one sync of either kind, with ``{id}``."""


class ModeBrief(View):
    """A sync mode of a target object."""

    mode: str
    requires_identity: bool


class TargetObjectBrief(View):
    """A target object with its modes."""

    untrusted = ("id", "name")

    id: str
    name: str | None = None
    modes: list[ModeBrief]


class TargetObjectPage(View):
    """One page of target objects, or (bulk) what the destination accepts for bulk syncs."""

    connection_id: str
    objects: list[TargetObjectBrief] | None = None
    total: int | None = Field(default=None, description="Objects matching `search` across all pages.")
    next_cursor: str | None = None
    bulk_modes: list[str] | None = None
    resync_modes: list[str] | None = None
    required: list[FieldSpec] | None = Field(default=None, description="Bulk: destination_configuration fields.")
    optional: list[FieldSpec] | None = None
    example_configuration: dict[str, Any] | None = None
    next_step: str


class TargetFieldBrief(View):
    """A target field and what a sync may do with it."""

    untrusted = ("id", "values")

    id: str
    type: str | None = None
    required: bool | None = None
    createable: bool | None = None
    updateable: bool | None = None
    identity_functions: list[str] | None = Field(default=None, description="Set when usable as an identity.")
    values: list[str] | None = None


class TargetFieldList(View):
    """Fields and modes of one target object."""

    connection_id: str
    object: str
    modes: list[ModeBrief]
    fields: list[TargetFieldBrief]
    next_step: str


class SyncResult(Written):
    """Outcome of create_sync (or of its dry run)."""

    untrusted = ("problems",)

    created: bool
    id: str | None = None
    name: str
    mode: str
    active: bool | None = None
    target_object: str | None = None
    schedule: dict[str, Any] | None = Field(default=None, description="As saved.")
    next_run_at: str | None = None
    problems: list[SyncProblem] | None = Field(default=None, description="Problems Polytomic reports on the saved sync.")
    checks: list[Problem] | None = Field(default=None, description="Problems found before calling the API.")
    request: dict[str, Any] | None = Field(default=None, description="Dry run: the checked API request.")
    next_step: str


class BulkSyncResult(Written):
    """Outcome of create_bulk_sync (or of its dry run)."""

    created: bool
    id: str | None = None
    name: str
    mode: str | None = None
    active: bool | None = None
    schemas: list[str] | None = None
    checks: list[Problem] | None = Field(default=None, description="Problems found before calling the API.")
    request: dict[str, Any] | None = Field(default=None, description="Dry run: the checked API request.")
    next_step: str


class SyncBrief(View):
    """A sync in a list."""

    untrusted = ("name", "target_object", "failing")

    id: str
    name: str
    mode: str | None = None
    active: bool | None = None
    kind: str = "model"
    target_connection_id: str | None = None
    target_object: str | None = None
    schedule: str | None = Field(default=None, description="In a few words, UTC ('daily 05:00 UTC'); sync_id shows it in full.")
    next_run_at: str | None = None
    running: bool | None = None
    last_run: LastRun | None = Field(default=None, description="None: never run.")
    failing: str | None = Field(default=None, description="With failing=true: why (last run failed, problems).")
    model_ids: list[str] | None = Field(default=None, description="Apps clients only: the models a model sync reads.")
    source_connection_id: str | None = Field(default=None, description="Apps clients only: a bulk sync's source.")


class GraphConnection(View):
    """A connection the page's syncs read from or write to."""

    name: str
    type: str


class GraphModel(View):
    """A model the page's model syncs read."""

    name: str
    connection_id: str | None = None


class SyncGraph(View):
    """The page's sources and destinations by id (only those its syncs use; missing ones could not be read)."""

    untrusted = ("connections", "models")

    connections: dict[str, GraphConnection] = Field(default_factory=dict)
    models: dict[str, GraphModel] = Field(default_factory=dict)
    unread: str | None = None


class SyncList(View):
    """One page of syncs (``graph``: for Apps clients only, what the workspace view draws the page with)."""

    syncs: list[SyncBrief]
    total: int
    next_cursor: str | None = None
    cut: str | None = None
    graph: SyncGraph | None = None


class SyncDetail(View):
    """A sync's configuration and problems (model sync: target and mappings; bulk sync: source, destination, schemas)."""

    untrusted = ("name", "target", "identity", "identities", "fields", "destination_configuration", "schemas", "problems")

    id: str
    kind: str = Field(description="'model' (Reverse ETL) or 'bulk' (ELT).")
    name: str
    mode: str | None = None
    active: bool | None = None
    target: dict[str, Any] | None = None
    schedule: dict[str, Any] | None = None
    identity: dict[str, Any] | None = None
    identities: dict[str, Any] | None = None
    fields: list[dict[str, Any]] | None = None
    model_ids: list[str] | None = None
    source_connection_id: str | None = None
    destination_connection_id: str | None = None
    destination_configuration: dict[str, Any] | None = None
    schemas: list[str] | None = Field(default=None, description="Bulk: the enabled schemas.")
    options: dict[str, Any] | None = Field(default=None, description="Bulk: policies such as automatically_add_new_fields.")
    problems: list[SyncProblem] | None = None


class RunStarted(Written):
    """An execution that was just started."""

    sync_id: str
    execution_id: str
    status: str
    next_step: str


class RunBrief(View):
    """One run of a sync: status, times, record counts and its first errors."""

    untrusted = ("errors", "schemas")

    id: str
    status: str
    started_at: str | None = None
    finished_at: str | None = None
    records: dict[str, int] | None = Field(default=None, description="total, inserted, updated, deleted, errored, warnings.")
    errors: list[str] | None = None
    schemas: list[dict[str, Any]] | None = Field(default=None, description="Bulk: per schema status, records, errors.")


class RunStatus(View):
    """Whether a sync runs, how its last run went, and when it runs next."""

    untrusted = ("name",)

    sync_id: str
    name: str
    active: bool | None = None
    summary: str
    current_run: RunBrief | None = None
    last_run: RunBrief | None = None
    next_run_at: str | None = None
    next_step: str


class SyncRuns(View):
    """Recent runs of a sync (newest first), or one run with the record errors Polytomic logged and the end of its console log."""

    untrusted = ("record_errors", "record_errors_unread", "console_tail")

    sync_id: str
    runs: list[RunBrief] | None = None
    run: RunBrief | None = None
    record_logs: dict[str, int] | None = Field(default=None, description="Records per log type (errors, inserts, ...).")
    record_errors: list[dict[str, Any]] | None = None
    record_errors_unread: str | None = Field(default=None, description="Why the record error log could not be read.")
    console_tail: list[str] | None = None
    next_step: str


class ActivationResult(Written):
    """A sync turned on or paused."""

    id: str
    active: bool
    note: str | None = None


class RunCanceled(Written):
    """A request to stop a running execution."""

    untrusted = ("message",)

    sync_id: str
    execution_id: str | None = None
    message: str | None = None
    next_step: str


def compact(value: Any) -> Any:
    """``value`` without empty members (a schedule as a person would write it)."""
    return _compact(value)


def _compact(value: Any) -> Any:
    """``value`` without empty strings, nulls, empty containers and ``false`` flags that say nothing."""
    if isinstance(value, dict):
        kept = {k: _compact(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v not in ("", None, {}, [], False)}
    if isinstance(value, list):
        return [_compact(v) for v in value]
    return value


def schedule_phrase(schedule: Mapping[str, Any] | None) -> str | None:
    """A schedule in a few words: 'manual', 'hourly :15', 'daily 05:00 UTC', 'weekly monday 05:00 UTC', 'custom */5 * * * *'."""
    frequency = (schedule or {}).get("frequency")
    if not schedule or not frequency:
        return None
    if frequency == "custom":
        return "custom " + " ".join(str(schedule.get(name) or "*") for name in CRON_FIELDS)
    hour, minute = str(schedule.get("hour") or ""), str(schedule.get("minute") or "")
    if hour.isdigit():
        when = f"{int(hour):02d}:{int(minute) if minute.isdigit() else 0:02d} UTC"
    else:
        when = f":{int(minute):02d}" if minute.isdigit() else ""
    days = [str(schedule.get(name)) for name in ("day_of_week", "day_of_month") if schedule.get(name)]
    return " ".join([frequency, *days, when]).strip()


def sync_detail(sync: Sync) -> SyncDetail:
    """A sync's configuration as the model needs it: empty API defaults left out, credential constants masked."""
    mappings = (sync.identities or {}).get("mappings") if sync.identities else None
    return SyncDetail(
        id=sync.id, kind="model", name=sync.name, mode=sync.mode, active=sync.active, target=_compact(sync.target or {}) or None,
        schedule=_compact(sync.schedule or {}) or None,
        identity=_compact(sync.identity) if sync.identity and not mappings else None,
        identities=_compact(sync.identities) if mappings else None,
        fields=_compact(masked_mappings(sync.fields)), model_ids=sync.model_ids, problems=sync.problems or None,
    )


MAX_RUN_ERRORS = 5
COUNT_NAMES = {"total": "total", "insert": "inserted", "update": "updated", "upserts": "upserted", "delete": "deleted",
               "error": "errored", "warnings": "warnings"}


def run_brief(execution: Execution) -> RunBrief:
    """One execution as the model needs it: counts named plainly, at most a few errors."""
    counts = execution.counts.model_dump(exclude_none=True) if execution.counts else {}
    records = {COUNT_NAMES.get(k, k): v for k, v in counts.items() if isinstance(v, int) and (v or k == "total")}
    errors = execution.errors or []
    shown = errors[:MAX_RUN_ERRORS] + ([f"... and {len(errors) - MAX_RUN_ERRORS} more"] if len(errors) > MAX_RUN_ERRORS else [])
    return RunBrief(
        id=execution.id, status=execution.status, started_at=execution.started_at or execution.created_at or None,
        finished_at=execution.completed_at or None, records=records or None, errors=shown or None,
    )


def _said(run: RunBrief) -> str:
    """A run in a phrase: status, when, and its record counts."""
    records = run.records or {}
    counted = ", ".join(f"{v} {k}" for k, v in records.items() if k != "total" and v)
    total = f"{records['total']} records" if "total" in records else "no record counts"
    when = f" at {run.finished_at or run.started_at}" if (run.finished_at or run.started_at) else ""
    return f"{run.status}{when}: {total}" + (f" ({counted})" if counted else "")


def run_status(sync: Sync, status: SyncStatus) -> RunStatus:
    """A sync's runs in plain words: never run, running, or how the last run ended; and when it runs next."""
    current = run_brief(status.current_execution) if status.current_execution else None
    if current is not None and current.status not in RUNNING:
        current = None
    last = run_brief(status.last_execution) if status.last_execution else None
    return _status(sync.id, sync.name, bool(sync.active), current, last, status.next_execution_time,
                   (sync.schedule or {}).get("frequency"))


def _status(
    sync_id: str, name: str, active: bool, current: RunBrief | None, last: RunBrief | None, next_at: str | None, frequency: str | None,
) -> RunStatus:
    """The plain-words status shared by both kinds of sync."""
    if current is not None:
        summary = f"Running now ({current.status}, started {current.started_at or 'just now'})."
        step = f"Call get_sync_status('{sync_id}') again in a while; cancel_sync_run('{sync_id}') stops it."
    elif last is None:
        summary = "Never run."
        step = f"Call start_sync('{sync_id}') to run it now."
    else:
        summary = f"Last run {_said(last)}."
        failed = last.status in {"failed", "interrupted"} or bool((last.records or {}).get("errored"))
        step = f"Call get_sync_runs('{sync_id}', execution_id='{last.id}') for its errors and log." if failed else "Nothing to do."
    summary += " " + schedule_said(sync_id, active, frequency, next_at)
    return RunStatus(
        sync_id=sync_id, name=name, active=active, summary=summary, current_run=current, last_run=last,
        next_run_at=next_at or None, next_step=step,
    )


def schedule_said(sync_id: str, active: bool, frequency: str | None, next_at: str | None = None) -> str:
    """When a sync runs, in a sentence: only when started (manual), paused, or its next run."""
    if frequency in (None, "", "manual"):
        return "Manual: it runs only when started."
    if not active:
        return f"Paused: its {frequency} schedule is off until activate_sync('{sync_id}', active=true); it runs only when started."
    return f"Next run at {next_at}." if next_at else f"Schedule: {frequency}."


BULK_OPTIONS = ("automatically_add_new_objects", "automatically_add_new_fields", "normalize_names", "disable_record_timestamps",
                "data_cutoff_timestamp")


def bulk_sync_detail(sync: BulkSync, schemas: list[BulkSyncSchemaSummary]) -> SyncDetail:
    """A bulk sync's configuration: source, destination, enabled schemas, schedule and policies."""
    options = {name: getattr(sync, name) for name in BULK_OPTIONS if getattr(sync, name) not in (None, "")}
    schedule = sync.default_schedule.model_dump(exclude_none=True, exclude={"id", "created_at", "updated_at"}) if sync.default_schedule else None
    return SyncDetail(
        id=sync.id, kind="bulk", name=sync.name, mode=sync.mode, active=sync.active, schedule=_compact(schedule or {}) or None,
        source_connection_id=sync.source_connection_id, destination_connection_id=sync.destination_connection_id,
        destination_configuration=sync.destination_configuration or None,
        schemas=[s.id for s in schemas if s.enabled is not False] or None, options=options or None,
    )


def bulk_run_brief(execution: BulkExecution) -> RunBrief:
    """One bulk run: its totals and each schema's status, records and errors."""
    records = {k: v for k, v in {"total": execution.record_count, "errored": execution.error_count,
                                 "warnings": execution.warning_count}.items() if isinstance(v, int) and (v or k == "total")}
    schemas = [
        _compact({"schema": s.schema_id, "status": s.status, "records": s.record_count, "errors": s.error_count,
                  "message": s.status_message})
        for s in execution.schemas
    ]
    return RunBrief(
        id=execution.id, status=execution.status, started_at=execution.started_at or execution.created_at or None,
        finished_at=execution.completed_at or None, records=records or None,
        errors=[execution.status_message] if execution.status_message else None, schemas=schemas or None,
    )


def bulk_run_status(sync: BulkSync, status: BulkSyncStatus) -> RunStatus:
    """A bulk sync's runs in plain words, with per-schema counts."""
    current = bulk_run_brief(status.current_execution) if status.current_execution else None
    if current is not None and current.status not in RUNNING:
        current = None
    last = bulk_run_brief(status.last_execution) if status.last_execution else None
    return _status(sync.id, sync.name, bool(sync.active), current, last, status.next_execution_time,
                   sync.default_schedule.frequency if sync.default_schedule else None)
