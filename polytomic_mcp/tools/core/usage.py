"""What depends on a connection or a model, found by reading the lists: for refusals and for "what will go" questions.

The API guards a connection delete itself (422 with ``used_by``) but not a model delete or a
model change, so the tools look at the syncs before they act. The lists are read whole
(bounded, see ``list_pages.read_all``); a listing that could not be read makes the caller refuse.
"""

from __future__ import annotations

from dataclasses import dataclass

from polytomic_mcp.client import PolytomicError
from polytomic_mcp.client.models import ModelSummary, Sync, SyncSummary

from .effects import changes_records
from .errors import explain, fail
from .list_pages import API_PAGE_SIZE, read_all
from .run_state import run_states
from .services import Services
from .views import UsedBy


@dataclass(frozen=True)
class Dependent:
    """Something that uses a connection or model."""

    kind: str
    id: str
    name: str

    def __str__(self) -> str:
        return f"{self.kind} '{self.name}' ({self.id})"


async def all_syncs(svc: Services) -> list[SyncSummary]:
    """Every model sync (bounded), or a ToolError saying the check could not be made."""
    try:
        return (await read_all(svc.client.syncs.list(limit=API_PAGE_SIZE))).items
    except PolytomicError as error:
        raise fail(explain(error, action="list syncs to see what uses it"), api_error=error) from None


async def all_models(svc: Services) -> list[ModelSummary]:
    """Every model (bounded), or a ToolError saying the check could not be made."""
    try:
        return (await read_all(svc.client.models.list(limit=API_PAGE_SIZE))).items
    except PolytomicError as error:
        raise fail(explain(error, action="list models to see what uses it"), api_error=error) from None


async def syncs_of_model(svc: Services, model_id: str) -> list[SyncSummary]:
    """The syncs that read from a model."""
    return [s for s in await all_syncs(svc) if model_id in s.model_ids]


async def dependents_of_connection(svc: Services, connection_id: str) -> list[Dependent]:
    """Models over the connection, syncs that read those models or write to it, and bulk syncs from or to it."""
    models = [m for m in await all_models(svc) if m.connection_id == connection_id]
    model_ids = {m.id for m in models}
    syncs = [s for s in await all_syncs(svc) if s.target_connection_id == connection_id or model_ids & set(s.model_ids)]
    try:
        bulk = (await read_all(svc.client.bulk_syncs.list(limit=API_PAGE_SIZE))).items
    except PolytomicError as error:
        raise fail(explain(error, action="list bulk syncs to see what uses it"), api_error=error) from None
    uses = [b for b in bulk if connection_id in (b.source_connection_id, b.destination_connection_id)]
    return ([Dependent("model", m.id, m.name) for m in models] + [Dependent("sync", s.id, s.name) for s in syncs]
            + [Dependent("bulk sync", b.id, b.name) for b in uses])


async def with_last_runs(svc: Services, dependents: list[Dependent]) -> list[UsedBy]:
    """The dependents as results show them, each sync with its last run (one status read per model sync, one for all bulk syncs)."""
    states = await run_states(svc, [d.id for d in dependents if d.kind == "sync"], [d.id for d in dependents if d.kind == "bulk sync"])
    return [UsedBy(kind=d.kind, id=d.id, name=d.name, last_run=states[d.id].last if d.id in states else None) for d in dependents]


def rerun_hint(users: list[UsedBy] | None) -> str:
    """The next step for dependents whose last run failed or rejected records: run them again to see the change work."""
    failed = [u for u in users or [] if u.last_run is not None and (u.last_run.status in {"failed", "interrupted"} or u.last_run.rejected)]
    if not failed:
        return ""
    calls = ", ".join(f"start_sync('{u.id}')" for u in failed[:3])
    return f" {len(failed)} of them failed last time: {calls} runs it now to show whether the change fixed it."


def fields_used(sync: Sync, model_id: str) -> set[str]:
    """The fields of ``model_id`` a sync maps or matches on."""
    used = {
        f["source"]["field"] for f in sync.fields
        if isinstance(f.get("source"), dict) and f["source"].get("model_id") == model_id and f["source"].get("field")
    }
    mappings = (sync.identities or {}).get("mappings") or ([sync.identity] if sync.identity else [])
    for mapping in mappings:
        source = mapping.get("source") if isinstance(mapping, dict) else None
        if isinstance(source, dict) and source.get("model_id") == model_id and source.get("field"):
            used.add(source["field"])
    return used


async def record_changing_syncs(svc: Services, *, connection_id: str | None = None, model_id: str | None = None) -> list[Dependent]:
    """Active model syncs in a record-changing mode that read the model, or read from or write to the connection.

    The list items carry mode and active state; a sync is read whole only when its item lacks them.
    """
    models = {m.id for m in await all_models(svc) if m.connection_id == connection_id} if connection_id else set()
    if model_id is not None:
        models.add(model_id)
    found = []
    for summary in await all_syncs(svc):
        if not ((connection_id and summary.target_connection_id == connection_id) or models & set(summary.model_ids)):
            continue
        mode, active = summary.mode, summary.active
        if mode is None or active is None:
            sync = await svc.client.syncs.get(summary.id)
            mode, active = sync.mode, sync.active
        if active and changes_records(mode):
            found.append(Dependent(f"{mode} sync", summary.id, summary.name))
    return found
