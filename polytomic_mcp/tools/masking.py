"""Mask connection configurations by the type's schema and by secret-looking names."""

from __future__ import annotations

from typing import Any

from polytomic_mcp.client import PolytomicError, mask_configuration

from .services import Services


async def masked_configuration(svc: Services, type_id: str, configuration: dict[str, Any]) -> dict[str, Any]:
    """``configuration`` with every secret replaced, whatever the API returned."""
    try:
        secret_paths = (await svc.type_schema(type_id)).secret_paths
    except PolytomicError:
        secret_paths = []
    return mask_configuration(configuration, secret_paths)
