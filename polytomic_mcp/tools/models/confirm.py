"""The question before update_model changes which rows an active record-changing sync reads (a new collection or query)."""

from __future__ import annotations

from functools import partial
from typing import Any

from mcp.server.mcpserver import Context

from ..core.consent import NOT_NEEDED, Asked, Outcome, Question, call_arguments, offer
from ..core.effects import Effect
from ..core.lookups import fetch_model
from ..core.services import Services, current_services
from ..core.usage import record_changing_syncs


async def confirm_model_change(
    ctx: Context, model_id: str, name: str | None = None, configuration: dict[str, Any] | None = None,
    fields: list[str] | None = None, identifier: str | None = None, labels: list[str] | None = None,
    dry_run: bool = False, consent_token: str | None = None,
) -> Asked:
    """Resolver for ``update_model``: a new source (configuration) or unique key under an active record-changing sync asks."""
    if configuration is None and identifier is None:
        return NOT_NEEDED
    arguments = call_arguments(model_id=model_id, name=name, configuration=configuration, fields=fields,
                               identifier=identifier, labels=labels)
    build = partial(_model_question, current_services(), model_id, configuration, identifier, arguments)
    return await offer(ctx, build, action=f"read model '{model_id}'", dry_run=dry_run, token=consent_token)


async def _model_question(
    svc: Services, model_id: str, configuration: dict[str, Any] | None, identifier: str | None, arguments: dict[str, Any],
) -> Question | Outcome:
    current = await fetch_model(svc, model_id)
    request = current.to_update_request()
    moved = configuration is not None and configuration != request.configuration
    rekeyed = identifier is not None and identifier != request.identifier
    if not (moved or rekeyed):
        return NOT_NEEDED
    users = await record_changing_syncs(svc, model_id=model_id)
    if not users:
        return NOT_NEEDED
    lines = [f"Change model '{current.name}' ({model_id})?"]
    if moved:
        keys = ", ".join(sorted((configuration or {}).keys()))
        lines.append(f"It will read other source rows (new {keys}).")
    if rekeyed:
        lines.append(f"Unique key: {request.identifier} -> {identifier}")
    lines.append("Active syncs that change records from it: " + "; ".join(str(u) for u in users))
    return Question(f"Change model '{current.name}'", "\n".join(lines), Effect.RECORDS, arguments)
