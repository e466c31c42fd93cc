"""Models: a named query or object over a source connection, with typed fields."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ._base import Actor, APIModel, RequestModel
from .sources import ModelField


class ModelRelationTarget(APIModel):
    """The other end of a model relation."""

    model_id: str
    field: str


class ModelRelation(APIModel):
    """A join from one of this model's fields to another model's field."""

    from_: str = Field(alias="from")
    to: ModelRelationTarget


class AdditionalField(RequestModel):
    """A user-defined model field."""

    name: str
    label: str
    type: str
    example: Any = None


class Model(APIModel):
    """A model as the API returns it."""

    id: str
    name: str
    organization_id: str | None = None
    connection_id: str | None = None
    configuration: dict[str, Any] = Field(default_factory=dict)
    identifier: str | None = None
    fields: list[ModelField] = Field(default_factory=list)
    labels: list[Any] | None = None
    tracking_columns: list[str] | None = None
    relations: list[ModelRelation] | None = None
    enricher: Any = None
    policies: list[str] | None = None
    type: str | None = None
    version: int | None = None
    created_at: str | None = None
    created_by: Actor | None = None
    updated_at: str | None = None
    updated_by: Actor | None = None

    @property
    def field_names(self) -> list[str]:
        """Names usable as ``source.field`` in sync mappings."""
        return [f.name for f in self.fields]

    def to_update_request(self) -> ModelUpdateRequest:
        """The PUT body that describes this model as it is (for a merge before a full replacement)."""
        labels = [str(label.get("label")) if isinstance(label, dict) else str(label) for label in self.labels or []]
        return ModelUpdateRequest(
            name=self.name,
            connection_id=self.connection_id or "",
            configuration=self.configuration,
            fields=[f.name for f in self.fields if not f.user_added] or None,
            identifier=self.identifier or None,
            tracking_columns=self.tracking_columns or None,
            labels=labels or None,
            relations=[r.model_dump(mode="json", by_alias=True) for r in self.relations or []] or None,
        )


class ModelSummary(BaseModel):
    """An item of GET /api/models read for listing: only what a list shows (the rest of each model is skipped, which is fast)."""

    model_config = ConfigDict(extra="ignore", defer_build=True)

    id: str
    name: str
    connection_id: str | None = None
    updated_at: str | None = None


class ModelCreateRequest(RequestModel):
    """Body of POST /api/models and POST /api/model-preview."""

    name: str
    connection_id: str
    configuration: dict[str, Any]
    fields: list[str] | None = None
    identifier: str | None = None
    tracking_columns: list[str] | None = None
    labels: list[str] | None = None
    additional_fields: list[AdditionalField] | None = None
    relations: list[dict[str, Any]] | None = None
    enricher: dict[str, Any] | None = None
    organization_id: str | None = None
    policies: list[str] | None = None


class ModelUpdateRequest(ModelCreateRequest):
    """Body of PUT /api/models/{id} (full replacement)."""

    refresh: bool | None = None


class ModelSample(APIModel):
    """GET /api/models/{id}/sample: records keyed by model (or enricher) id."""

    records: list[dict[str, Any]] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    def rows(self, model_id: str) -> list[dict[str, Any]]:
        """The sample records of one model as plain field->value rows."""
        return [record[model_id] for record in self.records if isinstance(record.get(model_id), dict)]


class Job(APIModel):
    """An asynchronous API job (createmodel, updatemodel, previewmodel, samplemodel, ...)."""

    job_id: str
    type: str
    status: str
    result: Any = None
    error: str | None = None

    @property
    def finished(self) -> bool:
        """The job reached a terminal status (done or failed)."""
        return self.status in {"done", "failed"}
