"""Getting the person's yes inside the tool body, in this order: a token or link already given, the form, a link, a token.

The form is asked here for 2025-era clients (2026-07-28 clients answer it before the body runs); after a
yes the facts are read again and a changed question is asked again. A client that cannot ask gets an
approval link over HTTP, else (unless POLYTOMIC_CONSENT=strict) the question and a single-use token for the
assistant to relay. Nothing is sent until one of these says yes.
"""

from __future__ import annotations

from dataclasses import dataclass

import anyio
from mcp.server.mcpserver import AcceptedElicitation, Context
from mcp.server.mcpserver.exceptions import ToolError

from .approvals import ConsentRefused, PendingConsent, digest
from .consent import Confirmation, How, Outcome, Question, can_elicit, declined, remaining
from .creates import reaching_state
from .errors import ConsentNeeded, fail
from .services import Services

MAX_ASKS = 3
"""Questions asked in one call when the facts keep changing between the question and the yes."""
LINK_POLL = 0.5
"""Seconds between looks at the approval page's answer after a URL-mode elicitation."""


@dataclass(frozen=True)
class Granted:
    """How the yes was given; ``pending`` is the token or link to use up just before sending."""

    how: How
    pending: PendingConsent | None = None


@dataclass(frozen=True)
class Asking:
    """One write's consent step: the call, how refusals start, what the person agrees to."""

    ctx: Context
    svc: Services
    tool: str
    not_done: str
    asked: str

    def request(self, question: Question) -> str:
        """The digest a token or link is bound to: tenant-independent parts of the exact call."""
        return digest([self.tool, question.request])


async def obtain(step: Asking, question: Question, token: str | None) -> Granted:
    """The yes for ``question``, or a ToolError that says how to get it (nothing is sent either way; an unreachable
    shared state is such a ToolError too)."""
    with reaching_state(step.not_done):
        return await _obtain(step, question, token)


async def _obtain(step: Asking, question: Question, token: str | None) -> Granted:
    store, request = step.svc.consents, step.request(question)
    if token is not None:
        return await _redeemed(step, question, token)
    link = await store.approved_link(tenant=step.svc.tenant, tool=step.tool, request=request)
    if link is not None and link.facts == question.facts:
        return Granted("approved by link", link)
    if can_elicit(step.ctx):
        try:
            return await _ask_here(step, question)
        except _NoBackChannel:
            pass
    return await _elsewhere(step, question)


async def _redeemed(step: Asking, question: Question, token: str) -> Granted:
    """The yes a token carries, if it is for this tenant, this exact call and the facts as they are now."""
    try:
        pending = await step.svc.consents.check(token, tenant=step.svc.tenant, tool=step.tool, request=step.request(question))
    except ConsentRefused as refused:
        raise fail(f"{step.not_done}: {refused}. Nothing was sent. Call {step.tool} again without consent_token "
                   "to get a new question.") from None
    if pending.facts != question.facts:
        raise await _reissued(step, question, pending.by_link)
    return Granted("approved by link" if pending.by_link else "relayed by the assistant", pending)


class _NoBackChannel(Exception):
    """The client declared the form but this exchange cannot carry it."""


async def _ask_here(step: Asking, question: Question) -> Granted:
    """Ask the form now (2025-era clients); after a yes, read the facts again and ask again if they changed."""
    for _ in range(MAX_ASKS):
        answer = await _elicit(step, question.shown)
        if not (isinstance(answer, AcceptedElicitation) and isinstance(answer.data, Confirmation) and answer.data.confirm):
            raise declined(step.not_done, step.asked)
        fresh = await question.reread() if question.reread is not None else question
        if not isinstance(fresh, Question):
            raise _changed_meanwhile(step, fresh)
        if fresh.facts == question.facts:
            return Granted("asked")
        question = fresh
    raise fail(f"{step.not_done}: what the question showed kept changing while the user answered. Nothing was changed; "
               "try again later.")


async def _elicit(step: Asking, text: str) -> object:
    """The form's answer within the call's remaining time (no answer in time: nothing changes)."""
    seconds = remaining(step.ctx)
    try:
        with anyio.fail_after(seconds):
            return await step.ctx.elicit(text, Confirmation)
    except TimeoutError:
        raise fail(f"{step.not_done}: the user did not answer within {seconds:g}s (POLYTOMIC_TOOL_TIMEOUT). "
                   "Nothing was changed.") from None
    except ToolError:
        raise
    except Exception:  # noqa: BLE001 - the transport could not carry the question: offer a link or a token instead
        raise _NoBackChannel from None


