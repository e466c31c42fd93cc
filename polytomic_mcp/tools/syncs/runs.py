"""Tools: start_sync, get_sync_status, get_sync_runs, cancel_sync_run, activate_sync (each takes either kind's id)."""

from __future__ import annotations

from collections.abc import AsyncIterable
from contextlib import suppress
from typing import Annotated, Any, Literal

from mcp.server.mcpserver import Context, ElicitationResult, Resolve
from pydantic import Field

from polytomic_mcp.client import BadRequestError, ConflictError, PolytomicError, mask_configuration
from polytomic_mcp.client.models import BulkExecution, Execution, SyncActivation

from ..core.consent import Confirmation, Outcome, outcome_of
from ..core.errors import explain, fail
from ..core.masking import masked_free_text
from ..core.params import ConsentTokenArg
from ..core.registry import tool
from ..core.result_text import quoted
from ..core.services import Services, current_services
from ..core.sync_kind import find_sync, run_in_progress, sync_kind
from ..core.write import Change, Problem, apply
from .bulk_checks import bulk_target
from .confirm import confirm_activation, confirm_cancel, confirm_run
from .params import SyncIdArg
from .views import (
    ActivationResult,
    RunBrief,
    RunCanceled,
    RunStarted,
    RunStatus,
    SyncRuns,
    bulk_run_brief,
    bulk_run_status,
    run_brief,
    run_status,
)


@tool(title="Start a sync run", read_only=False, destructive=True, idempotent=False, open_world=True)
async def start_sync(
    ctx: Context,
    sync_id: SyncIdArg,
    test: Annotated[bool, Field(description="A few records only.")] = False,
    resync_mode: Annotated[str | None, Field(description="resync; bulk: refetch, rebuild.")] = None,
    schemas: Annotated[list[str] | None, Field(description="Bulk: only these schemas.")] = None,
    fetch_mode: Annotated[Literal["none", "incremental", "full"] | None, Field(description="Bulk.")] = None,
    consent_token: ConsentTokenArg = None,
    confirmation: Annotated[ElicitationResult[Confirmation], Resolve(confirm_run)] = None,  # type: ignore[assignment]
) -> RunStarted:
    svc = current_services()
    bulk_only = [name for name, value in (("resync_mode", None if resync_mode == "resync" else resync_mode),
                                          ("fetch_mode", fetch_mode), ("schemas", schemas)) if value is not None]

    async def checks() -> list[Problem]:
        if await sync_kind(svc, sync_id) == "model":
            if bulk_only:
                return [Problem(path=", ".join(bulk_only), message="apply to bulk syncs only, and this is a model sync "
                                "(it takes resync_mode='resync' for a full resync)")]
            if resync_mode == "resync" and test:
                return [Problem(path="resync_mode, test", message="a test run cannot be a full resync; give one of them")]
            return []
        return await resync_problems(svc, sync_id, resync_mode) if resync_mode is not None else []

    async def send() -> tuple[str, str]:
        if await sync_kind(svc, sync_id) == "bulk":
            execution = await svc.client.bulk_syncs.start(
                sync_id, resync_mode=resync_mode, fetch_mode=fetch_mode, schemas=schemas, test=True if test else None,
            )
            return execution.id, execution.status
        started = await svc.client.syncs.start(sync_id, test=True if test else None,
                                               resync=True if resync_mode == "resync" else None)
        return started.id, started.status

    async def started(run: tuple[str, str], _: Outcome) -> RunStarted:
        return RunStarted(sync_id=sync_id, execution_id=run[0], status=run[1],
                          next_step=f"Call get_sync_status('{sync_id}') to follow the run.")

    def already_running(error: PolytomicError) -> str | None:
        if not isinstance(error, ConflictError):
            return None
        return (f"Sync '{sync_id}' could not start: {quoted(error.message)}. It is probably already running; "
                f"call get_sync_status('{sync_id}').")

    return await apply(ctx, Change(
        tool="start_sync", not_done=f"Sync '{sync_id}' was not started", send=send, result=started,
        action=f"start sync '{sync_id}'", not_found="Call list_syncs to see valid ids.",
        check=f"call get_sync_status('{sync_id}') to see whether a run started", checks=checks,
        consent=outcome_of(confirmation), consent_token=consent_token, on_error=already_running, rejected=f"Call list_syncs(sync_id='{sync_id}') to check it.",
    ))


async def resync_problems(svc: Services, sync_id: str, resync_mode: str) -> list[Problem]:
    """The problem when the bulk sync's destination does not support ``resync_mode``."""
    found = await find_sync(svc, sync_id)
    destination = found.bulk.destination_connection_id if found.bulk else None
    target, _ = await bulk_target(svc, destination) if destination else (None, [])
    modes = target.supported_resync_modes if target else []
    if modes and resync_mode not in modes:
        return [Problem(path="resync_mode", message=f"'{resync_mode}' is not supported by this destination; valid: {', '.join(modes)}")]
    return []


