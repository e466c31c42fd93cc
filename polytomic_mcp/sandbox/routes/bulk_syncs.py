"""``/api/bulk/syncs``: list (paged), create, read, full-replace update, delete, activate and per-schema settings
(all listed schemas with PATCH, one with PUT)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .. import bulk_render as render
from ..domain import bulk_executions as executions
from ..domain import bulk_syncs as domain
from ..domain.body import require_object
from ..domain.bulk_sources import cached_schemas
from ..errors import bad_request
from ..ids import next_revision, now_iso
from ..web import context, json_body, no_content, ok
from ..web import listing as page_of


async def list_bulk_syncs(request: Request) -> Response:
    """Page through bulk syncs, newest-updated first; ``active=true|false`` filters."""
    ctx = context(request)
    syncs = list(ctx.workspace.bulk.syncs.values())
    active = request.query_params.get("active")
    if active not in (None, ""):
        if active not in ("true", "false"):
            raise bad_request(f'active must be true or false, got "{active}"')
        syncs = [s for s in syncs if s["active"] == (active == "true")]
    page, extra = page_of(syncs, lambda s: s["_rev"], request)
    return ok([render.bulk_sync(s, ctx.version) for s in page], **extra)


async def create_bulk_sync(request: Request) -> Response:
    """Create a bulk sync after checking its connections, destination configuration, mode and schemas."""
    ctx = context(request)
    sync = domain.build_bulk_sync(ctx.workspace, json_body(request), version=ctx.version)
    ctx.workspace.bulk.syncs[sync["id"]] = sync
    return ok(render.bulk_sync(sync, ctx.version))


async def get_bulk_sync(request: Request) -> Response:
    """Return one bulk sync's top-level configuration."""
    ctx = context(request)
    return ok(render.bulk_sync(domain.get_bulk_sync(ctx.workspace, request.path_params["id"]), ctx.version))


async def update_bulk_sync(request: Request) -> Response:
    """Replace a bulk sync's top-level configuration (omitted fields reset; schemas kept unless listed)."""
    ctx = context(request)
    existing = domain.get_bulk_sync(ctx.workspace, request.path_params["id"])
    sync = domain.build_bulk_sync(ctx.workspace, json_body(request), version=ctx.version, existing=existing)
    ctx.workspace.bulk.syncs[sync["id"]] = sync
    return ok(render.bulk_sync(sync, ctx.version))


async def delete_bulk_sync(request: Request) -> Response:
    """Cancel any running execution, then delete the sync with its schema settings and history."""
    ws = context(request).workspace
    sync = domain.get_bulk_sync(ws, request.path_params["id"])
    executions.cancel(executions.current(ws, sync["id"]))
    ws.bulk.drop(sync["id"])
    return no_content()


async def activate(request: Request) -> Response:
    """Enable or disable scheduled runs; disabling also requests cancellation of the running execution."""
    ws = context(request).workspace
    sync = domain.get_bulk_sync(ws, request.path_params["id"])
    body = require_object(json_body(request))
    if not isinstance(body.get("active"), bool):
        raise bad_request("active is required and must be a boolean")
    if not body["active"]:
        executions.cancel(executions.current(ws, sync["id"]))
    sync.update(active=body["active"], updated_at=now_iso(), updated_by=ws.actor(), _rev=next_revision())
    return ok({"id": sync["id"], "active": sync["active"]})


def _enabled_filter(request: Request) -> bool | None:
    raw = request.query_params.get("filters[enabled]")
    if raw in (None, ""):
        return None
    if raw not in ("true", "false"):
        raise bad_request(f'filters[enabled] must be true or false, got "{raw}"')
    return raw == "true"


async def list_schemas(request: Request) -> Response:
    """List the sync's schemas (enabled or not; ``filters[enabled]=true`` narrows), without fields or filters."""
    ws = context(request).workspace
    sync = domain.get_bulk_sync(ws, request.path_params["id"])
    wanted = _enabled_filter(request)
    configs = [c for c in sync["_schemas"].values() if wanted is None or c["enabled"] == wanted]
    return ok([render.schema_list_item(sync, c) for c in configs])


def _source_schemas(ws: Any, sync: dict[str, Any]) -> dict[str, Any]:
    source = ws.connections.get(sync["source_connection_id"])
    return cached_schemas(ws, source) if source is not None else {}


async def get_schema(request: Request) -> Response:
    """One schema of the sync with its field selection and filters."""
    ws = context(request).workspace
    sync = domain.get_bulk_sync(ws, request.path_params["id"])
    config = domain.schema_config(sync, request.path_params["schema_id"])
    return ok(render.schema_detail(sync, config, _source_schemas(ws, sync).get(config["id"])))


async def update_schema(request: Request) -> Response:
    """Change one schema of the sync, as ``PATCH .../schemas`` with this schema alone would, and return it."""
    ws = context(request).workspace
    sync = domain.get_bulk_sync(ws, request.path_params["id"])
    schema_id = domain.schema_config(sync, request.path_params["schema_id"])["id"]
    body = require_object(json_body(request))
    (changed,) = domain.patch_schemas(ws, sync, {"schemas": [{**body, "id": schema_id}]})
    return ok(render.schema_detail(sync, changed, _source_schemas(ws, sync).get(schema_id)))


async def patch_schemas(request: Request) -> Response:
    """Change only the listed schemas (omitting ``fields`` enables every field) and return them."""
    ws = context(request).workspace
    sync = domain.get_bulk_sync(ws, request.path_params["id"])
    changed = domain.patch_schemas(ws, sync, json_body(request))
    available = _source_schemas(ws, sync)
    return ok([render.schema_detail(sync, c, available.get(c["id"])) for c in changed])


ROUTES = [
    Route("/api/bulk/syncs", list_bulk_syncs, methods=["GET"]),
    Route("/api/bulk/syncs", create_bulk_sync, methods=["POST"]),
    Route("/api/bulk/syncs/{id}", get_bulk_sync, methods=["GET"]),
    Route("/api/bulk/syncs/{id}", update_bulk_sync, methods=["PUT"]),
    Route("/api/bulk/syncs/{id}", delete_bulk_sync, methods=["DELETE"]),
    Route("/api/bulk/syncs/{id}/activate", activate, methods=["POST"]),
    Route("/api/bulk/syncs/{id}/schemas", list_schemas, methods=["GET"]),
    Route("/api/bulk/syncs/{id}/schemas", patch_schemas, methods=["PATCH"]),
    Route("/api/bulk/syncs/{id}/schemas/{schema_id}", get_schema, methods=["GET"]),
    Route("/api/bulk/syncs/{id}/schemas/{schema_id}", update_schema, methods=["PUT"]),
]
