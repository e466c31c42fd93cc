"""Tool: list_connection_types (with ``type``: one type's configuration fields)."""

from __future__ import annotations

from typing import Annotated, Literal

from mcp.server.mcpserver import Context
from pydantic import Field

from polytomic_mcp.client.models import ConnectionType

from ._checks.lookups import resolve_type
from ._framework.registry import tool
from ._framework.results import ConnectionTypeBrief, ConnectionTypeDetail, ConnectionTypeList
from ._framework.services import Services, services
from ._framework.views import example_configuration, field_spec

MAX_TYPES = 60


def brief(kind: ConnectionType) -> ConnectionTypeBrief:
    """A connection type as a list item."""
    return ConnectionTypeBrief(
        id=kind.id,
        name=kind.name,
        oauth=kind.use_oauth,
        source=kind.capabilities.source,
        destination=kind.capabilities.destination,
    )


@tool(title="Connection types", read_only=True, destructive=False, idempotent=True, open_world=True)
async def list_connection_types(
    ctx: Context,
    search: Annotated[str | None, Field(description="Substring of id or name.")] = None,
    capability: Annotated[Literal["source", "destination"] | None, Field(description="Only types usable as this.")] = None,
    type: Annotated[str | None, Field(description="Its configuration fields instead.")] = None,
) -> ConnectionTypeList | ConnectionTypeDetail:
    if type is not None:
        return await describe_type(services(ctx), type)
    types = await services(ctx).connection_types()
    needle = (search or "").strip().lower()
    matches = [
        t for t in types
        if (not needle or needle in t.id.lower() or needle in t.name.lower())
        and (capability is None or getattr(t.capabilities, capability))
    ]
    shown = matches[:MAX_TYPES]
    more = f" Showing {len(shown)} of {len(matches)}; narrow with `search`." if len(matches) > len(shown) else ""
    return ConnectionTypeList(
        types=[brief(t) for t in shown],
        total=len(matches),
        next_step="Call list_connection_types(type=...) to see the configuration it needs." + more,
    )


async def describe_type(svc: Services, type: str) -> ConnectionTypeDetail:
    """The required and optional configuration fields of one type, which are secret, and an example configuration."""
    kind = await resolve_type(svc, type)
    schema = await svc.type_schema(kind.id)
    settable = [f for f in schema.top_level if f.settable]
    required = [field_spec(f) for f in settable if f.required]
    optional = [field_spec(f) for f in settable if not f.required]
    oauth = " A person must open the auth_url that create_connection returns." if kind.use_oauth else ""
    return ConnectionTypeDetail(
        **brief(kind).model_dump(),
        required=required,
        optional=optional,
        example_configuration=example_configuration(schema),
        next_step=f"Call create_connection(name, type='{kind.id}', configuration).{oauth}",
    )
