"""Tools: list_source_objects, create_model, update_model, list_models (with ``model_id``: one in full)."""

from __future__ import annotations

from contextlib import suppress
from typing import Annotated, Any

from mcp.server.mcpserver import Context, ElicitationResult, Resolve
from pydantic import Field

from polytomic_mcp.client import BadRequestError, PolytomicError, UnprocessableEntityError
from polytomic_mcp.client.models import Job, Model, ModelCreateRequest, ModelUpdateRequest
from polytomic_mcp.shared_state import StateUnavailable

from ..core.consent import Confirmation, Outcome, outcome_of
from ..core.diff import changes
from ..core.errors import ToolFailure, explain, fail
from ..core.guards import usable_connection
from ..core.list_pages import API_PAGE_SIZE, cut_note, decode_cursor, page, read_all
from ..core.lookups import fetch_model, fetch_sync
from ..core.masking import masked_model_configuration
from ..core.notify import progress_to, tell
from ..core.params import ConsentTokenArg, CursorArg, DryRunArg, LimitArg, NewNameArg
from ..core.registry import tool
from ..core.result_text import quoted
from ..core.secrets import secret_values
from ..core.services import Services, current_services
from ..core.source_schemas import fresh_cache, read_source_schemas
from ..core.suggest import did_you_mean
from ..core.usage import Dependent, fields_used, rerun_hint, syncs_of_model, with_last_runs
from ..core.views import UpdateResult, Updating, UsedBy
from ..core.write import Change, Problem, apply
from .confirm import confirm_model_change
from .views import ModelBrief, ModelDetail, ModelFieldBrief, ModelList, SourceChoices, model_detail

MODEL_JOB_TIMEOUT = 120.0
MAX_CHOICES = 100
MODEL_SHOWN_BY = "list_models(model_id='{id}')"


@tool(title="Source objects", read_only=True, destructive=False, idempotent=True, open_world=True)
async def list_source_objects(
    ctx: Context,
    connection_id: Annotated[str, Field(min_length=1)],
    params: Annotated[
        dict[str, str] | None,
        Field(description="Choices so far: {'database': 'x'}."),
    ] = None,
    bulk: Annotated[bool, Field(description="Schemas to replicate instead.")] = False,
    schema: Annotated[str | None, Field(description="Bulk: its fields.")] = None,
    search: Annotated[str | None, Field(description="Bulk: part of a name.")] = None,
    cursor: CursorArg = None,
    refresh: Annotated[bool, Field(description="Re-read the source first (new tables).")] = False,
) -> SourceChoices:
    svc = current_services()
    await usable_connection(svc, connection_id, "source")
    if bulk or schema is not None or search is not None or cursor is not None:
        return await _bulk_source(ctx, svc, connection_id, schema, search, cursor, refresh=refresh)
    cache = await _refreshed(ctx, svc, connection_id, force=True) if refresh else None
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
    given = {key for key, value in (params or {}).items() if value}
    missing = [] if given & set(meta.requires_one_of) else meta.requires_one_of
    if fields and not missing:
        step = "These params name a source: create_model(connection_id, configuration=params)."
    elif given and not missing:
        step = ("Polytomic's schema cache has no source for these params: pick from choices, or (created upstream "
                "recently) call again with refresh=true.")
    else:
        step = "Call again with params to drill down, or create_model(connection_id, configuration=params)."
    return SourceChoices(connection_id=connection_id, requires_one_of=missing or None, choices=choices, fields=fields,
                         cache_status=cache, next_step=step)


async def _refreshed(ctx: Context, svc: Services, connection_id: str, *, force: bool) -> str:
    """The source's schema cache made fresh (re-read from the source when ``force``), as its final status."""
    try:
        return await fresh_cache(svc, connection_id, progress_to(ctx), force=force)
    except PolytomicError as error:
        raise fail(explain(error, action="refresh the source's schema cache", not_found="Call list_connections for valid ids.")) from None


