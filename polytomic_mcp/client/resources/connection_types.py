"""Connection types and their configuration schemas."""

from __future__ import annotations

from .._exceptions import ResponseParseError
from .._parse import parse_list
from ..models.connection_types import ConfigurationSchema, ConnectionType
from ._resource import Resource, segment


class ConnectionTypesResource(Resource):
    """GET /api/connection_types[/{id}]."""

    async def list(self) -> list[ConnectionType]:
        """Every connection type the organization can use."""
        data = await self._data("GET", "/api/connection_types")
        return parse_list(ConnectionType, data, "GET /api/connection_types")

    async def get_schema(self, type_id: str) -> ConfigurationSchema:
        """The type's configuration JSON Schema (un-enveloped on the wire), flattened."""
        path = f"/api/connection_types/{segment(type_id)}"
        schema = await self._raw("GET", path)
        if not isinstance(schema, dict):
            raise ResponseParseError(f"GET {path}: expected a JSON Schema object")
        if set(schema) == {"data"} and isinstance(schema["data"], dict):
            schema = schema["data"]
        return ConfigurationSchema.from_json_schema(type_id, schema)
