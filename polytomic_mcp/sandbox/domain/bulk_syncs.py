"""Bulk syncs: validate create/update bodies against the source's cached schemas and the destination's configuration.

Mistakes are answered like the API answers model syncs: a malformed body or ``destination_configuration`` is 400,
a body that conflicts with stored state (missing or unusable connection, wrong capability, unknown schema or
field, a mode the destination lacks) is 422. Both name what would have been valid.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..bulk_catalog import MODE_INFO, BulkDestination, source_capabilities
from ..bulk_schemas import BulkSourceSchema
from ..errors import ApiError, bad_request, listing, not_found, unprocessable
from ..ids import new_id, next_revision, now_iso
from ..records import Connection
from ..validation import clean_configuration
from ..versions import is_legacy
from . import bulk_schedules
from .body import optional, require_object, require_str
from .bulk_schema_config import configure, default_config, find_schema, schema_item
from .bulk_sources import cached_schemas, check_destination, check_source, upstream
from .connections import describe, referenced_connection
from .syncs import MODES as MODEL_SYNC_MODES

if TYPE_CHECKING:
    from ..store import Workspace

DISCOVER = ("all", "onlyIncremental", "onlyNonIncremental", "none")
NORMALIZE = ("enabled", "disabled", "legacy")


def get_bulk_sync(ws: Workspace, sync_id: str) -> dict[str, Any]:
    """Return a stored bulk sync or raise 404."""
    sync = ws.bulk.syncs.get(sync_id)
    if sync is None:
        raise not_found(f'bulk sync "{sync_id}" not found')
    return sync


def _destination_configuration(destination: BulkDestination, conn: Connection, value: Any) -> dict[str, Any]:
    """Check ``destination_configuration`` against the destination's JSON Schema (400 naming every problem)."""
    try:
        return clean_configuration(destination.configuration, value if value is not None else {}, fill_defaults=False)
    except ApiError as exc:
        detail = exc.message.removeprefix("invalid configuration: ")
        keys = ", ".join(destination.required) or "none"
        raise bad_request(
            f"invalid destination_configuration: {detail} ({conn.type['name']} bulk destinations require: {keys}; "
            f"see GET /api/connections/{conn.id}/bulksync/target)"
        ) from exc


def _mode(body: dict[str, Any], destination: BulkDestination, conn: Connection, legacy: bool) -> str:
    if body.get("mode") is None:
        if legacy:
            raise bad_request(f"mode is required; one of {', '.join(destination.modes)}")
        return "replicate" if "replicate" in destination.modes else destination.modes[0]
    mode = require_str(body, "mode")
    if mode not in MODE_INFO:
        kind = "a model-sync mode, not a bulk sync mode" if mode in MODEL_SYNC_MODES else "not a bulk sync mode"
        raise bad_request(f'mode "{mode}" is {kind}; bulk syncs to {conn.type["name"]} take one of: {", ".join(destination.modes)}')
    if mode not in destination.modes:
        raise unprocessable(f'mode "{mode}" is not supported by {describe(conn)}; supported: {", ".join(destination.modes)}')
    return mode


def _choice(body: dict[str, Any], key: str, options: tuple[str, ...], default: str) -> str:
    value: str = optional(body, key, str, default)
    if value not in options:
        raise bad_request(f'{key} must be one of {", ".join(options)}; got "{value}"')
    return value


