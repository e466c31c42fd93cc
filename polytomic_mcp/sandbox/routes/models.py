"""``/api/models`` and ``/api/model-preview``: model CRUD, samples and previews, each optionally as an async job."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .. import render
from ..domain import models as domain
from ..domain.body import require_object, require_str
from ..domain.jobs import render_job, start_job
from ..errors import bad_request
from ..web import context, json_body, listing, no_content, ok, query_bool


def _shape_check(body: Any) -> dict[str, Any]:
    """Reject malformed bodies synchronously, even for async calls (deeper checks run in the job)."""
    checked: dict[str, Any] = require_object(body)
    require_str(checked, "name")
    require_str(checked, "connection_id")
    if "configuration" not in checked:
        raise bad_request("configuration is required")
    return checked


def _maybe_async(request: Request, job_type: str, work: Callable[[], Any]) -> JSONResponse:
    """Run ``work`` now and answer ``{"data": …}``, or with ``?async=true`` answer ``{"job": …}`` to poll."""
    if query_bool(request, "async"):
        return JSONResponse({"job": render_job(start_job(context(request).workspace, job_type, work))})
    return ok(work())


async def list_models(request: Request) -> Response:
    """List models newest-updated first with ``page_token``/``limit`` paging (whole when the sandbox does not page)."""
    ws = context(request).workspace
    page, extra = listing(list(ws.models.values()), lambda m: m.rev, request)
    return ok([render.model(m) for m in page], **extra)


async def create_model(request: Request) -> Response:
    """Create a model from a source configuration."""
    ws = context(request).workspace
    body = _shape_check(json_body(request))

    def work() -> dict[str, Any]:
        """Validate, store and render the model."""
        model = domain.build_model(ws, body)
        ws.models[model.id] = model
        return render.model(model)

    return _maybe_async(request, "createmodel", work)


async def get_model(request: Request) -> Response:
    """Return one model."""
    return ok(render.model(domain.get_model(context(request).workspace, request.path_params["id"])))


async def update_model(request: Request) -> Response:
    """Replace a model (omitted members are reset); field ids survive for fields that remain."""
    ws = context(request).workspace
    existing = domain.get_model(ws, request.path_params["id"])
    body = _shape_check(json_body(request))

    def work() -> dict[str, Any]:
        """Validate, replace and render the model."""
        model = domain.build_model(ws, body, existing=ws.models.get(existing.id, existing))
        ws.models[model.id] = model
        return render.model(model)

    return _maybe_async(request, "updatemodel", work)


async def delete_model(request: Request) -> Response:
    """Delete a model; syncs using it stay but report a ``model_not_found`` problem."""
    ws = context(request).workspace
    domain.get_model(ws, request.path_params["id"])
    del ws.models[request.path_params["id"]]
    return no_content()


async def sample_model(request: Request) -> Response:
    """Return sample records keyed by model id."""
    ws = context(request).workspace
    model = domain.get_model(ws, request.path_params["id"])
    return _maybe_async(request, "samplemodel", lambda: domain.sample(ws, model))


async def preview_model(request: Request) -> Response:
    """Resolve a model configuration (fields included) without saving anything."""
    ws = context(request).workspace
    body = _shape_check(json_body(request))
    return _maybe_async(request, "previewmodel", lambda: render.model_preview(domain.build_model(ws, body)))


ROUTES = [
    Route("/api/models", list_models, methods=["GET"]),
    Route("/api/models", create_model, methods=["POST"]),
    Route("/api/models/{id}", get_model, methods=["GET"]),
    Route("/api/models/{id}", update_model, methods=["PUT"]),
    Route("/api/models/{id}", delete_model, methods=["DELETE"]),
    Route("/api/models/{id}/sample", sample_model, methods=["GET"]),
    Route("/api/model-preview", preview_model, methods=["POST"]),
]