@tool(title="Create a model", read_only=False, destructive=False, idempotent=False, open_world=True)
async def create_model(
    ctx: Context,
    name: Annotated[str, Field(description="Unique model name.", min_length=1, max_length=200)],
    connection_id: Annotated[str, Field(min_length=1)],
    configuration: Annotated[
        dict[str, Any],
        Field(description="e.g. {'database', 'collection'}, {'table'} or {'query'}."),
    ],
    fields: Annotated[list[str] | None, Field(description="Source fields to include (default all).")] = None,
    identifier: Annotated[str | None, Field(description="Unique-key field.")] = None,
    labels: Annotated[list[str] | None, Field(description="Labels.")] = None,
) -> ModelDetail:
    svc = current_services()
    carried = secret_values(configuration)
    await usable_connection(svc, connection_id, "source")
    request = ModelCreateRequest(
        name=name, connection_id=connection_id, configuration=configuration,
        fields=fields, identifier=identifier, labels=labels,
    )

    async def progress(job: Job, polls: int) -> None:
        await ctx.report_progress(polls, None, f"model job {job.status}")
        await tell(ctx, "info", f"model '{name}': Polytomic job {job.status}")

    async def send() -> Model | Job:
        await ctx.report_progress(0, None, "creating model")
        try:
            created = await svc.client.models.create(
                request, timeout=MODEL_JOB_TIMEOUT, on_poll=progress, on_started=lambda job: remember(svc, name, job),
            )
        except PolytomicError as error:
            if not error.may_have_succeeded:
                await forget(svc, name)
            raise
        await forget(svc, name)
        return created

    async def created(model: Model | Job, _: Outcome) -> ModelDetail:
        if not isinstance(model, Model):
            raise fail(f"Model '{name}' is still being created; {_still_creating(name)}.")
        return model_detail(model, "Map these fields with create_sync; find the destination object with list_target_objects.")

    return await apply(ctx, Change.create(
        "create_model", "model", name, secrets=carried, existing=svc.client.models.list, shown_by=MODEL_SHOWN_BY, change_tool="update_model",
        search_tool="list_models", send=send, result=created, check=_still_creating(name), guard=lambda: refuse_model_in_progress(svc, name),
        rejected=f"Call list_source_objects('{connection_id}') to see valid configuration values.",
    ))


async def remember(svc: Services, name: str, job: Job) -> None:
    """Record the started job for retries on any replica; the job runs either way (this call holds the name's lock)."""
    with suppress(StateUnavailable):
        await svc.creates.job_started(name, job)


async def forget(svc: Services, name: str) -> None:
    """The job ended: drop its record (if the state cannot be reached, the next create reads the job and drops it)."""
    with suppress(StateUnavailable):
        await svc.creates.job_settled(name)


def _still_creating(name: str) -> str:
    """How to find out whether a model whose create has not been confirmed exists."""
    return f"do not create it again; call list_models(search='{name}') in a minute to see whether it exists"


async def refuse_model_in_progress(svc: Services, name: str) -> None:
    """A ToolError while an earlier create of model ``name`` may still be running (its job is asked, not assumed)."""
    job = await svc.creates.running_job(name)
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
        await svc.creates.job_settled(name)
        return
    raise fail(
        f"Model '{name}' is still being created by an earlier call (Polytomic job {job.job_id}, {job.status}). "
        f"Nothing new was created; {_still_creating(name)}."
    )


@tool(title="Models", read_only=True, destructive=False, idempotent=True, open_world=True)
async def list_models(
    search: Annotated[str | None, Field(description="Substring of the name.")] = None,
    connection_id: Annotated[str | None, Field(min_length=1, description="Only over this connection.")] = None,
    cursor: CursorArg = None,
    limit: LimitArg = None,
    model_id: Annotated[str | None, Field(min_length=1, description="One model in full instead.")] = None,
    sample: Annotated[bool, Field(description="With model_id: add sample records.")] = False,
) -> ModelList | ModelDetail:
    if model_id is not None:
        return await one_model(current_services(), model_id, sample)
    offset = decode_cursor(cursor)
    svc = current_services()
    try:
        listing = await svc.listing("models", lambda: read_all(svc.client.models.list(limit=API_PAGE_SIZE)), first_page=offset == 0)
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


async def one_model(svc: Services, model_id: str, sample: bool) -> ModelDetail:
    """One model with its fields, and up to 5 sample records when asked."""
    try:
        model = await svc.client.models.get(model_id)
        rows = (await svc.client.models.sample(model_id)).rows(model_id)[:5] if sample else None
    except PolytomicError as error:
        raise fail(explain(error, action=f"get model '{model_id}'", not_found="Call list_models to see valid ids.")) from None
    return model_detail(model, sample=rows)


