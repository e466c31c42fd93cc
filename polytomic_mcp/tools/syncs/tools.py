"""Tools: create_sync, update_sync (both kinds), list_syncs (with ``sync_id``: one in full)."""

from __future__ import annotations

from typing import Annotated, Any

from mcp.server.apps import client_supports_apps
from mcp.server.mcpserver import Context, ElicitationResult, Resolve
from pydantic import Field

from polytomic_mcp.client import PolytomicError, looks_secret
from polytomic_mcp.client.models import BulkSchemaSelection, Schedule, Sync, SyncField, SyncRequest, SyncTarget

from ..core.consent import Confirmation, Outcome, outcome_of
from ..core.diff import changes
from ..core.errors import explain, fail
from ..core.list_pages import decode_cursor
from ..core.params import ConsentTokenArg, CursorArg, DryRunArg, LimitArg, NewNameArg
from ..core.registry import tool
from ..core.services import Services, current_services
from ..core.sync_kind import find_sync
from ..core.views import UpdateResult, Updating
from ..core.write import Change, Problem, apply
from .bulk_update import bulk_only, model_only, update_bulk
from .confirm import confirm_create, confirm_update
from .listing import Filters, sync_list
from .merge import merge_sync
from .params import (
    FIELDS,
    SCHEDULE,
    TARGET,
    ActiveArg,
    FieldsArg,
    IdentitiesArg,
    IdentityArg,
    ModeArg,
    ScheduleArg,
    SyncIdArg,
    SyncNameArg,
    TargetArg,
)
from .precheck import precheck
from .views import SYNC_SHOWN_BY, SyncDetail, SyncList, SyncResult, bulk_sync_detail, compact, schedule_said, sync_detail


@tool(title="Create a sync", read_only=False, destructive=False, idempotent=False, open_world=True)
async def create_sync(
    ctx: Context,
    name: SyncNameArg,
    mode: ModeArg,
    target: TargetArg,
    fields: FieldsArg,
    schedule: ScheduleArg,
    identity: IdentityArg = None,
    identities: IdentitiesArg = None,
    active: ActiveArg = None,
    dry_run: DryRunArg = False,
    consent_token: ConsentTokenArg = None,
    confirmation: Annotated[ElicitationResult[Confirmation], Resolve(confirm_create)] = None,  # type: ignore[assignment]
) -> SyncResult:
    svc = current_services()
    carried = [f.override_value for f in fields if f.override_value and looks_secret(f.target)]
    if identity is not None and identities is not None:
        raise fail("Give either `identity` or `identities`, not both.")
    request = SyncRequest(
        name=name, mode=mode, target=target, fields=fields, schedule=schedule,
        identity=identity, identities=identities, active=active,
    )
    body = request_body(svc, request)

    async def checks() -> list[Problem]:
        return (await precheck(svc, request)).problems

    async def preview(problems: list[Problem], step: str) -> SyncResult:
        return SyncResult(created=False, name=name, mode=mode, target_object=target.object, checks=problems, request=body,
                          next_step=step)

    async def created(sync: Sync, _: Outcome) -> SyncResult:
        next_at = None
        if sync.active and (sync.schedule or {}).get("frequency") not in (None, "", "manual"):
            try:
                next_at = (await svc.client.syncs.status(sync.id)).next_execution_time or None
            except PolytomicError:
                next_at = None  # created; only when it runs next could not be read
        return _created(sync, next_at)

    return await apply(ctx, Change.create(
        "create_sync", "sync", name, secrets=carried, existing=svc.client.syncs.list, shown_by=SYNC_SHOWN_BY, change_tool="update_sync",
        search_tool="list_syncs", not_done=f"Sync '{name}' (mode '{mode}') was not created", send=lambda: svc.client.syncs.create(request),
        result=created, checks=checks, preview=preview, consent=outcome_of(confirmation), consent_token=consent_token,
        rejected="Call create_sync with dry_run=true to check.",
    ), dry_run=dry_run)


def request_body(svc: Services, request: SyncRequest) -> dict[str, Any]:
    """The API body of a sync request, or a ToolError when this API version cannot express it."""
    try:
        return request.to_body(svc.client.api_version)
    except PolytomicError as error:
        raise fail(str(error)) from None


def _created(sync: Sync, next_at: str | None = None) -> SyncResult:
    """The compact result of a created sync: as saved, with its schedule and (when scheduled and on) its next run."""
    if sync.problems:
        step = f"The sync has problems and will not run until they are fixed; see list_syncs(sync_id='{sync.id}')."
    elif sync.active:
        step = f"It runs on its schedule; call start_sync('{sync.id}') to run it now."
    elif (frequency := (sync.schedule or {}).get("frequency")) not in (None, "", "manual"):
        step = (f"Created paused: its {frequency} schedule starts only after activate_sync('{sync.id}', active=true); "
                f"start_sync('{sync.id}') runs it once now.")
    else:
        step = f"Call start_sync('{sync.id}') to run it now."
    return SyncResult(
        created=True, id=sync.id, name=sync.name, mode=sync.mode, active=sync.active,
        target_object=sync.target_object, schedule=compact(sync.schedule or {}) or None, next_run_at=next_at,
        problems=sync.problems or None, next_step=step,
    )


