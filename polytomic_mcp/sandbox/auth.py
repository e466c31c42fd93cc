"""Credential checks: ``Bearer <key>`` or ``Basic base64(org_id:key)`` mapped to a workspace, else a versioned 401."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .errors import error_body, legacy_unauthorized_body

if TYPE_CHECKING:
    from .store import Workspace


class Unauthorized(Exception):
    """The request carries no usable credential."""


def authenticate(workspaces: Mapping[str, Workspace], authorization: str | None) -> tuple[Workspace, str]:
    """Return the workspace and credential method (``api_key``/``basic``) for an Authorization header."""
    if not authorization:
        raise Unauthorized("missing API key: send Authorization: Bearer <api key>")
    scheme, _, value = authorization.strip().partition(" ")
    value = value.strip()
    if scheme.lower() == "bearer":
        workspace = workspaces.get(value)
        if workspace is None:
            raise Unauthorized("invalid API key")
        return workspace, "api_key"
    if scheme.lower() == "basic":
        try:
            organization_id, _, key = base64.b64decode(value, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise Unauthorized("invalid Basic credentials: expected base64(<organization_id>:<api key>)") from exc
        workspace = workspaces.get(key)
        if workspace is None:
            raise Unauthorized("invalid API key")
        if organization_id != workspace.organization_id:
            raise Unauthorized(f'API key is not valid for organization "{organization_id}"')
        return workspace, "basic"
    raise Unauthorized(f'unsupported authorization scheme "{scheme}"; use Bearer')


def unauthorized_body(message: str, legacy: bool) -> dict[str, Any]:
    """Return the 401 body: ``RestErrResponse`` on 2024-02-08 and older, the standard shape otherwise."""
    return legacy_unauthorized_body(message) if legacy else error_body(401, message)
