"""A bulk sync's per-schema configuration: which schemas and fields are enabled, tracking field, filters, names.

Stored per schema as ``{id, enabled, fields (None = every field), filters, tracking_field, ...}``; schema and
field ids are checked against the source connection's cached schemas and every mistake names the valid ids.
"""

from __future__ import annotations

import re
from typing import Any

from ..bulk_schemas import BulkSourceSchema
from ..errors import bad_request, listing, unprocessable
from .body import optional, require_object, require_str
from .sync_filters import FILTER_FUNCTIONS

SCHEMA_KEYS = (
    "id", "enabled", "fields", "filters", "tracking_field", "partition_key", "user_output_name",
    "data_cutoff_timestamp", "disable_data_cutoff", "history_enabled",
)
FIELD_KEYS = ("id", "enabled", "obfuscate", "obfuscated", "user_output_name", "output_name")


def output_name(name: str, normalize: str) -> str:
    """The destination table name: snake_case when ``normalize_names`` is enabled, else the source name."""
    if normalize != "enabled":
        return name
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)
    return re.sub(r"[^a-z0-9_]+", "_", spaced.lower()).strip("_")


def default_config(schema: BulkSourceSchema, *, enabled: bool) -> dict[str, Any]:
    """A schema's configuration before any options: every field enabled, no filters."""
    return {
        "id": schema.id,
        "enabled": enabled,
        "fields": None,
        "filters": [],
        "tracking_field": "",
        "partition_key": "",
        "user_output_name": "",
        "data_cutoff_timestamp": None,
        "disable_data_cutoff": False,
        "history_enabled": False,
    }


def find_schema(available: dict[str, BulkSourceSchema], schema_id: Any, where: str, source: str) -> BulkSourceSchema:
    """Return the source schema ``schema_id`` or raise 422 naming the available ids."""
    if not isinstance(schema_id, str) or not schema_id:
        raise bad_request(f"{where} must be a schema id string")
    found = available.get(schema_id)
    if found is None:
        raise unprocessable(f'{where}: schema "{schema_id}" does not exist on source connection {source}; available: {listing(list(available))}')
    return found


def _field_id(schema: BulkSourceSchema, value: Any, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise bad_request(f"{where} must be a field id string")
    if schema.field(value) is None:
        raise unprocessable(f'{where}: field "{value}" does not exist on schema "{schema.id}"; available: {listing(schema.field_ids)}')
    return value


def _fields(schema: BulkSourceSchema, items: list[Any], where: str) -> dict[str, dict[str, Any]]:
    """Parse a field selection (ids or ``{id, enabled, obfuscate(d), user_output_name}``); unlisted fields are off."""
    chosen: dict[str, dict[str, Any]] = {f.id: {"enabled": False, "obfuscated": False, "user_output_name": ""} for f in schema.fields}
    for index, item in enumerate(items):
        at = f"{where}[{index}]"
        if isinstance(item, str):
            chosen[_field_id(schema, item, at)]["enabled"] = True
            continue
        item = require_object(item, at)
        unknown = [k for k in item if k not in FIELD_KEYS]
        if unknown:
            raise bad_request(f'{at}: unknown field option "{unknown[0]}"; valid: {", ".join(FIELD_KEYS)}')
        field_id = _field_id(schema, item.get("id"), f"{at}.id")
        obfuscated = optional(item, "obfuscate", bool, False, f"{at}.") or optional(item, "obfuscated", bool, False, f"{at}.")
        chosen[field_id] = {
            "enabled": optional(item, "enabled", bool, True, f"{at}."),
            "obfuscated": obfuscated,
            "user_output_name": optional(item, "user_output_name", str, "", f"{at}."),
        }
    return chosen


def _filters(schema: BulkSourceSchema, items: list[Any], where: str) -> list[dict[str, Any]]:
    out = []
    for index, item in enumerate(items):
        at = f"{where}[{index}]"
        item = require_object(item, at)
        field_id = _field_id(schema, item.get("field_id"), f"{at}.field_id")
        function = require_str(item, "function", f"{at}.")
        if function not in FILTER_FUNCTIONS:
            raise bad_request(f'{at}.function: unknown filter function "{function}"; valid: {", ".join(FILTER_FUNCTIONS)}')
        out.append({"field_id": field_id, "function": function, "value": item.get("value")})
    return out


def configure(
    schema: BulkSourceSchema, item: dict[str, Any], base: dict[str, Any], where: str, *, supports_tracking: bool, enable: bool
) -> dict[str, Any]:
    """Apply one schema item (``SchemaConfiguration``/``BulkSchema``) over ``base``; omitted ``fields`` enables all.

    An omitted ``enabled`` becomes ``enable`` (create and PUT select what they list) or keeps ``base`` (PATCH).
    """
    unknown = [k for k in item if k not in SCHEMA_KEYS and k not in ("output_name", "destination_history_output_name")]
    if unknown:
        raise bad_request(f'{where}: unknown schema option "{unknown[0]}"; valid: {", ".join(SCHEMA_KEYS)}')
    config = dict(base, enabled=optional(item, "enabled", bool, True if enable else base["enabled"], f"{where}."))
    fields = optional(item, "fields", list, None, f"{where}.")
    config["fields"] = None if fields is None else _fields(schema, fields, f"{where}.fields")
    config["filters"] = _filters(schema, optional(item, "filters", list, base["filters"], f"{where}."), f"{where}.filters")
    for key in ("tracking_field", "partition_key"):
        value = optional(item, key, str, base[key], f"{where}.")
        if value:
            _field_id(schema, value, f"{where}.{key}")
        config[key] = value
    if config["tracking_field"] and not supports_tracking:
        raise unprocessable(f"{where}.tracking_field: this source does not support tracking fields")
    config["user_output_name"] = optional(item, "user_output_name", str, base["user_output_name"], f"{where}.")
    config["data_cutoff_timestamp"] = optional(item, "data_cutoff_timestamp", str, base["data_cutoff_timestamp"], f"{where}.")
    config["disable_data_cutoff"] = optional(item, "disable_data_cutoff", bool, base["disable_data_cutoff"], f"{where}.")
    config["history_enabled"] = optional(item, "history_enabled", bool, base["history_enabled"], f"{where}.")
    return config


def schema_item(item: Any, where: str) -> dict[str, Any]:
    """Normalise a selection entry: a bare id becomes ``{"id": id}``."""
    if isinstance(item, str):
        return {"id": item}
    return require_object(item, where)
