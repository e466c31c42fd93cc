"""The question call_api asks before a request that deletes, cancels, replaces, or touches people, keys or access.

The text shows the method, the resolved path, the query and the body with secrets masked, in a
stable order (2026-07-28 clients answer the exact question asked, re-asked on every round).
"""

from __future__ import annotations

import json
from typing import Any

from mcp.server.mcpserver import Context, Elicit
from pydantic import Field

from polytomic_mcp.redaction import scrub

from ..core.consent import CANNOT_ASK, INVALID, NOT_NEEDED, Confirmation, Outcome, can_elicit
from ..core.services import current_services

MAX_SHOWN_CHARS = 1_500


class RequestConfirmation(Confirmation):
    """The form the user answers before call_api sends a request that changes or removes data or access."""

    confirm: bool = Field(description="Send this request to Polytomic?")


async def confirm_call(
    ctx: Context,
    operation: str,
    path_params: dict[str, Any] | None = None,
    query: dict[str, Any] | None = None,
    body: dict[str, Any] | None = None,
    dry_run: bool = False,
) -> Elicit[RequestConfirmation] | Outcome:
    """Resolver for ``call_api``: ask before a destructive or admin write; anything refused is for the body to report."""
    if dry_run:
        return NOT_NEEDED
    from .guard import needs_consent, operation_named, prepare, refusal  # loads the catalog: on first use

    svc = current_services()
    try:
        op = operation_named(operation)
        if refusal(svc, op) is not None:
            return INVALID
        if not needs_consent(op, query or {}, body):
            return NOT_NEEDED
        if not can_elicit(ctx):
            return CANNOT_ASK
        prepared = prepare(svc, op, path_params, query, body)
    except Exception:  # noqa: BLE001 - the body repeats the same checks and reports the problem
        return INVALID
    request = prepared.request
    lines = [f"{op.summary}.", f"{request.method} {request.path}"]
    if request.query:
        lines.append(f"Query: {_shown(request.query)}")
    if prepared.shown_body is not None:
        lines.append(f"Body: {_shown(prepared.shown_body)}")
    return Elicit(scrub("\n".join(lines)), RequestConfirmation)


def _shown(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return text if len(text) <= MAX_SHOWN_CHARS else f"{text[:MAX_SHOWN_CHARS]}... ({len(text)} characters)"
