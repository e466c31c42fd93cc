"""The consent rule end to end: every write that needs the person's yes gets it, or sends nothing and says why.

On an in-memory client of both protocol generations: the reference workflow needs no yes (create mode); an
``updateOrCreate`` change, the typed side doors (a model or connection re-pointed under an active
record-changing sync, a continuous schedule, a bulk rebuild or re-pointed destination, stopping a run, a
delete) and a proxy request through call_api each ask, and a "no", a client that cannot ask, a question that
is not answered in time, or facts that changed while the question was on screen leave nothing sent.
"""

from __future__ import annotations

import time
from typing import Any

import anyio
import mcp_types as types
import pytest
from server_support import MODES, call_error, call_ok, call_relayed, consent_token, mcp_session
from workflow import SNOWFLAKE, authorize, bulk_args, run_workflow

from polytomic_mcp.sandbox import Sandbox
from polytomic_mcp.settings import Settings

pytestmark = pytest.mark.anyio


def person(answer: bool | dict[str, bool], asked: list[str], *, meanwhile: Any = None):
    """A person who answers ``answer`` (or ``answer["now"]``, switchable); ``meanwhile`` runs while the first question is open."""

    async def callback(context: Any, params: types.ElicitRequestParams) -> types.ElicitResult:
        asked.append(params.message)
        if meanwhile is not None and len(asked) == 1:
            await meanwhile()
        confirm = answer["now"] if isinstance(answer, dict) else answer
        return types.ElicitResult(action="accept", content={"confirm": confirm})

    return callback


LOOKS = {("POST", "/api/model-preview")}
"""POSTs that change nothing (the checks before a question make them)."""


def writes(sandbox: Sandbox) -> list[tuple[str, str]]:
    """Every request that could change something (not a GET or a preview), in order."""
    return [(r.method, r.path) for r in sandbox.requests if r.method != "GET" and (r.method, r.path) not in LOOKS]


async def record_changing_sync(client: Any, sandbox: Sandbox) -> dict[str, Any]:
    """The reference workflow, then its sync switched to an active updateOrCreate sync with the person's yes."""
    ids = await run_workflow(client, sandbox)
    switched = await call_relayed(client, "update_sync", {"sync_id": ids["sync"], "mode": "updateOrCreate", "active": True})
    assert switched["consent"] in ("asked", "relayed by the assistant") and switched["result"]["active"] is True
    return ids


async def test_a_client_without_elicitation_completes_the_workflow_and_changes_records_only_after_the_relayed_yes(
    sandbox: Sandbox,
) -> None:
    async with mcp_session(sandbox, mode="legacy") as client:
        ids = await run_workflow(client, sandbox)  # create mode, literal secrets: nothing to ask
        before = writes(sandbox)
        change = {"sync_id": ids["sync"], "mode": "updateOrCreate"}
        question = await call_error(client, "update_sync", change)
        assert writes(sandbox) == before and "Nothing was sent" in question and "'updateOrCreate'" in question
        assert sandbox.workspace(next(iter(sandbox.workspaces))).syncs[ids["sync"]].mode == "create"
        done = await call_ok(client, "update_sync", {**change, "consent_token": consent_token(question)})
    assert done["updated"] and done["consent"] == "relayed by the assistant"
    assert sandbox.workspace(next(iter(sandbox.workspaces))).syncs[ids["sync"]].mode == "updateOrCreate"


