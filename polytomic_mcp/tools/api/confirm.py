"""The question call_api asks before a request the consent table (``consent_table``) says needs the person's yes.

The text shows the method, the resolved path, the query and the body with secrets masked by field (never by
values an agent sent), in a stable order (2026-07-28 clients answer the exact question asked, re-asked on
every round).
"""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from mcp.server.mcpserver import Context

from ..core.consent import INVALID, NOT_NEEDED, Asked, Outcome, Question, call_arguments, offer
from ..core.services import Services, current_services

MAX_SHOWN_CHARS = 1_500


async def confirm_call(
    ctx: Context,
    operation: str,
    path_params: dict[str, Any] | None = None,
    query: dict[str, Any] | None = None,
    body: dict[str, Any] | None = None,
    dry_run: bool = False,
    consent_token: str | None = None,
) -> Asked:
    """Resolver for ``call_api``: the question for a request that needs a yes; anything refused is for the body to report."""
    build = partial(_call_question, current_services(), operation, path_params, query, body)
    return await offer(ctx, build, action=f"check {operation}", dry_run=dry_run, token=consent_token)


async def _call_question(
    svc: Services, operation: str, path_params: dict[str, Any] | None, query: dict[str, Any] | None, body: dict[str, Any] | None,
) -> Question | Outcome:
    from .guard import consent_effect, operation_named, prepare, refusal  # loads the catalog: on first use

    op = operation_named(operation)
    if refusal(svc, op) is not None:
        return INVALID
    effect = consent_effect(op, query or {}, body)
    if effect is None:
        return NOT_NEEDED
    prepared = prepare(svc, op, path_params, query, body)
    request = prepared.request
    lines = [f"{op.summary}.", f"{request.method} {request.path}"]
    if request.query:
        lines.append(f"Query: {_shown(request.query)}")
    if prepared.shown_body is not None:
        lines.append(f"Body: {_shown(prepared.shown_body)}")
    arguments = call_arguments(operation=op.id, path_params=path_params, query=query, body=body)
    return Question(f"Send {request.method} {request.path}", "\n".join(lines), effect, arguments)


def _shown(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return text if len(text) <= MAX_SHOWN_CHARS else f"{text[:MAX_SHOWN_CHARS]}... ({len(text)} characters)"
