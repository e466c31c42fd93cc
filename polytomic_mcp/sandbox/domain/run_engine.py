"""What one sync run does to each record: read the model, map fields, pick the operation, check required fields.

A run reads the model's records now (a SQL model runs its query), maps them onto the target object and
decides per record: insert, update or delete, or an error when a REQUIRED target field gets no value
(``REQUIRED_FIELD_MISSING``, as Salesforce words it) or a value does not fit its target field (its type, picklist,
length or lookup: ``field_values``, which also converts the values written). Records already written by earlier runs
of the sync are not sent again unless the run is a full one (first run, resync, replace/snapshot modes).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import ApiError
from ..records import Model, RecordResult, RunResult, Sync
from ..upstream import System
from .connections import describe, usable_system
from .field_values import Problem, write
from .models import model_records

if TYPE_CHECKING:
    from ..store import Workspace
    from ..upstream import TargetObject

REQUIRED_FIELD_MISSING = "REQUIRED_FIELD_MISSING"
MISSING_IDENTITY = "MISSING_IDENTITY"
FULL_MODES = ("replace", "snapshot")
TEST_RUN_RECORDS = 10


def _field_name(model: Model, ref: str) -> str:
    """A mapping's source field by name (mappings may also name a model field by id)."""
    by_id: dict[str, str] = {f["id"]: f["name"] for f in model.fields}
    return by_id.get(ref, ref)


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _values(sync: Sync, model: Model, record: dict[str, Any]) -> dict[str, Any]:
    """Target field -> value for one record: mapped model fields, then constants."""
    values: dict[str, Any] = {}
    for mapping in sync.fields:
        source = mapping.get("source")
        if source is not None and source["model_id"] == model.id:
            values[mapping["target"]] = record.get(_field_name(model, source["field"]))
        elif "override_value" in mapping:
            values[mapping["target"]] = mapping["override_value"]
    for override in sync.override_fields:
        values[override["target"]] = override.get("override_value")
    return values


def _operation(mode: str, key: str, known: set[str]) -> str:
    if mode == "remove":
        return "delete"
    if mode == "update" or (mode == "updateOrCreate" and key in known):
        return "update"
    return "insert"


def _missing(target: TargetObject, operation: str, values: dict[str, Any]) -> list[str]:
    """Required target fields with no value: any unfilled one on insert, mapped-but-empty ones on update."""
    required = [f for f in target.fields if f.required]
    if operation == "insert":
        return [f.id for f in required if f.createable and _empty(values.get(f.id))]
    return [f.id for f in required if f.id in values and _empty(values[f.id])]


def _rejection(problems: list[Problem]) -> dict[str, Any]:
    """A rejected record's error: its first problem, and every problem when there are more (as Salesforce lists them)."""
    first = problems[0]
    error: dict[str, Any] = {"code": first.code, "fields": [first.field], "message": first.message}
    if len(problems) > 1:
        error["errors"] = [{"code": p.code, "field": p.field, "message": p.message} for p in problems]
    return error


class RunPlanner:
    """Works out a run of one sync against the workspace as it is now."""

    def __init__(self, ws: Workspace, sync: Sync) -> None:
        self.ws = ws
        self.sync = sync
        mappings = sync.identities["mappings"]
        self.identity = mappings[0] if mappings else None
        self.system = System()
        """The target connection's upstream (read with the target)."""
        self._known_ids: dict[str, set[str]] = {}

    def run(self, *, full: bool, written: frozenset[str], limit: int, only: set[str]) -> RunResult:
        """Read, map and check every pending record (``only``: just these identity values)."""
        model = self.ws.models.get(self.sync.model_ids[0]) if self.sync.model_ids else None
        if model is None:
            return RunResult(failure="the sync's model no longer exists")
        try:
            _, records = model_records(self.ws, model)
            target, target_name, existing = self._target()
        except ApiError as error:
            return RunResult(model_name=model.name, failure=error.message)
        known = existing | written
        results = []
        for index, record in enumerate(records):
            result = self._record(model, record, index, known)
            if (not full and result.key in written) or (only and result.key not in only):
                continue
            if result.warning is None and target is not None and result.operation != "delete":
                result = self._written(target, result)
            results.append(result)
            if limit and len(results) >= limit:
                break
        done = frozenset(r.key for r in results if r.error is None and r.warning is None)
        return RunResult(model.name, target_name, tuple(results), written=done)

    def _written(self, target: TargetObject, result: RecordResult) -> RecordResult:
        """The record with its values converted to the target's field types, rejected when any does not fit."""
        if missing := _missing(target, result.operation, result.values):
            rejected = {"code": REQUIRED_FIELD_MISSING, "fields": missing, "message": f"Required fields are missing: [{', '.join(missing)}]"}
            return RecordResult(result.identity, result.operation, result.values, error=rejected)
        values, problems = dict(result.values), []
        for name, value in result.values.items():
            field = target.by_id.get(name)
            if field is not None:
                values[name], problem = write(field, value, vendor=self.system.vendor, ids=self._ids)
                problems += [problem] if problem is not None else []
        return RecordResult(result.identity, result.operation, values, error=_rejection(problems) if problems else None)

    def _ids(self, object_id: str) -> set[str]:
        """Ids of the records an object of the target system holds (read once per run)."""
        if object_id not in self._known_ids:
            table = self.system.tables.get(object_id)
            self._known_ids[object_id] = {str(r.get("Id")) for r in table.records} if table is not None else set()
        return self._known_ids[object_id]

    def _target(self) -> tuple[TargetObject | None, str, set[str]]:
        """The target object (None for one the sync creates), how to name it, and identity values it already holds."""
        conn = self.ws.connections.get(self.sync.target["connection_id"])
        if conn is None:
            raise ApiError(422, "the sync's target connection no longer exists")
        system = self.system = usable_system(self.ws, conn)
        object_id = self.sync.target["object"]
        target = system.targets.get(object_id)
        name = f"{conn.type['name']} {object_id}"
        if target is None or self.identity is None:
            return target, name, set()
        present = system.tables.get(object_id)
        held = {str(r.get(self.identity["target"])) for r in present.records} if present is not None else set()
        return target, name, held

    def _record(self, model: Model, record: dict[str, Any], index: int, known: set[str]) -> RecordResult:
        values = _values(self.sync, model, record)
        if self.identity is not None:
            name = _field_name(model, self.identity["source"]["field"])
            value = record.get(name)
            if _empty(value):
                warning = {"code": MISSING_IDENTITY, "message": f"record has no value for identity field {name}; skipped"}
                return RecordResult({name: value}, "skip", values, warning=warning)
            identity = {name: value}
        else:
            unique = model.identifier or next((f["name"] for f in model.fields if f["unique"]), "")
            identity = {unique: record.get(unique)} if unique else {"record": index + 1}
        key = "|".join(str(v) for v in identity.values())
        return RecordResult(identity, _operation(self.sync.mode, key, known), values)


def describe_target(ws: Workspace, sync: Sync) -> str:
    """Name the sync's destination in console lines (the connection may be gone)."""
    conn = ws.connections.get(sync.target["connection_id"])
    where = describe(conn) if conn is not None else f'connection "{sync.target["connection_id"]}"'
    return f"{sync.target['object']} on {where}"


def plan(ws: Workspace, sync: Sync, *, full: bool, written: frozenset[str], limit: int = 0, only: set[str] | None = None) -> RunResult:
    """Run ``sync`` against the workspace now (see ``RunPlanner``)."""
    return RunPlanner(ws, sync).run(full=full, written=written, limit=limit, only=only or set())

