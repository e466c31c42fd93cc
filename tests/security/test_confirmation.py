"""Syncs that change existing records are confirmed by the user (a form, or a relayed token); anything else fails closed.

Covers create_sync, activate_sync(active=true) and start_sync: a "no" (or a question that
could not be prepared) leaves nothing created, nothing active and no run started.
"""

from __future__ import annotations

from typing import Any

import mcp_types as types
import pytest
from server_support import MODES, call_error, call_ok, mcp_session
from workflow import MONGO, SALESFORCE, authorize, model_args, sync_args

from polytomic_mcp.client import DEFAULT_MAX_RETRIES
from polytomic_mcp.sandbox import FaultConfig, Sandbox
from polytomic_mcp.sandbox.records import Sync

pytestmark = pytest.mark.anyio


def answering(action: str, confirm: bool = True, asked: list[Any] | None = None):
    async def callback(context: Any, params: types.ElicitRequestParams) -> types.ElicitResult:
        if asked is not None:
            asked.append(params)
        content = {"confirm": confirm} if action == "accept" else None
        return types.ElicitResult(action=action, content=content)

    return callback


async def prepared(client: Any, sandbox: Sandbox) -> dict[str, Any]:
    mongo = await call_ok(client, "create_connection", MONGO)
    salesforce = await call_ok(client, "create_connection", SALESFORCE)
    await authorize(sandbox, salesforce["auth_url"])
    model = await call_ok(client, "create_model", model_args(mongo["id"]))
    args = sync_args(model["id"], salesforce["id"])
    return {**args, "mode": "updateOrCreate", "active": True}


def stored_syncs(sandbox: Sandbox) -> list[Sync]:
    return list(sandbox.workspace(next(iter(sandbox.workspaces))).syncs.values())


@pytest.mark.parametrize("mode", MODES)
async def test_user_confirms_in_a_form_showing_object_mode_and_fields(sandbox: Sandbox, mode: str) -> None:
    asked: list[Any] = []
    async with mcp_session(sandbox, mode=mode, elicitation_callback=answering("accept", asked=asked)) as client:
        args = await prepared(client, sandbox)
        result = await call_ok(client, "create_sync", args)
    assert len(asked) == 1
    message = asked[0].message
    assert "'updateOrCreate'" in message and "'Contact'" in message
    assert "first_name -> FirstName" in message and "email -> Email (Equality)" in message
    assert f"connection 'Salesforce Connection' ({args['target']['connection_id']})" in message
    assert "model 'MongoDB Model' on 'MongoDB Connection'" in message
    assert result["created"] and result["active"] is True
    assert [s.active for s in stored_syncs(sandbox)] == [True]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("action", "confirm"), [("decline", False), ("cancel", False), ("accept", False)])
async def test_declined_confirmation_creates_nothing(sandbox: Sandbox, mode: str, action: str, confirm: bool) -> None:
    async with mcp_session(sandbox, mode=mode, elicitation_callback=answering(action, confirm)) as client:
        args = await prepared(client, sandbox)
        text = await call_error(client, "create_sync", args)
    assert "not created" in text and "did not confirm" in text
    assert stored_syncs(sandbox) == []


@pytest.mark.parametrize("mode", MODES)
async def test_without_elicitation_nothing_is_sent_until_the_relayed_yes(sandbox: Sandbox, mode: str) -> None:
    async with mcp_session(sandbox, mode=mode) as client:
        args = await prepared(client, sandbox)
        text = await call_error(client, "create_sync", args)
        assert "Nothing was sent" in text and "'updateOrCreate'" in text and "first_name -> FirstName" in text
        assert sent(sandbox, "POST", "/api/syncs") == []
        token = text.split("consent_token='")[1].split("'")[0]
        result = await call_ok(client, "create_sync", {**args, "consent_token": token})
        assert result["created"] and result["active"] is True and result["consent"] == "relayed by the assistant"
        again = await call_error(client, "create_sync", {**args, "name": "second", "consent_token": token})
        assert "different request" in again
    assert [s.active for s in stored_syncs(sandbox)] == [True]


