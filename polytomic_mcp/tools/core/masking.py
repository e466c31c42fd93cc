"""Mask what the API returns before a tool shows it: connection configurations, model configurations, sync mappings.

These rules need no memory of what was sent (they hold in any process): fields the type's
schema marks sensitive, keys that look like credentials (``secret_name``), secrets recognized by
their shape inside free text such as SQL (``polytomic_mcp.secret_shapes``), and constant values
written into credential-looking target fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from polytomic_mcp.client import MASK, PolytomicError, looks_secret, mask_configuration
from polytomic_mcp.secret_shapes import mask_shapes

from .services import Services

SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})
"""HTTP headers whose whole value is a credential, whatever their name looks like."""


def secret_name(name: str) -> bool:
    """Whether a member's name marks a credential: ``looks_secret``, hyphens read as underscores (``X-Api-Key``), or a secret header."""
    return looks_secret(name.replace("-", "_")) or name.lower() in SECRET_HEADERS


async def masked_configuration(svc: Services, type_id: str, configuration: dict[str, Any]) -> dict[str, Any]:
    """A connection ``configuration`` with every secret replaced, whatever the API returned."""
    try:
        secret_paths = (await svc.type_schema(type_id)).secret_paths
    except PolytomicError:
        secret_paths = []
    masked: dict[str, Any] = masked_free_text(mask_configuration(configuration, secret_paths))
    return masked


def masked_free_text(value: Any) -> Any:
    """Every string inside ``value`` masked by shape (``password=...``, tokens, keys: the pass every shown text gets)."""
    if isinstance(value, str):
        return mask_shapes(value)
    if isinstance(value, Mapping):
        return {k: masked_free_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [masked_free_text(v) for v in value]
    return value


def masked_model_configuration(configuration: dict[str, Any]) -> dict[str, Any]:
    """A model configuration (SQL text included) with credential-looking keys and inline credentials masked."""
    masked: dict[str, Any] = masked_free_text(mask_configuration(configuration))
    return masked


def masked_mappings(fields: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sync field mappings with the constant written into a credential-looking target field masked."""
    return [
        {**f, "override_value": MASK} if f.get("override_value") and secret_name(str(f.get("target", ""))) else f
        for f in fields
    ]
