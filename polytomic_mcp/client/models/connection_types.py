"""Connection types and the typed view of their configuration JSON Schema."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ._base import APIModel


class Capabilities(APIModel):
    """What a connection of this type can be used for."""

    source: bool = False
    destination: bool = False
    enrichment: bool = False
    logging: bool = False
    orchestration: bool = False


class ConfigurationForm(APIModel):
    """The UI form of a type (JSON Schema plus UI hints)."""

    jsonschema: dict[str, Any] | None = None
    uischema: dict[str, Any] | None = None


class ConnectionType(APIModel):
    """One item of GET /api/connection_types (note the camelCase wire keys)."""

    id: str
    name: str = ""
    use_oauth: bool = False
    logo_url: str | None = None
    logo_dark_url: str | None = None
    capabilities: Capabilities = Field(default_factory=Capabilities)
    configuration_form: ConfigurationForm | None = Field(default=None, alias="configurationForm")
    initial_configuration: dict[str, Any] | None = Field(default=None, alias="initialConfiguration")
    env_config: dict[str, Any] | None = Field(default=None, alias="envConfig")
    oauth_prompt: Any = None


class ConfigField(BaseModel):
    """One configuration property of a connection type, flattened to a dotted path."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    path: str = Field(description="Dotted key, e.g. 'hosts' or 'basic.username'; '[]' marks array items.")
    type: str | None = None
    title: str | None = None
    description: str | None = None
    required: bool = False
    secret: bool = Field(default=False, description="Schema marks it `sensitive`: write-only, returned masked.")
    read_only: bool = Field(default=False, description="Filled by Polytomic; do not send it.")
    hidden: bool = False
    api_field: bool = False
    default: Any = None
    has_default: bool = False
    enum: list[Any] | None = None

    @property
    def internal(self) -> bool:
        """Server-managed bookkeeping (hidden and not settable through the API)."""
        return self.hidden and not self.api_field

    @property
    def settable(self) -> bool:
        """Whether a client may send this field in a configuration."""
        return not self.read_only and not self.internal


class ConfigurationSchema(BaseModel):
    """GET /api/connection_types/{id}: the raw JSON Schema and its flattened fields."""

    model_config = ConfigDict(defer_build=True)

    type_id: str
    raw: dict[str, Any]
    fields: list[ConfigField]

    @classmethod
    def from_json_schema(cls, type_id: str, schema: dict[str, Any]) -> ConfigurationSchema:
        """Flatten a connection type's JSON Schema into ``ConfigField``s."""
        return cls(type_id=type_id, raw=schema, fields=list(_flatten(schema, "")))

    def field(self, path: str) -> ConfigField | None:
        """The field at a dotted path, if the schema has it."""
        return next((f for f in self.fields if f.path == path), None)

    @property
    def top_level(self) -> list[ConfigField]:
        """Fields directly under the configuration object."""
        return [f for f in self.fields if "." not in f.path]

    @property
    def required(self) -> list[ConfigField]:
        """Top-level fields that must be present (with or without a default)."""
        return [f for f in self.top_level if f.required]

    @property
    def secret_paths(self) -> list[str]:
        """Dotted paths of every field marked sensitive."""
        return [f.path for f in self.fields if f.secret]


def _enum_values(prop: dict[str, Any]) -> list[Any] | None:
    """Enum values, reading both plain scalars and ``{"value", "label"}`` objects."""
    enum = prop.get("enum")
    if not isinstance(enum, list):
        return None
    return [item.get("value") if isinstance(item, dict) else item for item in enum]


def _flatten(schema: dict[str, Any], prefix: str) -> Iterator[ConfigField]:
    """Yield a ConfigField per property, recursing into objects and arrays of objects."""
    properties = schema.get("properties") or {}
    required = set(schema.get("required") or [])
    for name, prop in properties.items():
        if not isinstance(prop, dict):
            continue
        kind = prop.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), None)
        path = f"{prefix}{name}"
        yield ConfigField(
            path=path,
            type=kind,
            title=prop.get("title"),
            description=prop.get("description"),
            required=name in required,
            secret=bool(prop.get("sensitive")),
            read_only=bool(prop.get("readOnly") or prop.get("readonly")),
            hidden=bool(prop.get("hidden")),
            api_field=bool(prop.get("api_field")),
            default=prop.get("default"),
            has_default="default" in prop,
            enum=_enum_values(prop),
        )
        if kind == "object":
            yield from _flatten(prop, f"{path}.")
        elif kind == "array" and isinstance(prop.get("items"), dict):
            yield from _flatten(prop["items"], f"{path}[].")
