"""``GET /api/jobs/{type}/{id}``: poll an async model job."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..domain.jobs import poll_job, render_job
from ..web import context, ok


async def get_job(request: Request) -> Response:
    """Advance and return the job (400 for an unknown job type, 404 for an unknown id)."""
    job = poll_job(context(request).workspace, request.path_params["type"], request.path_params["id"])
    return ok(render_job(job))


ROUTES = [Route("/api/jobs/{type}/{id}", get_job, methods=["GET"])]
