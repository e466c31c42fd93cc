"""Tools: start_sync, get_sync_status, activate_sync."""

from __future__ import annotations

from typing import Annotated

from mcp.server.mcpserver import Context, ElicitationResult, Resolve
from pydantic import Field

from polytomic_mcp.client import ConflictError, PolytomicError
from polytomic_mcp.client.models import SyncActivation

from ._checks.lookups import fetch_sync
from ._confirm.outcome import Confirmation, consent, outcome_of
from ._confirm.resolvers import confirm_activation, confirm_run
from ._framework.errors import explain, fail
from ._framework.params import SyncIdArg
from ._framework.registry import tool
from ._framework.render import quoted
from ._framework.results import RunStarted, RunStatus
from ._framework.services import Services, services


async def require_consent(svc: Services, sync_id: str, confirmation: object, *, not_done: str) -> None:
    """Raise unless the user confirmed, no confirmation is needed, or the client cannot ask.

    When the resolver saw a problem (``invalid``), reading the sync reports it (e.g. not found).
    """
    outcome = outcome_of(confirmation)
    if outcome.kind == "invalid":
        await fetch_sync(svc, sync_id)
    consent(outcome, not_done=not_done)


@tool(title="Start a sync run", read_only=False, destructive=True, idempotent=False, open_world=True)
async def start_sync(
    ctx: Context,
    sync_id: SyncIdArg,
    test: Annotated[bool, Field(description="Test run on a few records only.")] = False,
    confirmation: Annotated[ElicitationResult[Confirmation], Resolve(confirm_run)] = None,  # type: ignore[assignment]
) -> RunStarted:
    svc = services(ctx)
    await require_consent(svc, sync_id, confirmation, not_done=f"Sync '{sync_id}' was not started")
    client = svc.client
    try:
        execution = await client.syncs.start(sync_id, test=True if test else None)
    except ConflictError as error:
        raise fail(
            f"Sync '{sync_id}' could not start: {quoted(error.message)}. It is probably already running; "
            f"call get_sync_status('{sync_id}')."
        ) from None
    except PolytomicError as error:
        raise fail(explain(
            error, action=f"start sync '{sync_id}'", not_found="Call list_syncs to see valid ids.",
            check=f"call get_sync_status('{sync_id}') to see whether a run started",
        )) from None
    return RunStarted(
        sync_id=sync_id, execution_id=execution.id, status=execution.status,
        next_step=f"Call get_sync_status('{sync_id}') to follow the run.",
    )


@tool(title="Get sync run status", read_only=True, destructive=False, idempotent=True, open_world=True)
async def get_sync_status(ctx: Context, sync_id: SyncIdArg) -> RunStatus:
    client = services(ctx).client
    try:
        status = await client.syncs.status(sync_id)
    except PolytomicError as error:
        raise fail(explain(error, action=f"get status of sync '{sync_id}'", not_found="Call list_syncs to see valid ids.")) from None
    return RunStatus(
        sync_id=sync_id,
        current_execution=status.current_execution,
        last_execution=status.last_execution,
        next_execution_time=status.next_execution_time or None,
    )


@tool(title="Activate or pause a sync", read_only=False, destructive=True, idempotent=True, open_world=True)
async def activate_sync(
    ctx: Context,
    sync_id: SyncIdArg,
    active: Annotated[bool, Field(description="true: run on its schedule; false: pause it.")],
    confirmation: Annotated[ElicitationResult[Confirmation], Resolve(confirm_activation)] = None,  # type: ignore[assignment]
) -> SyncActivation:
    svc = services(ctx)
    await require_consent(svc, sync_id, confirmation, not_done=f"Sync '{sync_id}' was not activated")
    client = svc.client
    try:
        return await client.syncs.activate(sync_id, active)
    except PolytomicError as error:
        raise fail(explain(
            error, action=f"{'activate' if active else 'pause'} sync '{sync_id}'",
            not_found="Call list_syncs to see valid ids.",
            check=f"call get_sync('{sync_id}') to see its active state",
        )) from None
