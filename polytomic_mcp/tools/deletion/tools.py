"""Tool: delete (a connection, model or sync; with force, what uses it too)."""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Annotated

from mcp.server.mcpserver import Context, ElicitationResult, Resolve
from pydantic import Field

from polytomic_mcp.client import NotFoundError, PolytomicError, UnprocessableEntityError
from polytomic_mcp.client.models import UsedBy

from ..core.consent import Confirmation, Outcome, outcome_of
from ..core.errors import explain
from ..core.params import ConsentTokenArg
from ..core.registry import tool
from ..core.services import Services, current_services
from ..core.usage import Dependent
from ..core.write import Change, apply
from .confirm import confirm_delete
from .plan import DeletionPlan, Kind, in_use, plan_deletion
from .views import Deleted


@tool(title="Delete a connection, model or sync", read_only=False, destructive=True, idempotent=True, open_world=True)
async def delete(
    ctx: Context,
    kind: Annotated[Kind, Field(description="sync: model or bulk.")],
    id: Annotated[str, Field(min_length=1)],
    force: Annotated[bool, Field(description="Also delete what uses it.")] = False,
    consent_token: ConsentTokenArg = None,
    confirmation: Annotated[ElicitationResult[Confirmation], Resolve(confirm_delete)] = None,  # type: ignore[assignment]
) -> Deleted:
    svc = current_services()
    plan = await plan_deletion(svc, kind, id, force)
    target = plan.target
    progress = _Progress()

    async def deleted(_: None, __: Outcome) -> Deleted:
        if kind == "connection":
            svc.written.forget(id)
        svc.sync_kinds.pop(id)
        return Deleted(
            deleted=True, kind=kind, id=id, name=target.name, also_deleted=[str(d) for d in plan.also] or None,
            note="Its running execution was canceled first." if plan.running else None,
            next_step="Done. Nothing else refers to it." if not plan.also else "Done; list_models and list_syncs show what is left.",
        )

    def still_used(error: PolytomicError) -> str | None:
        users = _used_by(error) if isinstance(error, UnprocessableEntityError) else []
        return in_use(target, users) if users else _stopped(plan, progress, error)

    return await apply(ctx, Change(
        tool="delete", not_done=f"{target} was not deleted", send=lambda: _remove(svc, plan, force, progress), result=deleted,
        action=f"delete {target}", consent=outcome_of(confirmation), consent_token=consent_token, asked="the delete",
        on_error=still_used,
        check=f"call {_LOOK_UP.get(target.kind, 'list_syncs(sync_id=')}'{target.id}') to see whether it still exists", notify=True,
    ))


@dataclass
class _Progress:
    """What a delete has removed so far, and what it was removing when it stopped."""

    gone: list[Dependent] = field(default_factory=list)
    trying: Dependent | None = None

    async def step(self, what: Dependent, call: Awaitable[object]) -> None:
        """Await the DELETE of ``what``; one already gone (an earlier attempt whose answer was lost) counts as deleted."""
        self.trying = what
        try:
            await call
        except NotFoundError:
            pass
        self.gone.append(what)


async def _remove(svc: Services, plan: DeletionPlan, force: bool, progress: _Progress) -> None:
    """Send the DELETE (for a forced model delete, the syncs that use it go first), noting each one done in ``progress``."""
    target = plan.target
    if target.kind == "model":
        for user in plan.also:
            await progress.step(user, svc.client.syncs.delete(user.id))
        await progress.step(target, svc.client.models.delete(target.id))
    elif target.kind == "connection":
        await progress.step(target, svc.client.connections.delete(target.id, force=force))
    elif target.kind == "bulk sync":
        await progress.step(target, svc.client.bulk_syncs.delete(target.id))
    else:
        await progress.step(target, svc.client.syncs.delete(target.id))


def _stopped(plan: DeletionPlan, progress: _Progress, error: PolytomicError) -> str | None:
    """For a delete that failed after removing something (a forced model delete's syncs): what is gone and what is not."""
    failing = progress.trying
    if not progress.gone or failing is None:
        return None
    maybe = " (its delete MAY have gone through)" if error.may_have_succeeded else ""
    left = [f"{failing}{maybe}"] + [str(d) for d in [*plan.also, plan.target] if d not in progress.gone and d != failing]
    return (
        f"{plan.target} was only partly deleted. Already deleted: {'; '.join(map(str, progress.gone))}. "
        f"Not deleted: {'; '.join(left)}. {explain(error, action=f'delete {failing}')} "
        f"Call delete('{plan.target.kind.replace(' ', '_')}', '{plan.target.id}', force=true) again to delete what is left."
    )


_LOOK_UP = {"connection": "list_connections(connection_id=", "model": "list_models(model_id="}
"""The call that shows one object of a kind (syncs of both kinds: list_syncs(sync_id=...))."""


def _used_by(error: UnprocessableEntityError) -> list[Dependent]:
    """The users a 422 "connection in use" names in ``metadata.used_by``."""
    listed = error.metadata.get("used_by") if isinstance(error.metadata, dict) else None
    if not isinstance(listed, list):
        return []
    users = [UsedBy.model_validate(item) for item in listed if isinstance(item, dict) and "id" in item and "type" in item]
    return [Dependent(u.type, u.id, u.name or u.id) for u in users]
