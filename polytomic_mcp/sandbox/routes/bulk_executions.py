"""Bulk-sync runs: start, cancel, status (one sync or a per-schema summary), history and console logs.

Every read of a run (status, history, one execution, the summary) advances it one step, so tests need no timers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..domain import bulk_executions as domain
from ..domain.bulk_syncs import enabled_schemas, get_bulk_sync
from ..domain.schedule_times import next_execution_time
from ..errors import bad_request
from ..web import context, json_body, listing, ok, query_bool

if TYPE_CHECKING:
    from ..store import Workspace

MAX_LOG_LIMIT = 50


def _progress(ws: Workspace, sync_id: str) -> list[dict[str, Any]]:
    """Advance the sync's run in progress (if any) and return its executions, newest first."""
    running = domain.current(ws, sync_id)
    if running is not None:
        domain.advance(ws, running)
    return domain.for_sync(ws, sync_id)


def _next_time(sync: dict[str, Any]) -> str | None:
    return next_execution_time({"active": sync["active"], "schedule": sync["default_schedule"]})


async def start(request: Request) -> Response:
    """Start a run and return its execution record (409 while one runs)."""
    ctx = context(request)
    sync = get_bulk_sync(ctx.workspace, request.path_params["id"])
    execution = domain.start(ctx.workspace, sync, json_body(request), version=ctx.version)
    return ok(domain.render(execution))


async def cancel_sync(request: Request) -> Response:
    """Request cancellation of whatever run is in progress."""
    ws = context(request).workspace
    sync = get_bulk_sync(ws, request.path_params["id"])
    return ok({"message": domain.cancel(domain.current(ws, sync["id"]))})


async def status(request: Request) -> Response:
    """Current and last run and the next scheduled one (reading advances the current run)."""
    ws = context(request).workspace
    sync = get_bulk_sync(ws, request.path_params["id"])
    runs = _progress(ws, sync["id"])
    current = next((e for e in runs if e["status"] not in domain.TERMINAL), None)
    last = next((e for e in runs if e["status"] in domain.TERMINAL), None)
    return ok({
        "current_execution": domain.render(current) if current else None,
        "last_execution": domain.render(last) if last else None,
        "next_execution_time": _next_time(sync),
        "ingestion_status": None,
    })


def _summary(ws: Workspace, sync: dict[str, Any]) -> dict[str, Any]:
    """One ``BulkSyncExecutionStatus``: each enabled schema's latest run, running ones preferred."""
    runs = _progress(ws, sync["id"])
    rows = []
    for schema_id in enabled_schemas(sync):
        mine = [(e, r) for e in runs for r in e["schemas"] if r["schema"] == schema_id]
        latest = next(((e, r) for e, r in mine if r["status"] not in domain.TERMINAL), mine[0] if mine else None)
        if latest is None:
            continue
        execution, row = latest
        keys = ("status", "status_message", "record_count", "error_count", "warning_count", "started_at", "completed_at")
        rows.append({"schema": schema_id, "execution_id": execution["id"], **{k: row[k] for k in keys}})
    return {"sync_id": sync["id"], "status": runs[0]["status"] if runs else None, "nextExecutionTime": _next_time(sync), "schemas": rows}


async def status_summary(request: Request) -> Response:
    """Per-schema status for ``sync_id`` (repeatable), or every sync (``all=true``) or active ones (``active=true``)."""
    ws = context(request).workspace
    if query_bool(request, "all") or query_bool(request, "active"):
        syncs = [s for s in ws.bulk.syncs.values() if s["active"] or query_bool(request, "all")]
    else:
        ids = request.query_params.getlist("sync_id")
        if not ids:
            raise bad_request("pass sync_id (repeatable), all=true or active=true")
        syncs = [get_bulk_sync(ws, sync_id) for sync_id in ids]
    return ok([_summary(ws, s) for s in syncs])


async def list_executions(request: Request) -> Response:
    """Page through a sync's runs (newest first unless ``ascending``; ``only_terminal`` keeps finished ones)."""
    ws = context(request).workspace
    sync = get_bulk_sync(ws, request.path_params["id"])
    runs = _progress(ws, sync["id"])
    if query_bool(request, "only_terminal"):
        runs = [e for e in runs if e["status"] in domain.TERMINAL]
    page, extra = listing(runs, lambda e: e["_seq"], request, ascending=query_bool(request, "ascending"))
    return ok([domain.render(e) for e in page], **extra)


async def get_execution(request: Request) -> Response:
    """One run with its per-schema breakdown (reading advances it)."""
    ws = context(request).workspace
    sync = get_bulk_sync(ws, request.path_params["id"])
    execution = domain.get_execution(ws, sync["id"], request.path_params["exec_id"])
    return ok(domain.render(domain.advance(ws, execution)))


async def cancel_execution(request: Request) -> Response:
    """Request cancellation of one run."""
    ws = context(request).workspace
    sync = get_bulk_sync(ws, request.path_params["id"])
    return ok({"message": domain.cancel(domain.get_execution(ws, sync["id"], request.path_params["exec_id"]))})


async def console_log(request: Request) -> Response:
    """A run's console log, oldest first: at most ``limit`` (≤ 50) entries after the ``after`` cursor."""
    ws = context(request).workspace
    sync = get_bulk_sync(ws, request.path_params["id"])
    execution = domain.get_execution(ws, sync["id"], request.path_params["exec_id"])
    raw = request.query_params.get("limit") or str(MAX_LOG_LIMIT)
    if not raw.isdigit():
        raise bad_request(f'limit must be an integer, got "{raw}"')
    limit = min(int(raw), MAX_LOG_LIMIT) or MAX_LOG_LIMIT
    return ok(domain.console_log(execution, limit=limit, after=request.query_params.get("after")))


ROUTES = [
    Route("/api/bulk/syncs/status", status_summary, methods=["GET"]),
    Route("/api/bulk/syncs/{id}/executions", start, methods=["POST"]),
    Route("/api/bulk/syncs/{id}/executions", list_executions, methods=["GET"]),
    Route("/api/bulk/syncs/{id}/executions/{exec_id}", get_execution, methods=["GET"]),
    Route("/api/bulk/syncs/{id}/executions/{exec_id}/cancel", cancel_execution, methods=["POST"]),
    Route("/api/bulk/syncs/{id}/executions/{exec_id}/consolelog", console_log, methods=["GET"]),
    Route("/api/bulk/syncs/{id}/cancel", cancel_sync, methods=["POST"]),
    Route("/api/bulk/syncs/{id}/status", status, methods=["GET"]),
]
