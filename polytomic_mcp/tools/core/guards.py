"""Checks shared by the create tools: names stay unique, connections fit the role they play."""

from __future__ import annotations

from collections.abc import AsyncIterable, Awaitable, Iterable
from typing import Any, Literal

from polytomic_mcp.client import PolytomicError
from polytomic_mcp.client.models import Connection

from .errors import explain, fail
from .lookups import fetch_connection
from .services import Services

Role = Literal["source", "destination"]
_ROLE_HELP = {
    "source": "a model source: list_connection_types(capability='source'), then list_connections",
    "destination": "a sync destination: list_connection_types(capability='destination') shows which types can",
}


Objects = Awaitable[Iterable[Any]] | AsyncIterable[Any]


async def name_taken(kind: str, name: str, objects: Objects, *, except_id: str | None = None) -> Any | None:
    """The object (other than ``except_id``) already called ``name``, or None; a ToolError when that cannot be checked."""
    try:
        if isinstance(objects, AsyncIterable):
            found = [o async for o in objects if o.name == name and o.id != except_id]
        else:
            found = [o for o in await objects if o.name == name and o.id != except_id]
    except PolytomicError as error:
        done = "changed" if except_id else "created"
        raise fail(
            f"Nothing was {done}: could not check whether a {kind} named '{name}' already exists "
            f"({explain(error, action=f'list {kind}s')}). Try again in a moment."
        ) from None
    return found[0] if found else None


async def usable_connection(svc: Services, connection_id: str, role: Role) -> Connection:
    """The connection, refused when it does not exist, cannot play ``role``, or still awaits OAuth."""
    connection = await fetch_connection(svc, connection_id)
    kind = await svc.connection_type(connection.type.id)
    if kind is not None and not getattr(kind.capabilities, role):
        raise fail(f"Connection '{connection.name}' ({kind.id}) cannot be {_ROLE_HELP[role]}.")
    if connection.needs_authorization or (kind is not None and kind.use_oauth and connection.status != "healthy"):
        link = f" ({connection.auth_url})" if connection.auth_url else " (returned by create_connection)"
        raise fail(
            f"Connection '{connection.name}' is not authorized yet: a person must open its auth_url{link} "
            f"and approve access. Then call list_connections(connection_id='{connection.id}') to confirm status 'healthy'."
        )
    return connection


