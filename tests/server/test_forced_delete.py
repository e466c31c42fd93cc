"""A forced model delete removes the model's syncs first; when it stops partway it says what is gone and what is not."""

from __future__ import annotations

import pytest
from server_support import call_error, consent_token, mcp_session

from polytomic_mcp.sandbox import EMPTY_API_KEY, FaultConfig, Sandbox

pytestmark = pytest.mark.anyio


def model_with_syncs(sandbox: Sandbox, count: int) -> tuple[str, list[str]]:
    """A model read by ``count`` syncs, stored directly: its id and theirs."""
    workspace = sandbox.workspace(EMPTY_API_KEY)
    source = workspace.add_connection("Mongo", "mongodb", {"hosts": "example.mongodb.net"})
    model = workspace.add_model("Users", source.id, {"database": "example", "collection": "users"}).id
    target = workspace.add_synthetic_target("Warehouse", objects=1, fields=2)
    syncs = [
        workspace.add_sync(
            f"Sync {index}", target={"connection_id": target.id, "object": "synthetic.object_0001"}, mode="append",
            fields=[{"source": {"model_id": model, "field": "email"}, "target": "email"}],
        ).id
        for index in range(count)
    ]
    return model, syncs


async def test_a_forced_model_delete_that_fails_after_its_syncs_names_what_is_gone(sandbox: Sandbox) -> None:
    model, syncs = model_with_syncs(sandbox, 2)
    async with mcp_session(sandbox) as client:
        question = await call_error(client, "delete", {"kind": "model", "id": model, "force": True})
        sandbox.faults = FaultConfig(rate=1.0, kinds=("500",), only=r"DELETE /api/models/.*", limit=20)
        text = await call_error(client, "delete", {"kind": "model", "id": model, "force": True, "consent_token": consent_token(question)})
    stored = sandbox.workspace(EMPTY_API_KEY)
    assert list(stored.syncs) == [] and model in stored.models
    gone, _, rest = text.partition("Not deleted")
    assert "Already deleted" in gone and all(f"({sync})" in gone for sync in syncs), text
    assert f"model 'Users' ({model})" in rest and "force=true" in rest, text


async def test_a_forced_model_delete_that_fails_at_a_sync_names_the_syncs_left(sandbox: Sandbox) -> None:
    model, syncs = model_with_syncs(sandbox, 3)
    async with mcp_session(sandbox) as client:
        question = await call_error(client, "delete", {"kind": "model", "id": model, "force": True})
        failing = syncs[1]
        sandbox.faults = FaultConfig(rate=1.0, kinds=("500",), only=rf"DELETE /api/syncs/{failing}", limit=20)
        text = await call_error(client, "delete", {"kind": "model", "id": model, "force": True, "consent_token": consent_token(question)})
    stored = sandbox.workspace(EMPTY_API_KEY)
    deleted = [sync for sync in syncs if sync not in stored.syncs]
    assert len(deleted) == 1 and failing in stored.syncs and model in stored.models
    gone, _, rest = text.partition("Not deleted")
    assert f"({deleted[0]})" in gone and f"({failing})" in rest and f"({model})" in rest, text
