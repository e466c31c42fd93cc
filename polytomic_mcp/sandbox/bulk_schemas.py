"""Read a simulated upstream as bulk-sync source schemas: objects/tables with fields, primary keys and associations.

SaaS objects gain the bookkeeping fields a bulk read sees (Salesforce ``SystemModstamp``/``IsDeleted``, HubSpot
``hs_lastmodifieddate``) so tracking fields and filters have something real to point at.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .upstream import SourceField, SourceObject, System

_FIELD_TYPES = {"string": "string", "integer": "number", "number": "number", "boolean": "boolean", "datetime": "datetime"}
_SALESFORCE_REFERENCES = {"WhoId": ("Contact", "Lead"), "WhatId": ("Account", "Opportunity", "Case", "Campaign"), "OwnerId": ("User",)}
_CRM_EXTRA = {
    "Id": (("SystemModstamp", "System Modstamp", "datetime", "datetime"), ("IsDeleted", "Deleted", "boolean", "boolean")),
    "hs_object_id": (("hs_lastmodifieddate", "Last Modified Date", "datetime", "datetime"),),
}


@dataclass(frozen=True)
class BulkField:
    """One field of a bulk source schema (``SchemaField``)."""

    id: str
    name: str
    type: str
    remote_type: str
    is_primary_key: bool = False
    reference_to: tuple[str, ...] = ()

    def render(self) -> dict[str, Any]:
        """Render as a ``SchemaField``."""
        out: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "remote_type": self.remote_type,
            "is_primary_key": self.is_primary_key,
            "source_primary_key": self.is_primary_key,
            "user_managed": False,
        }
        if self.reference_to:
            out["association"] = {"id": self.id, "name": self.name, "reference_to": list(self.reference_to), "referenced_field": "Id"}
        return out


@dataclass(frozen=True)
class BulkSourceSchema:
    """A table/object a bulk sync can copy: its fields, simulated row count and sample records."""

    id: str
    name: str
    fields: tuple[BulkField, ...]
    row_count: int
    records: tuple[dict[str, Any], ...] = ()

    @property
    def field_ids(self) -> list[str]:
        """Field ids in declaration order."""
        return [f.id for f in self.fields]

    def field(self, field_id: str) -> BulkField | None:
        """Return field ``field_id`` or None."""
        return next((f for f in self.fields if f.id == field_id), None)

    @property
    def primary_keys(self) -> list[str]:
        """Ids of the primary-key fields."""
        return [f.id for f in self.fields if f.is_primary_key]

    def render(self, *, with_fields: bool) -> dict[str, Any]:
        """Render as a ``Schema`` (fields only when asked, as ``include_fields`` does)."""
        out: dict[str, Any] = {"id": self.id, "name": self.name}
        if with_fields:
            out["fields"] = [f.render() for f in self.fields]
        return out


def _reference_to(field: SourceField, kind: str, associations: set[str]) -> tuple[str, ...]:
    if kind != "crm" or field.name not in associations:
        return ()
    return _SALESFORCE_REFERENCES.get(field.name, (field.name.removesuffix("Id"),))


def _schema(schema_id: str, name: str, obj: SourceObject, kind: str, associations: set[str]) -> BulkSourceSchema:
    fields = [
        BulkField(
            f.name,
            f.label or f.name,
            _FIELD_TYPES.get(f.type, "string"),
            f.remote_type,
            is_primary_key=index == 0 and f.unique,
            reference_to=_reference_to(f, kind, associations),
        )
        for index, f in enumerate(obj.fields)
    ]
    if kind == "crm" and fields:
        fields += [BulkField(*extra) for extra in _CRM_EXTRA.get(fields[0].id, ())]
    return BulkSourceSchema(schema_id, name, tuple(fields), obj.row_count, obj.records)


def source_schemas(system: System) -> dict[str, BulkSourceSchema]:
    """Every schema a bulk sync can read from ``system``, by id (``schema.table`` for databases)."""
    kind = system.source_kind
    found: dict[str, BulkSourceSchema] = {}
    if kind == "mongo":
        for database, collections in system.databases.items():
            for name, obj in collections.items():
                found[f"{database}.{name}"] = _schema(f"{database}.{name}", name, obj, kind, set())
        return found
    for table_id, obj in system.tables.items():
        target = system.targets.get(table_id) if kind == "crm" else None
        associations = {f.id for f in target.fields if f.association} if target is not None else set()
        name = target.name if target is not None else table_id.split(".")[-1] if kind == "sql" else table_id
        found[table_id] = _schema(table_id, name, obj, kind, associations)
    return found