SIDE_DOORS: dict[str, tuple[str, Any]] = {
    "a model re-keyed under an active updateOrCreate sync": (
        "update_model", lambda ids: {"model_id": ids["model"], "identifier": "first_name"}),
    "a connection re-pointed while its stored password goes along": (
        "update_connection", lambda ids: {"connection_id": ids["mongo"], "configuration": {"hosts": "attacker.example"}}),
    "an active updateOrCreate sync rescheduled": (
        "update_sync", lambda ids: {"sync_id": ids["sync"], "schedule": {"frequency": "hourly", "minute": "5"}}),
    "a run started": ("start_sync", lambda ids: {"sync_id": ids["sync"]}),
    "a run stopped": ("cancel_sync_run", lambda ids: {"sync_id": ids["sync"]}),
    "a delete": ("delete", lambda ids: {"kind": "model", "id": ids["model"], "force": True}),
    "a proxied request with stored credentials": ("call_api", lambda ids: {
        "operation": "connections.proxy.execute_proxy", "path_params": {"id": ids["salesforce"]},
        "body": {"request": {"method": "DELETE", "path": "/services/data/v59.0/sobjects/Contact/003"}}}),
}


@pytest.mark.parametrize("mode", MODES)
async def test_every_side_door_asks_and_a_no_sends_nothing(sandbox: Sandbox, mode: str) -> None:
    """A "no" changes nothing, so every door is tried in one workspace (a run is kept going for the stop)."""
    answer, asked = {"now": True}, []
    async with mcp_session(sandbox, mode=mode, elicitation_callback=person(answer, asked)) as client:
        ids = await record_changing_sync(client, sandbox)
        sandbox.workspace(next(iter(sandbox.workspaces))).run_polls = 1000  # still running when stopped
        await call_ok(client, "start_sync", {"sync_id": ids["sync"]})
        answer["now"] = False
        for door, (tool, arguments) in SIDE_DOORS.items():
            before, asked[:] = writes(sandbox), []
            text = await call_error(client, tool, arguments(ids))
            assert "did not confirm" in text and len(asked) == 1, (door, text, asked)
            assert writes(sandbox) == before, door


async def test_a_client_that_cannot_ask_gets_the_question_and_nothing_is_sent(sandbox: Sandbox) -> None:
    async with mcp_session(sandbox, mode="auto") as client:
        ids = await record_changing_sync(client, sandbox)
        sandbox.workspace(next(iter(sandbox.workspaces))).run_polls = 1000  # still running when stopped
        await call_relayed(client, "start_sync", {"sync_id": ids["sync"]})
        for door, (tool, arguments) in SIDE_DOORS.items():
            before = writes(sandbox)
            text = await call_error(client, tool, arguments(ids))
            assert "Nothing was sent" in text and "consent_token='" in text and "Asked because" in text, (door, text)
            assert writes(sandbox) == before, door


async def bulk_sync(client: Any, sandbox: Sandbox) -> str:
    salesforce = await call_ok(client, "create_connection", {"name": "SF", "type": "salesforce",
                                                             "configuration": {"domain": "https://example.my.salesforce.com"}})
    await authorize(sandbox, salesforce["auth_url"])
    snowflake = await call_ok(client, "create_connection", SNOWFLAKE)
    created = await call_ok(client, "create_bulk_sync", bulk_args(salesforce["id"], snowflake["id"]))
    return str(created["id"])


@pytest.mark.parametrize(("tool", "extra", "says"), [
    ("start_sync", {"resync_mode": "rebuild"}, "resync_mode 'rebuild'"),
    ("update_sync", {"destination_configuration": {"schema": "OTHER"}}, "Destination schema: 'SALESFORCE' -> 'OTHER'"),
    ("update_sync", {"schemas": [{"id": "Contact", "enabled": False}]}, "Stop syncing schemas: Contact"),
])
async def test_bulk_rebuilds_and_re_pointed_destinations_ask(sandbox: Sandbox, tool: str, extra: dict[str, Any], says: str) -> None:
    asked: list[str] = []
    async with mcp_session(sandbox, mode="legacy", elicitation_callback=person(False, asked)) as client:
        bulk = await bulk_sync(client, sandbox)
        before = writes(sandbox)
        text = await call_error(client, tool, {"sync_id": bulk, **extra})
        same = await call_ok(client, "update_sync", {"sync_id": bulk, "schedule": {"frequency": "daily", "hour": "6", "minute": "0"}})
    assert "did not confirm" in text and len(asked) == 1 and says in asked[0]
    assert writes(sandbox)[: len(before)] == before and all(m != "POST" or "executions" not in p for m, p in writes(sandbox)[len(before):])
    assert same["consent"] == "not needed"  # a bulk schedule change re-points nothing


