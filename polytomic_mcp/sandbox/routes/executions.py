"""Sync runs: start, cancel, status and execution history (each read advances a running execution one step)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .. import render
from ..domain import executions as domain
from ..domain.syncs import get_sync
from ..paging import listing
from ..web import context, json_body, ok, query_bool


async def start(request: Request) -> Response:
    """Start a run: ``{"id", "status": "created", "created_at"}``; 409 while another run is in progress."""
    ws = context(request).workspace
    execution = domain.start(ws, get_sync(ws, request.path_params["id"]), json_body(request))
    return ok({"id": execution["id"], "status": execution["status"], "created_at": execution["created_at"]})


async def cancel(request: Request) -> Response:
    """Cancel the run in progress, if any."""
    ws = context(request).workspace
    sync = get_sync(ws, request.path_params["id"])
    return ok({"message": domain.cancel(ws, domain.current(ws, sync["id"]))})


async def status(request: Request) -> Response:
    """Report current and last execution (reading advances the current one)."""
    ws = context(request).workspace
    sync = get_sync(ws, request.path_params["id"])
    running = domain.current(ws, sync["id"])
    if running is not None:
        domain.advance(ws, running)
    current = domain.current(ws, sync["id"])
    last = next((e for e in domain.for_sync(ws, sync["id"]) if e["status"] in domain.TERMINAL), None)
    return ok(
        {
            "current_execution": render.execution(current) if current else None,
            "last_execution": render.execution(last) if last else None,
            "next_execution_time": domain.next_execution_time(sync),
        }
    )


async def list_executions(request: Request) -> Response:
    """Page through a sync's executions (newest first unless ``ascending=true``)."""
    ws = context(request).workspace
    sync = get_sync(ws, request.path_params["sync_id"])
    executions = domain.for_sync(ws, sync["id"])
    for execution in executions:
        domain.advance(ws, execution)
    if query_bool(request, "only_completed"):
        executions = [e for e in executions if e["status"] == "completed"]
    page, extra = listing(executions, lambda e: e["_seq"], request, ascending=query_bool(request, "ascending"))
    return ok([render.execution(e) for e in page], **extra)


async def get_execution(request: Request) -> Response:
    """Return one execution (reading advances it)."""
    ws = context(request).workspace
    sync = get_sync(ws, request.path_params["sync_id"])
    execution = domain.get_execution(ws, sync["id"], request.path_params["id"])
    return ok(render.execution(domain.advance(ws, execution)))


async def cancel_execution(request: Request) -> Response:
    """Cancel one execution."""
    ws = context(request).workspace
    sync = get_sync(ws, request.path_params["sync_id"])
    execution = domain.get_execution(ws, sync["id"], request.path_params["id"])
    return ok({"message": domain.cancel(ws, execution)})


ROUTES = [
    Route("/api/syncs/{id}/executions", start, methods=["POST"]),
    Route("/api/syncs/{id}/cancel", cancel, methods=["POST"]),
    Route("/api/syncs/{id}/status", status, methods=["GET"]),
    Route("/api/syncs/{sync_id}/executions", list_executions, methods=["GET"]),
    Route("/api/syncs/{sync_id}/executions/{id}", get_execution, methods=["GET"]),
    Route("/api/syncs/{sync_id}/executions/{id}/cancel", cancel_execution, methods=["POST"]),
]
