"""Bulk-sync sources and destinations: capability and health checks, and each source connection's schema cache.

The cache is what ``/bulksync/source``, ``/schemas/{id}`` and the model-source listings (``/modelsync/source``,
``.../fields``) serve; creating a model still inspects the upstream itself. A connection's first inspection happens when
it is created (the API probes a new connection), so its cache starts ``fresh`` with what the upstream held then.
``POST /schemas/refresh`` sets it ``refreshing``; the first ``GET /schemas/status`` after that still reports
``refreshing``, the next finishes the refresh and reports ``fresh`` (no timers). Reads during a refresh serve the
previous cache, so a table added upstream appears only once a refresh has finished.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..bulk_catalog import BULK_DESTINATIONS, BulkDestination, bulk_destination, is_bulk_source
from ..bulk_schemas import BulkSourceSchema, source_schemas
from ..errors import ApiError, listing, not_found
from ..ids import now_iso
from ..records import Connection
from ..type_schemas import CONNECTION_TYPES, get_type
from ..upstream import System
from ..world import system_for
from .connections import describe, usable_system

if TYPE_CHECKING:
    from ..store import Workspace

REFRESH_POLLS = 1
"""Status reads that still answer ``refreshing`` after a refresh starts (the next one finishes it)."""


def _type_names(type_ids: list[str]) -> str:
    return listing(sorted(CONNECTION_TYPES[t].name for t in type_ids if t in CONNECTION_TYPES))


def bulk_source_types() -> list[str]:
    """Type ids whose connections bulk syncs can read."""
    return [t.id for t in CONNECTION_TYPES.values() if is_bulk_source(t)]


def upstream(ws: Workspace, conn: Connection) -> System:
    """The system a connection reaches, whatever its health (what its last inspection saw)."""
    return ws.systems.get(conn.id) or system_for(conn.type_id)


def _usable(ws: Workspace, conn: Connection, status: int, role: str) -> None:
    """Raise ``status`` when the connection is not authorized or not healthy (the check of ``usable_system``)."""
    try:
        usable_system(ws, conn)
    except ApiError as exc:
        raise ApiError(status, f"{role}{exc.message}") from exc


def check_source(ws: Workspace, conn: Connection, *, status: int, role: str = "") -> System:
    """Return the upstream of a connection bulk syncs can read now, or raise ``status`` saying why not."""
    if not is_bulk_source(get_type(conn.type_id)):
        raise ApiError(
            status,
            f"{role}connection {describe(conn)} cannot be used as a bulk sync source: {conn.type['name']} "
            f"is not a bulk sync source; bulk sync sources: {_type_names(bulk_source_types())}",
        )
    _usable(ws, conn, status, role)
    return upstream(ws, conn)


def check_destination(ws: Workspace, conn: Connection, *, status: int, role: str = "") -> BulkDestination:
    """Return how a connection receives bulk syncs, or raise ``status`` when it cannot (type or health)."""
    found = bulk_destination(conn.type_id)
    if found is None:
        raise ApiError(
            status,
            f"{role}connection {describe(conn)} cannot be used as a bulk sync destination: {conn.type['name']} "
            f"does not receive bulk syncs; bulk sync destinations: {_type_names(list(BULK_DESTINATIONS))}",
        )
    _usable(ws, conn, status, role)
    return found


def _cache(ws: Workspace, conn: Connection) -> dict[str, Any]:
    """The connection's cache, created on first use as the inspection made when the connection was created."""
    cache = ws.bulk.caches.get(conn.id)
    if cache is None:
        cache = {
            "cache_status": "fresh",
            "last_refresh_started": conn.created_at,
            "last_refresh_finished": conn.created_at,
            "_schemas": source_schemas(upstream(ws, conn)),
            "_system": upstream(ws, conn),
            "_polls_left": 0,
        }
        ws.bulk.caches[conn.id] = cache
    return cache


def cached_schemas(ws: Workspace, conn: Connection) -> dict[str, BulkSourceSchema]:
    """The schemas the connection's cache holds (what ``/bulksync/source`` lists)."""
    schemas: dict[str, BulkSourceSchema] = _cache(ws, conn)["_schemas"]
    return schemas


def cached_schema(ws: Workspace, conn: Connection, schema_id: str) -> BulkSourceSchema:
    """One schema of the connection's cache, or 404 naming the ones it holds."""
    schemas = cached_schemas(ws, conn)
    if schema_id not in schemas:
        raise not_found(f'schema "{schema_id}" not found on connection {describe(conn)}; available: {listing(list(schemas))}')
    return schemas[schema_id]


def cached_system(ws: Workspace, conn: Connection) -> System:
    """The upstream as the connection's cache saw it (what the model-source listings answer from)."""
    system: System = _cache(ws, conn)["_system"]
    return system


def start_refresh(ws: Workspace, conn: Connection) -> None:
    """Begin a refresh of a healthy connection's cache (400 otherwise, as only healthy connections refresh)."""
    try:
        usable_system(ws, conn)
    except ApiError as exc:
        raise ApiError(400, f"only healthy connections can be refreshed: {exc.message}") from exc
    cache = _cache(ws, conn)
    cache.update(cache_status="refreshing", last_refresh_started=now_iso(), _polls_left=REFRESH_POLLS)


def cache_status(ws: Workspace, conn: Connection) -> dict[str, Any]:
    """Report the cache status; a read past the last ``refreshing`` one finishes the refresh."""
    cache = _cache(ws, conn)
    if cache["cache_status"] == "refreshing":
        if cache["_polls_left"] > 0:
            cache["_polls_left"] -= 1
        else:
            system = upstream(ws, conn)
            cache.update(cache_status="fresh", last_refresh_finished=now_iso(), _schemas=source_schemas(system), _system=system)
    return {k: v for k, v in cache.items() if not k.startswith("_")}
