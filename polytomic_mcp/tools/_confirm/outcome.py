"""The outcomes of asking the user (MCP elicitation) before a sync changes existing records, and what each allows.

A resolver (see ``confirm_resolvers``) either asks a question or says why it did not;
``outcome_of`` turns either into one explicit ``Outcome`` and ``consent`` decides. Only
``confirmed`` and ``not_needed`` let a record-changing action go ahead as asked;
``cannot_ask`` leaves it to the tool's fallback; every other outcome fails closed with
nothing done.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from mcp.server.mcpserver import AcceptedElicitation, CancelledElicitation, Context, DeclinedElicitation
from pydantic import BaseModel, Field

from .._framework.errors import fail

CHANGING_MODES = frozenset({"update", "updateOrCreate", "replace", "remove"})
MODERN_PROTOCOL = "2026-07-28"

Kind = Literal["confirmed", "declined", "not_needed", "cannot_ask", "could_not_check", "invalid"]


class Confirmation(BaseModel):
    """The form the user answers."""

    confirm: bool = Field(description="Go ahead? This changes existing records in the target.")


class DeletionConfirmation(Confirmation):
    """The form the user answers before a delete."""

    confirm: bool = Field(description="Delete? This cannot be undone.")


class RequestConfirmation(Confirmation):
    """The form the user answers before call_api sends a request that changes or removes data or access."""

    confirm: bool = Field(description="Send this request to Polytomic?")


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
