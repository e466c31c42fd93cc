"""Check a bulk sync against its source, destination and schedule before calling the API, every problem at once.

The source must be healthy and able to replicate, every schema (and field) must exist in its
schema cache (refreshed first when stale, and once more when a schema is missing), the
destination must accept bulk syncs in the given mode, and the destination configuration must
satisfy the JSON Schema the destination publishes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from polytomic_mcp.client import BadRequestError, NotFoundError, PolytomicError, UnprocessableEntityError
from polytomic_mcp.client.models import (
    SYNC_MODES,
    BulkDestination,
    BulkSchemaSelection,
    BulkSyncRequest,
    ConfigurationSchema,
    Connection,
    Schedule,
    SourceSchema,
    SyncRequest,
    SyncTarget,
)

from ..core.config_check import check_configuration
from ..core.errors import explain, fail
from ..core.lookups import fetch_connection
from ..core.result_text import quoted
from ..core.services import Services
from ..core.source_schemas import Progress, fresh_cache, nothing, read_source_schemas
from ..core.suggest import did_you_mean, listing
from ..core.write import Problem
from .checks import check_sync_schedule

MODEL_SYNC_ONLY = frozenset(SYNC_MODES) - {"snapshot"}


@dataclass(frozen=True)
class BulkCheck:
    """The problems found, and what was read on the way (for the result and the dry run)."""

    problems: list[Problem]
    schemas: dict[str, SourceSchema] = field(default_factory=dict)
    target: BulkDestination | None = None


def _selections(request: BulkSyncRequest) -> list[BulkSchemaSelection]:
    return [BulkSchemaSelection(id=s) if isinstance(s, str) else s for s in request.schemas or []]


def _schema_problems(request: BulkSyncRequest, schemas: dict[str, SourceSchema], source: Connection) -> list[Problem]:
    problems: list[Problem] = []
    ids = list(schemas)
    for index, selection in enumerate(_selections(request)):
        schema = schemas.get(selection.id)
        if schema is None:
            problems.append(Problem(
                path=f"schemas[{index}]",
                message=f"source '{source.name}' has no schema '{selection.id}'{did_you_mean(selection.id, ids)}; "
                f"available: {listing(ids)}",
            ))
            continue
        names = [f.id for f in schema.fields or []]
        for f_index, chosen in enumerate(selection.fields or []):
            field_id = chosen if isinstance(chosen, str) else chosen.id
            if names and field_id not in names:
                problems.append(Problem(
                    path=f"schemas[{index}].fields[{f_index}]",
                    message=f"schema '{schema.id}' has no field '{field_id}'{did_you_mean(field_id, names)}",
                ))
    return problems


async def _source_problems(svc: Services, request: BulkSyncRequest, progress: Progress) -> tuple[list[Problem], dict[str, SourceSchema]]:
    source = await fetch_connection(svc, request.source_connection_id)
    if source.status not in (None, "", "healthy"):
        detail = f": {quoted(source.status_error)}" if source.status_error else ""
        return [Problem(path="source_connection_id", message=f"source '{source.name}' is {source.status}{detail}; fix it "
                        f"(list_connections(connection_id='{source.id}'), update_connection) before replicating it")], {}
    operations = {op.lower() for op in source.type.operations or []}
    if operations and "bulksyncsource" not in operations:
        return [Problem(path="source_connection_id", message=f"connection '{source.name}' ({source.type.id}) cannot be a bulk "
                        "sync source; list_connection_types shows which types can")], {}
    with_fields = any(s.fields for s in _selections(request))
    refreshed = await fresh_cache(svc, source.id, progress) != "fresh"
    schemas = await read_source_schemas(svc, source.id, fields=with_fields)
    problems = _schema_problems(request, schemas, source)
    if problems and not refreshed:
        await fresh_cache(svc, source.id, progress, force=True)
        schemas = await read_source_schemas(svc, source.id, fields=with_fields)
        problems = _schema_problems(request, schemas, source)
    return problems, schemas


async def bulk_target(svc: Services, connection_id: str) -> tuple[BulkDestination | None, list[Problem]]:
    """What a destination accepts for bulk syncs, or the problem that it cannot receive them."""
    destination = await fetch_connection(svc, connection_id)
    try:
        return await svc.client.schemas.bulk_target(connection_id), []
    except (BadRequestError, UnprocessableEntityError, NotFoundError) as error:
        return None, [Problem(path="destination_connection_id", message=f"'{destination.name}' ({destination.type.id}) cannot "
                              f"receive bulk syncs: {quoted(error.message)}")]
    except PolytomicError as error:
        raise fail(explain(error, action="read what the destination accepts"), api_error=error) from None


def destination_problems(request: BulkSyncRequest, target: BulkDestination) -> list[Problem]:
    """Mode and destination configuration against what the destination publishes."""
    problems: list[Problem] = []
    modes = [m.id for m in target.modes]
    if request.mode is not None and modes and request.mode not in modes:
        kind = " is a model-sync mode, not a bulk sync mode;" if request.mode in MODEL_SYNC_ONLY else ""
        problems.append(Problem(path="mode", message=f"'{request.mode}'{kind} bulk syncs to this destination take "
                                f"{listing(modes)}{did_you_mean(request.mode, modes)}"))
    schema = ConfigurationSchema.from_json_schema("bulk destination", target.configuration)
    for problem in check_configuration(request.destination_configuration, schema):
        problems.append(Problem(path="destination_configuration", message=problem))
    return problems


async def check_bulk(svc: Services, request: BulkSyncRequest, progress: Progress = nothing) -> BulkCheck:
    """Every problem with a bulk sync request, judged against the live source, destination and schedule options."""
    source_problems, schemas = await _source_problems(svc, request, progress)
    target, target_problems = await bulk_target(svc, request.destination_connection_id)
    problems = source_problems + target_problems
    if target is not None:
        problems += destination_problems(request, target)
    as_model_schedule = SyncRequest(
        name=request.name, mode="create", target=SyncTarget(connection_id=""), fields=[],
        schedule=Schedule.model_validate(request.schedule.model_dump(exclude_none=True)),
    )
    problems += check_sync_schedule(as_model_schedule, await svc.schedule_options())
    return BulkCheck(problems, schemas, target)
