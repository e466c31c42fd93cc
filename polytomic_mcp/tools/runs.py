"""Tools: start_sync, get_sync_status, get_sync_runs, cancel_sync_run, activate_sync."""

from __future__ import annotations

from typing import Annotated

from mcp.server.mcpserver import Context, ElicitationResult, Resolve
from pydantic import Field

from polytomic_mcp.client import ConflictError, PolytomicError

from ._checks.lookups import fetch_sync
from ._confirm.outcome import Confirmation, consent, outcome_of
from ._confirm.resolvers import confirm_activation, confirm_run
from ._framework.errors import explain, fail
from ._framework.params import SyncIdArg
from ._framework.registry import tool
from ._framework.render import quoted
from ._framework.results import ActivationResult, RunCanceled, RunStarted, RunStatus
from ._framework.services import Services, services
from ._framework.views import run_status


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
    svc = services(ctx)
    sync = await fetch_sync(svc, sync_id)
    try:
        status = await svc.client.syncs.status(sync_id)
    except PolytomicError as error:
        raise fail(explain(error, action=f"get status of sync '{sync_id}'", not_found="Call list_syncs to see valid ids.")) from None
    return run_status(sync, status)


@tool(title="Stop a running sync", read_only=False, destructive=False, idempotent=True, open_world=True)
async def cancel_sync_run(
    ctx: Context,
    sync_id: SyncIdArg,
    execution_id: Annotated[str | None, Field(description="A run from get_sync_runs (default: the current one).")] = None,
) -> RunCanceled:
    svc = services(ctx)
    try:
        if execution_id is None:
            message = await svc.client.syncs.cancel(sync_id)
        else:
            message = await svc.client.syncs.cancel_execution(sync_id, execution_id)
    except ConflictError as error:
        raise fail(f"Nothing to stop: {quoted(error.message)}. Call get_sync_status('{sync_id}') to see its runs.") from None
    except PolytomicError as error:
        raise fail(explain(
            error, action=f"stop the run of sync '{sync_id}'", not_found="Call get_sync_runs to see its runs.",
            check=f"call get_sync_status('{sync_id}') to see whether it stopped",
        )) from None
    return RunCanceled(
        sync_id=sync_id, execution_id=execution_id, message=message or None,
        next_step=f"Stopping takes a moment; call get_sync_status('{sync_id}') to see it end as canceled.",
    )


@tool(title="Activate or pause a sync", read_only=False, destructive=True, idempotent=True, open_world=True)
async def activate_sync(
    ctx: Context,
    sync_id: SyncIdArg,
    active: Annotated[bool, Field(description="true: run on its schedule; false: pause it.")],
    confirmation: Annotated[ElicitationResult[Confirmation], Resolve(confirm_activation)] = None,  # type: ignore[assignment]
) -> ActivationResult:
    svc = services(ctx)
    await require_consent(svc, sync_id, confirmation, not_done=f"Sync '{sync_id}' was not activated")
    client = svc.client
    try:
        done = await client.syncs.activate(sync_id, active)
    except PolytomicError as error:
        raise fail(explain(
            error, action=f"{'activate' if active else 'pause'} sync '{sync_id}'",
            not_found="Call list_syncs to see valid ids.",
            check=f"call get_sync('{sync_id}') to see its active state",
        )) from None
    note = None if done.active else (
        "Paused until someone turns it on again: there is no automatic resume, so 'pause until Monday' means calling "
        "activate_sync(active=true) on Monday (or changing its schedule now). Pausing does not stop a run in progress; "
        "cancel_sync_run does."
    )
    return ActivationResult(id=done.id, active=done.active, note=note)
