"""Tool: create_bulk_sync (replicate whole objects or tables from a source into a warehouse, lake or database).

The other verbs (run, follow, change, pause, delete) are the sync tools, which take a bulk
sync's id as well as a model sync's.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from mcp.server.mcpserver import Context
from pydantic import Field

from polytomic_mcp.client import BadRequestError, PolytomicError, UnprocessableEntityError
from polytomic_mcp.client.models import BulkSchedule, BulkSchemaSelection, BulkSyncRequest

from ..core.errors import explain, fail
from ..core.guards import name_taken, refuse_duplicate
from ..core.notify import resources_changed
from ..core.params import DryRunArg
from ..core.registry import tool
from ..core.result_text import quoted
from ..core.services import current_services
from .bulk_checks import check_bulk
from .checks import Problem
from .params import SCHEDULE
from .views import BulkSyncResult

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

    async def progress(message: str) -> None:
        await ctx.report_progress(0, None, message)

    checked = await check_bulk(svc, request, progress)
    problems = list(checked.problems)
    ids = [s if isinstance(s, str) else s.id for s in schemas]
    if dry_run:
        if (taken := await name_taken("bulk sync", name, svc.client.bulk_syncs.list())) is not None:
            problems.append(Problem(path="name", message=f"a bulk sync named '{name}' already exists (id {taken.id}); "
                                    f"to change it call update_sync('{taken.id}', ...)"))
        return BulkSyncResult(
            created=False, name=name, mode=mode, schemas=ids, checks=problems or None, request=body,
            next_step="Fix the checks, then call create_bulk_sync again without dry_run." if problems
            else "No problems found; call create_bulk_sync again without dry_run to create it.",
        )
    if problems:
        listed = "; ".join(f"{p.path}: {p.message}" for p in problems)
        raise fail(f"Bulk sync '{name}' was not created, {len(problems)} problem(s): {listed}.")
    async with svc.creates.one_at_a_time("bulk sync", name):
        await refuse_duplicate("bulk sync", name, svc.client.bulk_syncs.list(), "list_syncs(sync_id='{id}')", change_tool="update_sync")
        try:
            created = await svc.client.bulk_syncs.create(request)
        except (BadRequestError, UnprocessableEntityError) as error:
            raise fail(f"Polytomic rejected bulk sync '{name}': {quoted(error.message)}. Call create_bulk_sync with dry_run=true to check.") from None
        except PolytomicError as error:
            raise fail(explain(
                error, action=f"create bulk sync '{name}'", check=f"call list_syncs(search='{name}') to see whether it exists",
            )) from None
    svc.sync_kinds[created.id] = "bulk"
    await resources_changed(ctx)
    if created.active:
        step = f"It runs on its schedule; call start_sync('{created.id}') to run it now, then get_sync_status."
    elif schedule.frequency != "manual":
        step = (f"Created paused: its {schedule.frequency} schedule starts only after activate_sync('{created.id}', active=true) "
                f"(ask the user); start_sync('{created.id}') runs it once now.")
    else:
        step = f"Call start_sync('{created.id}') to run it now, then get_sync_status('{created.id}')."
    return BulkSyncResult(created=True, id=created.id, name=created.name, mode=created.mode, active=created.active,
                          schemas=ids, next_step=step)
