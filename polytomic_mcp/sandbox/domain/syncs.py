"""Model syncs: validate mappings against models and the destination's objects, fields, modes and identity rules."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import bad_request, listing, not_found, unprocessable
from ..ids import new_id, next_revision, now_iso
from ..records import Connection, Sync
from ..type_schemas import get_type
from ..upstream import IDENTITY_FUNCTIONS, Mode, System, TargetObject
from . import sync_filters
from .body import optional, require_object, require_str
from .connections import describe, referenced_connection, usable_system
from .sync_checker import Checker
from .sync_problems import problems

if TYPE_CHECKING:
    from ..store import Workspace

MODES = ("create", "update", "updateOrCreate", "replace", "append", "remove", "snapshot")
FREQUENCIES = ("manual", "continuous", "hourly", "daily", "weekly", "custom", "builder", "runafter", "multi", "dbtcloud")
FIELD_SYNC_MODES = ("create", "update", "updateOrCreate")
SCHEDULE_STRINGS = ("minute", "hour", "day_of_week", "day_of_month", "month")
SCHEDULE_KEYS = ("frequency", *SCHEDULE_STRINGS, "run_after", "run_after_success_only", "job_id", "connection_id")
NEW_TARGET = "__pt_new_target"
LATEST = "2025-09-18"


def get_sync(ws: Workspace, sync_id: str) -> Sync:
    """Return a stored sync or raise 404."""
    sync = ws.syncs.get(sync_id)
    if sync is None:
        raise not_found(f'sync "{sync_id}" not found')
    return sync


def parse_schedule(value: Any) -> dict[str, Any]:
    """Validate a schedule and return it with unused string fields filled with ``""`` (as the API returns them)."""
    if value is None:
        raise bad_request("schedule is required")
    schedule = require_object(value, "schedule")
    frequency = schedule.get("frequency")
    if frequency not in FREQUENCIES:
        raise bad_request(f'unknown schedule frequency "{frequency}"; valid: {", ".join(FREQUENCIES)}')
    for key in schedule:
        if key not in SCHEDULE_KEYS:
            raise bad_request(f'unknown schedule field "{key}"; valid: {", ".join(SCHEDULE_KEYS)}')
    for key in SCHEDULE_STRINGS:
        optional(schedule, key, str, "", "schedule.")
    if frequency == "runafter":
        run_after = optional(schedule, "run_after", dict, {}, "schedule.")
        if not (run_after.get("sync_ids") or run_after.get("bulk_sync_ids")):
            raise bad_request("schedule.run_after.sync_ids or bulk_sync_ids is required when frequency is runafter")
    if frequency == "dbtcloud" and not (schedule.get("job_id") and schedule.get("connection_id")):
        raise bad_request("schedule.job_id and schedule.connection_id are required when frequency is dbtcloud")
    return {"frequency": frequency, **{k: "" for k in SCHEDULE_STRINGS}, **{k: v for k, v in schedule.items() if v is not None}}


def _resolve_target(ws: Workspace, target: Any) -> tuple[Connection, System, TargetObject, bool]:
    target = require_object(target, "target")
    conn = referenced_connection(ws, require_str(target, "connection_id", "target."), "target connection")
    ctype = get_type(conn.type_id)
    if ctype is None or not ctype.destination:
        raise unprocessable(f"connection {describe(conn)} cannot be used as a sync destination: {conn.type['name']} is source-only")
    system = usable_system(ws, conn)
    object_id, create = target.get("object"), target.get("create")
    if create is not None or object_id == NEW_TARGET:
        if create is None:
            values = str(target.get("new_name", "")).split(".", len(system.creation) - 1)
            create = dict(zip((p.id for p in system.creation), values, strict=False))
        return conn, system, system.new_target(create), True
    if not object_id:
        raise bad_request("target.object or target.create is required")
    found = system.targets.get(object_id) if isinstance(object_id, str) else None
    if found is None:
        raise unprocessable(
            f'target object "{object_id}" does not exist on connection {describe(conn)}; available: {listing(list(system.targets))}'
        )
    return conn, system, found, False


def _fields(check: Checker, mode: Mode, items: list[Any]) -> list[dict[str, Any]]:
    out = []
    for index, item in enumerate(items):
        where = f"fields[{index}]"
        item = require_object(item, where)
        target = require_str(item, "target", f"{where}.")
        if item.get("source") is None and "override_value" not in item:
            raise bad_request(f"{where}.source is required unless override_value is given")
        mapped: dict[str, Any] = {}
        if item.get("source") is not None:
            mapped["source"] = check.source(item["source"], f"{where}.source")
        mapped["target"] = target
        new = optional(item, "new", bool, False, f"{where}.")
        check.target_field(target, where, new=new)
        if "override_value" in item:
            mapped["override_value"] = item["override_value"]
        if item.get("sync_mode") is not None:
            if item["sync_mode"] not in FIELD_SYNC_MODES:
                raise bad_request(f'{where}.sync_mode must be one of {", ".join(FIELD_SYNC_MODES)}; got "{item["sync_mode"]}"')
            if not mode.supports_per_field_mode:
                raise unprocessable(f'{where}.sync_mode: mode "{mode.id}" does not support per-field sync modes')
            mapped["sync_mode"] = item["sync_mode"]
        mapped.update(new=new, encryption_enabled=optional(item, "encryption_enabled", bool, False, f"{where}."))
        out.append(mapped)
    return out


def _identity(check: Checker, item: Any, where: str) -> dict[str, Any]:
    item = require_object(item, where)
    source = check.source(item.get("source"), f"{where}.source")
    target = require_str(item, "target", f"{where}.")
    function = require_str(item, "function", f"{where}.")
    if function not in IDENTITY_FUNCTIONS:
        raise bad_request(f'{where}.function: unknown identity function "{function}"; valid: {", ".join(IDENTITY_FUNCTIONS)}')
    new_field = optional(item, "new_field", bool, False, f"{where}.")
    found = check.target_field(target, where, new=new_field)
    if found is not None:
        if not found.identity_functions:
            raise unprocessable(f'{where}: target field "{target}" on {check.target.id} cannot be used as an identity')
        if function not in found.identity_functions:
            raise unprocessable(
                f'{where}: identity function "{function}" is not supported by {check.target.id}.{target}; '
                f"supported: {', '.join(found.identity_functions)}"
            )
    remote = found.source_type if found is not None else ""
    return {"source": source, "target": target, "function": function, "new_field": new_field, "_remote": remote}


def _identities(check: Checker, body: dict[str, Any], legacy: bool) -> tuple[str, list[dict[str, Any]]]:
    if body.get("identities") is not None:
        if legacy:
            raise bad_request("identities is not supported in API version 2024-02-08; send identity")
        identities = require_object(body["identities"], "identities")
        mappings = identities.get("mappings")
        if not isinstance(mappings, list):
            raise bad_request("identities.mappings is required and must be an array")
        strategy = optional(identities, "strategy", str, "", "identities.")
        if len(mappings) > 1 and strategy not in ("priority", "and"):
            raise bad_request('identities.strategy must be "priority" or "and" when there is more than one mapping')
        if len(mappings) > 1 and not check.system.target_properties()["supports_multiple_identities"]:
            raise unprocessable(f"{check.target.id} does not support multiple identity mappings")
        return strategy, [_identity(check, m, f"identities.mappings[{i}]") for i, m in enumerate(mappings)]
    if body.get("identity") is not None:
        return "", [_identity(check, body["identity"], "identity")]
    return "", []


def _override_fields(check: Checker, items: list[Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return (override_fields, extra field mappings made from deprecated ``source`` members)."""
    overrides, mappings = [], []
    for index, item in enumerate(items):
        where = f"override_fields[{index}]"
        item = require_object(item, where)
        target = require_str(item, "target", f"{where}.")
        new = optional(item, "new", bool, False, f"{where}.")
        check.target_field(target, where, new=new)
        if item.get("source") is not None:
            mappings.append({"source": check.source(item["source"], f"{where}.source"), "target": target, "new": new, "encryption_enabled": False})
            continue
        entry = {"target": target, "override_value": item.get("override_value"), "new": new}
        if item.get("sync_mode") is not None:
            entry["sync_mode"] = item["sync_mode"]
        overrides.append(entry)
    return overrides, mappings


