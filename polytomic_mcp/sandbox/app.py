"""Build the Starlette app: routes, the gateway middleware and error rendering in the API's error shape.

Every catalog operation answers: the simulated domains' routes first, then the generic store (``generic``);
a path the API does not have is a 404 "no route".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse

from .errors import ApiError, error_body
from .gateway import Gateway
from .routes import ROUTES

if TYPE_CHECKING:
    from .state import SandboxState


async def _api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return JSONResponse(exc.body(), status_code=exc.status)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        message = f"not found: no route for {request.method} {request.url.path}"
    elif exc.status_code == 405:
        message = f"method {request.method} not allowed on {request.url.path}"
    else:
        message = exc.detail
    return JSONResponse(error_body(exc.status_code, message), status_code=exc.status_code, headers=exc.headers)


def build_app(sandbox: SandboxState) -> Starlette:
    """Return the ASGI app serving ``sandbox``."""
    app = Starlette(
        routes=ROUTES,
        middleware=[Middleware(Gateway, sandbox=sandbox)],
        exception_handlers={ApiError: _api_error, HTTPException: _http_error},
    )
    app.router.redirect_slashes = False
    app.state.sandbox = sandbox
    return app
