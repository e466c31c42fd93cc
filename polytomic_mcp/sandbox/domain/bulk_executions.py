"""Bulk-sync executions that advance one step per read (created -> running -> completed), with per-schema counts.

A run copies each enabled (or requested) schema. Schemas listed in ``bulk_catalog.FAILING_SCHEMAS`` (Salesforce
``Task``) or marked with ``Workspace.fail_bulk_schema`` fail with their error while the others complete: the run
then ends ``completed`` with ``error_count`` > 0 and a ``status_message`` naming the failed schemas, and ends
``failed`` only when every schema failed (or a connection became unusable). Cancelling moves a run to
``canceling``; the next read makes it ``canceled``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..bulk_catalog import FAILING_SCHEMAS
from ..bulk_schemas import BulkSourceSchema
from ..errors import ApiError, bad_request, conflict, listing, not_found
from ..ids import new_id, next_revision, now_iso
from ..versions import is_legacy
from .body import optional, require_object
from .bulk_schema_config import output_name
from .bulk_sources import cached_schemas, check_destination, check_source
from .bulk_syncs import enabled_schemas

if TYPE_CHECKING:
    from ..store import Workspace

TERMINAL = ("completed", "canceled", "failed", "interrupted")
RESYNC_MODES = ("refetch", "resync", "rebuild")
FETCH_MODES = ("none", "incremental", "full")
TEST_RECORDS = 5
_DISPOSITION = {None: "retain", "refetch": "retain", "resync": "truncate", "rebuild": "rebuild"}
VERSION = "sandbox"


def for_sync(ws: Workspace, sync_id: str) -> list[dict[str, Any]]:
    """A bulk sync's executions, newest first."""
    return sorted((e for e in ws.bulk.executions.values() if e["_sync_id"] == sync_id), key=lambda e: e["_seq"], reverse=True)


def current(ws: Workspace, sync_id: str) -> dict[str, Any] | None:
    """The execution still in progress, if any."""
    return next((e for e in for_sync(ws, sync_id) if e["status"] not in TERMINAL), None)


def get_execution(ws: Workspace, sync_id: str, execution_id: str) -> dict[str, Any]:
    """One execution of a bulk sync, or 404."""
    execution = ws.bulk.executions.get(execution_id)
    if execution is None or execution["_sync_id"] != sync_id:
        raise not_found(f'execution "{execution_id}" not found for bulk sync "{sync_id}"')
    return execution


def _log(execution: dict[str, Any], level: str, message: str, **payload: Any) -> None:
    entries = execution["_log"]
    entries.append({"id": str(len(entries) + 1), "level": level, "message": message, "timestamp": now_iso(), "payload": payload or None})


def _options(body: Any, version: str) -> tuple[str | None, str, bool, list[str] | None]:
    """(resync_mode, fetch_mode, test, schemas) from a start body; 2024-02-08 also takes ``resync: true``."""
    body = require_object(body if body is not None else {})
    if "resync" in body and not is_legacy(version):
        raise bad_request("resync is no longer accepted on API version 2025-09-18; send resync_mode (rebuild is what resync: true did)")
    resync_mode = optional(body, "resync_mode", str, "rebuild" if optional(body, "resync", bool, False) else None)
    if resync_mode is not None and resync_mode not in RESYNC_MODES:
        raise bad_request(f'resync_mode must be one of {", ".join(RESYNC_MODES)}; got "{resync_mode}"')
    fetch_mode = optional(body, "fetch_mode", str, "none")
    if fetch_mode not in FETCH_MODES:
        raise bad_request(f'fetch_mode must be one of {", ".join(FETCH_MODES)}; got "{fetch_mode}"')
    test = optional(body, "test", bool, False)
    if test and resync_mode is not None:
        raise bad_request("test and resync_mode cannot be combined")
    schemas = optional(body, "schemas", list, None)
    return resync_mode, fetch_mode, test, schemas or None