@tool(title="Syncs", read_only=True, destructive=False, idempotent=True, open_world=True)
async def list_syncs(
    ctx: Context,
    search: Annotated[str | None, Field(description="Substring of the name.")] = None,
    active: Annotated[bool | None, Field(description="Only active or inactive.")] = None,
    failing: Annotated[bool, Field(description="Only failing.")] = False,
    destination: Annotated[str | None, Field(min_length=1, description="Id, name or type (salesforce).")] = None,
    target_object: Annotated[str | None, Field(min_length=1, description="e.g. Contact.")] = None,
    cursor: CursorArg = None,
    limit: LimitArg = None,
    sync_id: Annotated[str | None, Field(min_length=1, description="One sync in full instead.")] = None,
) -> SyncList | SyncDetail:
    svc = current_services()
    if sync_id is not None:
        return await one_sync(svc, sync_id)
    filters = Filters(needle=(search or "").lower(), active=active, destination=destination, target_object=target_object)
    return await sync_list(svc, filters, failing=failing, offset=decode_cursor(cursor), limit=limit,
                           graph=client_supports_apps(ctx))


async def one_sync(svc: Services, sync_id: str) -> SyncDetail:
    """One sync of either kind: a model sync's mapping, or a bulk sync's schemas."""
    found = await find_sync(svc, sync_id)
    if found.model is not None:
        return sync_detail(found.model)
    assert found.bulk is not None
    try:
        schemas = await svc.client.bulk_syncs.schemas(sync_id)
    except PolytomicError as error:
        raise fail(explain(error, action=f"read the schemas of bulk sync '{sync_id}'")) from None
    return bulk_sync_detail(found.bulk, schemas)




@tool(title="Change a sync", read_only=False, destructive=True, idempotent=True, open_world=True)
async def update_sync(
    ctx: Context,
    sync_id: SyncIdArg,
    name: NewNameArg = None,
    mode: Annotated[str | None, Field(description="As in create_sync.")] = None,
    target: Annotated[SyncTarget | None, Field(description=TARGET)] = None,
    fields: Annotated[list[SyncField] | None, Field(description=FIELDS)] = None,
    schedule: Annotated[Schedule | None, Field(description=SCHEDULE)] = None,
    identity: IdentityArg = None,
    identities: IdentitiesArg = None,
    active: ActiveArg = None,
    destination_configuration: Annotated[dict[str, Any] | None, Field(description="Bulk: keys to change, e.g. {'schema': 'SF'}.")] = None,
    schemas: Annotated[
        list[str | BulkSchemaSelection] | None,
        Field(description="Bulk: to add/change; {'id', 'enabled': false} drops one."),
    ] = None,
    options: Annotated[dict[str, Any] | None, Field(description="Bulk, e.g. {'automatically_add_new_fields': 'all'}.")] = None,
    dry_run: DryRunArg = False,
    consent_token: ConsentTokenArg = None,
    confirmation: Annotated[ElicitationResult[Confirmation], Resolve(confirm_update)] = None,  # type: ignore[assignment]
) -> UpdateResult:
    svc = current_services()
    if identity is not None and identities is not None:
        raise fail("Give either `identity` or `identities`, not both.")
    given = {"name": name, "mode": mode, "target": target, "fields": fields, "schedule": schedule,
             "identity": identity, "identities": identities, "active": active}
    found = await find_sync(svc, sync_id)
    if found.bulk is not None:
        if wrong := model_only(given):
            raise fail(f"Sync '{sync_id}' is a bulk sync: {', '.join(wrong)} apply to model syncs only. Nothing was changed.")

        bulk_given = {"name": name, "mode": mode, "schedule": schedule, "active": active,
                      "destination_configuration": destination_configuration, "options": options}
        return await update_bulk(ctx, found.bulk, bulk_given, schemas, dry_run=dry_run, consent=outcome_of(confirmation),
                                 consent_token=consent_token)
    if wrong := bulk_only({"destination_configuration": destination_configuration, "schemas": schemas, "options": options}):
        raise fail(f"Sync '{sync_id}' is a model sync: {', '.join(wrong)} apply to bulk syncs only. Nothing was changed.")
    assert found.model is not None
    return await _update_model_sync(ctx, found.model, given, outcome_of(confirmation), consent_token, dry_run=dry_run)


async def _update_model_sync(
    ctx: Context, current: Sync, given: dict[str, Any], consent: Outcome, consent_token: str | None, *, dry_run: bool,
) -> UpdateResult:
    """update_sync on a model sync: the stored sync with each given value replacing its own, checked like a create."""
    svc = current_services()
    sync_id = current.id
    request = merge_sync(current, given)
    carried = [f.override_value for f in request.fields if f.override_value and looks_secret(f.target)]
    body = request_body(svc, request)
    updating = Updating("sync", sync_id, changes(request_body(svc, current.to_request()), body))

    async def checks() -> list[Problem]:
        return (await precheck(svc, request)).problems

    async def preview(problems: list[Problem], step: str) -> UpdateResult:
        return updating.preview(request.name, body, problems, step)

    async def saved(sync: Sync, _: Outcome) -> UpdateResult:
        when = schedule_said(sync_id, bool(sync.active), (sync.schedule or {}).get("frequency"))
        return updating.saved(sync.name, sync_detail(sync), f"{when} start_sync('{sync_id}') runs it now.")

    async def stored() -> dict[str, Any]:
        return (await svc.client.syncs.get(sync_id)).to_request().model_dump(mode="json")

    return await apply(ctx, Change.update(
        "update_sync", "sync", sync_id, current.name, secrets=carried, new_name=request.name, existing=svc.client.syncs.list, shown_by=SYNC_SHOWN_BY,
        read_again=(current.to_request().model_dump(mode="json"), stored),
        send=lambda: svc.client.syncs.update(sync_id, request), result=saved, checks=checks, preview=preview,
        not_found="Call list_syncs to see valid ids.", consent=consent, consent_token=consent_token,
    ), dry_run=dry_run)
