"""``/api/connection_types``: the catalog listing and the bare JSON Schema per type."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ..errors import not_found
from ..type_schemas import CONNECTION_TYPES, get_type
from ..web import context, ok


async def list_types(request: Request) -> JSONResponse:
    """List every connection type (camelCase ``configurationForm`` etc. as on the wire)."""
    version = context(request).version
    return ok([t.listing(version) for t in CONNECTION_TYPES.values()])


async def get_schema(request: Request) -> JSONResponse:
    """Return the type's configuration JSON Schema unwrapped (the API's one non-enveloped success body)."""
    type_id = request.path_params["id"]
    ctype = get_type(type_id)
    if ctype is None:
        raise not_found(f'connection type "{type_id}" not found')
    return JSONResponse(ctype.schema)


ROUTES = [
    Route("/api/connection_types", list_types, methods=["GET"]),
    Route("/api/connection_types/{id}", get_schema, methods=["GET"]),
]
