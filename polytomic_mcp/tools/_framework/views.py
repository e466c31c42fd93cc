"""Result views built from API objects that several tools and resources show: connections and models, secrets masked."""

from __future__ import annotations

from typing import Any

from polytomic_mcp.client.models import (
    BulkExecution,
    BulkSync,
    BulkSyncSchemaSummary,
    BulkSyncStatus,
    ConfigField,
    ConfigurationSchema,
    Connection,
    Execution,
    Model,
    Sync,
    SyncStatus,
)

from .._secrets.masking import masked_configuration, masked_mappings, masked_model_configuration
from .results import ConnectionDetail, FieldSpec, ModelDetail, ModelFieldBrief, RunBrief, RunStatus, SyncDetail
from .services import Services


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


def model_detail(model: Model, next_step: str | None = None, sample: list[dict[str, Any]] | None = None) -> ModelDetail:
    """A model with field names and types only."""
    return ModelDetail(
        id=model.id,
        name=model.name,
        connection_id=model.connection_id,
        configuration=masked_model_configuration(model.configuration),
        identifier=model.identifier or None,
        fields=[ModelFieldBrief(name=f.name, type=f.type) for f in model.fields],
        sample=sample,
        next_step=next_step,
    )


def _compact(value: Any) -> Any:
    """``value`` without empty strings, nulls, empty containers and ``false`` flags that say nothing."""
    if isinstance(value, dict):
        kept = {k: _compact(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v not in ("", None, {}, [], False)}
    if isinstance(value, list):
        return [_compact(v) for v in value]
    return value


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
IN_PROGRESS = frozenset({"created", "scheduled", "queued", "waiting", "running", "processing", "canceling"})


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
    if current is not None and current.status not in IN_PROGRESS:
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
    if not active:
        summary += " Paused: it runs only when started."
    elif next_at:
        summary += f" Next run at {next_at}."
    elif frequency:
        summary += f" Schedule: {frequency}."
    return RunStatus(
        sync_id=sync_id, name=name, active=active, summary=summary, current_run=current, last_run=last,
        next_run_at=next_at or None, next_step=step,
    )


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
    if current is not None and current.status not in IN_PROGRESS:
        current = None
    last = bulk_run_brief(status.last_execution) if status.last_execution else None
    return _status(sync.id, sync.name, bool(sync.active), current, last, status.next_execution_time,
                   sync.default_schedule.frequency if sync.default_schedule else None)


def field_spec(field: ConfigField) -> FieldSpec:
    """A schema field as the model sees it."""
    return FieldSpec(
        name=field.path,
        type=field.type,
        secret=True if field.secret else None,
        default=field.default if field.has_default else None,
        enum=field.enum,
        description=field.title or field.description,
    )


def example_configuration(schema: ConfigurationSchema) -> dict[str, Any]:
    """A configuration skeleton with the required fields (defaults where known)."""
    example: dict[str, Any] = {}
    for field in schema.required:
        if not field.settable:
            continue
        if field.has_default:
            example[field.path] = field.default
        elif field.enum:
            example[field.path] = field.enum[0]
        else:
            example[field.path] = {"integer": 0, "number": 0, "boolean": False}.get(field.type or "", "<" + field.path + ">")
    return example
