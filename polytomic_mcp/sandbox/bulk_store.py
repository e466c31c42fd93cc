"""A workspace's bulk-sync state: syncs, their executions, each connection's schema cache and injected schema failures.

Kept apart from ``Workspace`` so the model-sync stores stay as they are; the workspace holds one ``BulkState``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class BulkState:
    """Raw JSON-able dicts keyed by id; keys starting with ``_`` are sandbox bookkeeping never sent to clients."""

    syncs: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)
    executions: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)
    caches: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)
    failures: dict[tuple[str, str], str] = field(default_factory=dict, repr=False)
    """(source connection id, schema id) -> error every run of that schema fails with (see ``Workspace.fail_bulk_schema``)."""

    def clear(self) -> None:
        """Forget everything."""
        for store in (self.syncs, self.executions, self.caches, self.failures):
            store.clear()

    def using(self, connection_id: str) -> list[dict[str, Any]]:
        """Bulk syncs reading from or writing to a connection."""
        return [
            s for s in self.syncs.values() if connection_id in (s["source_connection_id"], s["destination_connection_id"])
        ]

    def drop(self, sync_id: str) -> None:
        """Remove a bulk sync with its execution history."""
        self.syncs.pop(sync_id, None)
        for execution_id in [e for e, x in self.executions.items() if x["_sync_id"] == sync_id]:
            del self.executions[execution_id]

    def forget_connection(self, connection_id: str) -> None:
        """Drop a deleted connection's schema cache and injected failures."""
        self.caches.pop(connection_id, None)
        for key in [k for k in self.failures if k[0] == connection_id]:
            del self.failures[key]
