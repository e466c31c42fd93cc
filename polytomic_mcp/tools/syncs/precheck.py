"""The check of a would-be sync against the live destination and models, shared by create_sync and its confirmation.

It reads the destination connection, target object, target fields and models, and
returns the problems it found together with what it read, so the confirmation question
can name the connection without reading it again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from polytomic_mcp.client import NotFoundError, PolytomicError
from polytomic_mcp.client.models import Connection, Model, SyncRequest

from ..core.errors import explain, fail
from ..core.guards import usable_connection
from ..core.lookups import find_target_object, target_fields
from ..core.services import Services
from ..core.write import Problem
from .checks import check_sync


@dataclass(frozen=True)
class Precheck:
    """The problems found, plus the destination and models read on the way (None/empty when not read)."""

    problems: list[Problem]
    destination: Connection | None = None
    models: dict[str, Model] = field(default_factory=dict)


async def read_models(svc: Services, model_ids: set[str]) -> dict[str, Model]:
    """Every model with one of these ids, by id, in id order (missing ones left out)."""
    found: dict[str, Model] = {}
    for model_id in sorted(model_ids):
        try:
            found[model_id] = await svc.client.models.get(model_id)
        except NotFoundError:
            continue
        except PolytomicError as error:
            raise fail(explain(error, action=f"read model '{model_id}'"), api_error=error) from None
    return found


def model_ids(request: SyncRequest) -> set[str]:
    """The models a sync request reads from."""
    ids = {f.source.model_id for f in request.fields if f.source}
    return ids | {m.source.model_id for m in request.identity_mappings()}


async def precheck(svc: Services, request: SyncRequest, *, check_schedule: bool = True) -> Precheck:
    """Every problem with the request, judged against the live model and target.

    A target to be created (no ``object``) is not checked here; Polytomic judges it.
    """
    if request.target.object is None:
        return Precheck(problems=[])
    destination = await usable_connection(svc, request.target.connection_id, "destination")
    obj = await find_target_object(svc, request.target.connection_id, request.target.object)
    fields = await target_fields(svc, request.target.connection_id, obj.id)
    models = await read_models(svc, model_ids(request))
    problems = check_sync(
        request,
        models=models,
        target_object=obj,
        target_fields=fields,
        schedule_options=await svc.schedule_options() if check_schedule else [],
    )
    return Precheck(problems=problems, destination=destination, models=models)
