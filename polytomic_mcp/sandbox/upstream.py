"""Building blocks of a simulated upstream system: source objects, target objects, modes, and how model configs resolve."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .errors import QueryError, bad_request, listing, unprocessable

if TYPE_CHECKING:
    from .sql_engine import QueryEngine

IDENTITY_FUNCTIONS = {
    "Equality": "Equality",
    "ISubstring": "Case-insensitive match",
    "OneOf": "One of",
    "DomainMatch": "Domain match",
    "HostnameMatch": "Hostname match",
}

MODE_INFO: dict[str, tuple[str, str, bool]] = {
    "create": ("Create", "Only create new records", False),
    "update": ("Update", "Only update existing records", True),
    "updateOrCreate": ("Update or create", "Update existing records and create new ones", True),
    "remove": ("Remove", "Remove matching records", True),
    "replace": ("Replace", "Replace all records on every run", False),
    "append": ("Append", "Append every record as a new row", False),
    "snapshot": ("Snapshot", "Write a dated snapshot of all records", False),
}


@dataclass(frozen=True)
class SourceField:
    """A column/property a source object exposes (becomes a model field)."""

    name: str
    type: str
    remote_type: str
    label: str = ""
    unique: bool = False

    def render(self, example: Any) -> dict[str, Any]:
        """Render as the ``/modelsync/source/fields`` item."""
        return {
            "id": self.name,
            "name": self.name,
            "label": self.label or _labelize(self.name),
            "type": self.type,
            "remote_type": self.remote_type,
            "unique": self.unique,
            "user_added": False,
            "example": example,
            "description": "",
        }


@dataclass(frozen=True)
class SourceObject:
    """A table/collection/object with its fields, sample records and a simulated total row count."""

    name: str
    fields: tuple[SourceField, ...]
    records: tuple[dict[str, Any], ...] = ()
    row_count: int = 0

    def field_names(self) -> list[str]:
        """Return the field names in declaration order."""
        return [f.name for f in self.fields]

    def example(self, name: str) -> Any:
        """Return the first non-null sample value of field ``name``."""
        return next((r[name] for r in self.records if r.get(name) is not None), None)

    def render_fields(self) -> list[dict[str, Any]]:
        """Render all fields as ``/modelsync/source/fields`` items."""
        return [f.render(self.example(f.name)) for f in self.fields]


@dataclass(frozen=True)
class TargetField:
    """A writable destination field with its identity and write capabilities, and what its values must be.

    ``values`` are picklist options as (value, label); ``restricted`` rejects any other value; ``max_length`` bounds a
    string (0: unbounded); ``reference_to`` names the objects an id written here must belong to.
    """

    id: str
    name: str
    type: str
    source_type: str
    required: bool = False
    createable: bool = True
    updateable: bool = True
    identity_functions: tuple[str, ...] = ()
    association: bool = False
    values: tuple[tuple[str, str], ...] = ()
    restricted: bool = False
    max_length: int = 0
    reference_to: tuple[str, ...] = ()

    def render(self) -> dict[str, Any]:
        """Render as a ``/modelsync/target/fields`` item (``values`` only for a picklist, as the API omits it otherwise)."""
        picklist = {"values": [{"value": v, "label": label} for v, label in self.values]} if self.values else {}
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "source_type": self.source_type,
            "required": self.required,
            "createable": self.createable,
            "updateable": self.updateable,
            "supports_identity": bool(self.identity_functions),
            "identity_functions": [{"id": f, "label": IDENTITY_FUNCTIONS[f]} for f in self.identity_functions],
            "filterable": True,
            "filter_functions": [],
            "encryptable": False,
            "association": self.association,
            "multiple_associations": False,
            "description": "",
            **picklist,
        }


@dataclass(frozen=True)
class Mode:
    """A sync mode a target object supports."""

    id: str
    supports_target_filters: bool = False

    @property
    def requires_identity(self) -> bool:
        """Whether syncs in this mode need an identity mapping."""
        return MODE_INFO[self.id][2]

    @property
    def supports_per_field_mode(self) -> bool:
        """Whether fields may carry their own ``sync_mode``."""
        return self.id in ("create", "update", "updateOrCreate")

    def render_listing(self) -> dict[str, Any]:
        """Render as in ``/modelsync/targetobjects`` (key ``id``)."""
        return {
            "id": self.id,
            "requires_identity": self.requires_identity,
            "supports_per_field_mode": self.supports_per_field_mode,
            "supports_target_filters": self.supports_target_filters,
        }

    def render_detail(self) -> dict[str, Any]:
        """Render as in ``/modelsync/target/fields`` (key ``mode``)."""
        label, description, requires = MODE_INFO[self.id]
        return {
            "mode": self.id,
            "label": label,
            "description": description,
            "requires_identity": requires,
            "supports_field_sync_mode": self.supports_per_field_mode,
            "supports_target_filters": self.supports_target_filters,
        }


def modes(*ids: str) -> tuple[Mode, ...]:
    """Build modes; ``update`` supports target filters like in the samples."""
    return tuple(Mode(m, supports_target_filters=(m == "update")) for m in ids)


@dataclass(frozen=True)
class TargetObject:
    """A destination object (CRM object, table, endpoint) with its fields and modes."""

    id: str
    name: str
    fields: tuple[TargetField, ...]
    modes: tuple[Mode, ...]

    @cached_property
    def by_id(self) -> dict[str, TargetField]:
        """Index fields by id."""
        return {f.id: f for f in self.fields}

    def mode(self, mode_id: str) -> Mode | None:
        """Return the supported mode ``mode_id`` or None."""
        return next((m for m in self.modes if m.id == mode_id), None)

    def render_listing(self) -> dict[str, Any]:
        """Render as a ``/modelsync/targetobjects`` item."""
        return {"id": self.id, "name": self.name, "modes": [m.render_listing() for m in self.modes]}


@dataclass(frozen=True)
class CreationProperty:
    """An input needed to create a new target (e.g. schema and table name)."""

    id: str
    title: str
    values: tuple[str, ...] = ()

    @property
    def enum(self) -> bool:
        """Whether the value must be one of ``values``."""
        return bool(self.values)

    def render(self, with_values: bool) -> dict[str, Any]:
        """Render as a ``target_creation.properties`` item (values only when asked)."""
        item: dict[str, Any] = {"id": self.id, "title": self.title, "enum": self.enum}
        if with_values and self.enum:
            item["values"] = [{"label": v, "value": v} for v in self.values]
        return item


@dataclass
class System:
    """One upstream system: its source objects (by config key) and its destination objects."""

    source_kind: str = ""
    databases: dict[str, dict[str, SourceObject]] = field(default_factory=dict)
    tables: dict[str, SourceObject] = field(default_factory=dict)
    targets: Mapping[str, TargetObject] = field(default_factory=dict)
    creation: tuple[CreationProperty, ...] = ()
    flags: dict[str, Any] = field(default_factory=dict)
    native_types: dict[str, str] = field(default_factory=dict)
    """Remote type name of each field type, for the columns of a query's result."""
    sql_dialect: str = ""
    """The connection type whose SQL model queries are written in (``postgresql``, ``mysql``, ...); plain SQL if empty."""
    vendor: str = ""
    """Whose words a rejected record's error uses (``salesforce``, ``hubspot``; "" for databases and the rest)."""
    _engine: QueryEngine | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def engine(self) -> QueryEngine:
        """The DuckDB copy of this system's tables, built on first use and kept for the process."""
        if self._engine is None:
            from .sql_engine import QueryEngine

            self._engine = QueryEngine(self.tables, self.sql_dialect)
        return self._engine

    def target_properties(self) -> dict[str, Any]:
        """Render the ``properties`` block of a target-fields response."""
        base = {
            "supports_field_creation": False,
            "supports_identity_field_creation": False,
            "supports_multiple_identities": False,
            "supports_target_filters": False,
            "supports_filter_value_fields": False,
            "supports_field_encryption": False,
            "supports_field_type_selection": False,
            "requires_configuration": False,
            "mappings_not_required": False,
            "optional_target_mappings": False,
            "target_creator": bool(self.creation),
            "does_not_report_operation_counts": False,
            "use_field_names_as_labels": False,
            "new_target_label": "New table" if self.creation else "",
            "primary_metadata_object": "",
        }
        base.update(self.flags)
        return base

    def new_target(self, properties: Any) -> TargetObject:
        """Validate ``target.create`` / ``properties[...]`` values and describe the not-yet-created target."""
        if not self.creation:
            raise unprocessable("this destination does not support creating new targets")
        if not isinstance(properties, dict):
            raise bad_request("target.create must be an object of string values")
        known = {p.id: p for p in self.creation}
        problems = [f'unknown property "{k}"; expected {listing(list(known))}' for k in properties if k not in known]
        for prop in self.creation:
            value = properties.get(prop.id)
            if not isinstance(value, str) or not value:
                problems.append(f"{prop.id} is required")
            elif prop.enum and value not in prop.values:
                problems.append(f'{prop.id} must be one of {listing(list(prop.values))}; got "{value}"')
        if problems:
            raise bad_request("invalid target properties: " + "; ".join(problems))
        object_id = ".".join(properties[p.id] for p in self.creation)
        if object_id in self.targets:
            raise unprocessable(f'target "{object_id}" already exists; use target.object to sync to it')
        return TargetObject(object_id, object_id, (), modes("create", "update", "updateOrCreate", "replace", "append"))

    def source_meta(self, params: dict[str, str]) -> dict[str, Any]:
        """Answer ``/modelsync/source``: which configuration keys to pick next and their values."""
        if self.source_kind == "mongo":
            items = {"database": _picker(sorted(self.databases))}
            needs = ["database"]
            if "database" in params:
                items["collection"] = _picker(sorted(self._database(params["database"])))
                needs = ["collection"]
            return {"requires_one_of": needs, "items": items, "configuration": {}}
        key = "collection" if self.source_kind == "files" else "table"
        items = {key: _picker(sorted(self.tables))}
        configuration: dict[str, Any] = {}
        if self.source_kind in ("sql", "crm"):
            items[key]["requires_one_of"] = ["query"]
            items["query"] = {"has_items": False, "items": [], "requires_one_of": [key]}
        if self.source_kind == "crm":
            configuration["include_deleted"] = {"type": "boolean", "items": []}
        return {"requires_one_of": list(items), "items": items, "configuration": configuration}

    def resolve_source(self, config: Any) -> SourceObject:
        """Resolve a model configuration to the source object it reads (400 malformed, 422 does not exist)."""
        if not isinstance(config, dict):
            raise bad_request("invalid model configuration: configuration must be an object")
        allowed = _SOURCE_KEYS[self.source_kind]
        unknown = [k for k in config if k not in allowed]
        if unknown:
            raise bad_request(f'invalid model configuration: unknown field "{unknown[0]}"; expected {listing(list(allowed))}')
        if self.source_kind == "mongo":
            for key in ("database", "collection"):
                if not config.get(key):
                    raise bad_request(f"invalid model configuration: {key} is required")
            collections = self._database(config["database"])
            if config["collection"] not in collections:
                raise unprocessable(
                    f'collection "{config["collection"]}" does not exist in database "{config["database"]}"; '
                    f"available: {listing(sorted(collections))}"
                )
            return collections[config["collection"]]
        if self.source_kind == "files":
            if not config.get("collection"):
                raise bad_request("invalid model configuration: collection is required")
            return self._table(config["collection"], "file")
        if config.get("include_deleted") not in (None, True, False, "true", "false"):
            raise bad_request("invalid model configuration: include_deleted must be a boolean")
        chosen = [k for k in ("table", "view", "query") if k in allowed and config.get(k)]
        if len(chosen) != 1:
            options = " or ".join(k for k in ("table", "view", "query") if k in allowed)
            raise bad_request(f"invalid model configuration: exactly one of {options} is required")
        if chosen[0] == "query":
            return self._query(config["query"])
        return self._table(config[chosen[0]], "object" if self.source_kind == "crm" else "relation")

    def _database(self, name: str) -> dict[str, SourceObject]:
        if name not in self.databases:
            raise unprocessable(f'database "{name}" does not exist; available: {listing(sorted(self.databases))}')
        return self.databases[name]

    def _table(self, name: Any, noun: str) -> SourceObject:
        if not isinstance(name, str):
            raise bad_request("invalid model configuration: table must be a string")
        found = self.tables.get(name) or next((t for k, t in self.tables.items() if k.lower() == name.lower()), None)
        if found is None:
            found = next((t for k, t in self.tables.items() if k.split(".")[-1].lower() == name.lower()), None)
        if found is None:
            raise unprocessable(f'{noun} "{name}" does not exist; available: {listing(sorted(self.tables))}')
        return found

    def _query(self, query: Any) -> SourceObject:
        """Run a model query on the system's tables: its columns become the fields, its rows the records."""
        if not isinstance(query, str):
            raise bad_request("invalid model configuration: query must be a string")
        try:
            result = self.engine.run(query)
        except QueryError as error:
            raise unprocessable(f"could not run query: {error}") from None
        fields = tuple(SourceField(c.name, c.type, self.native_types.get(c.type, c.type), unique=c.unique) for c in result.columns)
        return SourceObject("query", fields, result.rows, len(result.rows))


_SOURCE_KEYS = {
    "mongo": ("database", "collection"),
    "sql": ("table", "view", "query"),
    "crm": ("table", "query", "include_deleted"),
    "files": ("collection",),
}
def _picker(values: list[str]) -> dict[str, Any]:
    return {"has_items": bool(values), "items": values, "requires_one_of": []}


def _labelize(name: str) -> str:
    special = {"id": "ID", "_id": "ID"}
    return special.get(name, name.replace("_", " ").strip().title())
