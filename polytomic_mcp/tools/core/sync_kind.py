"""Which kind a sync id belongs to: a model sync (Reverse ETL) or a bulk sync (ELT), found by the id alone.

The run and change tools take any sync id. Polytomic keeps the two kinds under different
paths, so the sync is read from one and then the other; the kind of each id seen is
remembered per key, so later calls ask the right path first.
"""

from __future__ import annotations

from dataclasses import dataclass

from polytomic_mcp.client import NotFoundError, PolytomicError
from polytomic_mcp.client.models import BulkSync, Sync

from .bounds import clip
from .errors import explain, fail
from .services import Services, SyncKind

RUNNING = frozenset({"created", "scheduled", "queued", "waiting", "running", "processing", "canceling"})
"""Execution statuses of a run that has not ended."""


@dataclass(frozen=True)
class FoundSync:
    """A sync of either kind, as the API returned it."""

    kind: SyncKind
    model: Sync | None = None
    bulk: BulkSync | None = None

    @property
    def id(self) -> str:
        return self.model.id if self.model is not None else self.bulk.id if self.bulk is not None else ""

    @property
    def name(self) -> str:
        return self.model.name if self.model is not None else self.bulk.name if self.bulk is not None else ""

    @property
    def active(self) -> bool:
        found = self.model if self.model is not None else self.bulk
        return bool(found.active) if found is not None else False


async def find_sync(svc: Services, sync_id: str) -> FoundSync:
    """The sync with this id, of whichever kind, or a ToolError that says how to find valid ids."""
    order: list[SyncKind] = ["bulk", "model"] if svc.sync_kinds.get(sync_id) == "bulk" else ["model", "bulk"]
    for kind in order:
        try:
            found = (FoundSync("model", model=await svc.client.syncs.get(sync_id)) if kind == "model"
                     else FoundSync("bulk", bulk=await svc.client.bulk_syncs.get(sync_id)))
        except NotFoundError:
            continue
        except PolytomicError as error:
            raise fail(explain(error, action=f"read sync '{clip(sync_id)}'"), api_error=error) from None
        svc.sync_kinds.put(sync_id, kind)
        return found
    raise fail(f"Could not get sync '{clip(sync_id)}': not found (no model sync or bulk sync has this id). Call list_syncs to see valid ids.")


async def sync_kind(svc: Services, sync_id: str) -> SyncKind:
    """The kind of a sync id (reading the sync when this key has not seen it yet)."""
    known = svc.sync_kinds.get(sync_id)
    if known == "bulk":
        return "bulk"
    if known == "model":
        return "model"
    return (await find_sync(svc, sync_id)).kind


async def run_in_progress(svc: Services, sync_id: str, *, bulk: bool) -> bool:
    """Whether the sync has a run that has not ended (the one a delete cancels and cancel_sync_run stops by default)."""
    status = await (svc.client.bulk_syncs if bulk else svc.client.syncs).status(sync_id)
    current = status.current_execution
    return current is not None and (current.status or "") in RUNNING