def _unmapped_required(check: Checker, mode: str, written: set[str]) -> list[dict[str, Any]]:
    if check.new_target or mode not in ("create", "updateOrCreate"):
        return []
    return [
        {
            "code": "required_field_unmapped",
            "message": f'required target field "{f.id}" on {check.target.id} is not mapped; records created by this sync would be rejected',
            "path": "$.fields",
            "severity": "error",
        }
        for f in check.target.fields
        if f.required and f.createable and f.id not in written
    ]


def build_sync(ws: Workspace, body: Any, *, version: str, existing: Sync | None = None) -> Sync:
    """Validate a create/update body and return the sync (not stored); ``version`` picks identity rules."""
    body = require_object(body)
    legacy = version != LATEST
    name = require_str(body, "name")
    mode_id = require_str(body, "mode")
    if mode_id not in MODES:
        raise bad_request(f'unknown mode "{mode_id}"; valid: {", ".join(MODES)}')
    schedule = parse_schedule(body.get("schedule"))
    if body.get("target") is None:
        raise bad_request("target is required")
    if not isinstance(body.get("fields"), list):
        raise bad_request("fields is required and must be an array")
    if legacy and body.get("identities") is not None:
        raise bad_request("identities is not supported in API version 2024-02-08; send identity")
    conn, system, target, is_new = _resolve_target(ws, body["target"])
    mode = target.mode(mode_id)
    if mode is None:
        raise unprocessable(f'mode "{mode_id}" is not supported by {target.id}; supported: {", ".join(m.id for m in target.modes)}')
    check = Checker(ws, system, target, is_new)
    fields = _fields(check, mode, body["fields"])
    strategy, mappings = _identities(check, body, legacy)
    if mode.requires_identity and not mappings:
        how = "identity" if legacy else "identities.mappings"
        raise unprocessable(f'mode "{mode_id}" on {target.id} requires an identity; send {how}')
    override_fields, extra = _override_fields(check, optional(body, "override_fields", list, []))
    fields += extra
    if not fields and mode_id != "remove" and not system.target_properties()["mappings_not_required"]:
        raise bad_request("fields must map at least one model field")
    model_filters = sync_filters.model_filters(check, body)
    target_filters = sync_filters.target_filters(check, mode, body.get("target_filters"))
    written = {f["target"] for f in fields} | {o["target"] for o in override_fields} | {m["target"] for m in mappings}
    raw_target = body["target"]
    identity = None
    if mappings:
        first = mappings[0]
        identity = {**{k: v for k, v in first.items() if not k.startswith("_")}, "remote_field_type_id": first["_remote"]}
    stamp = now_iso()
    return Sync(
        name=name,
        active=optional(body, "active", bool, False),
        mode=mode_id,
        schedule=schedule,
        target={
            "connection_id": conn.id,
            "object": target.id,
            "configuration": optional(raw_target, "configuration", dict, {}, "target."),
            "new_name": raw_target.get("new_name") or "",
            "create": raw_target.get("create"),
            "search_values": raw_target.get("search_values"),
            "filter_logic": raw_target.get("filter_logic") or "",
        },
        identities={"strategy": strategy, "mappings": [{k: v for k, v in m.items() if not k.startswith("_")} for m in mappings]},
        fields=fields,
        override_fields=override_fields,
        model_filters=model_filters,
        sync_all_records=optional(body, "sync_all_records", bool, False),
        skip_initial_backfill=optional(body, "skip_initial_backfill", bool, False),
        id=existing.id if existing else new_id(),
        organization_id=ws.organization_id,
        model_ids=list(check.model_ids),
        identity=identity,
        filters=[
            {"field": c["source"], "field_type": "Model", "function": c["function"], "label": c["label"], **({"value": c["value"]} if "value" in c else {})}
            for c in model_filters["conditions"]
        ],
        filter_logic=model_filters["logic"],
        target_filters=target_filters,
        overrides=optional(body, "overrides", list, []),
        policies=optional(body, "policies", list, []),
        only_enrich_updates=optional(body, "only_enrich_updates", bool, False),
        encryption_passphrase=optional(body, "encryption_passphrase", str, ""),
        created_at=existing.created_at if existing else stamp,
        created_by=existing.created_by if existing else ws.actor(),
        updated_at=stamp,
        updated_by=ws.actor(),
        rev=next_revision(),
        unmapped_required=_unmapped_required(check, mode_id, written),
    )


def set_active(ws: Workspace, sync: Sync, body: Any) -> dict[str, Any]:
    """Enable or disable a sync; enabling one with problems is refused with 422."""
    body = require_object(body)
    if not isinstance(body.get("active"), bool):
        raise bad_request("active is required and must be a boolean")
    current = problems(ws, sync)
    if body["active"] and current:
        raise unprocessable("sync has problems and cannot be activated: " + "; ".join(p["message"] for p in current), metadata={"problems": current})
    sync.active, sync.updated_at, sync.updated_by, sync.rev = body["active"], now_iso(), ws.actor(), next_revision()
    return {"id": sync.id, "active": sync.active}
