"""A workspace's objects of the operations no simulated domain serves: collections and singletons by concrete path."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..ids import next_revision


@dataclass
class Record:
    """One stored object: its id and its members as the API answers them (plain JSON values)."""

    id: str
    members: dict[str, Any]
    revision: int = field(default_factory=next_revision)

    def touch(self) -> None:
        """Mark it changed now (lists show the newest-updated first)."""
        self.revision = next_revision()


@dataclass
class GenericStore:
    """Collections (``/api/harbors/h-1/contexts`` -> id -> record) and singletons (``/api/syncs/s-1/error-handling``).

    ``seeded`` names the collections and singletons already given their first objects (the workspace's own
    organization and user, or one example where no operation can add any), so a deletion is not undone.
    """

    collections: dict[str, dict[str, Record]] = field(default_factory=dict)
    singletons: dict[str, Record] = field(default_factory=dict)
    seeded: set[str] = field(default_factory=set)

    def collection(self, path: str) -> dict[str, Record]:
        """The objects of the collection at ``path`` (created empty on first use)."""
        return self.collections.setdefault(path, {})

    def find(self, object_id: str) -> tuple[str, Record] | None:
        """The collection path and record of an object with this id, in any collection."""
        for path, records in self.collections.items():
            if object_id in records:
                return path, records[object_id]
        return None

    def forget_under(self, path: str) -> None:
        """Drop every collection and singleton below ``path`` (an object that was deleted)."""
        prefix = path.rstrip("/") + "/"
        for store in (self.collections, self.singletons):
            for key in [key for key in store if key.startswith(prefix)]:
                del store[key]

    def clear(self) -> None:
        """Forget everything."""
        self.collections.clear()
        self.singletons.clear()
        self.seeded.clear()
