"""GET /api/me: the cheap way to check a credential."""

from __future__ import annotations

from .._parse import parse_model
from ..models.identity import Me
from ._resource import Resource


class IdentityResource(Resource):
    """Who the API key belongs to."""

    async def get(self) -> Me:
        """The caller's user and organization."""
        return parse_model(Me, await self._data("GET", "/api/me"), "GET /api/me")
