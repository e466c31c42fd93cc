"""What each connection type offers to bulk syncs: destination configuration schemas, modes and source capabilities.

Bulk sources are the types whose ``operations`` carry ``BulkSyncSource`` (as real connections report it).
Bulk destinations are listed here; no real payload names them (the ``PostgreSQL`` fixture, a real bulk
destination, reports no ``BulkSyncDestination`` operation), so ``GET .../bulksync/target`` is the authority.
Destination keys follow the connection guides (Snowflake ``schema``/``mirror_schemas``/``advanced``, the
Terraform example's BigQuery ``dataset``); the S3 ``format``/``prefix`` pair is the sandbox's own choice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .type_schemas import SCHEMA_DRAFT, ConnectionType

BULK_SOURCE_OPERATION = "BulkSyncSource"
RESYNC_MODES = ("refetch", "resync", "rebuild")
MODE_INFO = {
    "replicate": ("Replicate", "Keep destination tables in step with the source: new and changed records are upserted"),
    "snapshot": ("Replace", "Replace all records on every run"),
    "append": ("Append", "Append every record read as a new row"),
}
"""Bulk sync modes (``BulkSyncTargetMode``): label and description as ``/bulksync/target`` renders them."""

FAILING_SCHEMAS: dict[tuple[str, str], str] = {
    ("salesforce", "Task"): (
        "Salesforce rejected the query: INVALID_TYPE_FOR_OPERATION: entity type Task does not support query "
        "(the API user lacks the 'View All Activities' permission)"
    ),
}
"""Source schemas that fail on every run (type, schema id) -> error, so a bulk sync can end partly failed."""


def _advanced() -> dict[str, Any]:
    return {
        "type": "object",
        "title": "Advanced",
        "additionalProperties": False,
        "properties": {
            "hard_deletes": {"type": "boolean", "title": "Hard deletes", "default": False},
            "table_prefix": {"type": "string", "title": "Table prefix"},
            "truncate_existing": {"type": "boolean", "title": "Truncate existing tables", "default": False},
        },
    }


def _warehouse(target: str, title: str, *, mirror: bool = True) -> dict[str, Any]:
    properties: dict[str, Any] = {target: {"type": "string", "title": title, "minLength": 1}}
    if mirror:
        properties["mirror_schemas"] = {"type": "boolean", "title": "Mirror source schemas", "default": False}
    properties["advanced"] = _advanced()
    return {"$schema": SCHEMA_DRAFT, "type": "object", "required": [target], "additionalProperties": False, "properties": properties}


_S3 = {
    "$schema": SCHEMA_DRAFT,
    "type": "object",
    "required": ["format"],
    "additionalProperties": False,
    "properties": {
        "format": {"type": "string", "title": "File format", "enum": ["csv", "json", "parquet"]},
        "prefix": {"type": "string", "title": "Key prefix (folder) inside the connection's bucket"},
    },
}


@dataclass(frozen=True)
class BulkDestination:
    """A connection type that can receive bulk syncs: its ``destination_configuration`` schema and modes."""

    type_id: str
    configuration: dict[str, Any]
    modes: tuple[str, ...] = ("replicate", "snapshot")
    resync_modes: tuple[str, ...] = RESYNC_MODES
    supports_history_mode: bool = True

    @property
    def required(self) -> list[str]:
        """The configuration keys a bulk sync must send."""
        return list(self.configuration.get("required", []))

    def render(self) -> dict[str, Any]:
        """Render as the ``data`` of ``GET /api/connections/{id}/bulksync/target``."""
        return {
            "configuration": self.configuration,
            "modes": [
                {
                    "id": mode,
                    "label": MODE_INFO[mode][0],
                    "description": MODE_INFO[mode][1],
                    "requires_identity": False,
                    "supports_field_sync_mode": False,
                    "supports_target_filters": False,
                }
                for mode in self.modes
            ],
            "supported_resync_modes": list(self.resync_modes),
            "supports_history_mode": self.supports_history_mode,
        }


BULK_DESTINATIONS: dict[str, BulkDestination] = {
    d.type_id: d
    for d in (
        BulkDestination("snowflake", _warehouse("schema", "Output schema")),
        BulkDestination("bigquery", _warehouse("dataset", "Output dataset", mirror=False)),
        BulkDestination("postgresql", _warehouse("schema", "Output schema")),
        BulkDestination("s3", _S3, supports_history_mode=False),
    )
}


def bulk_destination(type_id: str) -> BulkDestination | None:
    """Return how ``type_id`` receives bulk syncs, or None when it cannot."""
    return BULK_DESTINATIONS.get(type_id)


def is_bulk_source(ctype: ConnectionType | None) -> bool:
    """Whether connections of this type can be read by bulk syncs (their ``operations`` say so)."""
    return ctype is not None and BULK_SOURCE_OPERATION in ctype.operations


def source_capabilities(source_kind: str) -> dict[str, bool]:
    """``capabilities`` of ``/bulksync/source``: SaaS objects track changes by a field; databases have namespaces."""
    return {"supports_tracking_fields": source_kind in ("crm", "sql"), "supports_namespaces": source_kind in ("sql", "mongo")}


def source_configuration(source_kind: str) -> dict[str, Any]:
    """The JSON Schema of ``source_configuration`` a bulk sync over this kind of source accepts."""
    properties: dict[str, Any] = {}
    if source_kind == "crm":
        properties["include_deleted"] = {"type": "boolean", "title": "Include deleted records", "default": False}
    if source_kind == "sql":
        properties["replication_slot"] = {"type": "string", "title": "Replication slot (CDC only)"}
    return {"$schema": SCHEMA_DRAFT, "type": "object", "properties": properties}