def start(ws: Workspace, sync: dict[str, Any], body: Any, *, version: str) -> dict[str, Any]:
    """Queue a run: 400 for a bad body or schema, 409 while another run of the sync is in progress."""
    resync_mode, fetch_mode, test, requested = _options(body, version)
    enabled = enabled_schemas(sync)
    if not enabled:
        raise bad_request(f'bulk sync "{sync["name"]}" has no enabled schemas; enable some with PATCH /api/bulk/syncs/{sync["id"]}/schemas')
    for index, schema_id in enumerate(requested or []):
        if schema_id not in enabled:
            raise bad_request(f'schemas[{index}]: "{schema_id}" is not an enabled schema of this bulk sync; enabled: {listing(enabled)}')
    running = current(ws, sync["id"])
    if running is not None:
        raise conflict(f'bulk sync "{sync["name"]}" is already running (execution {running["id"]}); wait for it to finish or cancel it')
    stamp = now_iso()
    chosen = requested or enabled
    execution: dict[str, Any] = {
        "id": new_id(),
        "status": "created",
        "status_message": "",
        "type": "manual",
        "fetch_mode": fetch_mode,
        "is_resync": resync_mode is not None,
        "is_test": test,
        "is_partial": requested is not None and len(requested) < len(enabled),
        "output_disposition": _DISPOSITION[resync_mode],
        "record_count": 0,
        "error_count": 0,
        "warning_count": 0,
        "created_at": stamp,
        "started_at": None,
        "completed_at": None,
        "updated_at": stamp,
        "version": VERSION,
        "schemas": [_schema_row(sync, schema_id, stamp) for schema_id in chosen],
        "_sync_id": sync["id"],
        "_seq": next_revision(),
        "_resync_mode": resync_mode,
        "_log": [],
    }
    _log(execution, "info", f"execution queued for {len(chosen)} schema(s)", schemas=chosen)
    ws.bulk.executions[execution["id"]] = execution
    return execution


def _schema_row(sync: dict[str, Any], schema_id: str, stamp: str) -> dict[str, Any]:
    config = sync["_schemas"][schema_id]
    return {
        "schema": schema_id,
        "status": "created",
        "status_message": "",
        "output_name": config["user_output_name"] or output_name(schema_id.split(".")[-1], sync["normalize_names"]),
        "record_count": 0,
        "error_count": 0,
        "warning_count": 0,
        "created_at": stamp,
        "started_at": None,
        "completed_at": None,
        "updated_at": stamp,
        "version": VERSION,
    }


def _unusable(ws: Workspace, sync: dict[str, Any] | None) -> str:
    """Why the run cannot read or write (a connection was deleted or became unhealthy), or ``""``."""
    if sync is None:
        return "the bulk sync was deleted"
    for key, check in (("source_connection_id", check_source), ("destination_connection_id", check_destination)):
        conn = ws.connections.get(sync[key])
        if conn is None:
            return f"{key.split('_')[0]} connection {sync[key]} no longer exists"
        try:
            check(ws, conn, status=422)
        except ApiError as exc:
            return exc.message
    return ""


