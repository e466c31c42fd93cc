"""Syncs that change existing records are confirmed by the user, or created inactive."""

from __future__ import annotations

from typing import Any

import mcp_types as types
import pytest
from server_support import MODES, call_error, call_ok, mcp_session
from workflow import MONGO, SALESFORCE, authorize, model_args, sync_args

from polytomic_mcp.sandbox import Sandbox

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


def stored_syncs(sandbox: Sandbox) -> list[dict[str, Any]]:
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
    assert result["created"] and result["active"] is True
    assert [s["active"] for s in stored_syncs(sandbox)] == [True]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("action", "confirm"), [("decline", False), ("cancel", False), ("accept", False)])
async def test_declined_confirmation_creates_nothing(sandbox: Sandbox, mode: str, action: str, confirm: bool) -> None:
    async with mcp_session(sandbox, mode=mode, elicitation_callback=answering(action, confirm)) as client:
        args = await prepared(client, sandbox)
        text = await call_error(client, "create_sync", args)
    assert "not created" in text and "did not confirm" in text
    assert stored_syncs(sandbox) == []


@pytest.mark.parametrize("mode", MODES)
async def test_without_elicitation_the_sync_is_created_inactive(sandbox: Sandbox, mode: str) -> None:
    async with mcp_session(sandbox, mode=mode) as client:
        args = await prepared(client, sandbox)
        result = await call_ok(client, "create_sync", args)
        assert result["created"] and result["active"] is False
        assert "INACTIVE" in result["next_step"] and f"activate_sync('{result['id']}', active=true)" in result["next_step"]
        sent = [r.body for r in sandbox.requests if r.method == "POST" and r.path == "/api/syncs"]
        assert sent[-1]["active"] is False
        activated = await call_ok(client, "activate_sync", {"sync_id": result["id"], "active": True})
        assert activated == {"id": result["id"], "active": True}
    assert [s["active"] for s in stored_syncs(sandbox)] == [True]


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
    from polytomic_mcp.tools import SPECS

    hints = SPECS["activate_sync"].annotations
    assert (hints.read_only_hint, hints.destructive_hint, hints.idempotent_hint) == (False, True, True)
