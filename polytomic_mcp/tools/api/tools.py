"""Tools: search_api and call_api, a guarded path to every Polytomic API operation the typed tools do not cover.

search_api reads the catalog generated from the official SDK (loaded on first use, no request
sent). call_api sends one catalog operation through the client's pipeline (auth, version header,
retries, one Idempotency-Key per call, errors, deadline) after ``guard`` has checked it and, for
what deletes, replaces or touches access, the user has agreed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import anyio
from mcp.server.mcpserver import Context, ElicitationResult, Resolve
from pydantic import Field

from polytomic_mcp.client import NotFoundError, large_answers_frozen

from .. import Toolset
from ..core.consent import Confirmation, Outcome, outcome_of
from ..core.errors import explain, fail
from ..core.params import ConsentTokenArg
from ..core.registry import tool
from ..core.services import Services, current_services
from ..core.write import REJECTIONS, Change, Problem, apply
from .call_masking import ShownAnswer, shown_answer
from .confirm import confirm_call
from .missing import missing
from .views import ApiCallResult, ApiOperationHit, ApiSearchResult

if TYPE_CHECKING:
    from polytomic_mcp.catalog import Operation

MAX_HITS = 10


@tool(title="Search the Polytomic API", read_only=True, destructive=False, idempotent=True, open_world=False, toolset=Toolset.API)
async def search_api(
    query: Annotated[str, Field(min_length=1, max_length=400, description="Words ('list webhooks') or METHOD /path.")],
    limit: Annotated[int, Field(ge=1, le=MAX_HITS)] = 5,
) -> ApiSearchResult:
    import polytomic_mcp.catalog as catalog  # loaded on first use, not at every start

    svc = current_services()
    hits = [_hit(svc, op) for op in catalog.search(query, limit)]
    if not hits:
        step = "Nothing matched: try the resource's name (webhooks, users, schedules, events) or METHOD /path."
    elif hits[0].use_instead:
        beyond = f" (call_api only to set {', '.join(hits[0].call_api_for)})" if hits[0].call_api_for else ""
        step = f"Use {hits[0].use_instead} for this{beyond}; other operations go through call_api(operation, ...)."
    else:
        step = "Call call_api(operation, path_params, query, body); dry_run=true shows the request without sending it."
    return ApiSearchResult(operations=hits, next_step=step)


def _hit(svc: Services, op: Operation) -> ApiOperationHit:
    """An operation as search_api shows it: its call shape, why it asks first (with no flags set), and what to use instead."""
    from .guard import consent_effect

    unavailable = None
    if not op.available_in(svc.client.api_version):
        unavailable = f"needs API version {op.since}; this server speaks {svc.client.api_version}"
    elif not op.reads and svc.read_only:
        unavailable = "read-only mode: call_api runs only reads"
    elif not op.reads and "mints_credentials" in op.risk and not svc.allow_credential_minting:
        unavailable = "creates credentials: off unless POLYTOMIC_ALLOW_CREDENTIAL_MINTING=true"
    return ApiOperationHit(
        operation=op.id,
        method=op.method,
        path=op.path,
        summary=op.summary,
        path_params=list(op.path_params) or None,
        query=op.query or None,
        body=op.body or None,
        reads=op.reads,
        asks_user=effect.value if (effect := consent_effect(op, {}, None)) is not None else None,
        use_instead=op.typed_tool,
        call_api_for=list(op.untyped_params) or None,
        unavailable=unavailable,
    )


@tool(title="Call the Polytomic API", read_only=False, destructive=True, idempotent=False, open_world=True,
      toolset=Toolset.API, guards_writes=True)
async def call_api(
    ctx: Context,
    operation: Annotated[str, Field(min_length=1, max_length=300, description="Id from search_api, or METHOD /path.")],
    path_params: Annotated[dict[str, Any] | None, Field(description="{'id': '...'} for {id} in the path.")] = None,
    query: Annotated[dict[str, Any] | None, Field(description="As search_api lists them.")] = None,
    body: Annotated[dict[str, Any] | None, Field(description="JSON body; secrets may be {'$env': 'POLYTOMIC_SECRET_...'}.")] = None,
    dry_run: bool = False,
    consent_token: ConsentTokenArg = None,
    confirmation: Annotated[ElicitationResult[Confirmation], Resolve(confirm_call)] = None,  # type: ignore[assignment]
) -> ApiCallResult:
    from .guard import operation_named, prepare, refusal

    svc = current_services()
    op = operation_named(operation)
    given = [*(path_params or {}), *(query or {}), *(body if isinstance(body, dict) else {})]
    if (why := refusal(svc, op, given)) is not None:
        raise fail(why)
    prepared = prepare(svc, op, path_params, query, body)
    request = prepared.request
    shown = f"{request.method} {request.path}"

    async def preview(_: list[Problem], step: str) -> ApiCallResult:
        return ApiCallResult(operation=op.id, request=shown, sent=False, query=request.query or None, body=prepared.shown_body,
                             next_step=step)

    async def send() -> tuple[str | None, ShownAnswer]:
        """Send, then keep only what will be shown; a huge answer is freed in a worker thread, not on the event loop."""
        answer = [await svc.client.call(request.method, request.path, params=request.query or None, json=request.body)]
        token = _next_page_token(answer[0])
        kept = await shown_answer(svc, answer[0])
        await anyio.to_thread.run_sync(answer.clear)
        return token, kept

    async def answered(sent: tuple[str | None, ShownAnswer], _: Outcome) -> ApiCallResult:
        token, (response, truncated) = sent
        step = _after(op, token) if response is not None else "Polytomic accepted it and sent no body back (success)."
        return ApiCallResult(operation=op.id, request=shown, sent=True, response=response, truncated=truncated,
                             next_page_token=token, next_step=step)

    with large_answers_frozen():  # collection passes never walk a huge answer
        return await apply(ctx, Change(
            tool="call_api", not_done=f"{shown} was not sent", result=answered, preview=preview, verb="send",
            send=send,
            action=f"call {shown}", check="read it back with the matching GET (search_api finds it)" if not op.reads else "",
            consent=outcome_of(confirmation), consent_token=consent_token, asked="this request",
            on_error=lambda error: explain(error, action=f"call {shown}", not_found=missing(op, path_params, error))
            if isinstance(error, (*REJECTIONS, NotFoundError)) else None,
        ), dry_run=dry_run)


def _next_page_token(answer: Any) -> str | None:
    """The cursor of the next page, where Polytomic puts it (``pagination.next_page_token``)."""
    if not isinstance(answer, dict):
        return None
    pagination = answer.get("pagination")
    token = pagination.get("next_page_token") if isinstance(pagination, dict) else answer.get("next_page_token")
    return token if isinstance(token, str) and token else None


def _after(op: Operation, token: str | None) -> str:
    if token is not None and "page_token" in op.query_names:
        return "More pages: call again with query page_token=next_page_token."
    if token is not None:
        return "More pages exist (next_page_token)."
    return "Done." if op.reads else "Done; the matching GET shows the result."