def _records(ws: Workspace, sync: dict[str, Any], execution: dict[str, Any], schema: BulkSourceSchema | None) -> int:
    if schema is None:
        return 0
    earlier = [e for e in for_sync(ws, sync["id"]) if e["status"] == "completed" and e["_seq"] < execution["_seq"] and not e["is_test"]]
    full = not earlier or execution["is_resync"] or sync["mode"] == "snapshot" or execution["fetch_mode"] == "full"
    count = schema.row_count if full else max(1, schema.row_count // 20)
    return min(count, TEST_RECORDS) if execution["is_test"] else count


def _finish_schemas(ws: Workspace, sync: dict[str, Any], execution: dict[str, Any]) -> None:
    source = ws.connections[sync["source_connection_id"]]
    available = cached_schemas(ws, source)
    stamp = now_iso()
    for row in execution["schemas"]:
        error = ws.bulk.failures.get((source.id, row["schema"])) or FAILING_SCHEMAS.get((source.type_id, row["schema"]))
        if row["schema"] not in available:
            error = f'schema "{row["schema"]}" no longer exists on the source; refresh the source schemas and update the sync'
        if error:
            row.update(status="failed", status_message=error, error_count=1, completed_at=stamp, updated_at=stamp)
            _log(execution, "error", f"{row['schema']}: {error}", schema=row["schema"])
            continue
        count = _records(ws, sync, execution, available[row["schema"]])
        row.update(status="completed", record_count=count, completed_at=stamp, updated_at=stamp)
        _log(execution, "info", f"{row['schema']}: {count} records written to {row['output_name']}", schema=row["schema"], records=count)


def _complete(ws: Workspace, execution: dict[str, Any]) -> None:
    sync = ws.bulk.syncs.get(execution["_sync_id"])
    problem = _unusable(ws, sync)
    stamp = now_iso()
    if problem or sync is None:
        _fail(execution, problem, stamp)
        return
    _finish_schemas(ws, sync, execution)
    failed = [r["schema"] for r in execution["schemas"] if r["status"] == "failed"]
    execution.update(
        record_count=sum(r["record_count"] for r in execution["schemas"]),
        error_count=sum(r["error_count"] for r in execution["schemas"]),
        completed_at=stamp,
        updated_at=stamp,
    )
    if failed and len(failed) == len(execution["schemas"]):
        execution.update(status="failed", status_message=f"every schema failed: {', '.join(failed)}")
    elif failed:
        execution.update(status="completed", status_message=f"{len(failed)} of {len(execution['schemas'])} schemas failed: {', '.join(failed)}")
    else:
        execution.update(status="completed", status_message="")
    _log(execution, "error" if failed else "info", f"execution {execution['status']}", records=execution["record_count"])


def _fail(execution: dict[str, Any], message: str, stamp: str) -> None:
    for row in execution["schemas"]:
        if row["status"] not in TERMINAL:
            row.update(status="failed", status_message=message, completed_at=stamp, updated_at=stamp)
    execution.update(status="failed", status_message=message, completed_at=stamp, updated_at=stamp)
    _log(execution, "error", f"execution failed: {message}")


def advance(ws: Workspace, execution: dict[str, Any]) -> dict[str, Any]:
    """Move a run one step (what one read of it does) and return it."""
    stamp = now_iso()
    if execution["status"] == "created":
        execution.update(status="running", started_at=stamp, updated_at=stamp)
        for row in execution["schemas"]:
            row.update(status="running", started_at=stamp, updated_at=stamp)
        _log(execution, "info", "execution running")
    elif execution["status"] == "running":
        _complete(ws, execution)
    elif execution["status"] == "canceling":
        for row in execution["schemas"]:
            if row["status"] not in TERMINAL:
                row.update(status="canceled", completed_at=stamp, updated_at=stamp)
        execution.update(status="canceled", completed_at=stamp, updated_at=stamp)
        _log(execution, "warning", "execution canceled")
    return execution


def cancel(execution: dict[str, Any] | None) -> str:
    """Request cancellation of a run in progress; return the API's message."""
    if execution is None or execution["status"] in TERMINAL:
        return "no execution is running"
    if execution["status"] != "canceling":
        execution.update(status="canceling", updated_at=now_iso())
        _log(execution, "warning", "cancellation requested")
    return f"cancellation of execution {execution['id']} requested"


def render(execution: dict[str, Any]) -> dict[str, Any]:
    """Render a ``BulkSyncExecution`` (bookkeeping keys dropped, schema rows copied)."""
    out = {k: v for k, v in execution.items() if not k.startswith("_")}
    out["schemas"] = [dict(row) for row in execution["schemas"]]
    return out


def console_log(execution: dict[str, Any], *, limit: int, after: str | None) -> dict[str, Any]:
    """Render ``ExecutionConsoleLogsResponse``: entries after the cursor, oldest first, at most ``limit``."""
    entries = execution["_log"]
    start = int(after) if after and after.isdigit() else 0
    page = entries[start : start + limit]
    following = start + len(page)
    return {"entries": page, "next_cursor": str(following) if following < len(entries) else ""}
