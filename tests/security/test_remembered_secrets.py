"""A secret this server set is re-sent only while nothing else can have changed it, and every re-send is named.

update_connection must send the whole configuration, secrets included, and Polytomic returns them only
masked. A password this process set earlier may since have been rotated (in Polytomic's UI, by another
process or key); re-sending the remembered one would silently restore the old password.
"""

from __future__ import annotations

from typing import Any

import pytest
from server_support import call_error, call_ok, call_relayed, mcp_session

from polytomic_mcp.sandbox import EMPTY_API_KEY, Sandbox
from polytomic_mcp.sandbox.domain import connections as sandbox_connections
from polytomic_mcp.sandbox.records import Connection

pytestmark = pytest.mark.anyio

FIRST = "first-password-1234"
ROTATED = "rotated-password-5678"
MONGO = {"name": "Mongo", "type": "mongodb", "configuration": {"hosts": "example.mongodb.net", "username": "user", "password": FIRST}}


def stored(sandbox: Sandbox, connection_id: str) -> Connection:
    return sandbox.workspace(EMPTY_API_KEY).connections[connection_id]


def puts(sandbox: Sandbox, connection_id: str) -> list[dict[str, Any]]:
    return [r.body for r in sandbox.requests if r.method == "PUT" and r.path == f"/api/connections/{connection_id}"]


def rotate_in_the_store(sandbox: Sandbox, connection_id: str) -> None:
    """The password changed in Polytomic itself (its app, another integration): what the API then shows is a later update."""
    stored(sandbox, connection_id).configuration["password"] = ROTATED
    stored(sandbox, connection_id).updated_at = "2099-01-01T00:00:00Z"


async def rotate_from_another_process(sandbox: Sandbox, connection_id: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another server process with the same key sets a new password a second later."""
    monkeypatch.setattr(sandbox_connections, "now_iso", lambda: "2099-01-01T00:00:01Z")
    async with mcp_session(sandbox) as other:
        await call_relayed(other, "update_connection", {"connection_id": connection_id, "configuration": {"password": ROTATED}})
    monkeypatch.undo()


@pytest.mark.parametrize("where", ["store", "process"])
async def test_a_password_rotated_elsewhere_is_never_restored(sandbox: Sandbox, where: str, monkeypatch: pytest.MonkeyPatch) -> None:
    async with mcp_session(sandbox) as client:
        mongo = await call_ok(client, "create_connection", MONGO)
        if where == "store":
            rotate_in_the_store(sandbox, mongo["id"])
        else:
            await rotate_from_another_process(sandbox, mongo["id"], monkeypatch)
        sent_before = len(puts(sandbox, mongo["id"]))
        renamed = await call_error(client, "update_connection", {"connection_id": mongo["id"], "name": "Mongo (prod)"})
    assert stored(sandbox, mongo["id"]).configuration["password"] == ROTATED, "the old password came back"
    assert len(puts(sandbox, mongo["id"])) == sent_before, "nothing was sent"
    assert "Nothing was changed" in renamed and "'password'" in renamed and "$env" in renamed
    assert "changed after this server last set it" in renamed and FIRST not in renamed


async def test_a_re_sent_secret_is_named_in_the_result_and_its_dry_run(sandbox: Sandbox) -> None:
    async with mcp_session(sandbox) as client:
        mongo = await call_ok(client, "create_connection", MONGO)
        plan = await call_ok(client, "update_connection", {"connection_id": mongo["id"], "name": "Mongo (prod)", "dry_run": True})
        renamed = await call_ok(client, "update_connection", {"connection_id": mongo["id"], "name": "Mongo (prod)"})
        again = await call_ok(client, "update_connection", {"connection_id": mongo["id"], "name": "Mongo (eu)"})
    for result in (plan, renamed, again):
        assert result["changes"][0] == "name"
        [note] = result["changes"][1:]
        assert note.startswith("configuration.password: re-sends the value this server set at 20") and FIRST not in note
    assert [body["configuration"]["password"] for body in puts(sandbox, mongo["id"])] == [FIRST, FIRST]


async def test_a_secret_given_again_is_remembered_with_the_connection_as_written(sandbox: Sandbox) -> None:
    async with mcp_session(sandbox) as client:
        mongo = await call_ok(client, "create_connection", MONGO)
        rotate_in_the_store(sandbox, mongo["id"])
        given = await call_relayed(client, "update_connection", {"connection_id": mongo["id"], "configuration": {"password": ROTATED}})
        renamed = await call_ok(client, "update_connection", {"connection_id": mongo["id"], "name": "Mongo (prod)"})
    assert given["changes"] == ["configuration.password"]
    assert renamed["changes"][0] == "name" and "re-sends" in renamed["changes"][1]
    assert puts(sandbox, mongo["id"])[-1]["configuration"]["password"] == ROTATED
