"""Results of the model tools: what a source offers, models in a list and in full (configuration masked)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from polytomic_mcp.client.models import Model

from ..core.masking import masked_model_configuration
from ..core.views import View, Written


class ModelFieldBrief(View):
    """A model field usable as ``source.field`` in a sync (or, for a bulk source, a schema's field)."""

    untrusted = ("name",)

    name: str
    type: str | None = None
    primary_key: bool | None = None


class SourceChoices(View):
    """What a source connection offers: choices for a model's configuration, or (bulk) the schemas it can replicate."""

    untrusted = ("choices", "schemas")

    connection_id: str
    requires_one_of: list[str] | None = None
    choices: dict[str, list[Any]] | None = None
    schemas: list[str] | None = Field(default=None, description="Bulk: schema (object/table) ids to replicate, one page.")
    total: int | None = Field(default=None, description="Bulk: schemas matching the search.")
    next_cursor: str | None = None
    cache_status: str | None = Field(default=None, description="Polytomic's schema cache of the source (bulk: refreshed when stale).")
    fields: list[ModelFieldBrief] | None = None
    next_step: str


class ModelBrief(View):
    """A model in a list."""

    untrusted = ("name",)

    id: str
    name: str
    connection_id: str | None = None


class ModelList(View):
    """One page of models."""

    models: list[ModelBrief]
    total: int
    next_cursor: str | None = None
    cut: str | None = None


class ModelDetail(Written):
    """A model with its fields."""

    untrusted = ("name", "configuration", "identifier", "sample")

    id: str
    name: str
    connection_id: str | None = None
    configuration: dict[str, Any]
    identifier: str | None = None
    fields: list[ModelFieldBrief]
    sample: list[dict[str, Any]] | None = None
    next_step: str | None = None


def model_detail(model: Model, next_step: str | None = None, sample: list[dict[str, Any]] | None = None) -> ModelDetail:
    """A model with field names and types only."""
    return ModelDetail(
        id=model.id,
        name=model.name,
        connection_id=model.connection_id,
        configuration=masked_model_configuration(model.configuration),
        identifier=model.identifier or None,
        fields=[ModelFieldBrief(name=f.name, type=f.type) for f in model.fields],
        sample=sample,
        next_step=next_step,
    )
