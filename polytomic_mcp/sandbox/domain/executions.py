"""Sync executions that advance one step per read, so tests need no timers.

A run is ``created`` when started, ``running`` after the first read (of its status, itself or the list) and
finished after ``Workspace.run_polls`` reads (2 by default): ``completed``, or ``failed`` when it could not
read or write at all or every record was rejected. Cancelling a created run ends it at once; a running one
goes ``canceling`` and is ``canceled`` on the next read. Counts, errors, the console log and the record logs
come from ``run_engine`` at the moment the run finishes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import bad_request, conflict, not_found
from ..ids import new_id, next_revision, now_iso
from ..records import Execution, RunResult, Sync
from . import console_log
from .body import optional, require_object
from .run_engine import FULL_MODES, TEST_RUN_RECORDS, describe_target, plan
from .sync_problems import check_runnable

if TYPE_CHECKING:
    from ..store import Workspace

TERMINAL = ("completed", "failed", "canceled", "interrupted")
_ZERO_COUNTS = {"total": 0, "insert": 0, "update": 0, "upserts": 0, "delete": 0, "error": 0, "warnings": 0}


def for_sync(ws: Workspace, sync_id: str) -> list[Execution]:
    """Return a sync's executions, newest first."""
    return sorted((e for e in ws.executions.values() if e.sync_id == sync_id), key=lambda e: e.seq, reverse=True)


def current(ws: Workspace, sync_id: str) -> Execution | None:
    """Return the execution still in progress, if any."""
    return next((e for e in for_sync(ws, sync_id) if e.status not in TERMINAL), None)


def last_finished(ws: Workspace, sync_id: str) -> Execution | None:
    """Return the newest execution that has ended (in any way)."""
    return next((e for e in for_sync(ws, sync_id) if e.status in TERMINAL), None)


def get_execution(ws: Workspace, sync_id: str, execution_id: str) -> Execution:
    """Return one execution of a sync or raise 404."""
    execution = ws.executions.get(execution_id)
    if execution is None or execution.sync_id != sync_id:
        raise not_found(f'execution "{execution_id}" not found for sync "{sync_id}"')
    return execution


def start(ws: Workspace, sync: Sync, body: Any) -> Execution:
    """Start an execution; 409 when one is already running, 400 when the sync cannot run."""
    body = require_object(body if body is not None else {})
    resync = optional(body, "resync", bool, False)
    test = optional(body, "test", bool, False)
    identities = optional(body, "identities", list, [])
    source_identities = optional(body, "source_identities", list, [])
    if identities and source_identities:
        raise bad_request("identities and source_identities cannot be combined")
    if len(source_identities) > 1000:
        raise bad_request("source_identities accepts at most 1000 entries")
    running = current(ws, sync.id)
    if running is not None:
        raise conflict(f'sync "{sync.name}" is already running (execution {running.id}); wait for it to finish or cancel it')
    check_runnable(ws, sync)
    execution = Execution(
        id=new_id(), sync_id=sync.id, type="test" if test else "manual", created_at=now_iso(), seq=next_revision(),
        counts=dict(_ZERO_COUNTS), resync=resync, limit=TEST_RUN_RECORDS if test else 0, only={str(i) for i in identities},
    )
    console_log.append(execution, "info", f"{'Test run' if test else 'Run'} queued for sync \"{sync.name}\"", resync=resync)
    ws.executions[execution.id] = execution
    return execution


def advance(ws: Workspace, execution: Execution) -> Execution:
    """Move a non-finished execution one step forward (what one read does) and return it."""
    if execution.status == "canceling":
        execution.status, execution.completed_at = "canceled", now_iso()
        console_log.append(execution, "warn", "Run canceled")
        return execution
    if execution.status not in ("created", "running"):
        return execution
    execution.polls += 1
    if execution.status == "created":
        execution.status, execution.started_at = "running", now_iso()
        console_log.append(execution, "info", "Run started")
    if execution.polls >= ws.run_polls:
        _finish(ws, execution)
    return execution


def finish_now(ws: Workspace, execution: Execution) -> Execution:
    """Advance an execution until it has ended (seed helpers and tests that need a finished run at once)."""
    while execution.status not in TERMINAL:
        advance(ws, execution)
    return execution


def _earlier(ws: Workspace, execution: Execution) -> list[RunResult]:
    """Results of the sync's earlier runs that reached the destination."""
    found = [e.result for e in for_sync(ws, execution.sync_id) if e.seq < execution.seq]
    return [r for r in found if r is not None and r.failure is None]


def _finish(ws: Workspace, execution: Execution) -> None:
    sync = ws.syncs.get(execution.sync_id)
    if sync is None:
        result = RunResult(failure="the sync no longer exists")
    else:
        earlier = _earlier(ws, execution)
        full = not earlier or execution.resync or sync.sync_all_records or sync.mode in FULL_MODES
        written = frozenset().union(*(r.written for r in earlier))
        result = plan(ws, sync, full=full, written=written, limit=execution.limit, only=execution.only)
        _narrate(ws, sync, execution, result)
    counts = result.counts()
    status = "failed" if result.failed else "completed"
    execution.status, execution.completed_at, execution.counts = status, now_iso(), counts
    execution.errors, execution.result = result.error_summaries() if result.failed else [], result
    summary = f"{counts['insert']} inserted, {counts['update']} updated, {counts['delete']} deleted, {counts['error']} rejected"
    if result.failed:
        console_log.append(execution, "error", f"Run failed: {'; '.join(execution.errors)}", **counts)
    else:
        console_log.append(execution, "info", f"Run completed: {summary}", **counts)


def _narrate(ws: Workspace, sync: Sync, execution: Execution, result: RunResult) -> None:
    """Console lines for what the run read, where it wrote and what was rejected."""
    if result.failure is not None:
        return
    console_log.append(execution, "info", f'Read {len(result.records)} records from model "{result.model_name}"', records=len(result.records))
    console_log.append(execution, "info", f"Writing to {describe_target(ws, sync)} (mode {sync.mode})", mode=sync.mode)
    for summary in result.error_summaries():
        console_log.append(execution, "error", summary)
    warnings = result.counts()["warnings"]
    if warnings:
        console_log.append(execution, "warn", f"{warnings} records skipped: no value for the identity field", warnings=warnings)


def cancel(execution: Execution) -> str:
    """Cancel a run in progress (a created one ends at once) and return the API's message; 400 when it has ended."""
    if execution.status in TERMINAL:
        raise bad_request(f'execution "{execution.id}" has already ended ({execution.status}); nothing to cancel')
    if execution.status == "created":
        execution.status, execution.completed_at = "canceled", now_iso()
        console_log.append(execution, "warn", "Run canceled before it started")
    elif execution.status != "canceling":
        execution.status = "canceling"
        console_log.append(execution, "warn", "Cancellation requested")
    return f"execution {execution.id} is {execution.status}"


def cancel_current(ws: Workspace, sync_id: str) -> str:
    """Cancel whatever run of the sync is in progress; the message says when nothing was running."""
    running = current(ws, sync_id)
    return cancel(running) if running is not None else "no execution is running"