async def test_facts_that_change_while_the_question_is_open_are_asked_again(sandbox: Sandbox) -> None:
    """2025-era: the question is answered mid-call; a model added meanwhile must not go with a yes given for less."""
    async with mcp_session(sandbox, mode="legacy") as setup:
        ids = await run_workflow(setup, sandbox)
    asked: list[str] = []

    async def add_a_model() -> None:
        async with mcp_session(sandbox, mode="legacy") as other:
            await call_ok(other, "create_model", {"name": "Added meanwhile", "connection_id": ids["mongo"],
                                                  "configuration": {"database": "example", "collection": "users"}})

    async with mcp_session(sandbox, mode="legacy", elicitation_callback=person(True, asked, meanwhile=add_a_model)) as client:
        done = await call_ok(client, "delete", {"kind": "connection", "id": ids["mongo"], "force": True})
    assert len(asked) == 2 and "Added meanwhile" not in asked[0] and "Added meanwhile" in asked[1]
    assert done["deleted"] and done["consent"] == "asked"


@pytest.mark.slow  # waits on the clock
async def test_a_question_not_answered_in_time_changes_nothing(sandbox: Sandbox) -> None:
    async with mcp_session(sandbox, mode="legacy") as setup:
        ids = await run_workflow(setup, sandbox)
    before, asked = writes(sandbox), []

    async def never_mind() -> None:
        await anyio.sleep(5)

    settings = Settings(sandbox=True, tool_timeout=1.0)
    async with mcp_session(sandbox, mode="legacy", settings=settings,
                           elicitation_callback=person(True, asked, meanwhile=never_mind)) as client:
        with anyio.fail_after(4):
            text = await call_error(client, "delete", {"kind": "sync", "id": ids["sync"]})
    assert "did not answer within" in text and "Nothing was changed" in text
    assert writes(sandbox) == before


async def test_model_sync_refuses_bulk_arguments_before_asking(sandbox: Sandbox) -> None:
    asked: list[str] = []
    async with mcp_session(sandbox, mode="legacy") as setup:
        ids = await record_changing_sync(setup, sandbox)
    async with mcp_session(sandbox, mode="legacy", elicitation_callback=person(True, asked)) as client:
        text = await call_error(client, "start_sync", {"sync_id": ids["sync"], "resync_mode": "rebuild"})
    assert asked == [] and "bulk syncs only" in text


async def test_a_dry_run_says_that_the_person_will_be_asked(sandbox: Sandbox) -> None:
    async with mcp_session(sandbox, mode="legacy") as client:
        ids = await run_workflow(client, sandbox)
        plan = await call_ok(client, "update_sync", {"sync_id": ids["sync"], "mode": "updateOrCreate", "dry_run": True})
    assert "The person will be asked first" in plan["next_step"] and "records in a business app" in plan["next_step"]


@pytest.mark.slow  # waits on the clock
@pytest.mark.parametrize("mode", MODES)
async def test_hanging_reads_for_the_question_stay_inside_the_tool_timeout(sandbox: Sandbox, mode: str) -> None:
    """The reads a question needs used to run outside POLYTOMIC_TOOL_TIMEOUT (91-97 s with a 6 s timeout)."""
    from polytomic_mcp.sandbox import FaultConfig

    async with mcp_session(sandbox, mode=mode) as setup:
        ids = await record_changing_sync(setup, sandbox)
    before, asked = writes(sandbox), []
    sandbox.faults = FaultConfig(rate=1.0, kinds=("slow",), only=r"GET /api/(syncs|models|connections)/[^/]+", slow_seconds=30)
    settings = Settings(sandbox=True, tool_timeout=1.5)
    async with mcp_session(sandbox, mode=mode, settings=settings, elicitation_callback=person(True, asked)) as client:
        began = time.monotonic()
        with anyio.fail_after(6):
            text = await call_error(client, "start_sync", {"sync_id": ids["sync"]})
        took = time.monotonic() - began
    assert 1.4 <= took <= 3.0, took  # the reads get the call's time, no more (an earlier call's start must not count)
    assert asked == [] and writes(sandbox) == before
    assert "1.5s" in text and ("Nothing was changed" in text or "may have been applied" in text), text


