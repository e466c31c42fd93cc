"""Sync runs: start, cancel, status, execution history, console logs and record logs (reads advance a run)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from polytomic_mcp.catalog import fitting

from .. import render
from ..domain import console_log, log_files
from ..domain import executions as domain
from ..domain.schedule_times import next_execution_time
from ..domain.syncs import get_sync
from ..errors import not_found
from ..log_links import LogLink, expires_at
from ..records import Execution
from ..versions import LATEST, missing_route
from ..web import context, json_body, listing, ok, query_bool


def _execution(request: Request, *, advance: bool = True) -> Execution:
    """The execution named by the path (404 for an unknown sync or execution), advanced one step by default."""
    ws = context(request).workspace
    sync = get_sync(ws, request.path_params["sync_id"])
    execution = domain.get_execution(ws, sync.id, request.path_params["id"])
    return domain.advance(ws, execution) if advance else execution


def _only_latest(request: Request) -> None:
    """Answer like an unknown route on API versions that lack the endpoint, naming the version that has it."""
    ctx = context(request)
    if ctx.legacy:
        op = fitting(request.method, request.url.path)
        raise missing_route(request.method, request.url.path, ctx.version, op.id if op else "this operation", LATEST)


async def start(request: Request) -> Response:
    """Start a run: ``{"id", "status": "created", "created_at"}``; 409 while another run is in progress."""
    ws = context(request).workspace
    execution = domain.start(ws, get_sync(ws, request.path_params["id"]), json_body(request))
    return ok({"id": execution.id, "status": execution.status, "created_at": execution.created_at})


async def cancel(request: Request) -> Response:
    """Cancel the run in progress, if any (``message`` says when nothing runs)."""
    ws = context(request).workspace
    sync = get_sync(ws, request.path_params["id"])
    return ok({"message": domain.cancel_current(ws, sync.id)})


async def status(request: Request) -> Response:
    """Report the current and the last finished execution and the next scheduled run (reading advances the current one)."""
    ws = context(request).workspace
    sync = get_sync(ws, request.path_params["id"])
    running = domain.current(ws, sync.id)
    if running is not None:
        domain.advance(ws, running)
    current, last = domain.current(ws, sync.id), domain.last_finished(ws, sync.id)
    return ok(
        {
            "current_execution": render.execution(current) if current else None,
            "last_execution": render.execution(last) if last else None,
            "next_execution_time": next_execution_time({"active": sync.active, "schedule": sync.schedule}),
        }
    )


async def list_executions(request: Request) -> Response:
    """Page through a sync's executions (newest first unless ``ascending=true``)."""
    ws = context(request).workspace
    sync = get_sync(ws, request.path_params["sync_id"])
    executions = domain.for_sync(ws, sync.id)
    for execution in executions:
        domain.advance(ws, execution)
    if query_bool(request, "only_completed"):
        executions = [e for e in executions if e.status == "completed"]
    page, extra = listing(executions, lambda e: e.seq, request, ascending=query_bool(request, "ascending"))
    return ok([render.execution(e) for e in page], **extra)


async def get_execution(request: Request) -> Response:
    """Return one execution (reading advances it)."""
    return ok(render.execution(_execution(request)))


async def cancel_execution(request: Request) -> Response:
    """Cancel one execution (2025-09-18); 400 when it has already ended."""
    _only_latest(request)
    return ok({"message": domain.cancel(_execution(request, advance=False))})


async def console(request: Request) -> Response:
    """Console log lines of a run, ``limit`` at a time after the ``after`` cursor (2025-09-18)."""
    _only_latest(request)
    params = request.query_params
    return ok(console_log.page(_execution(request), params.get("limit"), params.get("after")))


def _log_index_url(request: Request, log_type: str) -> str:
    sandbox = context(request).sandbox
    return f"{sandbox.base_url}/api/syncs/{request.path_params['sync_id']}/executions/{request.path_params['id']}/{log_type}"


async def logs_index(request: Request) -> Response:
    """Which record logs a finished run has, with counts and where to get their URLs (2025-09-18)."""
    _only_latest(request)
    return ok(log_files.index(_execution(request), lambda t: _log_index_url(request, t)))


def _link(request: Request, execution: Execution, log_type: str, filename: str) -> str:
    ctx = context(request)
    return ctx.sandbox.log_links.issue(LogLink(ctx.workspace, execution.sync_id, execution.id, log_type, filename))


async def log_urls(request: Request) -> Response:
    """Signed URLs of every segment file of one log type."""
    log_type = log_files.check_type(request.path_params["type"])
    execution = _execution(request)
    urls = [_link(request, execution, log_type, name) for name in log_files.files(execution, log_type)]
    return ok({"expires": expires_at(), "urls": urls})


async def log_file(request: Request) -> Response:
    """Redirect (302) to the signed URL of one segment file."""
    log_type = log_files.check_type(request.path_params["type"])
    execution = _execution(request)
    filename = request.path_params["filename"]
    if filename not in log_files.files(execution, log_type):
        raise not_found(f'log file "{log_type}/{filename}" not found for execution "{execution.id}"')
    return RedirectResponse(_link(request, execution, log_type, filename), status_code=302)


_EXECUTION = "/api/syncs/{sync_id}/executions/{id}"
ROUTES = [
    Route("/api/syncs/{id}/executions", start, methods=["POST"]),
    Route("/api/syncs/{id}/cancel", cancel, methods=["POST"]),
    Route("/api/syncs/{id}/status", status, methods=["GET"]),
    Route("/api/syncs/{sync_id}/executions", list_executions, methods=["GET"]),
    Route(_EXECUTION, get_execution, methods=["GET"]),
    Route(f"{_EXECUTION}/cancel", cancel_execution, methods=["POST"]),
    Route(f"{_EXECUTION}/consolelog", console, methods=["GET"]),
    Route(f"{_EXECUTION}/logs", logs_index, methods=["GET"]),
    Route(f"{_EXECUTION}/{{type}}", log_urls, methods=["GET"]),
    Route(f"{_EXECUTION}/{{type}}/{{filename}}", log_file, methods=["GET"]),
]
