"""Model-sync targets: target objects, target-creation property values, target fields."""

from __future__ import annotations

from typing import Any

from .._exceptions import InvalidRequestError, ResponseParseError
from .._parse import parse_list, parse_model
from .._versions import supports_identities
from ..models.targets import TargetCreation, TargetFields, TargetObject, TargetObjectList, TargetPropertyValues
from ._resource import Resource, segment


class TargetsResource(Resource):
    """/api/connections/{id}/modelsync/targetobjects and /modelsync/target/fields."""

    async def list_objects(
        self, connection_id: str, *, include_target_creation_values: bool | None = None
    ) -> TargetObjectList:
        """Objects the destination can write to, with their sync modes, and target creation."""
        path = f"/api/connections/{segment(connection_id)}/modelsync/targetobjects"
        body = await self._raw(
            "GET", path, params={"include_target_creation_values": include_target_creation_values}
        )
        if not isinstance(body, dict) or "data" not in body:
            raise ResponseParseError(f"GET {path}: no `data` envelope")
        creation = body.get("target_creation")
        return TargetObjectList(
            objects=parse_list(TargetObject, body["data"] or [], f"GET {path}"),
            target_creation=parse_model(TargetCreation, creation, f"GET {path}") if creation else None,
        )

    async def property_values(self, connection_id: str, property_id: str) -> TargetPropertyValues:
        """Choices for an enum target-creation property."""
        path = (
            f"/api/connections/{segment(connection_id)}/modelsync/targetobjects/properties/{segment(property_id)}"
        )
        return parse_model(TargetPropertyValues, await self._data("GET", path), f"GET {path}")

    async def fields(
        self,
        connection_id: str,
        *,
        target: str | None = None,
        properties: dict[str, Any] | None = None,
        refresh: bool | None = None,
    ) -> TargetFields:
        """Fields and modes of an existing target (``target``) or a would-be one (``properties``, 2025-09-18)."""
        if (target is None) == (properties is None):
            raise InvalidRequestError("give exactly one of `target` or `properties`")
        if properties is not None and not supports_identities(self.api_version):
            raise InvalidRequestError(f"`properties` needs API version 2025-09-18 (pinned: {self.api_version})")
        path = f"/api/connections/{segment(connection_id)}/modelsync/target/fields"
        params: dict[str, Any] = {"target": target, "refresh": refresh}
        if properties is not None:
            params["properties"] = properties
        return parse_model(TargetFields, await self._data("GET", path, params=params), f"GET {path}")