@pytest.mark.parametrize("mode", MODES)
async def test_create_mode_and_dry_run_never_ask(sandbox: Sandbox, mode: str) -> None:
    asked: list[Any] = []
    async with mcp_session(sandbox, mode=mode, elicitation_callback=answering("decline", asked=asked)) as client:
        args = await prepared(client, sandbox)
        await call_ok(client, "create_sync", {**args, "dry_run": True})
        created = await call_ok(client, "create_sync", {**args, "mode": "create"})
    assert asked == [] and created["active"] is True


async def test_invalid_request_is_reported_without_asking(sandbox: Sandbox) -> None:
    asked: list[Any] = []
    async with mcp_session(sandbox, elicitation_callback=answering("accept", asked=asked)) as client:
        args = await prepared(client, sandbox)
        text = await call_error(client, "create_sync", {**args, "target": {**args["target"], "object": "Contactz"}})
    assert asked == [] and "Contactz" in text


async def test_activate_sync_hints() -> None:
    from polytomic_mcp.tools import load_tools

    SPECS = load_tools()

    hints = SPECS["activate_sync"].annotations
    assert (hints.read_only_hint, hints.destructive_hint, hints.idempotent_hint) == (False, True, True)


ATTEMPTS = DEFAULT_MAX_RETRIES + 1
"""Requests the client makes for one read before it gives up on a 503."""


def unavailable(route: str, *, transient: bool = True) -> FaultConfig:
    """503 on every request to ``route``; transient: only for one read (all its retries), then it answers."""
    return FaultConfig(rate=1.0, kinds=("503",), only=route, limit=ATTEMPTS if transient else None, retry_after=0.001)


def sent(sandbox: Sandbox, method: str, path: str) -> list[Any]:
    """Bodies of the requests sent to ``method path`` (after any faults)."""
    return [r.body for r in sandbox.requests if r.method == method and r.path == path]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("transient", [True, False])
async def test_unreadable_model_while_asking_creates_nothing(sandbox: Sandbox, mode: str, transient: bool) -> None:
    asked: list[Any] = []
    async with mcp_session(sandbox, mode=mode, elicitation_callback=answering("decline", asked=asked)) as client:
        args = await prepared(client, sandbox)
        sandbox.faults = unavailable(r"GET /api/models/[^/]+", transient=transient)
        text = await call_error(client, "create_sync", args)
    assert "not created" in text and "could not check" in text and "read model" in text and "try again later" in text
    assert asked == [] and sent(sandbox, "POST", "/api/syncs") == [] and stored_syncs(sandbox) == []


async def inactive_sync(sandbox: Sandbox, mode: str, api_version: str = "2025-09-18") -> str:
    """A record-changing sync created inactive (which asks nothing: it changes nothing until turned on or run)."""
    async with mcp_session(sandbox, mode=mode, api_version=api_version) as client:
        created = await call_ok(client, "create_sync", {**await prepared(client, sandbox), "active": False})
    assert created["active"] is False
    return str(created["id"])


def activations_and_runs(sandbox: Sandbox, sync_id: str) -> tuple[list[Any], list[Any]]:
    return sent(sandbox, "POST", f"/api/syncs/{sync_id}/activate"), sent(sandbox, "POST", f"/api/syncs/{sync_id}/executions")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("action", "confirm"), [("decline", False), ("cancel", False), ("accept", False)])
async def test_declined_activation_and_runs_change_nothing(sandbox: Sandbox, mode: str, action: str, confirm: bool) -> None:
    sync_id = await inactive_sync(sandbox, mode)
    asked: list[Any] = []
    async with mcp_session(sandbox, mode=mode, elicitation_callback=answering(action, confirm, asked)) as client:
        refused = [
            await call_error(client, "activate_sync", {"sync_id": sync_id, "active": True}),
            await call_error(client, "start_sync", {"sync_id": sync_id}),
            await call_error(client, "start_sync", {"sync_id": sync_id, "test": True}),
        ]
    assert all("did not confirm" in text for text in refused)
    assert "not activated" in refused[0] and "not started" in refused[1] and "not started" in refused[2]
    assert len(asked) == 3
    assert activations_and_runs(sandbox, sync_id) == ([], [])
    assert [s.active for s in stored_syncs(sandbox)] == [False]