def _schedules(ws: Workspace, body: dict[str, Any], legacy: bool, existing: dict[str, Any] | None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    previous = existing["default_schedule"] if existing else None
    if legacy:
        if "default_schedule" in body or "additional_schedules" in body:
            raise bad_request("default_schedule and additional_schedules are not supported in API version 2024-02-08; send schedule")
        default = bulk_schedules.parse(body.get("schedule"), "schedule")
        return bulk_schedules.stamp(ws, default, previous), list(existing["additional_schedules"]) if existing else []
    if body.get("default_schedule") is None and "schedule" in body:
        raise bad_request("default_schedule is required; API version 2025-09-18 replaced schedule with default_schedule (+ additional_schedules)")
    default = bulk_schedules.parse(body.get("default_schedule"), "default_schedule")
    extra = [
        bulk_schedules.stamp(ws, bulk_schedules.parse(item, f"additional_schedules[{i}]", extra=True), None)
        for i, item in enumerate(optional(body, "additional_schedules", list, []))
    ]
    return bulk_schedules.stamp(ws, default, previous), extra


def _select(
    body: dict[str, Any], available: dict[str, BulkSourceSchema], source: Connection, kind: str,
    existing: dict[str, Any] | None,
) -> dict[str, dict[str, Any]]:
    """Per-schema configuration: listed schemas enabled, the rest disabled; all enabled when ``schemas`` is omitted
    on create; left as they were when omitted or empty on update (other settings of unlisted schemas are kept)."""
    items = optional(body, "schemas", list, [])
    previous: dict[str, dict[str, Any]] = existing["_schemas"] if existing else {}
    if existing is not None and not items:
        return previous
    configs = {s.id: dict(previous.get(s.id) or default_config(s, enabled=True), enabled=not items) for s in available.values()}
    tracking = source_capabilities(kind)["supports_tracking_fields"]
    for index, raw in enumerate(items):
        where = f"schemas[{index}]"
        item = schema_item(raw, where)
        schema = find_schema(available, item.get("id"), f"{where}.id" if isinstance(raw, dict) else where, describe(source))
        configs[schema.id] = configure(schema, item, configs[schema.id], where, supports_tracking=tracking, enable=True)
    return configs


def _check_history(configs: dict[str, dict[str, Any]], mode: str, destination: BulkDestination) -> None:
    wanted = [c["id"] for c in configs.values() if c["history_enabled"]]
    if wanted and (mode != "replicate" or not destination.supports_history_mode):
        raise unprocessable(f"history_enabled ({', '.join(wanted)}) needs mode replicate on a destination that supports history mode")


def _check_additional(extra: list[dict[str, Any]], configs: dict[str, dict[str, Any]]) -> None:
    for index, schedule in enumerate(extra):
        unknown = [s for s in schedule["schemas"] if s not in configs]
        if unknown:
            raise unprocessable(f'additional_schedules[{index}].schemas: schema "{unknown[0]}" is not on this sync; available: {", ".join(configs)}')


def build_bulk_sync(ws: Workspace, body: Any, *, version: str, existing: dict[str, Any] | None = None) -> dict[str, Any]:
    """Validate a create/update body for ``version`` and return the bulk sync (not stored)."""
    body = require_object(body)
    legacy = is_legacy(version)
    name = require_str(body, "name")
    source_id = require_str(body, "source_connection_id")
    destination_id = require_str(body, "destination_connection_id")
    default, extra = _schedules(ws, body, legacy, existing)
    source = referenced_connection(ws, source_id, "source connection")
    destination_conn = referenced_connection(ws, destination_id, "destination connection")
    system = check_source(ws, source, status=422, role="source_connection_id: ")
    destination = check_destination(ws, destination_conn, status=422, role="destination_connection_id: ")
    configuration = _destination_configuration(destination, destination_conn, body.get("destination_configuration"))
    mode = _mode(body, destination, destination_conn, legacy)
    configs = _select(body, cached_schemas(ws, source), source, system.source_kind, existing)
    _check_history(configs, mode, destination)
    _check_additional(extra, configs)
    stamp, actor = now_iso(), ws.actor()
    return {
        "id": existing["id"] if existing else new_id(),
        "name": name,
        "organization_id": ws.organization_id,
        "active": optional(body, "active", bool, False),
        "mode": mode,
        "source_connection_id": source.id,
        "destination_connection_id": destination_conn.id,
        "source_configuration": optional(body, "source_configuration", dict, {}),
        "destination_configuration": configuration,
        "default_schedule": default,
        "additional_schedules": extra,
        "automatically_add_new_objects": _choice(body, "automatically_add_new_objects", DISCOVER, "none"),
        "automatically_add_new_fields": _choice(body, "automatically_add_new_fields", DISCOVER, "all"),
        "normalize_names": _choice(body, "normalize_names", NORMALIZE, "enabled"),
        "disable_record_timestamps": optional(body, "disable_record_timestamps", bool, False),
        "data_cutoff_timestamp": optional(body, "data_cutoff_timestamp", str, None),
        "concurrency_limit": optional(body, "concurrency_limit", int, None),
        "resync_concurrency_limit": optional(body, "resync_concurrency_limit", int, None),
        "policies": optional(body, "policies", list, []),
        "created_at": existing["created_at"] if existing else stamp,
        "created_by": existing["created_by"] if existing else actor,
        "updated_at": stamp,
        "updated_by": actor,
        "_rev": next_revision(),
        "_schemas": configs,
    }


def schema_config(sync: dict[str, Any], schema_id: str) -> dict[str, Any]:
    """The stored configuration of one of the sync's schemas, or 404 naming the ones it has."""
    config: dict[str, Any] | None = sync["_schemas"].get(schema_id)
    if config is None:
        raise not_found(f'schema "{schema_id}" not found on bulk sync "{sync["name"]}"; available: {listing(list(sync["_schemas"]))}')
    return config


def patch_schemas(ws: Workspace, sync: dict[str, Any], body: Any) -> list[dict[str, Any]]:
    """Change only the listed schemas (``PATCH .../schemas``) and return their new configurations."""
    items = optional(require_object(body), "schemas", list, [])
    source = ws.connections.get(sync["source_connection_id"])
    if source is None:
        raise unprocessable("the bulk sync's source connection no longer exists")
    available = cached_schemas(ws, source)
    tracking = source_capabilities(upstream(ws, source).source_kind)["supports_tracking_fields"]
    changed = []
    for index, raw in enumerate(items):
        where = f"schemas[{index}]"
        item = require_object(raw, where)
        schema = find_schema(available, item.get("id"), f"{where}.id", describe(source))
        base = sync["_schemas"].get(schema.id) or default_config(schema, enabled=False)
        changed.append(configure(schema, item, base, where, supports_tracking=tracking, enable=False))
    for config in changed:
        sync["_schemas"][config["id"]] = config
    sync.update(updated_at=now_iso(), updated_by=ws.actor(), _rev=next_revision())
    return changed


def enabled_schemas(sync: dict[str, Any]) -> list[str]:
    """Ids of the schemas a run copies."""
    return [schema_id for schema_id, config in sync["_schemas"].items() if config["enabled"]]
