"""A source's schema cache, as bulk syncs see it: made fresh within the call's deadline, then read.

Polytomic answers bulk-source questions from a per-connection schema cache; a stale cache is refreshed
(an asynchronous job) and waited for, bounded by the tool's deadline, so a table created upstream shows up.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import anyio

from polytomic_mcp.client import PolytomicError, time_left
from polytomic_mcp.client.models import SourceSchema

from .errors import explain, fail
from .services import Services

Progress = Callable[[str], Awaitable[None]]
REFRESH_WAIT = 60.0
"""Seconds a schema cache refresh is waited for at most (less when the call's deadline is nearer)."""


async def nothing(_: str) -> None:
    """A progress callback that reports nothing."""
    return None


async def fresh_cache(svc: Services, connection_id: str, progress: Progress = nothing, *, force: bool = False) -> str:
    """Make the source's schema cache fresh (refresh it when stale, or when ``force``), waiting within the deadline.

    Returns the final cache status (``fresh``, or ``refreshing`` when the wait ran out).
    """
    client = svc.client
    status = await client.schemas.refresh_status(connection_id)
    if status.cache_status == "fresh" and not force:
        return "fresh"
    if status.cache_status != "refreshing":
        await progress("refreshing Polytomic's schema cache of the source")
        await client.schemas.refresh(connection_id)
    interval = client.job_poll_interval
    with anyio.move_on_after(max(0.0, min(REFRESH_WAIT, time_left() - 2.0))):
        status = await client.schemas.refresh_status(connection_id)
        while status.cache_status == "refreshing":
            await progress("schema cache still refreshing")
            await anyio.sleep(interval)
            interval = min(2.0, interval * 1.5)
            status = await client.schemas.refresh_status(connection_id)
    return status.cache_status or "unknown"


async def read_source_schemas(svc: Services, connection_id: str, *, fields: bool) -> dict[str, SourceSchema]:
    """The schemas the source offers for bulk syncs (from the cache), by id."""
    try:
        source = await svc.client.schemas.bulk_source(connection_id, include_fields=True if fields else None)
    except PolytomicError as error:
        raise fail(explain(error, action="read the source's schemas", not_found="Call list_connections for valid ids."),
                   api_error=error) from None
    return {s.id: s for s in source.schemas}
