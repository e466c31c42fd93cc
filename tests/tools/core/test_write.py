"""The write pipeline, step by step, with sends that record what reached them (no tool in between)."""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import anyio
import pytest
from mcp.server.mcpserver.exceptions import ToolError

from polytomic_mcp.client import BadRequestError, ConflictError, ServerError
from polytomic_mcp.tools import load_tools
from polytomic_mcp.tools.core.consent import INVALID, Outcome
from polytomic_mcp.tools.core.services import Services
from polytomic_mcp.tools.core.write import Change, Problem, UniqueName, apply

pytestmark = pytest.mark.anyio


@dataclass
class Named:
    id: str
    name: str


class Recorder:
    """Counts every step the pipeline takes, in order."""

    def __init__(self, existing: list[Named] | None = None) -> None:
        self.steps: list[str] = []
        self.existing = existing or []
        self.notified = 0

    async def send(self) -> str:
        self.steps.append("send")
        return "saved"

    async def result(self, sent: str, asked: Outcome) -> dict[str, str]:
        self.steps.append("result")
        return {"sent": sent, "asked": asked.kind}

    async def preview(self, problems: list[Problem], step: str) -> dict[str, Any]:
        self.steps.append("preview")
        return {"checks": [str(p) for p in problems], "next_step": step}

    def checks(self, *problems: Problem) -> Callable[[], Awaitable[list[Problem]]]:
        async def check() -> list[Problem]:
            self.steps.append("checks")
            return list(problems)
        return check

    async def listed(self) -> list[Named]:
        self.steps.append("list")
        return self.existing


class Ctx:
    """Stands in for the MCP context: records resources/list_changed."""

    def __init__(self, recorder: Recorder) -> None:
        self.recorder = recorder

    async def notify_resources_changed(self) -> None:
        self.recorder.notified += 1

    protocol_version = "2026-07-28"



def change(recorder: Recorder, **overrides: Any) -> Change[str, dict[str, Any]]:
    fields: dict[str, Any] = {
        "tool": "create_thing", "not_done": "Thing 'x' was not created", "send": recorder.send, "result": recorder.result,
        "action": "create thing 'x'", "check": "call list_things(search='x') to see whether it exists", "preview": recorder.preview,
    }
    return Change(**{**fields, **overrides})


async def test_a_declined_question_ends_the_call_before_any_check_or_send(svc: Services) -> None:
    recorder = Recorder()
    with pytest.raises(ToolError, match="Thing 'x' was not created: the user did not confirm this change"):
        await apply(Ctx(recorder), change(recorder, consent=Outcome("declined"), checks=recorder.checks()))  # type: ignore[arg-type]
    assert recorder.steps == []


async def test_a_question_that_could_not_be_prepared_ends_the_call_too(svc: Services) -> None:
    recorder = Recorder()
    with pytest.raises(ToolError, match="could not check it to ask the user"):
        await apply(Ctx(recorder), change(recorder, consent=Outcome("could_not_check", "503")))  # type: ignore[arg-type]
    assert recorder.steps == []


async def test_a_dry_run_checks_reports_a_taken_name_and_sends_nothing(svc: Services) -> None:
    recorder = Recorder(existing=[Named("t1", "x")])
    unique = UniqueName("thing", "x", recorder.listed, "list_things(thing_id='{id}')", "update_thing")
    answer = await apply(Ctx(recorder), change(recorder, checks=recorder.checks(Problem(path="mode", message="bad")), unique=unique),  # type: ignore[arg-type]
                         dry_run=True)
    assert answer == {"checks": ["mode: bad", "name: a thing named 'x' already exists (id t1); to change it call update_thing('t1', ...)"],
                      "next_step": "Fix the checks, then call create_thing again without dry_run."}
    assert recorder.steps == ["checks", "list", "preview"] and recorder.notified == 0


async def test_a_clean_dry_run_says_how_to_go_ahead(svc: Services) -> None:
    recorder = Recorder()
    answer = await apply(Ctx(recorder), change(recorder, verb="create"), dry_run=True)  # type: ignore[arg-type]
    assert answer["next_step"] == "No problems found; call create_thing again without dry_run to create it."
    assert "send" not in recorder.steps


async def test_problems_refuse_the_write_naming_each_and_where_to_look(svc: Services) -> None:
    recorder = Recorder()
    problems = recorder.checks(Problem(path="", message="missing field 'a'"), Problem(path="mode", message="bad"))
    with pytest.raises(ToolError) as raised:
        await apply(Ctx(recorder), change(recorder, checks=problems, fix="Call describe_thing to see every field."))  # type: ignore[arg-type]
    assert str(raised.value) == ("Thing 'x' was not created, 2 problem(s): missing field 'a'; mode: bad. "
                                 "Call describe_thing to see every field.")
    assert recorder.steps == ["checks"]


async def test_an_invalid_question_whose_checks_now_pass_fails_closed(svc: Services) -> None:
    recorder = Recorder()
    with pytest.raises(ToolError, match="looked invalid while the confirmation was prepared"):
        await apply(Ctx(recorder), change(recorder, consent=INVALID, checks=recorder.checks()))  # type: ignore[arg-type]
    assert recorder.steps == ["checks"]


