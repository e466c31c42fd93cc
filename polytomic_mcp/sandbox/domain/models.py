"""Models: resolve a source configuration against the world into fields, and produce sample records."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import bad_request, listing, not_found, unprocessable
from ..ids import new_id, next_revision, now_iso
from ..records import Model
from ..type_schemas import get_type
from ..upstream import SourceObject
from .body import optional, require_object, require_str
from .connections import describe, referenced_connection, usable_system

if TYPE_CHECKING:
    from ..store import Workspace

FIELD_TYPES = ("string", "integer", "number", "boolean", "datetime", "date", "object", "array")


def get_model(ws: Workspace, model_id: str) -> Model:
    """Return a stored model or raise 404."""
    model = ws.models.get(model_id)
    if model is None:
        raise not_found(f'model "{model_id}" not found')
    return model


def model_source(ws: Workspace, connection_id: Any, configuration: Any) -> SourceObject:
    """Resolve the source object a model configuration reads, checking the connection can act as a source."""
    conn = referenced_connection(ws, connection_id, "connection")
    ctype = get_type(conn.type_id)
    if ctype is None or not ctype.source:
        raise unprocessable(f"connection {describe(conn)} cannot be used as a model source: {conn.type['name']} is destination-only")
    return usable_system(ws, conn).resolve_source(configuration)


def _field(ws: Workspace, name: str, kind: str, remote_type: str, *, label: str, unique: bool, example: Any, user_added: bool, field_id: str) -> dict[str, Any]:
    stamp = now_iso()
    return {
        "id": field_id,
        "name": name,
        "label": label,
        "type": kind,
        "remote_type": remote_type,
        "unique": unique,
        "user_added": user_added,
        "example": example,
        "description": "",
        "created_at": stamp,
        "created_by": ws.actor(),
        "updated_at": stamp,
    }


def _additional_fields(items: list[Any]) -> list[dict[str, Any]]:
    parsed = []
    for index, item in enumerate(items):
        where = f"additional_fields[{index}]."
        item = require_object(item, f"additional_fields[{index}]")
        name, label, kind = (require_str(item, k, where) for k in ("name", "label", "type"))
        if kind not in FIELD_TYPES:
            raise bad_request(f'{where}type must be one of {listing(list(FIELD_TYPES))}; got "{kind}"')
        parsed.append({"name": name, "label": label, "type": kind, "example": item.get("example")})
    return parsed


def _check_names(names: list[Any], available: list[str], what: str, source: str) -> None:
    for name in names:
        if name not in available:
            raise unprocessable(f'{what} "{name}" does not exist in {source}; available: {listing(available)}')


def build_model(ws: Workspace, body: Any, *, existing: Model | None = None) -> Model:
    """Validate a create/update body against the source and return the model (not stored)."""
    body = require_object(body)
    name = require_str(body, "name")
    connection_id = require_str(body, "connection_id")
    if "configuration" not in body:
        raise bad_request("configuration is required")
    source = model_source(ws, connection_id, body["configuration"])
    available = source.field_names()
    wanted = optional(body, "fields", list, None)
    if wanted is not None:
        _check_names(wanted, available, "field", source.name)
    selected = [f for f in source.fields if wanted is None or f.name in wanted]
    additional = _additional_fields(optional(body, "additional_fields", list, []))
    field_names = [f.name for f in selected] + [a["name"] for a in additional]
    identifier = optional(body, "identifier", str, "")
    if identifier:
        _check_names([identifier], field_names, "identifier field", f"the model's fields of {source.name}")
    tracking = optional(body, "tracking_columns", list, [])
    _check_names(tracking, available, "tracking column", source.name)
    labels = optional(body, "labels", list, [])
    relations = optional(body, "relations", list, [])
    for index, relation in enumerate(relations):
        relation = require_object(relation, f"relations[{index}]")
        _check_names([relation.get("from")], field_names, "relation field", f"model {name!r}")
        target = require_object(relation.get("to"), f"relations[{index}].to")
        if target.get("model_id") not in ws.models:
            raise unprocessable(f'relations[{index}].to.model_id: model "{target.get("model_id")}" not found')
    old_ids = {f["name"]: f["id"] for f in (existing.fields if existing else [])}
    fields = [
        _field(ws, f.name, f.type, f.remote_type, label=f.label or f.name.replace("_", " ").title(), unique=f.unique,
               example=source.example(f.name), user_added=False, field_id=old_ids.get(f.name) or new_id())
        for f in selected
    ]
    fields += [
        _field(ws, a["name"], a["type"], a["type"], label=a["label"], unique=False, example=a["example"], user_added=True,
               field_id=old_ids.get(a["name"]) or new_id())
        for a in additional
    ]
    stamp = now_iso()
    return Model(
        id=existing.id if existing else new_id(),
        name=name,
        organization_id=ws.organization_id,
        connection_id=connection_id,
        configuration=body["configuration"],
        identifier=identifier,
        fields=fields,
        labels=[{"label": str(label)} for label in labels],
        tracking_columns=tracking,
        relations=relations,
        policies=optional(body, "policies", list, []),
        version=existing.version + 1 if existing else 1,
        created_at=existing.created_at if existing else stamp,
        created_by=existing.created_by if existing else ws.actor(),
        updated_at=stamp,
        updated_by=ws.actor(),
        enricher=require_object(body["enricher"], "enricher") if body.get("enricher") is not None else None,
        rev=next_revision(),
    )


def model_records(ws: Workspace, model: Model) -> tuple[str, list[dict[str, Any]]]:
    """Read the model's source now: its name and every record, holding only the model's fields (user-added ones
    read whatever the source has under that name, usually nothing). Raises the API error when it cannot be read."""
    source = model_source(ws, model.connection_id, model.configuration)
    names = [f["name"] for f in model.fields]
    return source.name, [{n: record.get(n) for n in names} for record in source.records]


def sample(ws: Workspace, model: Model, limit: int = 10) -> dict[str, Any]:
    """Return up to ``limit`` records keyed by model id, reading only the model's fields."""
    source, records = model_records(ws, model)
    keyed = [{model.id: record} for record in records[:limit]]
    warnings = [] if keyed else [f"{source} returned no records"]
    return {"records": keyed, "warnings": warnings}
