"""Syncs' run state read together: the last finished run (status, when, rejected records), a run in progress, the next run.

Bulk syncs: one ``GET /bulk/syncs/status`` answers for all of them (each schema's latest run); only a sync with a
run in progress is read on its own, for its last finished run. Model syncs have no such list in the API, so each
one's ``/syncs/{id}/status`` is read, a few at a time.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

import anyio

from polytomic_mcp.client import PolytomicError
from polytomic_mcp.client.models import BULK_TERMINAL_STATUSES, BulkExecution, BulkSyncStatusSummary, Execution

from .errors import explain
from .services import Services
from .sync_kind import RUNNING
from .views import LastRun

T = TypeVar("T")
CONCURRENCY = 8
"""Reads in flight at once."""


@dataclass
class RunState:
    """One sync's runs: the last finished one, whether one runs now, the next scheduled one; ``unread`` says why not known."""

    last: LastRun | None = None
    running: bool = False
    next_at: str | None = None
    failed_schemas: list[str] = field(default_factory=list)
    execution_id: str | None = None
    """The last run's id, for get_sync_runs."""
    unread: str | None = None


def model_last(execution: Execution | None) -> tuple[LastRun | None, str | None]:
    """A model sync's last run and its id."""
    if execution is None:
        return None, None
    rejected = execution.counts.error if execution.counts is not None else None
    at = execution.completed_at or execution.started_at or execution.created_at or None
    return LastRun(status=execution.status, at=at, rejected=rejected), execution.id


def bulk_last(execution: BulkExecution | None) -> RunState:
    """A bulk sync's last run, from one execution."""
    if execution is None:
        return RunState()
    at = execution.completed_at or execution.started_at or execution.created_at or None
    return RunState(last=LastRun(status=execution.status, at=at, rejected=execution.error_count), execution_id=execution.id,
                    failed_schemas=[s.schema_id for s in execution.failed_schemas])


def summary_last(summary: BulkSyncStatusSummary) -> RunState:
    """A bulk sync's last run from the status summary: its status, the latest schema time, errors summed over schemas."""
    rows = summary.schemas
    if summary.status is None:
        return RunState(next_at=summary.next_execution_time or None)
    times = [t for r in rows if (t := r.completed_at or r.started_at)]
    counts = [r.error_count for r in rows if r.error_count is not None]
    newest = max(rows, key=lambda r: r.completed_at or r.started_at or "", default=None)
    return RunState(
        last=LastRun(status=summary.status, at=max(times, default=None), rejected=sum(counts) if counts else None),
        next_at=summary.next_execution_time or None, failed_schemas=[r.schema_id for r in rows if r.status == "failed"],
        execution_id=newest.execution_id if newest is not None else None,
    )


async def run_states(svc: Services, model_ids: Iterable[str], bulk_ids: Iterable[str]) -> dict[str, RunState]:
    """The run state of each sync by id; a sync whose state could not be read has ``unread`` set."""
    states: dict[str, RunState] = {}
    model_ids, bulk_ids = list(dict.fromkeys(model_ids)), list(dict.fromkeys(bulk_ids))
    running: list[str] = []
    if bulk_ids:
        try:
            summaries = {s.sync_id: s for s in await svc.client.bulk_syncs.statuses(bulk_ids) if s.sync_id}
        except PolytomicError:
            summaries = {}  # read each one instead
        for sync_id in bulk_ids:
            summary = summaries.get(sync_id)
            if summary is not None and (summary.status is None or summary.status in BULK_TERMINAL_STATUSES):
                states[sync_id] = summary_last(summary)
            else:
                running.append(sync_id)

    async def model(sync_id: str) -> RunState:
        status = await svc.client.syncs.status(sync_id)
        last, execution_id = model_last(status.last_execution)
        current = status.current_execution
        return RunState(last=last, execution_id=execution_id, next_at=status.next_execution_time or None,
                        running=current is not None and current.status in RUNNING)

    async def bulk(sync_id: str) -> RunState:
        status = await svc.client.bulk_syncs.status(sync_id)
        state = bulk_last(status.last_execution)
        state.next_at = status.next_execution_time or None
        state.running = status.current_execution is not None and not status.current_execution.finished
        return state

    reads: dict[str, Callable[[str], Awaitable[RunState]]] = {**dict.fromkeys(model_ids, model), **dict.fromkeys(running, bulk)}
    for sync_id, read in (await bounded(reads)).items():
        states[sync_id] = RunState(unread=explain(read, action="read its runs")) if isinstance(read, PolytomicError) else read
    return states


async def bounded(reads: Mapping[str, Callable[[str], Awaitable[T]]]) -> dict[str, T | PolytomicError]:
    """Each ``read(key)``, a few at a time; a read that fails gives its error instead."""
    gate = anyio.Semaphore(CONCURRENCY)
    found: dict[str, T | PolytomicError] = {}

    async def one(key: str, read: Callable[[str], Awaitable[T]]) -> None:
        async with gate:
            try:
                found[key] = await read(key)
            except PolytomicError as error:
                found[key] = error

    async with anyio.create_task_group() as group:
        for key, read in reads.items():
            group.start_soon(one, key, read)
    return {key: found[key] for key in reads}
