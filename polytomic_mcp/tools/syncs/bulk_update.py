"""update_sync on a bulk sync: a merged full-replacement PUT for the sync itself, a PATCH for the schemas given.

The stored bulk sync, with each given top-level value replacing its own, is sent whole (with
its enabled schemas, so the replacement keeps them); schemas given are changed with
``PATCH /bulk/syncs/{id}/schemas``, which leaves every other schema as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from polytomic_mcp.client import BadRequestError, PolytomicError, UnprocessableEntityError
from polytomic_mcp.client.models import (
    BulkFieldUpdate,
    BulkSchedule,
    BulkSchemaSelection,
    BulkSchemaUpdate,
    BulkSync,
)

from ..core.diff import changes
from ..core.errors import explain, fail
from ..core.guards import name_taken
from ..core.result_text import quoted
from ..core.services import Services
from ..core.source_schemas import Progress
from ..core.views import UpdateResult
from .bulk_checks import check_bulk
from .views import bulk_sync_detail

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
    svc: Services, current: BulkSync, given: Mapping[str, Any], schemas: list[str | BulkSchemaSelection] | None,
    *, dry_run: bool, progress: Progress,
) -> UpdateResult:
    """Check and apply (unless ``dry_run``) an update of a bulk sync; see the module docstring."""
    unknown = set(given.get("options") or {}) - OPTIONS
    if unknown:
        raise fail(f"Unknown bulk sync option(s) {', '.join(sorted(unknown))}; valid: {', '.join(sorted(OPTIONS))}. Nothing was changed.")
    try:
        enabled = [s.id for s in await svc.client.bulk_syncs.schemas(current.id) if s.enabled is not False]
    except PolytomicError as error:
        raise fail(explain(error, action=f"read the schemas of bulk sync '{current.id}'"), api_error=error) from None
    before = current.to_request(enabled)
    updates = {k: v for k, v in given.items() if v is not None and k != "options"}
    if isinstance(updates.get("schedule"), Mapping) or hasattr(updates.get("schedule"), "model_dump"):
        raw = updates["schedule"]
        updates["schedule"] = BulkSchedule.model_validate(raw.model_dump(exclude_none=True) if hasattr(raw, "model_dump") else raw)
    updates.update(given.get("options") or {})
    request = before.model_copy(update=updates)
    patch = [schema_update(s) for s in schemas or []]
    checked_schemas: list[str | BulkSchemaSelection] = [*(schemas or []), *[s for s in enabled if s not in {p.id for p in patch}]]
    check = await check_bulk(svc, request.model_copy(update={"schemas": [s for s in checked_schemas
                                                                           if not (isinstance(s, BulkSchemaSelection) and s.enabled is False)]}),
                             progress)
    problems = [f"{p.path}: {p.message}" for p in check.problems]
    if request.name != current.name and (taken := await name_taken("bulk sync", request.name, svc.client.bulk_syncs.list(), except_id=current.id)):
        problems.append(f"name: a bulk sync named '{request.name}' already exists (id {taken.id})")
    version = svc.client.api_version
    changed = changes(before.model_dump(mode="json", exclude_none=True), request.model_dump(mode="json", exclude_none=True))
    changed += ["schemas"] if patch else []
    label = f"bulk sync '{current.name}' ({current.id})"
    if dry_run:
        shown: dict[str, Any] = {"put": request.to_body(version)} if changed != ["schemas"] else {}
        if patch:
            shown["patch_schemas"] = [p.to_body() for p in patch]
        return UpdateResult(
            updated=False, kind="bulk sync", id=current.id, name=request.name, changes=changed, checks=problems or None,
            request=shown, next_step="Fix the checks, then call again without dry_run." if problems
            else "No problems found; call update_sync again without dry_run to save it.",
        )
    if problems:
        raise fail(f"Nothing was changed in {label}, {len(problems)} problem(s): {'; '.join(problems)}.")
    try:
        saved = await svc.client.bulk_syncs.update(current.id, request) if set(changed) - {"schemas"} else current
        if patch:
            await svc.client.bulk_syncs.update_schemas(current.id, patch)
        schema_list = await svc.client.bulk_syncs.schemas(current.id)
    except (BadRequestError, UnprocessableEntityError) as error:
        raise fail(f"Polytomic rejected the change to {label}: {quoted(error.message)}. Call update_sync with dry_run=true to check.") from None
    except PolytomicError as error:
        raise fail(explain(error, action=f"change {label}", check=f"call list_syncs(sync_id='{current.id}') to see what it holds now")) from None
    return UpdateResult(
        updated=True, kind="bulk sync", id=current.id, name=saved.name, changes=changed,
        result=bulk_sync_detail(saved, schema_list).model_dump(mode="json", exclude_none=True),
        next_step=f"Changes apply from the next run; start_sync('{current.id}') runs it now.",
    )


def model_only(given: Mapping[str, Any]) -> list[str]:
    """Model-sync arguments given to a bulk sync update (which cannot take them)."""
    return [k for k in ("target", "fields", "identity", "identities") if given.get(k) is not None]


def bulk_only(values: Mapping[str, Any]) -> list[str]:
    """Bulk-sync arguments given to a model sync update."""
    return [k for k in ("destination_configuration", "schemas", "options") if values.get(k) is not None]

