"""Model-sync targets: objects a destination connection can write to, and their fields."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from ._base import APIModel


class TargetObjectMode(APIModel):
    """A sync mode a target object supports (``id`` on this endpoint)."""

    id: str
    requires_identity: bool = False
    supports_per_field_mode: bool | None = None
    supports_target_filters: bool | None = None


class TargetObject(APIModel):
    """One object of GET /modelsync/targetobjects (e.g. Salesforce ``Contact``)."""

    id: str
    name: str | None = None
    modes: list[TargetObjectMode] = Field(default_factory=list)

    def mode(self, mode_id: str) -> TargetObjectMode | None:
        """The mode with this id, if the object supports it."""
        return next((m for m in self.modes if m.id == mode_id), None)


class PropertyValue(APIModel):
    """A choice for an enum target-creation property."""

    label: str | None = None
    value: str


class TargetCreationProperty(APIModel):
    """An input needed to create a new target object."""

    id: str
    title: str | None = None
    enum: bool = False
    values: list[PropertyValue] | None = None


class TargetCreation(APIModel):
    """Whether the destination can create new target objects, and what it needs."""

    supported: bool = False
    properties: list[TargetCreationProperty] = Field(default_factory=list)


class TargetObjectList(APIModel):
    """GET /api/connections/{id}/modelsync/targetobjects."""

    objects: list[TargetObject] = Field(default_factory=list)
    target_creation: TargetCreation | None = None


class IdentityFunctionRef(APIModel):
    """A match function a target field accepts for identities."""

    id: str
    label: str | None = None


class TargetField(APIModel):
    """One field of a target object."""

    id: str
    name: str | None = None
    type: str | None = None
    source_type: str | None = None
    required: bool = False
    createable: bool = True
    updateable: bool = True
    supports_identity: bool = False
    identity_functions: list[IdentityFunctionRef] = Field(default_factory=list)
    filterable: bool | None = None
    filter_functions: list[dict[str, Any]] | None = None
    encryptable: bool | None = None
    association: bool | None = None
    multiple_associations: bool | None = None
    description: str | None = None
    values: list[dict[str, Any]] | None = None


class TargetMode(APIModel):
    """A sync mode as described by the target-fields endpoint (``mode`` key here)."""

    mode: str
    label: str | None = None
    description: str | None = None
    requires_identity: bool = False
    supports_field_sync_mode: bool | None = None
    supports_target_filters: bool | None = None


class TargetFields(APIModel):
    """GET /api/connections/{id}/modelsync/target/fields."""

    id: str | None = None
    name: str | None = None
    refreshed_at: str | None = None
    fields: list[TargetField] = Field(default_factory=list)
    modes: list[TargetMode] = Field(default_factory=list)
    properties: dict[str, Any] | None = None

    def field(self, field_id: str) -> TargetField | None:
        """The field with this id, if the target has it."""
        return next((f for f in self.fields if f.id == field_id), None)


class TargetPropertyValues(APIModel):
    """GET /modelsync/targetobjects/properties/{property}."""

    id: str
    title: str | None = None
    enum: bool = False
    values: list[PropertyValue] = Field(default_factory=list)
