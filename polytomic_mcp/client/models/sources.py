"""Model-sync sources: what a source connection offers to build models from."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from ._base import Actor, APIModel


class SourceItems(APIModel):
    """Choices for one configuration key of a model (e.g. the collections of a database)."""

    has_items: bool = False
    items: list[Any] = Field(default_factory=list)
    requires_one_of: list[str] = Field(default_factory=list)


class SourceMeta(APIModel):
    """GET /api/connections/{id}/modelsync/source: the pickers for a model's configuration."""

    requires_one_of: list[str] = Field(default_factory=list)
    items: dict[str, SourceItems] = Field(default_factory=dict)
    configuration: dict[str, Any] = Field(default_factory=dict)


class ModelField(APIModel):
    """One field of a model or of a would-be model's source."""

    id: str | None = None
    name: str
    label: str | None = None
    type: str | None = None
    remote_type: str | None = None
    unique: bool | None = None
    user_added: bool | None = None
    example: Any = None
    description: str | None = None
    created_at: str | None = None
    created_by: Actor | None = None
    updated_at: str | None = None
