"""The Starlette endpoint behind every simulated route: a catalog operation goes to the generic engine.

It is the last route, so the simulated domains keep every path they serve. A path the catalog does not know
stays a 404 "no route", and a known path with a method neither the catalog nor a route has a 405.
"""

from __future__ import annotations

import re

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Match, Route

from polytomic_mcp.catalog import Operation, fitting

from ..web import context, json_body
from .engine import Call, serve
from .plans import plans

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


def _params(op: Operation, path: str) -> dict[str, str]:
    """The path parameters of a concrete path, by the template's names."""
    pattern = re.sub(r"\\\{([^}]*)\\\}", r"(?P<\1>[^/]+)", re.escape(op.path))
    found = re.fullmatch(pattern, path)
    return found.groupdict() if found is not None else {}


def _allowed_elsewhere(request: Request) -> bool:
    """Whether another method serves this path (a simulated route, or the catalog)."""
    scope = dict(request.scope)
    for route in request.app.router.routes:
        if getattr(route, "endpoint", None) is not generic and route.matches(scope)[0] is Match.PARTIAL:
            return True
    return any(fitting(method, request.url.path) is not None for method in METHODS if method != request.method)


async def generic(request: Request) -> Response:
    """Answer a catalog operation no simulated route served."""
    op = fitting(request.method, request.url.path)
    if op is None:
        raise HTTPException(405 if _allowed_elsewhere(request) else 404)
    ctx = context(request)
    call = Call(plans()[op.id], request.url.path, _params(op, request.url.path), request.query_params,
                json_body(request) if op.body is not None else None, ctx.version, ctx.sandbox.base_url)
    answer = serve(ctx.workspace, call)
    if answer.body is None:
        return Response(status_code=204)
    return JSONResponse(answer.body, status_code=answer.status)


ROUTE = Route("/api/{rest:path}", generic, methods=METHODS)
