"""An execution's console log: lines appended as the run advances, read back with ``limit`` and an ``after`` cursor.

``GET …/consolelog`` answers ``{"entries": [{id, level, message, payload, timestamp}], "next_cursor"}``.
Without ``after`` it returns the latest ``limit`` entries (at most 50); with ``after`` the entries that follow
that cursor, oldest first, so a client can page through a log or tail it. ``next_cursor`` is what to pass
as ``after`` next: the last entry returned, or the cursor given when nothing newer exists yet.
"""

from __future__ import annotations

from typing import Any

from ..errors import bad_request
from ..ids import now_iso
from ..paging import parse_limit
from ..records import Execution


def append(execution: Execution, level: str, message: str, **payload: Any) -> None:
    """Add one line to the execution's console log."""
    lines = execution.console
    lines.append({"id": f"{len(lines) + 1:08d}", "level": level, "message": message, "payload": payload, "timestamp": now_iso()})


def page(execution: Execution, limit: str | None, after: str | None) -> dict[str, Any]:
    """One answer of the console log endpoint (400 for a malformed ``limit`` or an unknown ``after`` cursor)."""
    lines = execution.console
    size = parse_limit(limit)
    if not after:
        chosen = lines[-size:]
        return {"entries": chosen, "next_cursor": chosen[-1]["id"] if chosen else ""}
    ids = [line["id"] for line in lines]
    if after not in ids:
        raise bad_request(f'invalid after cursor "{after}": pass next_cursor from an earlier answer unchanged')
    chosen = lines[ids.index(after) + 1 :][:size]
    return {"entries": chosen, "next_cursor": chosen[-1]["id"] if chosen else after}
