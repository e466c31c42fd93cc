"""``GET /sandbox-logs/{token}/{filename}``: the storage host behind signed log URLs (no API key, like S3)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from ..domain import log_files
from ..errors import ApiError
from ..log_links import PATH_PREFIX


async def download(request: Request) -> Response:
    """Serve the file a token was issued for as JSON lines; 403 for an unknown token, 404 when the run is gone."""
    link = request.app.state.sandbox.log_links.resolve(request.path_params["token"])
    if link is None or link.filename != request.path_params["filename"]:
        return PlainTextResponse("AccessDenied: the signed URL is invalid", status_code=403)
    execution = link.workspace.executions.get(link.execution_id)
    try:
        if execution is None:
            raise ApiError(404, "the execution no longer exists")
        body = log_files.content(execution, link.log_type, link.filename)
    except ApiError as error:
        return PlainTextResponse(f"NoSuchKey: {error.message}", status_code=404)
    return Response(body, media_type="application/x-ndjson")


ROUTES = [Route(f"{PATH_PREFIX}/{{token}}/{{filename}}", download, methods=["GET"])]
