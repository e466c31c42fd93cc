"""Result views built from API objects that several tools and resources show: connections and models, secrets masked."""

from __future__ import annotations

from typing import Any

from polytomic_mcp.client.models import Connection, Model

from .._secrets.masking import masked_configuration, masked_model_configuration
from .results import ConnectionDetail, ModelDetail, ModelFieldBrief
from .services import Services


async def connection_detail(svc: Services, connection: Connection, next_step: str | None = None) -> ConnectionDetail:
    """A connection with masked configuration and, for pending OAuth, what a person must do."""
    action = None
    if connection.needs_authorization:
        action = (
            "A person must open auth_url in a browser and approve access; the connection "
            "cannot be used until then. Share the link with the user; do not open it yourself."
        )
    return ConnectionDetail(
        id=connection.id,
        name=connection.name,
        type=connection.type.id,
        status=connection.status or None,
        status_error=connection.status_error or None,
        configuration=await masked_configuration(svc, connection.type.id, connection.configuration),
        auth_url=connection.auth_url or None,
        action_required=action,
        next_step=next_step,
    )


def model_detail(model: Model, next_step: str | None = None, sample: list[dict[str, Any]] | None = None) -> ModelDetail:
    """A model with field names and types only."""
    return ModelDetail(
        id=model.id,
        name=model.name,
        connection_id=model.connection_id,
        configuration=masked_model_configuration(model.configuration),
        identifier=model.identifier or None,
        fields=[ModelFieldBrief(name=f.name, type=f.type) for f in model.fields],
        sample=sample,
        next_step=next_step,
    )
