"""The question delete asks: everything that will go, read before anything is removed."""

from __future__ import annotations

from mcp.server.mcpserver import Context, Elicit
from pydantic import Field

from ..core.consent import CANNOT_ASK, Confirmation, Outcome, can_elicit, unchecked
from ..core.services import current_services
from .plan import Kind, plan_deletion


class DeletionConfirmation(Confirmation):
    """The form the user answers before a delete."""

    confirm: bool = Field(description="Delete? This cannot be undone.")


async def confirm_delete(ctx: Context, kind: Kind, id: str, force: bool = False) -> Elicit[DeletionConfirmation] | Outcome:
    """Resolver for ``delete``: show everything that will go and ask; a refusal (in use, not found) is for the body."""
    if not can_elicit(ctx):
        return CANNOT_ASK
    try:
        plan = await plan_deletion(current_services(), kind, id, force)
    except Exception as error:  # noqa: BLE001 - every failure becomes an outcome; the body acts on it
        return unchecked(error, action=f"read {kind} '{id}'")
    return Elicit(plan.describe(), DeletionConfirmation)