@tool(title="Sync status", read_only=True, destructive=False, idempotent=True, open_world=True)
async def get_sync_status(sync_id: SyncIdArg) -> RunStatus:
    svc = current_services()
    found = await find_sync(svc, sync_id)
    try:
        if found.bulk is not None:
            return bulk_run_status(found.bulk, await svc.client.bulk_syncs.status(sync_id))
        assert found.model is not None
        return run_status(found.model, await svc.client.syncs.status(sync_id))
    except PolytomicError as error:
        raise fail(explain(error, action=f"get status of sync '{sync_id}'", not_found="Call list_syncs to see valid ids.")) from None


@tool(title="Stop a running sync", read_only=False, destructive=False, idempotent=True, open_world=True)
async def cancel_sync_run(
    ctx: Context,
    sync_id: SyncIdArg,
    execution_id: Annotated[str | None, Field(min_length=1, description="Default: the current run.")] = None,
    consent_token: ConsentTokenArg = None,
    confirmation: Annotated[ElicitationResult[Confirmation], Resolve(confirm_cancel)] = None,  # type: ignore[assignment]
) -> RunCanceled:
    svc = current_services()

    async def checks() -> list[Problem]:
        await sync_kind(svc, sync_id)  # a sync that does not exist is refused here, naming the call that lists them
        if execution_id is None and not await run_in_progress(svc, sync_id, bulk=await sync_kind(svc, sync_id) == "bulk"):
            return [Problem(path="", message=f"nothing to stop: sync '{sync_id}' has no run in progress; get_sync_status shows its last run")]
        return []

    async def send() -> str:
        resource = svc.client.bulk_syncs if await sync_kind(svc, sync_id) == "bulk" else svc.client.syncs
        return await (resource.cancel(sync_id) if execution_id is None else resource.cancel_execution(sync_id, execution_id))

    async def canceled(message: str, _: Outcome) -> RunCanceled:
        return RunCanceled(sync_id=sync_id, execution_id=execution_id, message=message or None,
                           next_step=f"Stopping takes a moment; call get_sync_status('{sync_id}') to see it end as canceled.")

    def nothing_to_stop(error: PolytomicError) -> str | None:
        if not isinstance(error, (ConflictError, BadRequestError)):
            return None
        return f"Nothing to stop: {quoted(error.message)}. Call get_sync_status('{sync_id}') to see its runs."

    return await apply(ctx, Change(
        tool="cancel_sync_run", not_done=f"The run of sync '{sync_id}' was not stopped", send=send, result=canceled,
        action=f"stop the run of sync '{sync_id}'", not_found="Call get_sync_runs to see its runs.",
        check=f"call get_sync_status('{sync_id}') to see whether it stopped", on_error=nothing_to_stop, checks=checks,
        consent=outcome_of(confirmation), consent_token=consent_token, asked="stopping the run",
    ))


@tool(title="Activate or pause a sync", read_only=False, destructive=True, idempotent=True, open_world=True)
async def activate_sync(
    ctx: Context,
    sync_id: SyncIdArg,
    active: Annotated[bool, Field(description="true: on; false: pause.")],
    consent_token: ConsentTokenArg = None,
    confirmation: Annotated[ElicitationResult[Confirmation], Resolve(confirm_activation)] = None,  # type: ignore[assignment]
) -> ActivationResult:
    svc = current_services()

    async def checks() -> list[Problem]:
        await sync_kind(svc, sync_id)  # a sync that does not exist is refused here, naming the call that lists them
        return []

    async def send() -> tuple[SyncActivation, bool]:
        bulk = await sync_kind(svc, sync_id) == "bulk"
        return await (svc.client.bulk_syncs if bulk else svc.client.syncs).activate(sync_id, active), bulk

    async def switched(sent: tuple[SyncActivation, bool], _: Outcome) -> ActivationResult:
        done, bulk = sent
        note = None if done.active else (
            "Paused until someone turns it on again: there is no automatic resume, so 'pause until Monday' means calling "
            "activate_sync(active=true) on Monday (or changing its schedule now). "
            + ("Pausing a bulk sync also cancels its run in progress." if bulk
               else "Pausing does not stop a run in progress; cancel_sync_run does.")
        )
        return ActivationResult(id=done.id, active=done.active, note=note)

    return await apply(ctx, Change(
        tool="activate_sync", not_done=f"Sync '{sync_id}' was not {'activated' if active else 'paused'}", send=send,
        result=switched, action=f"{'activate' if active else 'pause'} sync '{sync_id}'", not_found="Call list_syncs to see valid ids.",
        check=f"call list_syncs(sync_id='{sync_id}') to see its active state", checks=checks,
        consent=outcome_of(confirmation), consent_token=consent_token,
    ))


MAX_RECORD_ERRORS = 20
CONSOLE_TAIL = 20
FAILED = frozenset({"failed", "interrupted"})


