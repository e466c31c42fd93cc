"""``/api/syncs``: schedule options, list (light+paged on 2025, full on 2024), CRUD and activation."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .. import render
from ..domain import syncs as domain
from ..errors import bad_request
from ..records import Sync
from ..web import context, json_body, listing, no_content, ok

_SCHEDULE_OPTIONS = (
    ("manual", "Manual", "Run only when triggered", ()),
    ("continuous", "Continuous", "Run continuously", ()),
    ("hourly", "Hourly", "Run once an hour", ("minute",)),
    ("daily", "Daily", "Run once a day (UTC)", ("hour", "minute")),
    ("weekly", "Weekly", "Run once a week (UTC)", ("day_of_week", "hour", "minute")),
    ("custom", "Custom", "Run on a cron-like schedule", ("minute", "hour", "day_of_month", "month", "day_of_week")),
    ("builder", "Schedule builder", "Run on a schedule built in the UI", ("minute", "hour", "day_of_month", "month", "day_of_week")),
    ("runafter", "Run after", "Run after other syncs finish", ("run_after", "run_after_success_only")),
    ("multi", "Multiple schedules", "Run on several schedules", ()),
    ("dbtcloud", "dbt Cloud", "Run after a dbt Cloud job", ("job_id", "connection_id")),
)
_PROPERTY_TYPES = {"run_after": "object", "run_after_success_only": "boolean", "job_id": "integer"}
_REQUIRED = {"runafter": ["run_after"], "dbtcloud": ["job_id", "connection_id"]}


def _schedule_option(frequency: str, label: str, description: str, keys: tuple[str, ...]) -> dict[str, Any]:
    form: dict[str, Any] = {}
    if keys:
        form = {"type": "object", "properties": {k: {"type": _PROPERTY_TYPES.get(k, "string")} for k in keys}}
        if frequency in _REQUIRED:
            form["required"] = _REQUIRED[frequency]
    return {"frequency": frequency, "label": label, "description": description, "configuration": form}


async def schedules(request: Request) -> Response:
    """List schedule frequencies and the fields each one uses."""
    return ok({"schedule_options": [_schedule_option(*option) for option in _SCHEDULE_OPTIONS]})


def _filtered(request: Request, syncs: list[Sync]) -> list[Sync]:
    params = request.query_params
    if params.get("active") not in (None, ""):
        if params["active"] not in ("true", "false"):
            raise bad_request(f'active must be true or false, got "{params["active"]}"')
        syncs = [s for s in syncs if s.active == (params["active"] == "true")]
    if params.get("mode"):
        syncs = [s for s in syncs if s.mode == params["mode"]]
    if params.get("target_connection_id"):
        syncs = [s for s in syncs if s.target["connection_id"] == params["target_connection_id"]]
    return syncs


async def list_syncs(request: Request) -> Response:
    """List syncs: light items + cursor paging on 2025-09-18 (whole when the sandbox does not page), full objects
    unpaginated on 2024-02-08."""
    ctx = context(request)
    syncs = _filtered(request, list(ctx.workspace.syncs.values()))
    if ctx.legacy:
        ordered = sorted(syncs, key=lambda s: s.rev, reverse=True)
        return ok([render.sync(ctx.workspace, s, ctx.version) for s in ordered])
    page, extra = listing(syncs, lambda s: s.rev, request)
    return ok([render.sync_light(s) for s in page], **extra)


async def create_sync(request: Request) -> Response:
    """Create a sync after validating it against its models and destination."""
    ctx = context(request)
    sync = domain.build_sync(ctx.workspace, json_body(request), version=ctx.version)
    ctx.workspace.syncs[sync.id] = sync
    return ok(render.sync(ctx.workspace, sync, ctx.version))


async def get_sync(request: Request) -> Response:
    """Return one full sync."""
    ctx = context(request)
    return ok(render.sync(ctx.workspace, domain.get_sync(ctx.workspace, request.path_params["id"]), ctx.version))


async def update_sync(request: Request) -> Response:
    """Replace a sync (same body and rules as create)."""
    ctx = context(request)
    existing = domain.get_sync(ctx.workspace, request.path_params["id"])
    sync = domain.build_sync(ctx.workspace, json_body(request), version=ctx.version, existing=existing)
    ctx.workspace.syncs[sync.id] = sync
    return ok(render.sync(ctx.workspace, sync, ctx.version))


async def delete_sync(request: Request) -> Response:
    """Cancel any running execution and delete the sync."""
    ws = context(request).workspace
    domain.get_sync(ws, request.path_params["id"])
    ws.drop_sync(request.path_params["id"])
    return no_content()


async def activate_sync(request: Request) -> Response:
    """Enable or disable scheduling (``{"active": bool}``)."""
    ws = context(request).workspace
    return ok(domain.set_active(ws, domain.get_sync(ws, request.path_params["id"]), json_body(request)))


ROUTES = [
    Route("/api/syncs/schedules", schedules, methods=["GET"]),
    Route("/api/syncs", list_syncs, methods=["GET"]),
    Route("/api/syncs", create_sync, methods=["POST"]),
    Route("/api/syncs/{id}", get_sync, methods=["GET"]),
    Route("/api/syncs/{id}", update_sync, methods=["PUT"]),
    Route("/api/syncs/{id}", delete_sync, methods=["DELETE"]),
    Route("/api/syncs/{id}/activate", activate_sync, methods=["POST"]),
]