@pytest.mark.parametrize("mode", MODES)
async def test_confirmed_activation_and_run_go_ahead_naming_the_connections(sandbox: Sandbox, mode: str) -> None:
    sync_id = await inactive_sync(sandbox, mode)
    asked: list[Any] = []
    async with mcp_session(sandbox, mode=mode, elicitation_callback=answering("accept", asked=asked)) as client:
        activated = await call_ok(client, "activate_sync", {"sync_id": sync_id, "active": True})
        started = await call_ok(client, "start_sync", {"sync_id": sync_id})
    assert activated == {"id": sync_id, "active": True, "consent": "asked"} and started["consent"] == "asked"
    turn_on, run = (a.message for a in asked)
    assert turn_on.startswith("Turn on the schedule of sync 'Mongo to Salesforce Sync'?")
    assert run.startswith("Run sync 'Mongo to Salesforce Sync' now?")
    for message in (turn_on, run):
        assert "'updateOrCreate'" in message and "'Contact'" in message and "'Salesforce Connection'" in message
        assert "first_name -> FirstName" in message and "model 'MongoDB Model' on 'MongoDB Connection'" in message
    activations, runs = activations_and_runs(sandbox, sync_id)
    assert activations == [{"active": True}] and len(runs) == 1


async def test_question_about_a_stored_sync_on_the_2024_api_names_its_identity(sandbox: Sandbox) -> None:
    sync_id = await inactive_sync(sandbox, "auto", api_version="2024-02-08")
    asked: list[Any] = []
    async with mcp_session(
        sandbox, api_version="2024-02-08", elicitation_callback=answering("decline", asked=asked)
    ) as client:
        await call_error(client, "start_sync", {"sync_id": sync_id, "test": True})
    assert asked[0].message.startswith("Run a test of sync 'Mongo to Salesforce Sync' now (a few records)?")
    assert "Matched by: email -> Email (Equality)" in asked[0].message
    assert activations_and_runs(sandbox, sync_id) == ([], [])


@pytest.mark.parametrize("mode", MODES)
async def test_unreadable_sync_while_asking_changes_nothing(sandbox: Sandbox, mode: str) -> None:
    sync_id = await inactive_sync(sandbox, mode)
    asked: list[Any] = []
    async with mcp_session(sandbox, mode=mode, elicitation_callback=answering("accept", asked=asked)) as client:
        refused = []
        for tool, args in [("activate_sync", {"active": True}), ("start_sync", {})]:
            sandbox.faults = unavailable(rf"GET /api/syncs/{sync_id}")
            refused.append(await call_error(client, tool, {"sync_id": sync_id, **args}))
    assert "not activated" in refused[0] and "not started" in refused[1]
    assert all("could not check" in text and f"read sync '{sync_id}'" in text for text in refused)
    assert asked == [] and activations_and_runs(sandbox, sync_id) == ([], [])
    assert [s.active for s in stored_syncs(sandbox)] == [False]


@pytest.mark.parametrize("mode", MODES)
async def test_pausing_and_running_a_create_mode_sync_never_ask(sandbox: Sandbox, mode: str) -> None:
    asked: list[Any] = []
    async with mcp_session(sandbox, mode=mode, elicitation_callback=answering("decline", asked=asked)) as client:
        args = await prepared(client, sandbox)
        created = await call_ok(client, "create_sync", {**args, "mode": "create"})
        started = await call_ok(client, "start_sync", {"sync_id": created["id"]})
        paused = await call_ok(client, "activate_sync", {"sync_id": created["id"], "active": False})
    assert asked == [] and started["execution_id"] and (paused["id"], paused["active"]) == (created["id"], False)
    assert "no automatic resume" in paused["note"]


@pytest.mark.parametrize("mode", MODES)
async def test_unknown_sync_is_reported_as_not_found(sandbox: Sandbox, mode: str) -> None:
    asked: list[Any] = []
    async with mcp_session(sandbox, mode=mode, elicitation_callback=answering("accept", asked=asked)) as client:
        text = await call_error(client, "start_sync", {"sync_id": "no-such-sync"})
    assert asked == [] and "not found" in text and "list_syncs" in text
