"""What a connection offers to bulk syncs: source schemas with fields, the schema cache, destination settings."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from ._base import APIModel


class SchemaAssociation(APIModel):
    """The object a reference field points at (e.g. Salesforce ``AccountId`` -> ``Account``)."""

    id: str | None = None
    name: str | None = None
    reference_to: list[str] = Field(default_factory=list)
    referenced_field: str | None = None


class SourceSchemaField(APIModel):
    """One field of a source schema."""

    id: str
    name: str | None = None
    type: str | None = None
    remote_type: str | None = None
    is_primary_key: bool | None = None
    source_primary_key: bool | None = None
    user_managed: bool | None = None
    association: SchemaAssociation | None = None


class SourceSchema(APIModel):
    """A table or object a bulk sync can copy; ``fields`` only when asked for (``include_fields``) or fetched alone."""

    id: str
    name: str | None = None
    fields: list[SourceSchemaField] | None = None

    @property
    def primary_keys(self) -> list[str]:
        """Ids of the primary-key fields (empty when fields were not fetched)."""
        return [f.id for f in self.fields or [] if f.is_primary_key]


class BulkSourceCapabilities(APIModel):
    """What a bulk source supports."""

    supports_tracking_fields: bool | None = None
    supports_namespaces: bool | None = None


class BulkSource(APIModel):
    """GET /api/connections/{id}/bulksync/source: the schemas in the connection's schema cache."""

    capabilities: BulkSourceCapabilities | None = None
    configuration: Any = None
    schemas: list[SourceSchema] = Field(default_factory=list)

    @property
    def schema_ids(self) -> list[str]:
        """Every schema id, in the API's order."""
        return [s.id for s in self.schemas]


class SchemaCacheStatus(APIModel):
    """GET /api/connections/{id}/schemas/status: ``refreshing`` while a refresh runs, then ``fresh``."""

    cache_status: str | None = None
    last_refresh_started: str | None = None
    last_refresh_finished: str | None = None

    @property
    def is_refreshing(self) -> bool:
        """Whether a refresh is still running."""
        return self.cache_status == "refreshing"


class BulkMode(APIModel):
    """A mode a bulk destination supports (``replicate``, ``snapshot``, ``append``)."""

    id: str
    label: str | None = None
    description: str | None = None
    requires_identity: bool | None = None


class BulkDestination(APIModel):
    """GET /api/connections/{id}/bulksync/target: ``configuration`` is the JSON Schema of ``destination_configuration``."""

    configuration: dict[str, Any] = Field(default_factory=dict)
    modes: list[BulkMode] = Field(default_factory=list)
    supported_resync_modes: list[str] = Field(default_factory=list)
    supports_history_mode: bool | None = None

    @property
    def required_configuration(self) -> list[str]:
        """The ``destination_configuration`` keys a bulk sync must send."""
        required = self.configuration.get("required", [])
        return [str(key) for key in required] if isinstance(required, list) else []

    @property
    def mode_ids(self) -> list[str]:
        """The modes a bulk sync to this destination may use."""
        return [m.id for m in self.modes]
