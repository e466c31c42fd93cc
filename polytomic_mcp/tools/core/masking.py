"""Mask what the API returns before a tool shows it: connection configurations, model configurations, sync mappings.

These rules need no memory of what was sent (they hold in any process): fields the type's
schema marks sensitive, keys that look like credentials, ``key=value`` credentials inside
free text such as SQL, and constant values written into credential-looking target fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from polytomic_mcp.client import MASK, PolytomicError, looks_secret, mask_configuration

from .secrets import mask_inline_credentials
from .services import Services


async def masked_configuration(svc: Services, type_id: str, configuration: dict[str, Any]) -> dict[str, Any]:
    """A connection ``configuration`` with every secret replaced, whatever the API returned."""
    try:
        secret_paths = (await svc.type_schema(type_id)).secret_paths
    except PolytomicError:
        secret_paths = []
    masked: dict[str, Any] = masked_free_text(mask_configuration(configuration, secret_paths))
    return masked


def masked_free_text(value: Any) -> Any:
    """Every string inside ``value`` with inline ``password=...``-style credentials masked."""
    if isinstance(value, str):
        return mask_inline_credentials(value)
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
        {**f, "override_value": MASK} if f.get("override_value") and looks_secret(str(f.get("target", ""))) else f
        for f in fields
    ]
