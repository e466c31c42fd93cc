"""Ask the user (MCP elicitation) before creating a sync that changes existing target records.

The resolver runs before ``create_sync``'s body. It asks only when the mode changes
existing records, the request is otherwise valid and the client can answer; otherwise it
says why it did not ask, and ``create_sync`` decides (an unconfirmed sync is created
inactive).
"""

from __future__ import annotations

from typing import Literal

from mcp.server.mcpserver import Context, Elicit
from pydantic import BaseModel, Field

from polytomic_mcp.client.models import SyncField, SyncIdentities, SyncIdentity, SyncTarget

CHANGING_MODES = frozenset({"update", "updateOrCreate", "replace", "remove"})
MODERN_PROTOCOL = "2026-07-28"
MAX_LISTED_FIELDS = 20


class Confirmation(BaseModel):
    """The form the user answers."""

    confirm: bool = Field(description="Create this sync? It will change existing records in the target.")


class NotAsked(BaseModel):
    """Why no question was put to the user."""

    reason: Literal["not_needed", "unsupported"]


def can_elicit(ctx: Context) -> bool:
    """The client declared elicitation and this connection can carry the question."""
    capabilities = ctx.client_capabilities
    if capabilities is None or capabilities.elicitation is None:
        return False
    if ctx.protocol_version == MODERN_PROTOCOL:
        return True
    return bool(getattr(ctx.session, "can_send_request", False))


def question(name: str, mode: str, target: SyncTarget, fields: list[SyncField], identities: list[SyncIdentity]) -> str:
    """What the user is asked: target object, mode and the mapped fields."""
    mapped = [f"{f.source.field if f.source else repr(f.override_value)} -> {f.target}" for f in fields]
    shown = ", ".join(mapped[:MAX_LISTED_FIELDS]) + (f" (+{len(mapped) - MAX_LISTED_FIELDS} more)" if len(mapped) > MAX_LISTED_FIELDS else "")
    matched = "; ".join(f"{i.source.field} -> {i.target} ({i.function})" for i in identities) or "none"
    return (
        f"Create sync '{name}' in mode '{mode}' on target object '{target.object or target.create}' "
        f"(connection {target.connection_id})? It changes existing records there.\n"
        f"Fields: {shown or 'none'}\nMatched by: {matched}"
    )


async def confirm_changes(
    ctx: Context,
    name: str,
    mode: str,
    target: SyncTarget,
    fields: list[SyncField],
    identity: SyncIdentity | None = None,
    identities: SyncIdentities | None = None,
    dry_run: bool = False,
) -> Elicit[Confirmation] | NotAsked:
    """Resolver for ``create_sync``: an elicitation for record-changing modes, else why not."""
    if dry_run or mode not in CHANGING_MODES:
        return NotAsked(reason="not_needed")
    if not can_elicit(ctx):
        return NotAsked(reason="unsupported")
    from .syncs import request_problems

    mappings = list(identities.mappings) if identities is not None else [identity] if identity is not None else []
    if await request_problems(ctx, name=name, mode=mode, target=target, fields=fields, identities=mappings):
        return NotAsked(reason="not_needed")
    return Elicit(question(name, mode, target, fields, mappings), Confirmation)
