"""What a connection offers to bulk syncs: ``/bulksync/source``, ``/bulksync/target`` and its schema cache.

Discovery answers 400 when the connection cannot play the role (wrong type, unhealthy, not authorized) and 404
for an unknown connection or schema.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..bulk_catalog import source_capabilities, source_configuration
from ..bulk_schemas import BulkSourceSchema
from ..domain import bulk_sources as domain
from ..domain.connections import get_connection
from ..records import Connection
from ..web import context, ok, query_bool

SAMPLE_RECORDS = 10


async def bulk_source(request: Request) -> Response:
    """List the schemas a bulk sync can read (from the cache); ``include_fields=true`` adds each one's fields."""
    ws = context(request).workspace
    conn = get_connection(ws, request.path_params["id"])
    system = domain.check_source(ws, conn, status=400)
    with_fields = query_bool(request, "include_fields")
    schemas = [s.render(with_fields=with_fields) for s in domain.cached_schemas(ws, conn).values()]
    kind = system.source_kind
    return ok({"capabilities": source_capabilities(kind), "configuration": source_configuration(kind), "schemas": schemas})


async def bulk_target(request: Request) -> Response:
    """Describe ``destination_configuration`` (a JSON Schema), the modes and resync modes of a bulk destination."""
    ws = context(request).workspace
    conn = get_connection(ws, request.path_params["id"])
    return ok(domain.check_destination(ws, conn, status=400).render())


async def refresh(request: Request) -> Response:
    """Start refreshing the schema cache (healthy connections only); 202 with ``Location`` to the status."""
    ws = context(request).workspace
    conn = get_connection(ws, request.path_params["id"])
    domain.start_refresh(ws, conn)
    return Response(status_code=202, headers={"Location": f"/api/connections/{conn.id}/schemas/status"})


async def refresh_status(request: Request) -> Response:
    """Report ``cache_status`` (``refreshing`` / ``fresh``) and when the last refresh started and finished."""
    ws = context(request).workspace
    return ok(domain.cache_status(ws, get_connection(ws, request.path_params["id"])))


def _cached_schema(request: Request) -> tuple[Connection, BulkSourceSchema]:
    ws = context(request).workspace
    conn = get_connection(ws, request.path_params["id"])
    domain.check_source(ws, conn, status=400)
    return conn, domain.cached_schema(ws, conn, request.path_params["schema_id"])


async def get_schema(request: Request) -> Response:
    """One cached schema with its fields and primary keys."""
    _, schema = _cached_schema(request)
    return ok(schema.render(with_fields=True))


async def schema_records(request: Request) -> Response:
    """A few sample records of a schema."""
    _, schema = _cached_schema(request)
    return ok([dict(r) for r in schema.records[:SAMPLE_RECORDS]])


ROUTES = [
    Route("/api/connections/{id}/bulksync/source", bulk_source, methods=["GET"]),
    Route("/api/connections/{id}/bulksync/target", bulk_target, methods=["GET"]),
    Route("/api/connections/{id}/schemas/refresh", refresh, methods=["POST"]),
    Route("/api/connections/{id}/schemas/status", refresh_status, methods=["GET"]),
    Route("/api/connections/{id}/schemas/{schema_id}", get_schema, methods=["GET"]),
    Route("/api/connections/{id}/schemas/{schema_id}/records", schema_records, methods=["GET"]),
]
