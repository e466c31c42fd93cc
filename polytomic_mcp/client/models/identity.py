"""The caller's identity (GET /api/me)."""

from __future__ import annotations

from typing import Any

from ._base import APIModel


class Me(APIModel):
    """Who the API key belongs to."""

    id: str | None = None
    email: str | None = None
    role: str | None = None
    organization_id: str | None = None
    organization_name: str | None = None
    is_user: bool | None = None
    is_organization: bool | None = None
    is_partner: bool | None = None
    is_system: bool | None = None
    credential: dict[str, Any] | None = None