@tool(title="Sync runs", read_only=True, destructive=False, idempotent=True, open_world=True)
async def get_sync_runs(
    sync_id: SyncIdArg,
    limit: Annotated[int, Field(ge=1, le=50)] = 10,
    only_failed: Annotated[bool, Field(description="Only failed runs.")] = False,
    execution_id: Annotated[str | None, Field(min_length=1, description="One run in detail.")] = None,
) -> SyncRuns:
    svc = current_services()
    bulk = await sync_kind(svc, sync_id) == "bulk"
    if execution_id is not None:
        return await (_bulk_run_detail(svc, sync_id, execution_id) if bulk else _run_detail(svc, sync_id, execution_id))
    runs: list[RunBrief] = []
    executions: AsyncIterable[BulkExecution | Execution] = (
        svc.client.bulk_syncs.executions(sync_id) if bulk else svc.client.syncs.executions(sync_id)
    )
    try:
        async for execution in executions:
            brief = bulk_run_brief(execution) if isinstance(execution, BulkExecution) else run_brief(execution)
            if not only_failed or brief.status in FAILED or (brief.records or {}).get("errored"):
                runs.append(brief)
            if len(runs) >= limit:
                break
    except PolytomicError as error:
        raise fail(explain(error, action=f"list the runs of sync '{sync_id}'", not_found="Call list_syncs to see valid ids.")) from None
    step = (f"Call get_sync_runs('{sync_id}', execution_id=...) for a run's errors and log." if runs
            else f"No {'failed ' if only_failed else ''}runs; start_sync('{sync_id}') runs it now.")
    return SyncRuns(sync_id=sync_id, runs=runs, next_step=step)


async def _run_detail(svc: Services, sync_id: str, execution_id: str) -> SyncRuns:
    """One run with what it left behind (logs are read best effort: an API version without them just leaves them out)."""
    client = svc.client
    try:
        run = run_brief(await client.syncs.get_execution(sync_id, execution_id))
    except PolytomicError as error:
        raise fail(explain(error, action=f"get run '{execution_id}'", not_found=f"Call get_sync_runs('{sync_id}') to see its runs.")) from None
    counts: dict[str, int] | None = None
    record_errors: list[dict[str, Any]] | None = None
    unread: str | None = None
    console: list[str] | None = None
    with suppress(PolytomicError):
        counts = (await client.syncs.log_index(sync_id, execution_id)).counts() or None
    if counts and counts.get("errors"):
        try:
            record_errors = await _record_errors(svc, sync_id, execution_id)
        except PolytomicError as error:
            unread = f"The record error log could not be fetched: {error.message}"
    with suppress(PolytomicError):
        entries = (await client.syncs.console_log(sync_id, execution_id, limit=CONSOLE_TAIL)).entries
        console = [" ".join(p for p in (e.timestamp, e.level, e.message) if p) for e in entries] or None
    failed = run.status in FAILED or bool((run.records or {}).get("errored"))
    step = ("Fix what the errors name (often a mapping: list_syncs(sync_id=...), then update_sync), then start_sync to run it again."
            if failed else f"Call get_sync_status('{sync_id}') for the current state.")
    return SyncRuns(sync_id=sync_id, run=run, record_logs=counts, record_errors=record_errors, record_errors_unread=unread,
                    console_tail=console, next_step=step)


async def _record_errors(svc: Services, sync_id: str, execution_id: str) -> list[dict[str, Any]] | None:
    """The first rejected records of a run's error log (masked), or None when it has no file."""
    files = (await svc.client.syncs.log_urls(sync_id, execution_id, "errors")).filenames
    if not files:
        return None
    rows = (await svc.client.syncs.read_log(sync_id, execution_id, "errors", files[0], max_bytes=200_000)).lines()
    return [masked_free_text(mask_configuration(row)) for row in rows[:MAX_RECORD_ERRORS]]


async def _bulk_run_detail(svc: Services, sync_id: str, execution_id: str) -> SyncRuns:
    """One bulk run with its per-schema results and the end of its console log."""
    try:
        run = bulk_run_brief(await svc.client.bulk_syncs.get_execution(sync_id, execution_id))
    except PolytomicError as error:
        raise fail(explain(error, action=f"get run '{execution_id}'", not_found=f"Call get_sync_runs('{sync_id}') to see its runs.")) from None
    console: list[str] | None = None
    with suppress(PolytomicError):
        entries = (await svc.client.bulk_syncs.console_logs(sync_id, execution_id, limit=CONSOLE_TAIL)).entries
        console = [" ".join(p for p in (e.timestamp, e.level, e.message) if p) for e in entries] or None
    failed = [s["schema"] for s in run.schemas or [] if s.get("status") == "failed"]
    step = (f"Schemas {', '.join(failed)} failed; their messages say why. Fix the source or drop them with update_sync(schemas=...)."
            if failed else f"Call get_sync_status('{sync_id}') for the current state.")
    return SyncRuns(sync_id=sync_id, run=run, console_tail=console, next_step=step)
