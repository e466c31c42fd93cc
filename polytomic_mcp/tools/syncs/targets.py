"""Tool: list_target_objects (with ``target_object``: its fields; with ``bulk``: what a bulk sync needs)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from polytomic_mcp.client.models import ConfigurationSchema, TargetField

from ..core.errors import fail
from ..core.guards import usable_connection
from ..core.list_pages import decode_cursor, page
from ..core.lookups import find_target_object, target_fields, target_objects
from ..core.params import CursorArg, LimitArg
from ..core.registry import tool
from ..core.services import Services, current_services
from ..core.views import example_configuration, field_spec
from .bulk_checks import bulk_target
from .views import ModeBrief, TargetFieldBrief, TargetFieldList, TargetObjectBrief, TargetObjectPage


@tool(title="Target objects", read_only=True, destructive=False, idempotent=True, open_world=True)
async def list_target_objects(
    connection_id: Annotated[str, Field(min_length=1)],
    search: Annotated[str | None, Field(description="Substring of the id or name.")] = None,
    limit: LimitArg = None,
    cursor: CursorArg = None,
    target_object: Annotated[str | None, Field(description="Its fields instead, e.g. Contact.")] = None,
    bulk: Annotated[bool, Field(description="Bulk sync needs instead.")] = False,
) -> TargetObjectPage | TargetFieldList:
    offset = decode_cursor(cursor)
    svc = current_services()
    await usable_connection(svc, connection_id, "destination")
    if bulk:
        return await _bulk_target(svc, connection_id)
    if target_object is not None:
        return await describe_target(svc, connection_id, target_object)
    objects = await svc.listing(f"targets:{connection_id}", lambda: target_objects(svc, connection_id), first_page=offset == 0)
    needle = (search or "").lower()
    matches = [o for o in objects if needle in o.id.lower() or needle in (o.name or "").lower()]
    chunk, next_cursor = page(matches, offset, limit)
    return TargetObjectPage(
        connection_id=connection_id,
        objects=[
            TargetObjectBrief(
                id=o.id,
                name=o.name if o.name != o.id else None,
                modes=[ModeBrief(mode=m.id, requires_identity=m.requires_identity) for m in o.modes],
            )
            for o in chunk
        ],
        total=len(matches),
        next_cursor=next_cursor,
        next_step="Call list_target_objects(connection_id, target_object=...) to see the fields to map.",
    )


MAX_PICKLIST_VALUES = 25
"""Picklist values shown per field; a longer list ends with a count of the rest."""


def picklist_values(field: TargetField) -> list[str] | None:
    """The values a picklist field takes (what a run rejects others against), bounded, or None for other fields."""
    values = [str(v.get("value", "")) for v in field.values or () if isinstance(v, dict)]
    if not values:
        return None
    extra = len(values) - MAX_PICKLIST_VALUES
    return values[:MAX_PICKLIST_VALUES] + ([f"... {extra} more"] if extra > 0 else [])


async def describe_target(svc: Services, connection_id: str, target_object: str) -> TargetFieldList:
    """Fields and modes of one target object."""
    obj = await find_target_object(svc, connection_id, target_object)
    described = await target_fields(svc, connection_id, obj.id)
    return TargetFieldList(
        connection_id=connection_id,
        object=obj.id,
        modes=[ModeBrief(mode=m.id, requires_identity=m.requires_identity) for m in obj.modes],
        fields=[
            TargetFieldBrief(
                id=f.id,
                type=f.type,
                required=True if f.required else None,
                createable=False if not f.createable else None,
                updateable=False if not f.updateable else None,
                identity_functions=[fn.id for fn in f.identity_functions] if f.supports_identity else None,
                values=picklist_values(f),
            )
            for f in described.fields
        ],
        next_step="Call create_sync with fields mapping model fields to these ids (dry_run=true to check first).",
    )


async def _bulk_target(svc: Services, connection_id: str) -> TargetObjectPage:
    """What a bulk sync into this destination needs: its modes, destination_configuration fields and resync modes."""
    target, problems = await bulk_target(svc, connection_id)
    if target is None:
        raise fail(f"{problems[0].message}. Choose a warehouse, lake or database destination (list_connections).")
    schema = ConfigurationSchema.from_json_schema("bulk destination", target.configuration)
    settable = [f for f in schema.top_level if f.settable]
    return TargetObjectPage(
        connection_id=connection_id, bulk_modes=[m.id for m in target.modes] or None,
        resync_modes=target.supported_resync_modes or None,
        required=[field_spec(f) for f in settable if f.required], optional=[field_spec(f) for f in settable if not f.required] or None,
        example_configuration=example_configuration(schema),
        next_step="Call create_bulk_sync with destination_configuration holding the required fields.",
    )
