"""What a delete would remove, read before anything is removed: the object itself and, with force, what uses it.

Shared by the delete tool and its confirmation, so the question lists exactly what goes. A
connection's dependents are refused by the API too (422 ``used_by``); a model's are not (its
syncs would silently break), so this check is the guard for models.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from polytomic_mcp.client import PolytomicError

from ..core.errors import explain, fail
from ..core.lookups import fetch_connection, fetch_model
from ..core.services import Services
from ..core.sync_kind import find_sync, run_in_progress
from ..core.usage import Dependent, dependents_of_connection, syncs_of_model

Kind = Literal["connection", "model", "sync", "bulk_sync"]


@dataclass(frozen=True)
class DeletionPlan:
    """The object to delete and what goes with it."""

    target: Dependent
    detail: str
    also: list[Dependent] = field(default_factory=list)
    running: bool = False

    def describe(self) -> str:
        """The plan in a sentence, for the question and the result."""
        text = f"Delete {self.target} {self.detail}".rstrip() + "?"
        if self.also:
            text += " This also deletes: " + "; ".join(str(d) for d in self.also) + "."
        if self.running:
            text += " Its running execution is canceled first."
        return text + " This cannot be undone."


def in_use(target: Dependent, users: list[Dependent]) -> str:
    """The refusal for deleting something still in use, naming each user."""
    return (
        f"{target} was not deleted: it is used by " + "; ".join(str(u) for u in users) + ". "
        f"Delete those first, or call delete('{target.kind.replace(' ', '_')}', '{target.id}', force=true) to delete them with it."
    )


async def plan_deletion(svc: Services, kind: Kind, object_id: str, force: bool) -> DeletionPlan:
    """Read the object and its dependents; a ToolError when it does not exist, or is in use and ``force`` is false."""
    if kind == "connection":
        connection = await fetch_connection(svc, object_id)
        target = Dependent("connection", connection.id, connection.name)
        users = await dependents_of_connection(svc, object_id)
        detail = f"of type {connection.type.id}"
    elif kind == "model":
        model = await fetch_model(svc, object_id)
        target = Dependent("model", model.id, model.name)
        users = [Dependent("sync", s.id, s.name) for s in await syncs_of_model(svc, object_id)]
        detail = ""
    else:
        found = await find_sync(svc, object_id)
        users = []
        if found.model is not None:
            target = Dependent("sync", found.id, found.name)
            detail = f"(mode {found.model.mode} into {found.model.target_object})"
        else:
            target = Dependent("bulk sync", found.id, found.name)
            detail = f"(replicating {found.bulk.mode or 'replicate'})" if found.bulk else ""
    if users and not force:
        raise fail(in_use(target, users))
    return DeletionPlan(target, detail, users, running=await _running(svc, target))


async def _running(svc: Services, target: Dependent) -> bool:
    """Whether a sync has an execution in progress (deleting one cancels it)."""
    if target.kind not in ("sync", "bulk sync"):
        return False
    try:
        return await run_in_progress(svc, target.id, bulk=target.kind == "bulk sync")
    except PolytomicError as error:
        raise fail(explain(error, action=f"read the status of {target}"), api_error=error) from None
    return False