@tool(title="Change a model", read_only=False, destructive=True, idempotent=True, open_world=True)
async def update_model(
    ctx: Context,
    model_id: Annotated[str, Field(min_length=1)],
    name: NewNameArg = None,
    configuration: Annotated[dict[str, Any] | None, Field(description="Replaces it, as in create_model: {'collection': ...}.")] = None,
    fields: Annotated[list[str] | None, Field(description="Source fields to include.")] = None,
    identifier: Annotated[str | None, Field(description="Unique-key field.")] = None,
    labels: Annotated[list[str] | None, Field(description="Labels.")] = None,
    dry_run: DryRunArg = False,
    consent_token: ConsentTokenArg = None,
    confirmation: Annotated[ElicitationResult[Confirmation], Resolve(confirm_model_change)] = None,  # type: ignore[assignment]
) -> UpdateResult:
    svc = current_services()
    current = await fetch_model(svc, model_id)
    base = current.to_update_request()
    given = {"name": name, "configuration": configuration, "fields": fields, "identifier": identifier, "labels": labels}
    updates: dict[str, Any] = {k: v for k, v in given.items() if v is not None}
    if configuration is not None and fields is None:
        updates["fields"] = None  # another source object: all of its fields unless chosen
    request = base.model_copy(update=updates)
    carried = secret_values(request.configuration)
    updating = Updating("model", model_id, changes(base.to_body(), request.to_body()))

    async def checks() -> list[Problem]:
        if not {"configuration", "fields", "identifier"} & set(updating.changes):
            return []
        return Problem.at("", await _broken_syncs(svc, model_id, request))

    async def preview(problems: list[Problem], step: str) -> UpdateResult:
        body = {**request.to_body(), "configuration": masked_model_configuration(request.configuration)}
        return updating.preview(request.name, body, problems, step)

    async def saved(model: Model | Job, _: Outcome) -> UpdateResult:
        if not isinstance(model, Model):
            raise fail(f"The change to model '{current.name}' ({model_id}) is still being applied; "
                       f"call list_models(model_id='{model_id}') in a minute.")
        try:
            users: list[UsedBy] | None = await with_last_runs(svc, [Dependent("sync", s.id, s.name) for s in await syncs_of_model(svc, model_id)])
        except ToolFailure:
            users = None  # the update is done; only the list of what reads the model could not be read
        step = ("Done; the syncs that read it (used_by) use its new fields from their next run." if users else
                "Done; no sync reads it yet." if users is not None else
                "Done; syncs that read this model use its new fields from their next run.")
        return updating.saved(model.name, model_detail(model), step + rerun_hint(users), users)

    async def stored() -> dict[str, Any]:
        return (await fetch_model(svc, model_id)).to_update_request().model_dump(mode="json")

    return await apply(ctx, Change.update(
        "update_model", "model", model_id, current.name, secrets=carried, new_name=request.name, existing=svc.client.models.list,
        read_again=(base.model_dump(mode="json"), stored),
        shown_by=MODEL_SHOWN_BY, send=lambda: svc.client.models.update(model_id, request, timeout=MODEL_JOB_TIMEOUT),
        result=saved, checks=checks, preview=preview, not_found="Call list_models to see valid ids.", rejected="", notify=True,
        consent=outcome_of(confirmation), consent_token=consent_token,
    ), dry_run=dry_run)


async def _broken_syncs(svc: Services, model_id: str, request: ModelUpdateRequest) -> list[str]:
    """Why the change would break syncs: fields they use that the changed model would not have (read via a preview)."""
    try:
        preview = await svc.client.models.preview(ModelCreateRequest.model_validate(request.model_dump(exclude={"refresh"})))
    except (BadRequestError, UnprocessableEntityError) as error:
        return [f"Polytomic rejects the new configuration: {quoted(error.message)}"]
    except PolytomicError as error:
        raise fail(explain(error, action="preview the changed model"), api_error=error) from None
    kept = set(preview.field_names)
    problems = []
    for summary in await syncs_of_model(svc, model_id):
        lost = fields_used(await fetch_sync(svc, summary.id), model_id) - kept
        if lost:
            problems.append(
                f"sync '{summary.name}' ({summary.id}) uses {', '.join(repr(f) for f in sorted(lost))}, which the changed "
                "model would not have; change or delete that sync first"
            )
    return problems


async def _bulk_source(
    ctx: Context, svc: Services, connection_id: str, schema: str | None, search: str | None, cursor: str | None, *, refresh: bool,
) -> SourceChoices:
    """A page of the schemas a source can replicate matching ``search`` (the cache refreshed first when stale, or when
    ``refresh``), one schema's fields."""
    offset = decode_cursor(cursor)
    cache = await _refreshed(ctx, svc, connection_id, force=refresh)
    schemas = await read_source_schemas(svc, connection_id, fields=schema is not None)
    fields = None
    if schema is not None:
        found = schemas.get(schema)
        if found is None:
            raise fail(f"The source has no schema '{schema}'{did_you_mean(schema, list(schemas))}. "
                       f"Call list_source_objects('{connection_id}', bulk=true) to list them.")
        fields = [ModelFieldBrief(name=f.id, type=f.type, primary_key=True if f.is_primary_key else None) for f in found.fields or []]
    needle = (search or "").lower()
    matches = [s.id for s in schemas.values() if needle in s.id.lower() or needle in (s.name or "").lower()]
    shown, next_cursor = page(matches, offset, None)
    return SourceChoices(
        connection_id=connection_id, schemas=shown, total=len(matches), next_cursor=next_cursor, cache_status=cache, fields=fields,
        next_step="Pick schemas for create_bulk_sync; list_target_objects(destination_id, bulk=true) shows what the destination needs.",
    )