def _changed_meanwhile(step: Asking, outcome: Outcome) -> ToolError:
    reason = f" ({outcome.reason})" if outcome.reason else ""
    return fail(f"{step.not_done}: after the user's yes it could not be checked again{reason}. Nothing was changed; "
                f"call {step.tool} again.")


async def _reissued(step: Asking, question: Question, by_link: bool) -> ToolError:
    """The facts changed since the yes: a new question (and token or link) for the facts as they are now."""
    return await _ask_for(step, question, by_link=by_link, opening="What the person agreed to has changed since they said yes")


async def _elsewhere(step: Asking, question: Question) -> Granted:
    """A client that cannot ask the form: an approval link (opened through URL-mode elicitation when the client
    offers it, then waited for), else a relayed token; a ToolError says how to go on."""
    if step.svc.approval_base is not None:
        if _can_open_links(step.ctx):
            pending = await _issue(step, question, by_link=True)
            if await _approved_at_link(step, pending):
                return Granted("approved by link", pending)
        raise await _ask_for(step, question, by_link=True, opening="This client cannot ask the person")
    if step.svc.consent_mode == "strict":
        raise fail(f"{step.not_done}: it needs the person's yes because {question.effect.value}, and this client cannot "
                    "ask them (no elicitation). This server accepts only a yes the person gives themselves "
                    "(POLYTOMIC_CONSENT=strict): use a client with elicitation or this server over HTTP (approval "
                    "links). Nothing was sent; tell the user.")
    raise await _ask_for(step, question, by_link=False, opening="This client cannot ask the person")


def _can_open_links(ctx: Context) -> bool:
    """The client offers URL-mode elicitation and this exchange can carry it (2025-era, with a back channel)."""
    capabilities = ctx.client_capabilities
    elicitation = capabilities.elicitation if capabilities is not None else None
    return (elicitation is not None and elicitation.url is not None
            and bool(getattr(ctx.session, "can_send_request", False)))


async def _approved_at_link(step: Asking, pending: PendingConsent) -> bool:
    """Open the approval page through the client, then wait (within the call's time) for the person's answer there."""
    url = f"{step.svc.approval_base}/consent/{pending.link_id}"
    seconds = remaining(step.ctx)
    with anyio.move_on_after(seconds):
        try:
            opened = await step.ctx.elicit_url(f"Approve or decline: {pending.title}", url, pending.link_id)
        except Exception:  # noqa: BLE001 - the client could not open it: the link goes back in the result instead
            return False
        if opened.action != "accept":
            raise declined(step.not_done, step.asked)
        while (decided := await step.svc.consents.by_link(pending.link_id)) is not None and decided.state == "pending":
            await anyio.sleep(LINK_POLL)
        if decided is not None and decided.state == "declined":
            raise declined(step.not_done, step.asked)
        return decided is not None and decided.state == "approved"
    return False


async def _issue(step: Asking, question: Question, *, by_link: bool) -> PendingConsent:
    svc = step.svc
    return await svc.consents.issue(tenant=svc.tenant, tool=step.tool, request=step.request(question), facts=question.facts,
                              title=question.title, question=question.shown, by_link=by_link)


async def _ask_for(step: Asking, question: Question, *, by_link: bool, opening: str) -> ToolError:
    """Issue a token (and link) for ``question`` and say how to use it."""
    svc = step.svc
    pending = await _issue(step, question, by_link=by_link)
    valid = f"valid {svc.consents.ttl / 60:g} minutes, once"
    if by_link:
        return ConsentNeeded(
            f"{step.not_done} yet: {opening}, and {question.title} needs their yes because {question.effect.value}. "
            f"Nothing was sent. Give the person this approval_url: {svc.approval_base}/consent/{pending.link_id} . It "
            f"shows the change; they approve or decline it there. Once they say they approved, call {step.tool} again "
            f"with the same arguments and consent_token='{pending.token}' ({valid}).")
    return ConsentNeeded(
        f"{step.not_done} yet: {opening}, and this needs their yes. Nothing was sent. Ask the person exactly this and "
        f"wait for their answer:\n---\n{question.shown}\n---\nOnly if they say yes, call {step.tool} again with the "
        f"same arguments and consent_token='{pending.token}' ({valid}; the result will say the yes was relayed by the "
        "assistant).")
