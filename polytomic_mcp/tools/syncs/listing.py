"""list_syncs without ``sync_id``: both kinds filtered by name, state, destination and target object, with their runs.

The lists are read whole (bounded); each item shown carries its schedule, next run and last run (``run_state``:
one status read per model sync shown, one for all bulk syncs). ``failing`` reads the runs of every match (up
to ``MAX_HEALTH_CHECKS``) and each model sync in full, since only the full object carries its problems.
"""

from __future__ import annotations

from dataclasses import dataclass

from polytomic_mcp.client import PolytomicError
from polytomic_mcp.client.models import SyncProblem

from ..core.errors import explain, fail
from ..core.list_pages import API_PAGE_SIZE, cut_note, page, read_all
from ..core.run_state import RunState, bounded, run_states
from ..core.services import Services
from ..core.suggest import did_you_mean
from .graph import sync_graph
from .views import SyncBrief, SyncList, schedule_phrase

MAX_HEALTH_CHECKS = 100
DEFAULT_PAGE = 25
"""Syncs per page unless ``limit`` says otherwise: half the usual, since each item costs a status read and carries its runs."""


@dataclass(frozen=True)
class Filters:
    """What list_syncs narrows by (empty strings and None: no filter)."""

    needle: str = ""
    active: bool | None = None
    destination: str | None = None
    target_object: str | None = None


async def sync_list(
    svc: Services, filters: Filters, *, failing: bool, offset: int, limit: int | None, graph: bool = False,
) -> SyncList:
    """One page of the matching syncs with their runs (``failing``: only those failing, each with why; ``graph``: with
    each sync's source and the page's connection and model names, for the workspace view)."""
    matches, note = await matching_syncs(svc, filters, with_sources=graph)
    states: dict[str, RunState] = {}
    if failing:
        checked = matches[:MAX_HEALTH_CHECKS]
        states = await _states(svc, checked)
        problems = await _problems(svc, [s.id for s in checked if s.kind == "model"])
        for brief in checked:
            brief.failing = why_failing(states[brief.id], problems.get(brief.id, []))
        if len(checked) < len(matches):
            note = (f"Only the {len(checked)} most recently changed syncs were checked for failures; narrow with "
                    "`search`, `destination` or `active` to check others.")
        matches = [s for s in checked if s.failing]
    chunk, next_cursor = page(matches, offset, limit or DEFAULT_PAGE)
    states.update(await _states(svc, [s for s in chunk if s.id not in states]))
    for brief in chunk:
        state = states[brief.id]
        brief.last_run, brief.next_run_at, brief.running = state.last, state.next_at, state.running or None
    return SyncList(syncs=chunk, total=len(matches), next_cursor=next_cursor, cut=note,
                    graph=await sync_graph(svc, chunk) if graph else None)


async def _states(svc: Services, syncs: list[SyncBrief]) -> dict[str, RunState]:
    return await run_states(svc, [s.id for s in syncs if s.kind == "model"], [s.id for s in syncs if s.kind == "bulk"])


async def _problems(svc: Services, sync_ids: list[str]) -> dict[str, list[SyncProblem] | str]:
    """Each model sync's problems (read in full, a few at a time), or why they could not be read."""

    async def problems_of(sync_id: str) -> list[SyncProblem]:
        return (await svc.client.syncs.get(sync_id)).problems

    found = await bounded({sync_id: problems_of for sync_id in sync_ids})
    return {k: explain(v, action="read it") if isinstance(v, PolytomicError) else v for k, v in found.items()}


def why_failing(state: RunState, problems: list[SyncProblem] | str) -> str | None:
    """Why a sync fails (it could not be read, has problems, or its last run failed, rejected records or lost schemas), or None."""
    if state.unread is not None or isinstance(problems, str):
        return f"could not be checked ({state.unread or problems})"
    reasons = [f"{len(problems)} problem(s): {problems[0].message}"] if problems else []
    last = state.last
    if last is not None and (last.status in {"failed", "interrupted"} or last.rejected or state.failed_schemas):
        reasons.append(
            f"last run {last.status}" + (f" with {last.rejected} rejected records" if last.rejected else "")
            + (f"; schemas failed: {', '.join(state.failed_schemas)}" if state.failed_schemas else "")
            + (f" (execution_id {state.execution_id})" if state.execution_id else "")
        )
    return "; ".join(reasons) or None


async def matching_syncs(
    svc: Services, filters: Filters, *, with_sources: bool = False,
) -> tuple[list[SyncBrief], str | None]:
    """Model and bulk syncs that pass ``filters`` (their kinds remembered, and with ``with_sources`` their models or
    source connection), and the note when reading was cut."""
    destinations = await _destinations(svc, filters.destination) if filters.destination else None
    only = next(iter(destinations)) if destinations is not None and len(destinations) == 1 else None
    try:
        listing = await read_all(svc.client.syncs.list(limit=API_PAGE_SIZE, active=filters.active, target_connection_id=only))
        bulk_listing = await read_all(svc.client.bulk_syncs.list(limit=API_PAGE_SIZE, active=filters.active))
    except PolytomicError as error:
        raise fail(explain(error, action="list syncs")) from None
    wanted = (filters.target_object or "").lower()
    model_syncs = [
        s for s in listing.items
        if filters.needle in s.name.lower() and (destinations is None or s.target_connection_id in destinations)
        and (not wanted or (s.target_object or "").lower() == wanted)
    ]
    bulk_syncs = [
        b for b in bulk_listing.items
        if filters.needle in b.name.lower() and (destinations is None or b.destination_connection_id in destinations) and not wanted
    ]
    for sync in model_syncs:
        svc.sync_kinds.put(sync.id, "model")
    for bulk in bulk_syncs:
        svc.sync_kinds.put(bulk.id, "bulk")
    matches = [
        SyncBrief(id=s.id, name=s.name, mode=s.mode, active=s.active, target_connection_id=s.target_connection_id,
                  target_object=s.target_object, schedule=schedule_phrase(s.schedule),
                  model_ids=s.model_ids if with_sources else None) for s in model_syncs
    ] + [
        SyncBrief(id=b.id, name=b.name, mode=b.mode, active=b.active, kind="bulk", target_connection_id=b.destination_connection_id,
                  schedule=schedule_phrase(b.default_schedule.model_dump() if b.default_schedule else None),
                  source_connection_id=b.source_connection_id if with_sources else None)
        for b in bulk_syncs
    ]
    return matches, cut_note("syncs", len(listing.items)) if listing.cut or bulk_listing.cut else None



async def _destinations(svc: Services, wanted: str) -> set[str]:
    """The ids of the connections ``wanted`` names: an id, a name or a connection type (``salesforce``)."""
    try:
        connections = await svc.client.connections.list()
    except PolytomicError as error:
        raise fail(explain(error, action="list connections to find the destination")) from None
    lowered = wanted.lower()
    found = {c.id for c in connections if c.id == wanted or c.name.lower() == lowered or c.type.id.lower() == lowered}
    if not found:
        names = sorted({c.type.id for c in connections} | {c.name for c in connections})
        raise fail(f"No connection has the id, name or type '{wanted}'{did_you_mean(wanted, names)}. "
                   "Call list_connections to see them.")
    return found
