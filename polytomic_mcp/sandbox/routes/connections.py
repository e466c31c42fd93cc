"""``/api/connections``: list, create, test, read, full-replace update and (force) delete."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .. import render
from ..domain import connections as domain
from ..web import context, json_body, no_content, ok, query_bool


async def list_connections(request: Request) -> Response:
    """List the workspace's connections (unpaginated, newest-updated first)."""
    ctx = context(request)
    items = sorted(ctx.workspace.connections.values(), key=lambda c: c.rev, reverse=True)
    return ok([render.connection(c, ctx.version, mask=not ctx.workspace.leak_secrets) for c in items])


async def create_connection(request: Request) -> Response:
    """Create a connection; OAuth types come back with an ``auth_url`` to open."""
    ctx = context(request)
    conn = domain.create_connection(ctx.workspace, json_body(request))
    return ok(render.connection(conn, ctx.version, with_auth=True, mask=not ctx.workspace.leak_secrets))


async def test_connection(request: Request) -> Response:
    """Validate and probe a configuration without saving it (204 on success)."""
    domain.test_connection(context(request).workspace, json_body(request))
    return no_content()


async def get_connection(request: Request) -> Response:
    """Return one connection with secrets masked."""
    ctx = context(request)
    return ok(render.connection(domain.get_connection(ctx.workspace, request.path_params["id"]), ctx.version, mask=not ctx.workspace.leak_secrets))


async def update_connection(request: Request) -> Response:
    """Replace name and configuration (omitted keys are cleared)."""
    ctx = context(request)
    conn = domain.update_connection(ctx.workspace, request.path_params["id"], json_body(request))
    return ok(render.connection(conn, ctx.version, with_auth=True, mask=not ctx.workspace.leak_secrets))


async def delete_connection(request: Request) -> Response:
    """Delete; 422 "connection in use" unless ``force=true``, which deletes dependent models and syncs too."""
    ctx = context(request)
    domain.delete_connection(ctx.workspace, request.path_params["id"], force=query_bool(request, "force"))
    return no_content()


ROUTES = [
    Route("/api/connections", list_connections, methods=["GET"]),
    Route("/api/connections", create_connection, methods=["POST"]),
    Route("/api/connections/test", test_connection, methods=["POST"]),
    Route("/api/connections/{id}", get_connection, methods=["GET"]),
    Route("/api/connections/{id}", update_connection, methods=["PUT"]),
    Route("/api/connections/{id}", delete_connection, methods=["DELETE"]),
]
