"""Seed helpers for bulk syncs (the ``Workspace`` methods delegate here): store a sync, run it, fail a schema, drift a source."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from .domain import bulk_executions
from .domain.bulk_sources import cached_schemas, upstream
from .domain.bulk_syncs import build_bulk_sync
from .domain.connections import get_connection
from .errors import ApiError
from .upstream import SourceField, SourceObject

if TYPE_CHECKING:
    from .store import Workspace

DEFAULT_SCHEDULE = {"frequency": "manual"}


def add_bulk_sync(ws: Workspace, body: dict[str, Any]) -> dict[str, Any]:
    """Validate a 2025-09-18 create body and store the bulk sync (ValueError with the API's message when invalid)."""
    try:
        sync = build_bulk_sync(ws, {"default_schedule": DEFAULT_SCHEDULE, **body}, version="2025-09-18")
    except ApiError as exc:
        raise ValueError(exc.message) from exc
    ws.bulk.syncs[sync["id"]] = sync
    return sync


def run_bulk_sync(ws: Workspace, sync_id: str) -> dict[str, Any]:
    """Start a run of bulk sync ``sync_id`` and finish it at once; return the stored execution (ValueError when it cannot start)."""
    try:
        execution = bulk_executions.start(ws, ws.bulk.syncs[sync_id], {}, version="2025-09-18")
    except ApiError as exc:
        raise ValueError(exc.message) from exc
    while execution["status"] not in bulk_executions.TERMINAL:
        bulk_executions.advance(ws, execution)
    return execution


def fail_bulk_schema(ws: Workspace, connection_id: str, schema_id: str, message: str) -> None:
    """Make every run of ``schema_id`` read from ``connection_id`` fail with ``message``."""
    ws.bulk.failures[(connection_id, schema_id)] = message


def add_source_table(ws: Workspace, connection_id: str, name: str, columns: dict[str, str], row_count: int = 100) -> None:
    """Add a table/object upstream of a connection, after its cache was filled: it shows only after a refresh.

    ``columns`` maps column names to ``string``/``integer``/``number``/``boolean``/``datetime``; the first is the key.
    """
    conn = get_connection(ws, connection_id)
    cached_schemas(ws, conn)
    system = upstream(ws, conn)
    if system.source_kind not in ("sql", "crm", "files"):
        raise ValueError(f"cannot add tables to a {system.source_kind or 'destination-only'} upstream")
    fields = tuple(SourceField(column, kind, kind, unique=index == 0) for index, (column, kind) in enumerate(columns.items()))
    tables = {**system.tables, name: SourceObject(name, fields, (), row_count)}
    ws.systems[connection_id] = dataclasses.replace(system, tables=tables)