async def test_a_taken_name_is_refused_after_the_guard_and_nothing_is_sent(svc: Services) -> None:
    recorder = Recorder(existing=[Named("t1", "x")])

    async def guard() -> None:
        recorder.steps.append("guard")

    unique = UniqueName("thing", "x", recorder.listed, "list_things(thing_id='{id}')", "update_thing")
    with pytest.raises(ToolError) as raised:
        await apply(Ctx(recorder), change(recorder, unique=unique, guard=guard))  # type: ignore[arg-type]
    assert str(raised.value) == ("A thing named 'x' already exists (id t1). Reuse it (list_things(thing_id='t1')), "
                                 "change it with update_thing('t1', ...), or choose another name.")
    assert recorder.steps == ["guard", "guard", "list"]  # asked before waiting for the name's lock, and again under it


async def test_a_rename_may_keep_its_own_name_but_not_take_another(svc: Services) -> None:
    recorder = Recorder(existing=[Named("t1", "x"), Named("t2", "y")])
    own = UniqueName("thing", "x", recorder.listed, "list_things(thing_id='{id}')", "update_thing", renaming="t1")
    assert await apply(Ctx(recorder), change(recorder, unique=own)) == {"sent": "saved", "asked": "not_needed"}  # type: ignore[arg-type]
    taken = UniqueName("thing", "y", recorder.listed, "list_things(thing_id='{id}')", "update_thing", renaming="t1")
    with pytest.raises(ToolError, match="A thing named 'y' already exists \\(id t2\\); choose another name"):
        await apply(Ctx(recorder), change(recorder, unique=taken))  # type: ignore[arg-type]


async def test_two_creates_of_one_name_run_one_at_a_time_and_the_second_sees_the_first(svc: Services) -> None:
    existing: list[Named] = []
    sent: list[str] = []

    async def listed() -> list[Named]:
        return list(existing)

    async def send() -> str:
        await anyio.sleep(0.01)  # the second call would pass the name check here without the lock
        sent.append("x")
        existing.append(Named(f"t{len(existing)}", "x"))
        return "saved"

    recorder = Recorder()
    unique = UniqueName("thing", "x", listed, "list_things(thing_id='{id}')", "update_thing")
    outcomes: list[str] = []

    async def one() -> None:
        try:
            await apply(Ctx(recorder), change(recorder, send=send, unique=unique))  # type: ignore[arg-type]
            outcomes.append("created")
        except ToolError:
            outcomes.append("refused")

    async with anyio.create_task_group() as group:
        group.start_soon(one)
        group.start_soon(one)
    assert sorted(outcomes) == ["created", "refused"] and sent == ["x"]


async def test_a_rejection_says_nothing_was_written_and_what_to_do(svc: Services) -> None:
    recorder = Recorder()

    async def rejected() -> str:
        raise BadRequestError("mode is required", status=400)

    with pytest.raises(ToolError) as raised:
        await apply(Ctx(recorder), change(recorder, send=rejected, rejected="Call create_thing with dry_run=true.", notify=True))  # type: ignore[arg-type]
    assert "Thing 'x' was not created: Polytomic rejected it: <workspace-data>mode is required</workspace-data>." in str(raised.value)
    assert str(raised.value).endswith("Call create_thing with dry_run=true.") and recorder.notified == 0


async def test_an_unknown_outcome_says_it_may_have_been_applied_and_how_to_check(svc: Services) -> None:
    recorder = Recorder()

    async def lost() -> str:
        raise ServerError("bad gateway", status=502, method="POST", path="/api/things")

    with pytest.raises(ToolError) as raised:
        await apply(Ctx(recorder), change(recorder, send=lost))  # type: ignore[arg-type]
    assert "MAY have been applied" in str(raised.value)
    assert "call list_things(search='x') to see whether it exists" in str(raised.value)


async def test_the_tools_own_text_wins_for_the_errors_it_knows(svc: Services) -> None:
    recorder = Recorder()

    async def busy() -> str:
        raise ConflictError("already running", status=409)

    own = change(recorder, send=busy, on_error=lambda e: "It is already running." if isinstance(e, ConflictError) else None)
    with pytest.raises(ToolError, match="^It is already running.$"):
        await apply(Ctx(recorder), own)  # type: ignore[arg-type]


async def test_a_tool_without_a_dry_run_refuses_one(svc: Services) -> None:
    recorder = Recorder()
    with pytest.raises(ToolError, match="create_thing has no dry run"):
        await apply(Ctx(recorder), change(recorder, preview=None), dry_run=True)  # type: ignore[arg-type]
    assert recorder.steps == []


def calls_apply(fn: Callable[..., Any], depth: int = 2) -> bool:
    """Whether ``fn`` calls ``core.write.apply``, itself or through a function of its module it calls (two levels)."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    called = {node.func.id for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
    if "apply" in called and fn.__globals__.get("apply") is apply:
        return True
    helpers = [fn.__globals__[name] for name in called if inspect.isfunction(fn.__globals__.get(name))]
    return depth > 0 and any(calls_apply(helper, depth - 1) for helper in helpers)


def test_every_tool_that_writes_goes_through_the_pipeline() -> None:
    writers = {name: spec for name, spec in load_tools().items() if not spec.read_only}
    assert set(writers) == {"create_connection", "update_connection", "create_model", "update_model", "create_sync", "update_sync",
                            "create_bulk_sync", "start_sync", "cancel_sync_run", "activate_sync", "delete", "call_api"}
    assert [name for name, spec in writers.items() if not calls_apply(spec.declared)] == []
