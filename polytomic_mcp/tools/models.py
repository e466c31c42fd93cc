"""Tools: list_source_objects, create_model, list_models, get_model."""

from __future__ import annotations

from typing import Annotated, Any

from mcp.server.mcpserver import Context
from pydantic import Field

from polytomic_mcp.client import BadRequestError, PolytomicError, UnprocessableEntityError
from polytomic_mcp.client.models import Job, Model, ModelCreateRequest

from ._checks.guards import refuse_duplicate, usable_connection
from ._framework.errors import explain, fail
from ._framework.notify import resources_changed, tell
from ._framework.paging import API_PAGE_SIZE, cut_note, decode_cursor, page, read_all
from ._framework.params import CursorArg, LimitArg
from ._framework.registry import tool
from ._framework.render import quoted
from ._framework.results import ModelBrief, ModelDetail, ModelFieldBrief, ModelList, SourceChoices
from ._framework.services import Services, services
from ._framework.views import model_detail
from ._secrets.references import secret_values

MODEL_JOB_TIMEOUT = 120.0
MAX_CHOICES = 100


@tool(title="List source objects", read_only=True, destructive=False, idempotent=True, open_world=True)
async def list_source_objects(
    ctx: Context,
    connection_id: Annotated[str, Field(description="Source connection id.", min_length=1)],
    params: Annotated[
        dict[str, str] | None,
        Field(description="Choices made so far, e.g. {'database': 'example'} to list its collections."),
    ] = None,
) -> SourceChoices:
    svc = services(ctx)
    await usable_connection(svc, connection_id, "source")
    try:
        meta = await svc.client.sources.get(connection_id, params or None)
    except PolytomicError as error:
        raise fail(explain(error, action="list source objects", not_found="Check the connection id and params.")) from None
    choices = {key: items.items[:MAX_CHOICES] for key, items in meta.items.items() if items.items}
    fields = None
    if params:
        try:
            found = await svc.client.sources.fields(connection_id, params)
            fields = [ModelFieldBrief(name=f.name, type=f.type) for f in found] or None
        except PolytomicError:
            fields = None
    return SourceChoices(
        connection_id=connection_id,
        requires_one_of=meta.requires_one_of,
        choices=choices,
        fields=fields,
        next_step="Call again with params to drill down, or create_model(connection_id, configuration=params).",
    )


@tool(title="Create a model", read_only=False, destructive=False, idempotent=False, open_world=True)
async def create_model(
    ctx: Context,
    name: Annotated[str, Field(description="Unique model name.", min_length=1, max_length=200)],
    connection_id: Annotated[str, Field(description="Source connection id.", min_length=1)],
    configuration: Annotated[
        dict[str, Any],
        Field(description="Source-specific, e.g. {'database', 'collection'} or {'table'}."),
    ],
    fields: Annotated[list[str] | None, Field(description="Source fields to include (default all).")] = None,
    identifier: Annotated[str | None, Field(description="Unique-key field.")] = None,
    labels: Annotated[list[str] | None, Field(description="Labels.")] = None,
) -> ModelDetail:
    svc = services(ctx)
    svc.secrets.add(*secret_values(configuration))
    await usable_connection(svc, connection_id, "source")
    request = ModelCreateRequest(
        name=name, connection_id=connection_id, configuration=configuration,
        fields=fields, identifier=identifier, labels=labels,
    )

    async def progress(job: Job, polls: int) -> None:
        await ctx.report_progress(polls, None, f"model job {job.status}")
        await tell(ctx, "info", f"model '{name}': Polytomic job {job.status}")

    async with svc.creates.one_at_a_time("model", name):
        await refuse_model_in_progress(svc, name)
        await refuse_duplicate("model", name, svc.client.models.list(), "get_model")
        await ctx.report_progress(0, None, "creating model")
        try:
            model = await svc.client.models.create(
                request, timeout=MODEL_JOB_TIMEOUT, on_poll=progress,
                on_started=lambda job: svc.creates.job_started(name, job),
            )
        except (BadRequestError, UnprocessableEntityError) as error:
            raise fail(
                f"Polytomic rejected model '{name}': {quoted(error.message)}. "
                f"Call list_source_objects('{connection_id}') to see valid configuration values."
            ) from None
        except PolytomicError as error:
            if not error.may_have_succeeded:
                svc.creates.job_settled(name)
            raise fail(explain(error, action=f"create model '{name}'", check=_still_creating(name))) from None
        svc.creates.job_settled(name)
    if not isinstance(model, Model):
        raise fail(f"Model '{name}' is still being created; {_still_creating(name)}.")
    await resources_changed(ctx)
    return model_detail(model, "Map these fields with create_sync; find the destination object with list_target_objects.")


def _still_creating(name: str) -> str:
    """How to find out whether a model whose create has not been confirmed exists."""
    return f"do not create it again; call list_models(search='{name}') in a minute to see whether it exists"


async def refuse_model_in_progress(svc: Services, name: str) -> None:
    """A ToolError while an earlier create of model ``name`` may still be running (its job is asked, not assumed)."""
    job = svc.creates.running_job(name)
    if job is None:
        return
    try:
        job = await svc.client.jobs.get(job.type, job.job_id)
    except PolytomicError as error:
        raise fail(
            f"An earlier create of model '{name}' (Polytomic job {job.job_id}) may still be running and its status could "
            f"not be read ({explain(error, action='read the job')}). Nothing was created; {_still_creating(name)}."
        ) from None
    if job.finished:
        svc.creates.job_settled(name)
        return
    raise fail(
        f"Model '{name}' is still being created by an earlier call (Polytomic job {job.job_id}, {job.status}). "
        f"Nothing new was created; {_still_creating(name)}."
    )


@tool(title="List models", read_only=True, destructive=False, idempotent=True, open_world=True)
async def list_models(
    ctx: Context,
    search: Annotated[str | None, Field(description="Case-insensitive substring of the model name.")] = None,
    connection_id: Annotated[str | None, Field(description="Only models over this connection.")] = None,
    cursor: CursorArg = None,
    limit: LimitArg = None,
) -> ModelList:
    offset = decode_cursor(cursor)
    try:
        listing = await read_all(services(ctx).client.models.list(limit=API_PAGE_SIZE))
    except PolytomicError as error:
        raise fail(explain(error, action="list models")) from None
    needle = (search or "").lower()
    matches = [
        m for m in listing.items
        if needle in m.name.lower() and (connection_id is None or m.connection_id == connection_id)
    ]
    chunk, next_cursor = page(matches, offset, limit)
    return ModelList(
        models=[ModelBrief(id=m.id, name=m.name, connection_id=m.connection_id) for m in chunk],
        total=len(matches),
        next_cursor=next_cursor,
        cut=cut_note("models", len(listing.items)) if listing.cut else None,
    )


@tool(title="Get a model", read_only=True, destructive=False, idempotent=True, open_world=True)
async def get_model(
    ctx: Context,
    model_id: Annotated[str, Field(description="Model id from list_models or create_model.", min_length=1)],
    sample: Annotated[bool, Field(description="Include up to 5 sample records.")] = False,
) -> ModelDetail:
    client = services(ctx).client
    try:
        model = await client.models.get(model_id)
        rows = (await client.models.sample(model_id)).rows(model_id)[:5] if sample else None
    except PolytomicError as error:
        raise fail(explain(error, action=f"get model '{model_id}'", not_found="Call list_models to see valid ids.")) from None
    return model_detail(model, sample=rows)
