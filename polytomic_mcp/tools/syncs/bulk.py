"""Tool: create_bulk_sync (replicate whole objects or tables from a source into a warehouse, lake or database).

The other verbs (run, follow, change, pause, delete) are the sync tools, which take a bulk
sync's id as well as a model sync's.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from mcp.server.mcpserver import Context
from pydantic import Field

from polytomic_mcp.client import PolytomicError
from polytomic_mcp.client.models import BulkSchedule, BulkSchemaSelection, BulkSync, BulkSyncRequest

from ..core.consent import Outcome
from ..core.errors import fail
from ..core.notify import progress_to
from ..core.params import DryRunArg
from ..core.registry import tool
from ..core.services import current_services
from ..core.write import Change, Problem, apply
from .bulk_checks import check_bulk
from .params import SCHEDULE
from .views import SYNC_SHOWN_BY, BulkSyncResult

NewItems = Literal["all", "none", "onlyIdentities"]


SchemasArg = Annotated[
    list[str | BulkSchemaSelection],
    Field(description="Schema ids, or {'id', 'fields', 'filters', 'tracking_field'}.", min_length=1),
]
DestinationConfigurationArg = Annotated[
    dict[str, Any], Field(description="e.g. {'schema': 'SALESFORCE'}.")
]


@tool(title="Create a bulk sync", read_only=False, destructive=False, idempotent=False, open_world=True)
async def create_bulk_sync(
    ctx: Context,
    name: Annotated[str, Field(description="Unique name.", min_length=1, max_length=200)],
    source_connection_id: Annotated[str, Field(min_length=1)],
    destination_connection_id: Annotated[str, Field(min_length=1)],
    destination_configuration: DestinationConfigurationArg,
    schemas: SchemasArg,
    schedule: Annotated[BulkSchedule, Field(description=SCHEDULE)],
    mode: Annotated[str | None, Field(description="replicate (default) or snapshot.")] = None,
    active: Annotated[bool | None, Field(description="Schedule on.")] = None,
    automatically_add_new_objects: NewItems | None = None,
    automatically_add_new_fields: NewItems | None = None,
    normalize_names: Literal["enabled", "disabled", "legacy"] | None = None,
    dry_run: DryRunArg = False,
) -> BulkSyncResult:
    svc = current_services()
    request = BulkSyncRequest(
        name=name, source_connection_id=source_connection_id, destination_connection_id=destination_connection_id,
        destination_configuration=destination_configuration, schemas=schemas, schedule=schedule, mode=mode,
        active=active, automatically_add_new_objects=automatically_add_new_objects,
        automatically_add_new_fields=automatically_add_new_fields, normalize_names=normalize_names,
    )
    try:
        body = request.to_body(svc.client.api_version)
    except PolytomicError as error:
        raise fail(str(error)) from None
    ids = [s if isinstance(s, str) else s.id for s in schemas]

    async def checks() -> list[Problem]:
        return list((await check_bulk(svc, request, progress_to(ctx))).problems)

    async def preview(problems: list[Problem], step: str) -> BulkSyncResult:
        return BulkSyncResult(created=False, name=name, mode=mode, schemas=ids, checks=problems or None, request=body, next_step=step)

    async def created(sync: BulkSync, _: Outcome) -> BulkSyncResult:
        svc.sync_kinds.put(sync.id, "bulk")
        if sync.active:
            step = f"It runs on its schedule; call start_sync('{sync.id}') to run it now, then get_sync_status."
        elif schedule.frequency != "manual":
            step = (f"Created paused: its {schedule.frequency} schedule starts only after activate_sync('{sync.id}', active=true) "
                    f"(ask the user); start_sync('{sync.id}') runs it once now.")
        else:
            step = f"Call start_sync('{sync.id}') to run it now, then get_sync_status('{sync.id}')."
        return BulkSyncResult(created=True, id=sync.id, name=sync.name, mode=sync.mode, active=sync.active, schemas=ids, next_step=step)

    return await apply(ctx, Change.create(
        "create_bulk_sync", "bulk sync", name, existing=svc.client.bulk_syncs.list, shown_by=SYNC_SHOWN_BY, change_tool="update_sync",
        search_tool="list_syncs", send=lambda: svc.client.bulk_syncs.create(request), result=created, checks=checks, preview=preview,
        rejected="Call create_bulk_sync with dry_run=true to check.",
    ), dry_run=dry_run)
