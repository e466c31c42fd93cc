"""The outcomes of asking the user (MCP elicitation) before a write, and what each allows.

A family's resolver (``syncs.confirm``, ``deletion.confirm``, ``api.question``) either asks a
question or says why it did not; ``outcome_of`` turns either into one explicit ``Outcome`` and
``consent`` decides (``write.apply`` calls it). Only ``confirmed`` and ``not_needed`` let a
write go ahead as asked; ``cannot_ask`` leaves it to the tool's fallback; every other outcome
fails closed with nothing done.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from mcp.server.mcpserver import AcceptedElicitation, CancelledElicitation, Context, DeclinedElicitation
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import BaseModel, Field

from polytomic_mcp.client import BadRequestError, InvalidRequestError, NotFoundError, PolytomicError, UnprocessableEntityError

from .errors import ToolFailure, explain, fail

MODERN_PROTOCOL = "2026-07-28"

Kind = Literal["confirmed", "declined", "not_needed", "cannot_ask", "could_not_check", "invalid"]


class Confirmation(BaseModel):
    """The form the user answers."""

    confirm: bool = Field(description="Go ahead? This changes existing records in the target.")


@dataclass(frozen=True)
class Outcome:
    """How the confirmation step ended.

    - ``confirmed``: the user accepted with confirm=true.
    - ``declined``: the user declined, cancelled, or accepted with confirm=false.
    - ``not_needed``: nothing to ask (mode keeps existing records, dry run, pausing).
    - ``cannot_ask``: the client has no elicitation.
    - ``could_not_check``: preparing the question failed; ``reason`` says what, safe to show.
    - ``invalid``: the request has problems; the tool body reports them.
    """

    kind: Kind
    reason: str = ""


NOT_NEEDED = Outcome("not_needed")
CANNOT_ASK = Outcome("cannot_ask")
INVALID = Outcome("invalid")


def can_elicit(ctx: Context) -> bool:
    """The client declared elicitation and this connection can carry the question."""
    capabilities = ctx.client_capabilities
    if capabilities is None or capabilities.elicitation is None:
        return False
    if ctx.protocol_version == MODERN_PROTOCOL:
        return True
    return bool(getattr(ctx.session, "can_send_request", False))


def outcome_of(answer: object) -> Outcome:
    """The outcome of a resolver run: the user's answer, or the resolver's reason for not asking.

    ``answer`` is what the framework injects: an accepted ``Confirmation`` or ``Outcome``, or a
    decline or cancel; anything else means the step did not run and counts as not checked.
    """
    if isinstance(answer, (DeclinedElicitation, CancelledElicitation)):
        return Outcome("declined")
    data = answer.data if isinstance(answer, AcceptedElicitation) else None
    if isinstance(data, Confirmation):
        return Outcome("confirmed" if data.confirm else "declined")
    if isinstance(data, Outcome):
        return data
    return Outcome("could_not_check", "the confirmation step did not run")


def consent(outcome: Outcome, *, not_done: str, asked: str = "changing existing records") -> None:
    """Raise unless the outcome lets the action go ahead: confirmed, not needed, or cannot ask.

    ``cannot_ask`` goes ahead on the tool's own fallback (create_sync holds the sync
    inactive). The ToolError for every other outcome starts with ``not_done`` ("Sync 'x' was
    not created"). ``invalid`` reaching here means the tool's own check found no problem
    after all, so the answer is unknown and it fails closed like ``could_not_check``.
    """
    match outcome.kind:
        case "confirmed" | "not_needed" | "cannot_ask":
            return
        case "declined":
            raise fail(
                f"{not_done}: the user did not confirm {asked}. "
                "Do not retry unless the user asks for it."
            )
        case "could_not_check":
            raise fail(
                f"{not_done}: could not check it to ask the user for confirmation ({outcome.reason}). "
                "Nothing was changed; try again later."
            )
        case "invalid":
            raise fail(
                f"{not_done}: it looked invalid while the confirmation was prepared but passes now, so the user "
                "was not asked. Nothing was changed; try again."
            )


REQUEST_PROBLEMS = (NotFoundError, BadRequestError, UnprocessableEntityError, InvalidRequestError)
"""Client errors that mean the request is wrong, not that Polytomic could not answer."""


def unchecked(error: Exception, *, action: str) -> Outcome:
    """The outcome of a failure while preparing the question: ``invalid`` or ``could_not_check``.

    A refusal by our own checks (a ToolError with no client error behind it) or a client
    error that says the request is wrong is ``invalid``; anything else means Polytomic (or
    this server) could not answer, and the reason says what failed, in text safe to show.
    """
    api_error = error.api_error if isinstance(error, ToolFailure) else error if isinstance(error, PolytomicError) else None
    if isinstance(api_error, REQUEST_PROBLEMS) or (isinstance(error, ToolError) and api_error is None):
        return INVALID
    if isinstance(error, ToolError):
        return Outcome("could_not_check", str(error))
    if isinstance(error, PolytomicError):
        return Outcome("could_not_check", explain(error, action=action))
    return Outcome("could_not_check", f"Could not {action}: unexpected {type(error).__name__}")
