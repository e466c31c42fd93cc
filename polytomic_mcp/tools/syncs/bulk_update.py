"""update_sync on a bulk sync: a merged full-replacement PUT for the sync itself, a PATCH for the schemas given.

The stored bulk sync, with each given top-level value replacing its own, is sent whole (with
its enabled schemas, so the replacement keeps them); schemas given are changed with
``PATCH /bulk/syncs/{id}/schemas``, which leaves every other schema as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mcp.server.mcpserver import Context

from polytomic_mcp.client import PolytomicError
from polytomic_mcp.client.models import (
    BulkFieldUpdate,
    BulkSchedule,
    BulkSchemaSelection,
    BulkSchemaUpdate,
    BulkSync,
    BulkSyncRequest,
    BulkSyncSchemaSummary,
)

from ..core.consent import NOT_NEEDED, Outcome
from ..core.diff import changes
from ..core.errors import explain, fail
from ..core.notify import progress_to
from ..core.services import Services, current_services
from ..core.views import UpdateResult, Updating
from ..core.write import Change, Problem, apply
from .bulk_checks import check_bulk
from .views import SYNC_SHOWN_BY, bulk_sync_detail

OPTIONS = frozenset({"automatically_add_new_objects", "automatically_add_new_fields", "normalize_names", "disable_record_timestamps"})


def schema_update(selection: str | BulkSchemaSelection) -> BulkSchemaUpdate:
    """A PATCH item for one schema given as an id (enable it) or a selection."""
    if isinstance(selection, str):
        return BulkSchemaUpdate(id=selection, enabled=True)
    fields = [
        BulkFieldUpdate(id=f, enabled=True) if isinstance(f, str)
        else BulkFieldUpdate(id=f.id, enabled=f.enabled, obfuscated=f.obfuscate, user_output_name=f.user_output_name)
        for f in selection.fields or []
    ]
    return BulkSchemaUpdate(
        id=selection.id, enabled=True if selection.enabled is None else selection.enabled, fields=fields or None,
        filters=selection.filters, tracking_field=selection.tracking_field, partition_key=selection.partition_key,
        user_output_name=selection.user_output_name, data_cutoff_timestamp=selection.data_cutoff_timestamp,
        disable_data_cutoff=selection.disable_data_cutoff, history_enabled=selection.history_enabled,
    )


async def update_bulk(
    ctx: Context, current: BulkSync, given: Mapping[str, Any], schemas: list[str | BulkSchemaSelection] | None, *, dry_run: bool,
    consent: Outcome = NOT_NEEDED, consent_token: str | None = None,
) -> UpdateResult:
    """Check and save (unless ``dry_run``) a change to a bulk sync; see the module docstring."""
    svc = current_services()
    refuse_unknown_options(given.get("options") or {})
    before = current.to_request(await enabled_schemas(svc, current.id))
    request = merged(before, given)
    patch = [schema_update(s) for s in schemas or []]
    changed = changes(before.model_dump(mode="json", exclude_none=True), request.model_dump(mode="json", exclude_none=True))
    updating = Updating("bulk sync", current.id, changed + (["schemas"] if patch else []))

    async def checks() -> list[Problem]:
        return (await check_bulk(svc, checked_request(request, schemas, before.schemas or []), progress_to(ctx))).problems

    async def preview(problems: list[Problem], step: str) -> UpdateResult:
        shown: dict[str, Any] = {"put": request.to_body(svc.client.api_version)} if changed else {}
        return updating.preview(request.name, {**shown, **({"patch_schemas": [p.to_body() for p in patch]} if patch else {})},
                                      problems, step)

    async def send() -> tuple[BulkSync, list[BulkSyncSchemaSummary]]:
        saved = await svc.client.bulk_syncs.update(current.id, request) if changed else current
        if patch:
            await svc.client.bulk_syncs.update_schemas(current.id, patch)
        return saved, await svc.client.bulk_syncs.schemas(current.id)

    async def saved(sent: tuple[BulkSync, list[BulkSyncSchemaSummary]], _: Outcome) -> UpdateResult:
        return updating.saved(sent[0].name, bulk_sync_detail(*sent), f"Changes apply from the next run; start_sync('{current.id}') runs it now.")

    async def stored() -> dict[str, Any]:
        return (await svc.client.bulk_syncs.get(current.id)).to_request([]).model_dump(mode="json")

    return await apply(ctx, Change.update(
        "update_sync", "bulk sync", current.id, current.name, new_name=request.name, existing=svc.client.bulk_syncs.list,
        read_again=(current.to_request([]).model_dump(mode="json"), stored),
        shown_by=SYNC_SHOWN_BY, send=send, result=saved, checks=checks, preview=preview, consent=consent,
        consent_token=consent_token,
    ), dry_run=dry_run)


def refuse_unknown_options(options: Mapping[str, Any]) -> None:
    """A ToolError naming the valid options when ``options`` holds another."""
    unknown = set(options) - OPTIONS
    if unknown:
        raise fail(f"Unknown bulk sync option(s) {', '.join(sorted(unknown))}; valid: {', '.join(sorted(OPTIONS))}. Nothing was changed.")


async def enabled_schemas(svc: Services, sync_id: str) -> list[str]:
    """The ids of the schemas a bulk sync replicates now."""
    try:
        return [s.id for s in await svc.client.bulk_syncs.schemas(sync_id) if s.enabled is not False]
    except PolytomicError as error:
        raise fail(explain(error, action=f"read the schemas of bulk sync '{sync_id}'"), api_error=error) from None


def merged(before: BulkSyncRequest, given: Mapping[str, Any]) -> BulkSyncRequest:
    """The stored sync with each given top-level value (and each option) replacing its own."""
    updates = {k: v for k, v in given.items() if v is not None and k != "options"}
    schedule = updates.get("schedule")
    if schedule is not None:
        updates["schedule"] = BulkSchedule.model_validate(schedule.model_dump(exclude_none=True) if hasattr(schedule, "model_dump") else schedule)
    updates.update(given.get("options") or {})
    return before.model_copy(update=updates)


def checked_request(
    request: BulkSyncRequest, given: list[str | BulkSchemaSelection] | None, enabled: list[str | BulkSchemaSelection],
) -> BulkSyncRequest:
    """The request as it will replicate: the given schemas (minus the ones being dropped) and the enabled ones kept."""
    patched = {s if isinstance(s, str) else s.id for s in given or []}
    kept = [*(given or []), *[s for s in enabled if (s if isinstance(s, str) else s.id) not in patched]]
    return request.model_copy(update={"schemas": [s for s in kept if not (isinstance(s, BulkSchemaSelection) and s.enabled is False)]})


def model_only(given: Mapping[str, Any]) -> list[str]:
    """Model-sync arguments given to a bulk sync update (which cannot take them)."""
    return [k for k in ("target", "fields", "identity", "identities") if given.get(k) is not None]


def bulk_only(values: Mapping[str, Any]) -> list[str]:
    """Bulk-sync arguments given to a model sync update."""
    return [k for k in ("destination_configuration", "schemas", "options") if values.get(k) is not None]

