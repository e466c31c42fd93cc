"""The one write pipeline: every tool that creates, changes, deletes, runs or sends goes through ``apply``.

A write tool reads, merges and checks what it needs, then describes the write as a ``Change`` (what it is,
the checks, the consent the person gave or not, the call that sends it, how to see whether it happened) and
hands it to ``apply``, which does the rest in this order, the same way for every tool:

1. consent: a "no", or a question that could not be prepared, ends the call before any other request;
2. the checks, all problems at once (arguments are validated before the person is asked);
3. the dry-run answer (the checks, a taken name, whether the person will be asked), or the refusal naming every problem;
4. the yes, when the consent table says one is needed (``obtain``: the form, an approval link or a relayed token,
   bound to the facts shown); a question that looked invalid although the checks pass fails closed;
5. one create (or rename) per kind and name at a time across replicas (a lock in the shared state), the tool's own
   guard (asked before waiting for the lock too) and the duplicate-name refusal under that lock;
6. the token or link is used up (once across replicas), then the call, with Polytomic's rejections (400/422) and "it MAY have been
   applied" mapped to model-facing text;
7. resources/list_changed, then the tool's result, which says how the yes was given.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from mcp.server.mcpserver import Context
from pydantic import BaseModel

from polytomic_mcp.client import BadRequestError, PolytomicError, UnprocessableEntityError

from .approvals import digest
from .consent import NOT_NEEDED, How, Outcome, consent
from .creates import reaching_state
from .errors import explain, fail
from .guards import Objects, name_taken
from .notify import resources_changed
from .obtain import Asking, Granted, obtain
from .result_text import quoted
from .services import Services, current_services

T = TypeVar("T")
R = TypeVar("R")
REJECTIONS = (BadRequestError, UnprocessableEntityError)
"""Polytomic's answers that mean "this request is wrong": nothing was written."""


class Problem(BaseModel):
    """One thing wrong with a write, found before calling the API; ``path`` points into the request ("" for all of it).

    A ``warning`` is shown by the dry run but does not stop the write (what it names may be fine).
    """

    path: str
    message: str
    warning: bool | None = None

    def __str__(self) -> str:
        said = f"{self.path}: {self.message}" if self.path else self.message
        return f"warning: {said}" if self.warning else said

    @classmethod
    def at(cls, path: str, messages: Iterable[str]) -> list[Problem]:
        """Problems with one part of the request (``configuration``), from plain messages."""
        return [cls(path=path, message=message) for message in messages]


def blocking(problems: Iterable[Problem]) -> list[Problem]:
    """The problems that stop a write (warnings left out)."""
    return [p for p in problems if not p.warning]


@dataclass(frozen=True)
class UniqueName:
    """A name that must stay unique among objects of ``kind`` (a create, or a rename when ``renaming`` is set)."""

    kind: str
    """As said in messages and locks: "connection", "model", "sync", "bulk sync"."""
    name: str
    existing: Callable[[], Objects]
    """Reads the objects to compare against (called each time: inside the lock it is read again)."""
    shown_by: str
    """The call that shows an existing one, with ``{id}``: "list_syncs(sync_id='{id}')"."""
    change_tool: str
    renaming: str | None = None
    """The id of the object being renamed (it may keep its own name)."""

    def taken_message(self, existing_id: str) -> str:
        """Why the name cannot be used (after ``A {kind} named 'x' already exists (id y)``)."""
        if self.renaming is not None:
            return f"A {self.kind} named '{self.name}' already exists (id {existing_id}); choose another name."
        return (f"A {self.kind} named '{self.name}' already exists (id {existing_id}). Reuse it "
                f"({self.shown_by.format(id=existing_id)}), change it with {self.change_tool}('{existing_id}', ...), "
                "or choose another name.")


@dataclass(frozen=True)
class Unchanged:
    """What an update read of the object it changes, and how to read it again: a change by someone else between the
    tool's read and its write is refused instead of overwritten (each update sends the whole merged object)."""

    label: str
    """As said in messages: "connection 'x' (id)"."""
    key: str
    """The object's kind and id, for the lock that serializes this process's updates of it."""
    as_read: Any
    """The editable state the tool merged into (a JSON value: a request body)."""
    read: Callable[[], Awaitable[Any]]
    """Reads that state again."""


