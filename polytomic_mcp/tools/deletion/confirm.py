"""The question delete asks: everything that will go, read before anything is removed (and read again before it goes)."""

from __future__ import annotations

from functools import partial

from mcp.server.mcpserver import Context

from ..core.consent import Asked, Question, call_arguments, offer
from ..core.effects import Effect
from ..core.services import Services, current_services
from .plan import Kind, plan_deletion


async def confirm_delete(ctx: Context, kind: Kind, id: str, force: bool = False, consent_token: str | None = None) -> Asked:
    """Resolver for ``delete``: every delete asks, showing everything that will go (the cascade with force)."""
    build = partial(_delete_question, current_services(), kind, id, force)
    return await offer(ctx, build, action=f"read {kind} '{id}'", token=consent_token)


async def _delete_question(svc: Services, kind: Kind, id: str, force: bool) -> Question:
    plan = await plan_deletion(svc, kind, id, force)
    return Question(f"Delete {plan.target}", plan.describe(), Effect.DESTRUCTIVE, call_arguments(kind=kind, id=id, force=force))
