"""Models: list, get, create (asynchronous job + polling), preview, sample, update, delete."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from .._exceptions import JobPollError, PolytomicError, ResponseParseError
from .._pagination import AsyncPager, Page, page_from_body
from .._parse import parse_model
from ..models.models import Job, Model, ModelCreateRequest, ModelSample, ModelSummary, ModelUpdateRequest
from ._resource import Resource, segment
from .jobs import JobCallback, JobsResource


class ModelsResource(Resource):
    """/api/models, /api/model-preview."""

    def __init__(self, core: Any, jobs: JobsResource) -> None:
        super().__init__(core)
        self._jobs = jobs

    async def list_page(self, *, page_token: str | None = None, limit: int | None = None) -> Page[ModelSummary]:
        """One page of models as summaries (the API may or may not paginate; both are handled); ``get`` has the rest."""
        body = await self._raw("GET", "/api/models", params={"page_token": page_token, "limit": limit})
        return page_from_body(ModelSummary, body, "GET /api/models")

    def list(self, *, limit: int | None = None) -> AsyncPager[ModelSummary]:
        """Every model, following pages: ``async for model in client.models.list()``."""
        return AsyncPager(lambda token: self.list_page(page_token=token, limit=limit))

    async def get(self, model_id: str) -> Model:
        """One model with its fields."""
        path = f"/api/models/{segment(model_id)}"
        return parse_model(Model, await self._data("GET", path), f"GET {path}")

    async def create(
        self,
        request: ModelCreateRequest,
        *,
        wait: bool = True,
        timeout: float = 120.0,
        poll_interval: float | None = None,
        on_poll: JobCallback | None = None,
        on_started: Callable[[Job], Awaitable[None] | None] | None = None,
        idempotency_key: str | None = None,
    ) -> Model | Job:
        """Create a model as an asynchronous job (``?async=true``) and, by default, wait for it.

        With ``wait=False`` the started ``Job`` is returned; otherwise the created
        ``Model``. ``on_started`` gets the job as soon as the API accepted it; ``poll_interval``
        defaults to the client's ``job_poll_interval``. Raises
        ``JobFailedError``, ``JobTimeoutError`` or ``JobPollError`` (see ``jobs.wait``).
        """
        body = await self._raw(
            "POST", "/api/models", params={"async": True}, json=request.to_body(), idempotency_key=idempotency_key
        )
        return await self._finish(body, "POST /api/models", wait, timeout, poll_interval, on_poll, on_started)

    async def update(
        self,
        model_id: str,
        request: ModelUpdateRequest,
        *,
        wait: bool = True,
        timeout: float = 120.0,
        poll_interval: float | None = None,
        on_poll: JobCallback | None = None,
        idempotency_key: str | None = None,
    ) -> Model | Job:
        """Replace a model (omitted options are reset), asynchronously like ``create``."""
        path = f"/api/models/{segment(model_id)}"
        body = await self._raw(
            "PUT", path, params={"async": True}, json=request.to_body(), idempotency_key=idempotency_key
        )
        return await self._finish(body, f"PUT {path}", wait, timeout, poll_interval, on_poll)

    async def preview(self, request: ModelCreateRequest) -> Model:
        """Resolve a configuration's fields without saving anything."""
        data = await self._data("POST", "/api/model-preview", json=request.to_body())
        return parse_model(Model, {"id": "", **data} if isinstance(data, dict) else data, "POST /api/model-preview")

    async def sample(self, model_id: str) -> ModelSample:
        """A few records of the model, keyed by model id."""
        path = f"/api/models/{segment(model_id)}/sample"
        return parse_model(ModelSample, await self._data("GET", path), f"GET {path}")

    async def delete(self, model_id: str) -> None:
        """Delete a model (syncs that use it break; the API has no guard)."""
        await self._raw("DELETE", f"/api/models/{segment(model_id)}")

    async def _finish(
        self,
        body: Any,
        where: str,
        wait: bool,
        timeout: float,
        poll_interval: float | None,
        on_poll: JobCallback | None,
        on_started: Callable[[Job], Awaitable[None] | None] | None = None,
    ) -> Model | Job:
        """Return the model from a synchronous answer, or the job / its result."""
        if not isinstance(body, dict):
            raise ResponseParseError(f"{where}: expected a JSON object")
        if body.get("job") is None:
            if "data" not in body:
                raise ResponseParseError(f"{where}: neither `data` nor `job` in the response")
            return parse_model(Model, body["data"], where)
        job = parse_model(Job, body["job"], where)
        if on_started is not None and (started := on_started(job)) is not None:
            await started
        if not wait:
            return job
        job = await self._jobs.wait(job, timeout=timeout, poll_interval=poll_interval, on_poll=on_poll)
        result = job.result
        if isinstance(result, dict) and result.get("id") and "fields" in result:
            return parse_model(Model, result, f"{where} (job result)")
        model_id = result.get("id") if isinstance(result, dict) else result
        if not isinstance(model_id, str) or not model_id:
            raise ResponseParseError(f"{where}: job {job.job_id} finished without a model id")
        try:
            return await self.get(model_id)
        except PolytomicError as error:
            raise JobPollError(
                f"job {job.job_id} made model {model_id}, which could not be read back ({error.message})",
                job_id=job.job_id, job_type=job.type,
            ) from error