@dataclass
class Change(Generic[T, R]):
    """One write, as its tool read and checked it; ``apply`` does the rest (see the module docstring).

    ``T`` is what ``send`` returns (the saved object), ``R`` the tool's result.
    """

    tool: str
    """The tool making the change (named in the next steps)."""
    not_done: str
    """How every refusal starts: "Sync 'x' was not created", "Nothing was changed in sync 'x' (123)"."""
    send: Callable[[], Awaitable[T]]
    """The call that makes the change (the client's pipeline: retries, one idempotency key, deadline)."""
    result: Callable[[T, Outcome], Awaitable[R]]
    """The tool's answer once sent, given what ``send`` returned and how consent went."""
    action: str
    """What was attempted, for errors: "create sync 'x'"."""
    check: str = ""
    """How to see whether a call whose answer was lost happened: "call list_syncs(search='x') to see whether it exists"."""
    not_found: str = ""
    """What to call when Polytomic says the object does not exist."""
    checks: Sequence[Problem] | Callable[[], Awaitable[list[Problem]]] = ()
    """Every problem with the change; a function when finding them needs reads (made after consent: a "no" sends
    no other request)."""
    fix: str = ""
    """Where to look after a refusal with problems: "Call list_connection_types(type='x') to see every field."."""
    preview: Callable[[list[Problem], str], Awaitable[R]] | None = None
    """The dry-run answer, given the problems and the next step; None when the tool has no dry run."""
    verb: str = "save"
    """For the dry run's next step: "...without dry_run to {verb} it."."""
    consent: Outcome = NOT_NEEDED
    """How asking the person went (the tool's resolver); ``not_needed`` when the change needs no yes."""
    asked: str = "this change"
    """What the person was asked to agree to, for a refusal."""
    consent_token: str | None = None
    """The token the assistant relays (or got with an approval link) when the client could not ask."""
    unique: UniqueName | None = None
    unchanged: Unchanged | None = None
    """For an update: the object as the tool read it; ``apply`` serializes updates of it and refuses when it changed."""
    guard: Callable[[], Awaitable[None]] | None = None
    """More refusals made under the name lock, before the name is checked (a model job still running)."""
    rejected: str = ""
    """What to do after Polytomic rejects the request (400/422): "Call create_sync with dry_run=true to check."."""
    on_error: Callable[[PolytomicError], str | None] | None = None
    """The tool's own text for an upstream error (a conflict: "it is probably already running"), or None."""
    secrets: Sequence[str] = ()
    """Secret values the request carries (a password, an override): registered for scrubbing just before it is sent,
    never for a request refused, declined or only previewed (one caller could otherwise load its registry with
    thousands of values and make every later call of its key slow)."""
    notify: bool = False
    """Send resources/list_changed once it is done (the connection and model lists changed)."""

    @classmethod
    def create(
        cls, tool: str, kind: str, name: str, *, existing: Callable[[], Objects], shown_by: str, change_tool: str,
        search_tool: str, **rest: Any,
    ) -> Change[T, R]:
        """A create: refusals say it was not created, the name must be free, and list_changed follows."""
        fields: dict[str, Any] = {
            "tool": tool, "not_done": f"{kind[0].upper()}{kind[1:]} '{name}' was not created", "action": f"create {kind} '{name}'",
            "check": f"call {search_tool}(search='{name}') to see whether it exists", "verb": "create", "notify": True,
            "unique": UniqueName(kind, name, existing, shown_by, change_tool),
        }
        return cls(**{**fields, **rest})

    @classmethod
    def update(
        cls, tool: str, kind: str, object_id: str, name: str, *, new_name: str, existing: Callable[[], Objects], shown_by: str,
        read_again: tuple[Any, Callable[[], Awaitable[Any]]] | None = None, **rest: Any,
    ) -> Change[T, R]:
        """An update: refusals say nothing was changed, a new name must be free, and ``shown_by`` reads it back.

        ``read_again``: the object's editable state as read and how to read it again (see ``Unchanged``).
        """
        label = f"{kind} '{name}' ({object_id})"
        fields: dict[str, Any] = {
            "tool": tool, "not_done": f"Nothing was changed in {label}", "action": f"change {label}",
            "unchanged": Unchanged(label, f"{kind}:{object_id}", *read_again) if read_again else None,
            "check": f"call {shown_by.format(id=object_id)} to see what it holds now", "rejected": f"Call {tool} with dry_run=true to check.",
            "unique": UniqueName(kind, new_name, existing, shown_by, tool, renaming=object_id) if new_name != name else None,
        }
        return cls(**{**fields, **rest})


async def apply(ctx: Context, change: Change[Any, R], *, dry_run: bool = False) -> R:
    """Carry out ``change`` (or, with ``dry_run``, answer what it would do): see the module docstring."""
    svc = current_services()
    if change.consent.kind != "invalid":
        consent(change.consent, not_done=change.not_done, asked=change.asked)
    problems = await change.checks() if callable(change.checks) else list(change.checks)
    if dry_run:
        return await _preview(change, problems)
    if stops := blocking(problems):
        raise fail(f"{change.not_done}, {len(stops)} problem(s): {'; '.join(map(str, stops))}." + _then(change.fix))
    if change.consent.kind == "invalid":
        consent(change.consent, not_done=change.not_done, asked=change.asked)  # looked invalid, checks pass: fail closed
    granted = await _yes(ctx, svc, change)
    if change.guard is not None:
        with reaching_state(change.not_done):
            await change.guard()  # at once, not after waiting for a lock another replica's create holds
    async with _unchanged_since_read(svc, change), _one_at_a_time(svc, change):
        if change.guard is not None:
            with reaching_state(change.not_done):
                await change.guard()
        if change.unique is not None:
            await _taken(change.unique, refuse=True)
        with reaching_state(change.not_done):
            claimed = granted.pending is None or await svc.consents.claim(granted.pending)
        if not claimed:
            raise fail(f"{change.not_done}: the consent_token was already used; a token works once. Nothing was sent.")
        svc.secrets.add(*change.secrets)
        try:
            sent = await change.send()
        except PolytomicError as error:
            raise fail(_failure(change, error), api_error=error) from None
    if change.notify:
        await resources_changed(ctx)
    return _with_consent(await change.result(sent, change.consent), granted.how)


