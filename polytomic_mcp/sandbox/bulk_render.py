"""Turn stored bulk syncs and their schema configurations into version-specific response bodies."""

from __future__ import annotations

from typing import Any

from .bulk_schemas import BulkSourceSchema
from .domain import bulk_schedules
from .domain.bulk_schema_config import output_name
from .versions import is_legacy

_SYNC_KEYS = (
    "id", "name", "organization_id", "active", "mode", "source_connection_id", "destination_connection_id",
    "source_configuration", "destination_configuration", "automatically_add_new_objects", "automatically_add_new_fields",
    "normalize_names", "disable_record_timestamps", "data_cutoff_timestamp", "concurrency_limit",
    "resync_concurrency_limit", "policies", "created_at", "created_by", "updated_at", "updated_by",
)


def bulk_sync(stored: dict[str, Any], version: str) -> dict[str, Any]:
    """Render a ``BulkSyncResponse``: ``default_schedule`` + ``additional_schedules`` on 2025-09-18, ``schedule`` on 2024-02-08."""
    out = {key: stored[key] for key in _SYNC_KEYS}
    if is_legacy(version):
        out["schedule"] = bulk_schedules.render(stored["default_schedule"], legacy=True)
    else:
        out["default_schedule"] = bulk_schedules.render(stored["default_schedule"], legacy=False)
        out["additional_schedules"] = [bulk_schedules.render(s, legacy=False) for s in stored["additional_schedules"]]
    return out


def _output_name(sync: dict[str, Any], config: dict[str, Any]) -> str:
    return output_name(config["id"].split(".")[-1], sync["normalize_names"])


def schema_list_item(sync: dict[str, Any], config: dict[str, Any]) -> dict[str, Any]:
    """Render a ``BulkSchemaListItem`` (no fields or filters, as the list endpoint omits them)."""
    keys = ("id", "enabled", "tracking_field", "partition_key", "user_output_name", "data_cutoff_timestamp", "disable_data_cutoff", "history_enabled")
    out = {key: config[key] for key in keys}
    out["output_name"] = config["user_output_name"] or _output_name(sync, config)
    return out


def schema_detail(sync: dict[str, Any], config: dict[str, Any], schema: BulkSourceSchema | None) -> dict[str, Any]:
    """Render a ``BulkSchema`` with every field's selection and the filters."""
    out = schema_list_item(sync, config)
    chosen = config["fields"]
    fields = []
    for field_id in schema.field_ids if schema is not None else list(chosen or {}):
        picked = (chosen or {}).get(field_id, {"enabled": chosen is None, "obfuscated": False, "user_output_name": ""})
        name = picked["user_output_name"] or (field_id.lower() if sync["normalize_names"] == "enabled" else field_id)
        fields.append({"id": field_id, "enabled": picked["enabled"], "obfuscated": picked["obfuscated"],
                       "user_output_name": picked["user_output_name"], "output_name": name})
    out.update(fields=fields, filters=[dict(f) for f in config["filters"]])
    return out
