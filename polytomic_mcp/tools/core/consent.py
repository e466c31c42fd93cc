"""Asking the person before a write: the question a tool's resolver prepares, and what each answer allows.

A family's resolver builds a ``Question`` (or says why none is needed) and hands it to ``offer``: with a
2026-07-28 client that can answer, the framework asks it as a form before the tool runs (re-asked each
round, so the yes is for the facts as they are); otherwise the question travels to the tool body, where
``write.apply`` asks it itself or offers an approval link or a consent token (``core.obtain``).
``outcome_of`` turns the framework's answer into one ``Outcome``; ``consent`` refuses what cannot go ahead.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import anyio
from mcp.server.mcpserver import AcceptedElicitation, CancelledElicitation, Context, DeclinedElicitation, Elicit
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import BaseModel, Field
from pydantic_core import to_jsonable_python

from polytomic_mcp.client import (
    BadRequestError,
    InvalidRequestError,
    NotFoundError,
    PolytomicError,
    UnprocessableEntityError,
    deadline,
)
from polytomic_mcp.redaction import scrub

from .approvals import digest
from .effects import Effect
from .errors import ToolFailure, explain, fail
from .services import DEFAULT_TOOL_TIMEOUT, serving_now

MODERN_PROTOCOL = "2026-07-28"

Kind = Literal["confirmed", "declined", "not_needed", "to_ask", "could_not_check", "invalid"]
How = Literal["asked", "approved by link", "relayed by the assistant", "not needed"]


class Confirmation(BaseModel):
    """The form the user answers."""

    confirm: bool = Field(description="Go ahead with exactly this change?")


@dataclass(frozen=True)
class Question:
    """What the person is asked, the facts it shows, and the exact call it is about.

    ``text`` is the whole question (its digest binds a yes to the facts shown); ``request`` is the call's
    arguments (a token works only for the same call); ``reread`` builds it again from fresh reads.
    """

    title: str
    text: str
    effect: Effect
    request: dict[str, Any]
    reread: Callable[[], Awaitable[Question | Outcome]] | None = field(default=None, compare=False)

    @property
    def facts(self) -> str:
        return digest(self.text)

    @property
    def shown(self) -> str:
        """The question with why it is asked."""
        return f"{self.text}\nAsked because {self.effect.value}."


@dataclass(frozen=True)
class Outcome:
    """How the confirmation step ended before the tool body runs.

    - ``confirmed``: the person answered yes to the form (2026-07-28 clients).
    - ``declined``: the person declined, cancelled, or answered no.
    - ``not_needed``: nothing to ask (the change has no effect in the consent table).
    - ``to_ask``: a yes is needed and the body obtains it (``question`` says what).
    - ``could_not_check``: preparing the question failed; ``reason`` says what, safe to show.
    - ``invalid``: the request has problems; the tool body reports them.
    """

    kind: Kind
    reason: str = ""
    question: Question | None = None


NOT_NEEDED = Outcome("not_needed")
INVALID = Outcome("invalid")
Asked = Elicit[Confirmation] | Outcome
Build = Callable[[], Awaitable[Question | Outcome]]


def can_elicit(ctx: Context) -> bool:
    """The client declared form elicitation and this exchange can carry the question."""
    capabilities = ctx.client_capabilities
    elicitation = capabilities.elicitation if capabilities is not None else None
    if elicitation is None:
        return False
    if elicitation.form is None and elicitation.url is not None:
        return False  # URL mode only: no form to answer
    if ctx.protocol_version == MODERN_PROTOCOL:
        return True
    return bool(getattr(ctx.session, "can_send_request", False))


_started: ContextVar[tuple[object, float] | None] = ContextVar("polytomic_call_started", default=None)
STALE_AFTER = 5.0
"""Seconds past the tool timeout after which a remembered start belongs to an earlier call, whatever its id."""


def _call_key(ctx: Context) -> object:
    """This call among all calls a task may serve: its session and its request id (ids repeat across sessions)."""
    return (id(ctx.session), ctx.request_id)


def _limit() -> float:
    svc = serving_now()
    return svc.tool_timeout if svc is not None else DEFAULT_TOOL_TIMEOUT


def started_at(ctx: Context) -> float:
    """When this call began (its resolver's first step), so the question counts against POLYTOMIC_TOOL_TIMEOUT."""
    mark, now = _started.get(), time.monotonic()
    if mark is not None and mark[0] == _call_key(ctx) and now - mark[1] <= _limit() + STALE_AFTER:
        return mark[1]
    _started.set((_call_key(ctx), now))
    return now


def remaining(ctx: Context) -> float:
    """Seconds left of POLYTOMIC_TOOL_TIMEOUT for this call, counted from its start."""
    return max(0.0, _limit() - (time.monotonic() - started_at(ctx)))


def call_ended() -> None:
    """Forget this call's start (the task may serve the next call)."""
    _started.set(None)


async def offer(ctx: Context, build: Build, *, action: str, dry_run: bool = False, token: str | None = None) -> Asked:
    """Build the question (within the call's time) and ask it now when the client answers forms in this exchange.

    Otherwise (a dry run, a relayed token, a 2025-era or form-less client) the question goes to the tool body.
    """
    asked = await prepare(ctx, build, action=action)
    if isinstance(asked, Outcome):
        return asked
    if dry_run or token is not None or ctx.protocol_version != MODERN_PROTOCOL or not can_elicit(ctx):
        return Outcome("to_ask", question=asked)
    return Elicit(asked.shown, Confirmation)


async def prepare(ctx: Context, build: Build, *, action: str) -> Question | Outcome:
    """Run ``build`` within the call's remaining time; every failure becomes an outcome, never an exception."""
    seconds = remaining(ctx)
    try:
        with deadline(seconds), anyio.fail_after(seconds + 1):
            asked = await build()
    except TimeoutError:
        return Outcome("could_not_check", f"reading what the question needs took longer than {seconds:g}s "
                       "(POLYTOMIC_TOOL_TIMEOUT)")
    except Exception as error:  # noqa: BLE001 - every failure becomes an outcome; the body acts on it
        return unchecked(error, action=action)
    if not isinstance(asked, Question):
        return asked
    svc = serving_now()
    text = scrub(asked.text, svc.server_secrets) if svc is not None else asked.text
    return replace(asked, text=text, reread=build)


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


def consent(outcome: Outcome, *, not_done: str, asked: str = "this change") -> None:
    """Raise unless the outcome lets the call go on: confirmed, not needed, or still to ask.

    The ToolError for every other outcome starts with ``not_done`` ("Sync 'x' was not created").
    ``invalid`` reaching here means the tool's own check found no problem after all, so the answer is
    unknown and it fails closed like ``could_not_check``.
    """
    match outcome.kind:
        case "confirmed" | "not_needed" | "to_ask":
            return
        case "declined":
            raise declined(not_done, asked)
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
        case _:
            raise fail(f"{not_done}: the confirmation step ended in an unknown way. Nothing was changed; try again.")


def declined(not_done: str, asked: str) -> ToolError:
    """The refusal after a no."""
    return fail(f"{not_done}: the user did not confirm {asked}. Do not retry unless the user asks for it.")


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


def call_arguments(**values: Any) -> dict[str, Any]:
    """A call's arguments as JSON values (models dumped), the part of a request a token is bound to."""
    return {name: to_jsonable_python(value, exclude_none=True) for name, value in values.items() if value is not None}