async def _yes(ctx: Context, svc: Services, change: Change[Any, Any]) -> Granted:
    """How the person said yes (or that none was needed); a ToolError when the yes is still to come."""
    outcome = change.consent
    if outcome.kind == "confirmed":
        return Granted("asked")
    if outcome.kind != "to_ask" or outcome.question is None:
        return Granted("not needed")
    step = Asking(ctx, svc, change.tool, change.not_done, change.asked)
    return await obtain(step, outcome.question, change.consent_token)


async def _preview(change: Change[Any, R], problems: list[Problem]) -> R:
    """The dry-run answer: the problems, a taken name, and whether the real call will need the person's yes."""
    if change.preview is None:
        raise fail(f"{change.tool} has no dry run. Nothing was changed.")
    if change.unique is not None and (taken := await _taken(change.unique, refuse=False)) is not None:
        problems.append(taken)
    step = _next_step(change, problems)
    question = change.consent.question
    if question is not None:
        step += f" The person will be asked first ({question.title}), because {question.effect.value}."
    result = await change.preview(problems, step)
    if (stops := blocking(problems)) and isinstance(result, BaseModel) and "blocked" in type(result).model_fields:
        verdict = f"Blocked: {len(stops)} problem(s) in checks stop this change. Nothing was sent."
        return result.model_copy(update={"blocked": verdict})
    return result


def _with_consent(result: R, how: How) -> R:
    """The result, saying how the yes was given (results of write tools have a ``consent`` field)."""
    if isinstance(result, BaseModel) and "consent" in type(result).model_fields:
        return result.model_copy(update={"consent": how})
    return result


def _next_step(change: Change[Any, Any], problems: list[Problem]) -> str:
    if blocking(problems):
        return f"Fix the checks, then call {change.tool} again without dry_run."
    if problems:
        return (f"Only warnings: read them in checks (they say what the run will do); call {change.tool} again without "
                f"dry_run to {change.verb} it as it is, or change it first.")
    return f"No problems found; call {change.tool} again without dry_run to {change.verb} it."


def _then(text: str) -> str:
    return f" {text}" if text else ""


@asynccontextmanager
async def _unchanged_since_read(svc: Services, change: Change[Any, Any]) -> AsyncIterator[None]:
    """Hold this object's update lock and refuse when it changed since the tool read it (nothing to hold for a create)."""
    unchanged = change.unchanged
    if unchanged is None:
        yield
        return
    async with svc.creates.one_at_a_time("update", unchanged.key, not_done=change.not_done, label=unchanged.label):
        try:
            now = await unchanged.read()
        except PolytomicError as error:
            raise fail(_failure(change, error), api_error=error) from None
        if digest(now) != digest(unchanged.as_read):
            raise fail(f"{change.not_done}: {unchanged.label} was changed by someone else after this call read it, so "
                       f"saving the merged object would undo that change. Call {change.tool} again: it reads the current "
                       "state first.")
        yield


@asynccontextmanager
async def _one_at_a_time(svc: Services, change: Change[Any, Any]) -> AsyncIterator[None]:
    """Hold the lock for the kind and name that must stay unique (nothing to hold without one)."""
    unique = change.unique
    if unique is None:
        yield
        return
    async with svc.creates.one_at_a_time(unique.kind, unique.name, not_done=change.not_done):
        yield


async def _taken(unique: UniqueName, *, refuse: bool) -> Problem | None:
    """The problem (or, with ``refuse``, the refusal) when the name is taken; a refusal when that cannot be checked."""
    existing = await name_taken(unique.kind, unique.name, unique.existing(), except_id=unique.renaming)
    if existing is None:
        return None
    if refuse:
        raise fail(unique.taken_message(existing.id))
    step = f"; to change it call {unique.change_tool}('{existing.id}', ...)" if unique.renaming is None else ""
    return Problem(path="name", message=f"a {unique.kind} named '{unique.name}' already exists (id {existing.id}){step}")


def _failure(change: Change[Any, Any], error: PolytomicError) -> str:
    """Model-facing text for an error from ``send``: the tool's own, a rejection, or ``explain``'s."""
    own = change.on_error(error) if change.on_error is not None else None
    if own is not None:
        return own
    if isinstance(error, REJECTIONS):
        return f"{change.not_done}: Polytomic rejected it: {quoted(error.message)}." + _then(change.rejected)
    return explain(error, action=change.action, not_found=change.not_found, check=change.check)
