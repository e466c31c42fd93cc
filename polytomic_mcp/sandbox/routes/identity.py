"""``GET /api/me``: who the credential belongs to."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ..web import context, ok


async def me(request: Request) -> JSONResponse:
    """Describe the calling user and organization (``credential`` only on 2025-09-18)."""
    ctx = context(request)
    ws = ctx.workspace
    data = {
        "id": ws.user_id,
        "email": ws.user_email,
        "role": "admin",
        "organization_id": ws.organization_id,
        "organization_name": ws.organization_name,
        "is_user": True,
        "is_organization": False,
        "is_partner": False,
        "is_system": False,
    }
    if not ctx.legacy:
        data["credential"] = {"method": ctx.auth_method}
    return ok(data)


ROUTES = [Route("/api/me", me, methods=["GET"])]
