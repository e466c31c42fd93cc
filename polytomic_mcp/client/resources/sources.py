"""Model-sync sources: what a source connection offers (``params[...]`` drill-down)."""

from __future__ import annotations

from typing import Any

from .._parse import parse_list, parse_model
from ..models.sources import ModelField, SourceMeta
from ._resource import Resource, segment


class SourcesResource(Resource):
    """GET /api/connections/{id}/modelsync/source[/fields]."""

    async def get(self, connection_id: str, params: dict[str, Any] | None = None) -> SourceMeta:
        """Pickers for a model's configuration; pass chosen values (e.g. database) as ``params``."""
        path = f"/api/connections/{segment(connection_id)}/modelsync/source"
        data = await self._data("GET", path, params={"params": params} if params else None)
        return parse_model(SourceMeta, data, f"GET {path}")

    async def fields(self, connection_id: str, params: dict[str, Any]) -> list[ModelField]:
        """Fields a model with this configuration would have (e.g. ``{"table": "public.users"}``)."""
        path = f"/api/connections/{segment(connection_id)}/modelsync/source/fields"
        data = await self._data("GET", path, params={"params": params})
        return parse_list(ModelField, data, f"GET {path}")
