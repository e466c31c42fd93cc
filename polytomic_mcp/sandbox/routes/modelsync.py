"""``/api/connections/{id}/modelsync/...``: what a connection offers as a model source and as a sync destination."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..domain.bulk_sources import cached_system
from ..domain.connections import describe, get_connection, usable_system
from ..errors import bad_request, listing, not_found, unprocessable
from ..ids import now_iso
from ..records import Connection
from ..type_schemas import get_type
from ..upstream import System, TargetObject
from ..web import context, deep_object, ok, query_bool


def _system(request: Request, role: str) -> tuple[Connection, System]:
    """Return the connection and its upstream, checking it can act as ``source`` or ``destination``."""
    ws = context(request).workspace
    conn = get_connection(ws, request.path_params["id"])
    ctype = get_type(conn.type_id)
    if ctype is None or not getattr(ctype, role):
        what = "model source" if role == "source" else "sync destination"
        raise unprocessable(f"connection {describe(conn)} cannot be used as a {what}")
    return conn, usable_system(ws, conn)


def _cached_source(request: Request) -> System:
    """The source as its schema cache saw it: a table created upstream since shows only after a schema refresh."""
    conn, _ = _system(request, "source")
    return cached_system(context(request).workspace, conn)


async def source(request: Request) -> Response:
    """List the configuration keys and values a model over this connection needs (``params[k]=v`` drills down)."""
    return ok(_cached_source(request).source_meta(deep_object(request, "params")))


async def source_fields(request: Request) -> Response:
    """List the fields a model with configuration ``params[...]`` would have."""
    return ok(_cached_source(request).resolve_source(deep_object(request, "params")).render_fields())


async def target_objects(request: Request) -> Response:
    """List destination objects with their modes, plus whether new targets can be created."""
    _, system = _system(request, "destination")
    with_values = query_bool(request, "include_target_creation_values")
    creation = {"supported": bool(system.creation), "properties": [p.render(with_values) for p in system.creation]}
    return JSONResponse({"data": [t.render_listing() for t in system.targets.values()], "target_creation": creation})


async def target_property(request: Request) -> Response:
    """Return one target-creation property with its allowed values."""
    _, system = _system(request, "destination")
    wanted = request.path_params["property"]
    prop = next((p for p in system.creation if p.id == wanted), None)
    if prop is None:
        raise not_found(f'target creation property "{wanted}" not found; available: {listing([p.id for p in system.creation])}')
    return ok(prop.render(True) | {"values": [{"label": v, "value": v} for v in prop.values]})


def _render_target(target: TargetObject, system: System) -> dict[str, Any]:
    return {
        "id": target.id,
        "name": target.name,
        "refreshed_at": now_iso(),
        "fields": [f.render() for f in target.fields],
        "modes": [m.render_detail() for m in target.modes],
        "properties": system.target_properties(),
    }


async def target_fields(request: Request) -> Response:
    """Describe one target (``target=``) or a not-yet-created one (``properties[k]=v``, 2025-09-18 only)."""
    ctx = context(request)
    conn, system = _system(request, "destination")
    target_id = request.query_params.get("target")
    properties = deep_object(request, "properties")
    if properties and ctx.legacy:
        raise bad_request(f"properties[...] is not supported in API version {ctx.version}; pass target")
    if bool(target_id) == bool(properties):
        raise bad_request("exactly one of target or properties[...] is required" if not ctx.legacy else "target is required")
    if properties or target_id is None:
        return ok(_render_target(system.new_target(properties), system))
    target = system.targets.get(target_id)
    if target is None:
        raise not_found(f'target object "{target_id}" not found on connection {describe(conn)}; available: {listing(list(system.targets))}')
    return ok(_render_target(target, system))


ROUTES = [
    Route("/api/connections/{id}/modelsync/source", source, methods=["GET"]),
    Route("/api/connections/{id}/modelsync/source/fields", source_fields, methods=["GET"]),
    Route("/api/connections/{id}/modelsync/targetobjects", target_objects, methods=["GET"]),
    Route("/api/connections/{id}/modelsync/targetobjects/properties/{property}", target_property, methods=["GET"]),
    Route("/api/connections/{id}/modelsync/target/fields", target_fields, methods=["GET"]),
]
