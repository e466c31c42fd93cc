"""Sync executions that advance one step per status read (created → running → completed), so tests need no timers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from ..errors import bad_request, conflict, not_found
from ..ids import new_id, next_revision, now_iso
from .body import optional, require_object
from .syncs import check_runnable

if TYPE_CHECKING:
    from ..store import Workspace

TERMINAL = ("completed", "failed", "canceled", "interrupted")
_ZERO_COUNTS = {"total": 0, "insert": 0, "update": 0, "upserts": 0, "delete": 0, "error": 0, "warnings": 0}


def for_sync(ws: Workspace, sync_id: str) -> list[dict[str, Any]]:
    """Return a sync's executions, newest first."""
    return sorted((e for e in ws.executions.values() if e["sync_id"] == sync_id), key=lambda e: e["_seq"], reverse=True)


def current(ws: Workspace, sync_id: str) -> dict[str, Any] | None:
    """Return the execution still in progress, if any."""
    return next((e for e in for_sync(ws, sync_id) if e["status"] not in TERMINAL), None)


def get_execution(ws: Workspace, sync_id: str, execution_id: str) -> dict[str, Any]:
    """Return one execution of a sync or raise 404."""
    execution = ws.executions.get(execution_id)
    if execution is None or execution["sync_id"] != sync_id:
        raise not_found(f'execution "{execution_id}" not found for sync "{sync_id}"')
    return execution


def start(ws: Workspace, sync: dict[str, Any], body: Any) -> dict[str, Any]:
    """Start an execution; 409 when one is already running, 422 when the sync cannot run."""
    body = require_object(body if body is not None else {})
    resync = optional(body, "resync", bool, False)
    test = optional(body, "test", bool, False)
    identities = optional(body, "identities", list, [])
    source_identities = optional(body, "source_identities", list, [])
    if identities and source_identities:
        raise bad_request("identities and source_identities cannot be combined")
    if len(source_identities) > 1000:
        raise bad_request("source_identities accepts at most 1000 entries")
    running = current(ws, sync["id"])
    if running is not None:
        raise conflict(f'sync "{sync["name"]}" is already running (execution {running["id"]}); wait for it to finish or cancel it')
    check_runnable(ws, sync)
    execution = {
        "id": new_id(),
        "status": "created",
        "type": "test" if test else "manual",
        "created_at": now_iso(),
        "started_at": None,
        "completed_at": None,
        "counts": dict(_ZERO_COUNTS),
        "errors": [],
        "version": "",
        "sync_id": sync["id"],
        "_seq": next_revision(),
        "_resync": resync,
        "_limit": len(identities) or len(source_identities) or (10 if test else 0),
    }
    ws.executions[execution["id"]] = execution
    return execution


def _counts(ws: Workspace, sync: dict[str, Any] | None, execution: dict[str, Any]) -> dict[str, int]:
    if sync is None:
        return dict(_ZERO_COUNTS)
    rows = sum(ws.models[m]["_row_count"] for m in sync["model_ids"] if m in ws.models)
    earlier = [e for e in for_sync(ws, sync["id"]) if e["status"] == "completed" and e["_seq"] < execution["_seq"]]
    full = not earlier or execution["_resync"] or sync["sync_all_records"] or sync["mode"] in ("replace", "snapshot")
    total = rows if full else max(1, rows // 20)
    if execution["_limit"]:
        total = min(total, execution["_limit"])
    counts = dict(_ZERO_COUNTS, total=total)
    mode = sync["mode"]
    if mode == "remove":
        counts["delete"] = total
    elif mode == "update" or (mode == "updateOrCreate" and not full):
        counts["update"] = total
    else:
        counts["insert"] = total
    return counts


def advance(ws: Workspace, execution: dict[str, Any]) -> dict[str, Any]:
    """Move a non-finished execution one step forward (what one status read does) and return it."""
    if execution["status"] == "created":
        execution.update(status="running", started_at=now_iso())
    elif execution["status"] == "running":
        counts = _counts(ws, ws.syncs.get(execution["sync_id"]), execution)
        execution.update(status="completed", completed_at=now_iso(), counts=counts)
    elif execution["status"] == "canceling":
        execution.update(status="canceled", completed_at=now_iso())
    return execution


def cancel(ws: Workspace, execution: dict[str, Any] | None) -> str:
    """Cancel an execution in progress and return the message the API answers with."""
    if execution is None or execution["status"] in TERMINAL:
        return "no execution is running"
    execution.update(status="canceled", completed_at=now_iso(), started_at=execution["started_at"] or now_iso())
    return f"execution {execution['id']} canceled"


def next_execution_time(sync: dict[str, Any]) -> str | None:
    """Return when an active scheduled sync runs next (hourly/daily/weekly only; None otherwise)."""
    schedule = sync["schedule"]
    if not sync["active"] or schedule["frequency"] not in ("hourly", "daily", "weekly"):
        return None
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    minute = _number(schedule["minute"]) % 60
    if schedule["frequency"] == "hourly":
        candidate = now.replace(minute=minute)
        step = timedelta(hours=1)
    else:
        candidate = now.replace(hour=_number(schedule["hour"]) % 24, minute=minute)
        step = timedelta(days=7 if schedule["frequency"] == "weekly" else 1)
    if candidate <= now:
        candidate += step
    return candidate.strftime("%Y-%m-%dT%H:%M:%SZ")


def _number(value: str) -> int:
    return int(value) if value.isdigit() else 0
