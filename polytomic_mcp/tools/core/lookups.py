"""Reads that turn "not found" (and other failures) into errors naming the call that lists valid ids."""

from __future__ import annotations

from polytomic_mcp.client import PolytomicError
from polytomic_mcp.client.models import Connection, ConnectionType, Model, Sync, TargetFields, TargetObject

from .errors import explain, fail
from .services import Services
from .suggest import did_you_mean


async def fetch_connection(svc: Services, connection_id: str) -> Connection:
    """GET a connection, or a ToolError that says how to find valid ids."""
    try:
        return await svc.client.connections.get(connection_id)
    except PolytomicError as error:
        raise fail(explain(
            error,
            action=f"get connection '{connection_id}'",
            not_found="Call list_connections to see valid connection ids.",
        ), api_error=error) from None


async def fetch_model(svc: Services, model_id: str) -> Model:
    """GET a model, or a ToolError that says how to find valid ids."""
    try:
        return await svc.client.models.get(model_id)
    except PolytomicError as error:
        raise fail(
            explain(error, action=f"get model '{model_id}'", not_found="Call list_models to see valid ids."), api_error=error,
        ) from None


async def fetch_sync(svc: Services, sync_id: str) -> Sync:
    """GET a sync, or a ToolError that says how to find valid ids."""
    try:
        return await svc.client.syncs.get(sync_id)
    except PolytomicError as error:
        raise fail(
            explain(error, action=f"get sync '{sync_id}'", not_found="Call list_syncs to see valid ids."), api_error=error,
        ) from None


async def resolve_type(svc: Services, type_id: str) -> ConnectionType:
    """The listed type with this id, or a ToolError naming close matches."""
    kind = await svc.connection_type(type_id)
    if kind is None:
        ids = [t.id for t in await svc.connection_types()]
        raise fail(
            f"Unknown connection type '{type_id}'{did_you_mean(type_id, ids)}. "
            "Call list_connection_types(search=...) to find the right id."
        )
    return kind


async def target_objects(svc: Services, connection_id: str) -> list[TargetObject]:
    """Every target object of a destination connection."""
    try:
        return (await svc.client.targets.list_objects(connection_id)).objects
    except PolytomicError as error:
        raise fail(explain(error, action="list target objects", not_found="Call list_connections for valid ids."), api_error=error) from None


async def find_target_object(svc: Services, connection_id: str, object_id: str) -> TargetObject:
    """The target object with this id, or a ToolError with the closest ids."""
    objects = await target_objects(svc, connection_id)
    found = next((o for o in objects if o.id == object_id), None)
    if found is None:
        raise fail(
            f"Target object '{object_id}' does not exist on connection {connection_id}"
            f"{did_you_mean(object_id, [o.id for o in objects])}. "
            f"Call list_target_objects('{connection_id}', search=...) to find it."
        )
    return found


async def target_fields(svc: Services, connection_id: str, object_id: str) -> TargetFields:
    """Fields and modes of one target object."""
    try:
        return await svc.client.targets.fields(connection_id, target=object_id)
    except PolytomicError as error:
        raise fail(explain(
            error, action=f"get fields of '{object_id}'",
            not_found=f"Call list_target_objects('{connection_id}') for valid objects.",
        ), api_error=error) from None
