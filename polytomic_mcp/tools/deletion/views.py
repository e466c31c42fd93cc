"""The result of delete."""

from __future__ import annotations

from ..core.views import Written


class Deleted(Written):
    """Outcome of delete."""

    untrusted = ("name", "also_deleted")

    deleted: bool
    kind: str
    id: str
    name: str
    also_deleted: list[str] | None = None
    note: str | None = None
    next_step: str