async def test_a_sync_re_targeted_while_the_question_is_open_is_asked_about_again(sandbox: Sandbox) -> None:
    async with mcp_session(sandbox, mode="legacy") as setup:
        ids = await run_workflow(setup, sandbox)
        other = await call_ok(setup, "create_connection", {"name": "Other org", "type": "salesforce",
                                                           "configuration": {"domain": "https://other.my.salesforce.com"}})
        await call_relayed(setup, "update_sync", {"sync_id": ids["sync"], "mode": "updateOrCreate", "active": False})
    asked: list[str] = []

    async def re_target() -> None:
        stored = sandbox.workspace(next(iter(sandbox.workspaces))).syncs[ids["sync"]]
        stored.target = {**stored.target, "connection_id": other["id"]}

    async with mcp_session(sandbox, mode="legacy", elicitation_callback=person(True, asked, meanwhile=re_target)) as client:
        done = await call_ok(client, "activate_sync", {"sync_id": ids["sync"], "active": True})
    assert len(asked) == 2 and "Other org" not in asked[0] and "Other org" in asked[1]
    assert done["active"] is True and done["consent"] == "asked"


async def test_stopping_when_nothing_runs_asks_nothing_and_says_so(sandbox: Sandbox) -> None:
    asked: list[str] = []
    async with mcp_session(sandbox, mode="legacy", elicitation_callback=person(True, asked)) as client:
        ids = await record_changing_sync(client, sandbox)
        asked.clear()
        text = await call_error(client, "cancel_sync_run", {"sync_id": ids["sync"]})
    assert asked == [] and "nothing to stop" in text


async def test_the_question_says_when_a_change_also_turns_the_sync_on(sandbox: Sandbox) -> None:
    asked: list[str] = []
    async with mcp_session(sandbox, mode="legacy", elicitation_callback=person(True, asked)) as client:
        ids = await run_workflow(client, sandbox)
        await call_ok(client, "update_sync", {"sync_id": ids["sync"], "mode": "updateOrCreate", "active": True})
    assert len(asked) == 1 and asked[0].startswith("Change sync 'Mongo to Salesforce Sync' and turn it on?")
    assert "From: model 'MongoDB Model'" in asked[0]


async def test_a_destination_re_pointed_under_an_active_record_changing_sync_asks(sandbox: Sandbox) -> None:
    """The 2025-09-18 sync list names no target: the syncs writing to a connection must be found all the same."""
    asked: list[str] = []
    async with mcp_session(sandbox, mode="legacy", elicitation_callback=person(True, asked)) as client:
        ids = await run_workflow(client, sandbox)
        warehouse = await call_ok(client, "create_connection", {"name": "Warehouse", "type": "postgresql", "configuration": {
            "hostname": "db.example.com", "username": "sync", "password": "pw", "database": "acme", "port": 5432}})
        await call_ok(client, "create_sync", {
            "name": "Users to warehouse", "mode": "updateOrCreate", "active": True, "schedule": {"frequency": "manual"},
            "target": {"connection_id": warehouse["id"], "object": "public.users"},
            "identity": {"source": {"model_id": ids["model"], "field": "email"}, "target": "email", "function": "Equality"},
            "fields": [{"source": {"model_id": ids["model"], "field": "first_name"}, "target": "first_name"}]})
        asked.clear()
        await call_ok(client, "update_connection", {"connection_id": warehouse["id"],
                                                    "configuration": {"database": "analytics", "password": "pw"}})
    assert len(asked) == 1 and "updateOrCreate sync 'Users to warehouse'" in asked[0], asked
